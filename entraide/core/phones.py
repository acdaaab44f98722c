"""Phone numbers: normalised to E.164 so an operator finds a caller, hidden from free text."""

import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(raw: str, region: str | None = None) -> str:
    """Return the number in E.164 form, or raise ValidationError if it is not a phone number."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region or settings.DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """Return an E.164 number in international format for reading aloud."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def hide_contact_details(text: str, region: str | None = None) -> str:
    """Return the text with its phone numbers and email addresses replaced by a note.

    Requesters sometimes type their number in free text; only the volunteer who takes the
    request (and operators) may read it.
    """
    if not text:
        return text
    hidden = _("[hidden until a volunteer takes the request]")
    # A number may be written the national way of any country the platform serves.
    codes = [region or settings.DEFAULT_PHONE_REGION, *settings.GEOCODER_COUNTRIES]
    regions = dict.fromkeys(code.upper() for code in codes)
    for each in regions:
        matches = list(
            phonenumbers.PhoneNumberMatcher(text, each, leniency=phonenumbers.Leniency.VALID)
        )
        # Replace from the end, so that the offsets of earlier matches stay right.
        for match in reversed(matches):
            text = text[: match.start] + hidden + text[match.end :]
    return _EMAIL.sub(hidden, text)
