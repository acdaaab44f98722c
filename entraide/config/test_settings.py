"""Settings for the test suite: tasks run inline, email stays in memory, hashing is fast."""

import tempfile
from pathlib import Path

from entraide.config.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
GEOCODER = "gazetteer"
SITE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
# Uploads go to a throwaway folder, one per test process.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="entraide-media-"))
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The tests of other flows log staff and operators in with a password only; the second
# factor's own tests turn it on (accounts/tests/test_two_factor.py, the 2FA browser test).
TWO_FACTOR_REQUIRED = False
