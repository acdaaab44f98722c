"""Values templates need from the viewer's territory."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from entraide.core.phones import display_phone, normalise_phone
from entraide.organisations.models import Territory


@dataclass(frozen=True)
class PhoneLine:
    """The number to call for help, written to read aloud and to dial, and when it answers."""

    number: str
    tel: str
    hours: str


def phone_line_for(territory: Territory | None) -> PhoneLine | None:
    """Return the territory's phone line, else the site's default, or None when neither."""
    if territory is not None and territory.phone_line:
        return PhoneLine(territory.phone_line_display, territory.phone_line, territory.phone_hours)
    if not settings.PHONE_LINE:
        return None
    try:
        tel = normalise_phone(settings.PHONE_LINE)
    except ValidationError:
        # A setting that is no number is still what the deployment wants shown; no tel: link.
        return PhoneLine(settings.PHONE_LINE, "", settings.PHONE_LINE_HOURS)
    return PhoneLine(display_phone(tel), tel, settings.PHONE_LINE_HOURS)


def phone_line(request: HttpRequest) -> dict:
    """Expose the phone line of the viewer's territory (or the site's) as `phone_line`."""
    return {"phone_line": phone_line_for(getattr(request, "territory", None))}
