"""Second factor: an authenticator app (TOTP) and single-use recovery codes, via django-otp."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from entraide.accounts.models import User

RECOVERY_CODES = 10
# Unambiguous letters and digits (no 0/O, 1/l/I): read from paper, typed on a phone.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _clean_code(code: str) -> str:
    """Return the code without spaces or dashes, as people copy it."""
    return "".join(code.split()).replace("-", "").lower()[:32]


def totp_confirmed(user: User) -> TOTPDevice | None:
    """Return the person's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_start(*, user: User) -> TOTPDevice:
    """Return the unconfirmed authenticator being set up (a new secret if none waits)."""
    waiting = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if waiting is not None:
        return waiting
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with new ones; return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with its first code; return it and new recovery codes.

    A wrong or stale code changes nothing. Any other authenticator of the person is removed:
    one phone at a time, so a lost one stops working when a new one is set up.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError({"code": [_("Start again: scan the new code first.")]})
    if not device.verify_token(_clean_code(code)):
        raise ValidationError(
            {"code": [_("This code is not the one your app shows now: type the current one.")]}
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, _new_recovery_codes(user)


def two_factor_check(*, user: User, code: str) -> Device:
    """Return the device that accepts this code (the app's, or a recovery code, used up).

    Refused: a ValidationError on `code`. After a wrong code django-otp makes each device
    wait, doubling from one second, so guessing six digits is hopeless; the message says so.
    """
    token = _clean_code(code)
    # Six digits are the app's, anything else a recovery code: trying a code on the wrong
    # device would count as a failure there and make the right one wait.
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    waiting = False
    # The failure counts must be saved: the refusal is raised after the transaction commits.
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not isinstance(device, kind):
                continue
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                waiting = True
            elif device.verify_token(token):
                return device
    if waiting:
        raise ValidationError(
            {"code": [_("Too many wrong codes: wait a few seconds, then type the current one.")]}
        )
    raise ValidationError({"code": [_("This code is not valid: type the one your app shows now.")]})


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Give the person new recovery codes; the old ones stop working."""
    if totp_confirmed(user) is None:
        raise ValidationError({"code": [_("Set up an authenticator app first.")]})
    return _new_recovery_codes(user)


@transaction.atomic
def two_factor_reset(*, user: User) -> int:
    """Remove the person's authenticator and recovery codes (a lost phone): they set up again."""
    removed, _kinds = TOTPDevice.objects.filter(user=user).delete()
    static, _kinds = StaticDevice.objects.filter(user=user).delete()
    return removed + static
