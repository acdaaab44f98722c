"""The database session store, refusing session keys Django itself would never make."""

import string

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

# Django makes session keys of lower-case letters and digits (get_random_string's default).
_KEY_CHARACTERS = frozenset(string.ascii_lowercase + string.digits)


class SessionStore(DatabaseSessionStore):
    """A forged cookie (a NUL, any odd character) is no session at all, never a lookup."""

    def _validate_session_key(self, key: str | None) -> bool:
        """Return True only for keys made of the characters Django's keys use."""
        # Django's own rule (at least 8 characters), then the alphabet.
        return key is not None and len(key) >= 8 and set(key) <= _KEY_CHARACTERS
