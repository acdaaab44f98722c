"""Signed, expiring tokens for the links we email: address verification and invitations."""

from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

EMAIL_VERIFICATION_SALT = "entraide.accounts.verify-email"
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=7)
# Imported volunteers may open their invitation days after the organisation sent it.
INVITATION_MAX_AGE = timedelta(days=30)


def make_email_verification_token(*, user_id: int, email: str) -> str:
    """Return a signed token that proves the link was sent to this address."""
    return signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).sign_object(
        {"u": user_id, "e": email}
    )


def read_email_verification_token(token: str) -> tuple[int, str]:
    """Return (user id, email) from a token; raise SignatureExpired or BadSignature."""
    data = signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).unsign_object(
        token, max_age=EMAIL_VERIFICATION_MAX_AGE
    )
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("malformed payload")
    return data["u"], str(data.get("e", ""))


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like a password-reset token, with its own salt and a 30-day life.

    The hash covers the password, so the link stops working once the password is set.
    """

    key_salt = "entraide.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):  # type: ignore[no-untyped-def]
        """Return True when the token was made for this user less than 30 days ago."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age_seconds = self._num_seconds(self._now()) - ts
        return age_seconds <= INVITATION_MAX_AGE.total_seconds()


invitation_token_generator = InvitationTokenGenerator()
