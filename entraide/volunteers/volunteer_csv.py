"""Read and check a spreadsheet of volunteers before anything is written.

Every row is checked, and every problem is reported with its line number, so that an
organisation fixes its file once instead of one error at a time.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from entraide.accounts.models import MAX_EMAIL_LENGTH, User
from entraide.core.csv_files import ErrorCollector, FileRejected, RowError, decode, records
from entraide.core.phones import normalise_phone
from entraide.core.places import Place, place_from_input
from entraide.core.vocabulary import HelpKind, Language
from entraide.volunteers.models import MAX_RADIUS_KM, MIN_RADIUS_KM

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "language",
    "town",
    "postcode",
    "country",
    "radius_km",
    "languages",
    "kinds",
    "consent",
)
REQUIRED_COLUMNS = ("email", "first_name", "town", "consent")
CONSENT_YES = frozenset({"yes", "true", "1", "oui", "ja"})
LIST_SEPARATOR = "|"
DEFAULT_RADIUS_KM = 3
# One import is read into memory and each new town is geocoded: bound both, as for missions.
MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 2_000


@dataclass
class VolunteerRow:
    """One checked volunteer, ready to be created."""

    line: int
    email: str
    first_name: str
    last_name: str
    phone: str
    language: str
    town: str
    postcode: str
    country: str
    lat: float
    lon: float
    radius_km: int
    languages: list[str]
    kinds: list[str]


@dataclass
class ImportReport:
    """What an import found and did: checked rows, errors by line, and volunteers created."""

    rows: list[VolunteerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    created: int = 0

    @property
    def ok(self) -> bool:
        """Return True when the file has no error."""
        return not self.errors

    def summary(self) -> str:
        """Return one translated sentence saying what happened."""
        if self.errors:
            return _("%(count)s error(s) found: nothing was imported.") % {
                "count": len(self.errors)
            }
        if self.dry_run:
            return _("The file is correct: %(count)s volunteer(s) can be imported.") % {
                "count": len(self.rows)
            }
        return _("%(count)s volunteer(s) imported and invited to choose a password.") % {
            "count": self.created
        }


def _split(value: str) -> list[str]:
    """Return the non-empty, lower-cased items of a "|"-separated cell, in order, once each."""
    items = [item.strip().lower() for item in value.split(LIST_SEPARATOR)]
    return list(dict.fromkeys(item for item in items if item))


class _Checker(ErrorCollector):
    """Check rows one by one, collecting errors, geocoding each town only once."""

    def __init__(self) -> None:
        super().__init__()
        self.places: dict[tuple[str, str, str], Place | ValidationError] = {}
        self.languages = {code for code, _name in settings.LANGUAGES}

    def place(self, *, town: str, postcode: str, country: str) -> Place | ValidationError:
        key = (town.lower(), postcode, country)
        if key not in self.places:
            try:
                self.places[key] = place_from_input(town=town, postcode=postcode, country=country)
            except ValidationError as exc:
                self.places[key] = exc
        return self.places[key]

    def row(self, line: int, cells: dict[str, str]) -> VolunteerRow | None:
        """Return the checked row, or None after recording its errors."""
        count = len(self.errors)
        email = cells["email"].lower()
        if not email:
            self.error(line, "email", _("This column is required."))
        elif len(email) > MAX_EMAIL_LENGTH:
            self.error(line, "email", _("Use an address of at most 150 characters."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                self.error(line, "email", _("Enter a valid email address."))

        first_name, last_name = cells["first_name"], cells["last_name"]
        if not first_name:
            self.error(line, "first_name", _("This column is required."))
        for column, value in (("first_name", first_name), ("last_name", last_name)):
            if len(value) > 150:
                self.error(line, column, _("Use at most 150 characters."))

        country = cells["country"].upper()
        if country and not (len(country) == 2 and country.isalpha()):
            self.error(line, "country", _("Use a two-letter country code such as BE or FR."))
            country = ""

        phone = ""
        try:
            phone = normalise_phone(cells["phone"], region=country or None)
        except ValidationError as exc:
            for message in exc.messages:
                self.error(line, "phone", message)

        language = cells["language"].lower() or settings.LANGUAGE_CODE
        if language not in self.languages:
            self.error(line, "language", _("Use fr, nl or en."))

        postcode = cells["postcode"]
        if len(postcode) > 12:
            self.error(line, "postcode", _("Use at most 12 characters."))

        town = cells["town"]
        lat = lon = 0.0
        if not town:
            self.error(line, "town", _("This column is required."))
        elif len(town) > 120:
            self.error(line, "town", _("Use at most 120 characters."))
        else:
            found = self.place(town=town, postcode=postcode, country=country)
            if isinstance(found, ValidationError):
                for column, messages in found.message_dict.items():
                    for message in messages:
                        self.error(line, column, message)
            else:
                lat, lon, country = found.lat, found.lon, country or found.country

        radius_km = DEFAULT_RADIUS_KM
        if cells["radius_km"]:
            try:
                radius_km = int(cells["radius_km"])
            except ValueError:
                radius_km = 0
            if not MIN_RADIUS_KM <= radius_km <= MAX_RADIUS_KM:
                self.error(line, "radius_km", _("Use a whole number of kilometres from 1 to 100."))

        languages = _split(cells["languages"]) or [language]
        unknown = [code for code in languages if code not in Language.values]
        if unknown:
            self.error(
                line,
                "languages",
                _("Unknown language: %(code)s") % {"code": ", ".join(unknown)},
            )

        kinds = _split(cells["kinds"])
        unknown = [kind for kind in kinds if kind not in HelpKind.values]
        if unknown:
            self.error(
                line,
                "kinds",
                _("Unknown kind of help: %(kind)s (use %(choices)s)")
                % {"kind": ", ".join(unknown), "choices": "|".join(HelpKind.values)},
            )

        if cells["consent"].lower() not in CONSENT_YES:
            self.error(
                line,
                "consent",
                _("The volunteer must have agreed to be contacted (yes, oui, ja, true or 1)."),
            )

        if len(self.errors) > count:
            return None
        return VolunteerRow(
            line=line,
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            language=language,
            town=town,
            postcode=postcode,
            country=country or "BE",
            lat=lat,
            lon=lon,
            radius_km=radius_km,
            languages=languages,
            kinds=kinds,
        )


def check_volunteer_csv(data: bytes) -> tuple[list[VolunteerRow], list[RowError]]:
    """Return the checked rows and every error of a volunteers CSV file."""
    if len(data) > MAX_FILE_BYTES:
        return [], [RowError(1, "", _("The file is too large (2 MB at most)."))]
    try:
        text = decode(data)
    except FileRejected as rejected:
        return [], [rejected.error]
    checker = _Checker()
    rows: list[VolunteerRow] = []
    first_line_of: dict[str, int] = {}
    for line, by_name in records(
        text, columns=COLUMNS, required=REQUIRED_COLUMNS, collector=checker, max_records=MAX_ROWS
    ):
        email = by_name["email"].lower()
        if email in first_line_of:
            checker.error(
                line,
                "email",
                _("This address is already on line %(line)s.") % {"line": first_line_of[email]},
            )
        elif email:
            first_line_of[email] = line
        row = checker.row(line, by_name)
        if row is not None and first_line_of.get(email) == line:
            rows.append(row)

    taken = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(first_line_of))
        .values_list("email_lower", flat=True)
    )
    for email in sorted(taken, key=first_line_of.__getitem__):
        checker.error(first_line_of[email], "email", _("A user with this address already exists."))
    rows = [row for row in rows if row.email not in taken]
    checker.errors.sort(key=lambda error: error.line)
    return rows, checker.errors
