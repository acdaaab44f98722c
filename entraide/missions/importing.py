"""Import missions and their slots from a spreadsheet, all or nothing.

One row per slot; rows with the same title, description and place are one mission, whose
other columns are read from its first row. Every row is checked, then every mission is
created through the same services as the web form, inside one transaction that is rolled
back when any line is wrong or when only a check (dry run) was asked for.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.csv_files import ErrorCollector, FileRejected, RowError, decode, records
from entraide.core.errors import DomainError
from entraide.core.vocabulary import Language
from entraide.missions.models import Theme
from entraide.missions.services import _require_manager, mission_create, slot_add
from entraide.organisations.models import Organisation

COLUMNS = (
    "title",
    "description",
    "theme",
    "remote",
    "address",
    "postcode",
    "town",
    "skills",
    "languages",
    "min_age",
    "background_check",
    "contact_name",
    "contact_email",
    "contact_phone",
    "slot_start",
    "slot_end",
    "capacity",
)
REQUIRED_COLUMNS = ("title", "description", "theme", "slot_start", "slot_end")
# The services name some fields differently from the file's columns.
COLUMN_OF_FIELD = {
    "is_remote": "remote",
    "background_check_required": "background_check",
    "starts_at": "slot_start",
    "ends_at": "slot_end",
}
YES = frozenset({"yes", "y", "true", "1", "oui", "ja", "x"})
NO = frozenset({"", "no", "n", "false", "0", "non", "nee"})
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")
MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 2_000
MAX_CAPACITY = 500


@dataclass
class ImportedMission:
    """One mission of the file: its first line, what it is, and how many slots it gets."""

    line: int
    title: str
    town: str
    is_remote: bool
    slots: int = 0
    public_id: str = ""


@dataclass
class MissionImportReport:
    """What an import found and did: the missions, the errors by line, and whether it wrote."""

    missions: list[ImportedMission] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """Return True when the file has no error."""
        return not self.errors

    @property
    def slot_count(self) -> int:
        """Return the number of slots in the file."""
        return sum(mission.slots for mission in self.missions)

    def summary(self) -> str:
        """Return one translated sentence saying what happened."""
        if self.errors:
            return _("%(count)s error(s) found: nothing was imported.") % {
                "count": len(self.errors)
            }
        values = {"missions": len(self.missions), "slots": self.slot_count}
        if self.dry_run:
            return (
                _("The file is correct: %(missions)s mission(s), %(slots)s slot(s) to import.")
                % values
            )
        return _("%(missions)s mission(s) with %(slots)s slot(s) imported as drafts.") % values


@dataclass
class _Row:
    """One checked line: the mission's fields and one slot."""

    line: int
    fields: dict[str, Any]
    slot: dict[str, Any]

    @property
    def key(self) -> tuple[Any, ...]:
        """Return what makes two lines the same mission."""
        names = ("title", "description", "is_remote", "address", "postcode", "town")
        return tuple(self.fields[name] for name in names)


def _split(value: str, separators: str = "|") -> list[str]:
    """Return the non-empty items of a list cell, in order, once each."""
    for separator in separators[1:]:
        value = value.replace(separator, separators[0])
    items = [" ".join(item.split()) for item in value.split(separators[0])]
    return list(dict.fromkeys(item for item in items if item))


class _Checker(ErrorCollector):
    """Check the cells of one line, collecting errors as "line N: column: message"."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__()
        self.zone = zone

    def boolean(self, line: int, column: str, value: str) -> bool:
        folded = value.strip().lower()
        if folded in YES:
            return True
        if folded not in NO:
            self.error(line, column, _("Write yes or no."))
        return False

    def integer(self, line: int, column: str, value: str, *, low: int, high: int) -> int | None:
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(line, column, _("Write a whole number."))
            return None
        if not low <= number <= high:
            self.error(
                line,
                column,
                _("Write a number between %(low)s and %(high)s.") % {"low": low, "high": high},
            )
            return None
        return number

    def moment(self, line: int, column: str, value: str) -> datetime | None:
        if not value:
            self.error(line, column, _("This column is required."))
            return None
        for pattern in DATETIME_FORMATS:
            try:
                parsed = datetime.strptime(value, pattern)  # noqa: DTZ007 - made aware below
            except ValueError:
                continue
            return parsed.replace(tzinfo=self.zone)
        self.error(line, column, _("Write a date and time like 2025-05-14 09:30."))
        return None

    def row(self, line: int, cells: dict[str, str]) -> _Row:
        for column in ("title", "description", "theme"):
            if not cells[column]:
                self.error(line, column, _("This column is required."))
        theme = cells["theme"].lower()
        if theme and theme not in Theme.values:
            self.error(
                line,
                "theme",
                _("Unknown theme “%(value)s”. The themes are: %(themes)s.")
                % {"value": cells["theme"], "themes": ", ".join(Theme.values)},
            )
        languages = [code.lower() for code in _split(cells["languages"], "|,")]
        unknown = [code for code in languages if code not in Language.values]
        if unknown:
            self.error(
                line,
                "languages",
                _("Unknown language code “%(code)s”. Use codes like fr, nl, en.")
                % {"code": unknown[0]},
            )
        fields = {
            "title": cells["title"],
            "description": cells["description"],
            "theme": theme,
            "is_remote": self.boolean(line, "remote", cells["remote"]),
            "address": cells["address"],
            "postcode": cells["postcode"],
            "town": cells["town"],
            "skills": _split(cells["skills"]),
            "languages": languages,
            "min_age": self.integer(line, "min_age", cells["min_age"], low=14, high=99),
            "background_check_required": self.boolean(
                line, "background_check", cells["background_check"]
            ),
            "contact_name": cells["contact_name"],
            "contact_email": cells["contact_email"],
            "contact_phone": cells["contact_phone"],
        }
        slot = {
            "starts_at": self.moment(line, "slot_start", cells["slot_start"]),
            "ends_at": self.moment(line, "slot_end", cells["slot_end"]),
            "capacity": self.integer(line, "capacity", cells["capacity"], low=1, high=MAX_CAPACITY)
            or 1,
        }
        return _Row(line, fields, slot)


def _read_rows(text: str, checker: _Checker) -> list[_Row]:
    """Return the checked lines of the file (errors go to the checker)."""
    rows = [
        checker.row(line, by_name)
        for line, by_name in records(
            text,
            columns=COLUMNS,
            required=REQUIRED_COLUMNS,
            collector=checker,
            max_records=MAX_ROWS,
        )
    ]
    if not rows and not checker.errors:
        checker.error(2, "", _("The file has no mission."))
    return rows


def _service_errors(exc: ValidationError | DomainError, line: int) -> list[RowError]:
    """Return a service's refusal as errors of one line, named by the file's columns."""
    if isinstance(exc, DomainError):
        return [RowError(line, "", exc.message)]
    if not hasattr(exc, "error_dict"):
        return [RowError(line, "", message) for message in exc.messages]
    errors: list[RowError] = []
    for name, messages in exc.message_dict.items():
        column = "" if name == "__all__" else COLUMN_OF_FIELD.get(name, name)
        errors.extend(RowError(line, column, message) for message in messages)
    return errors


def missions_import_csv(
    *, organisation: Organisation, file: IO[bytes], actor: User, dry_run: bool = False
) -> MissionImportReport:
    """Check a missions CSV file and create its missions as drafts, all or nothing."""
    _require_manager(actor, organisation)
    report = MissionImportReport(dry_run=dry_run)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        report.errors.append(RowError(1, "", _("The file is too large (2 MB at most).")))
        return report
    try:
        text = decode(data)
    except FileRejected as rejected:
        report.errors.append(rejected.error)
        return report
    checker = _Checker(ZoneInfo(organisation.territory.time_zone))
    rows = _read_rows(text, checker)
    groups: dict[tuple[Any, ...], list[_Row]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    report.missions = [
        ImportedMission(
            line=group[0].line,
            title=group[0].fields["title"],
            town=group[0].fields["town"],
            is_remote=group[0].fields["is_remote"],
            slots=len(group),
        )
        for group in groups.values()
    ]
    if checker.errors:
        report.errors = checker.errors
        return report
    # The services check what the file cannot (the town exists, the slot is in the future);
    # their work is kept only when every line passed and this is not a dry run.
    with transaction.atomic():
        for imported, group in zip(report.missions, groups.values(), strict=True):
            try:
                mission = mission_create(organisation=organisation, actor=actor, **group[0].fields)
            except (ValidationError, DomainError) as exc:
                report.errors.extend(_service_errors(exc, group[0].line))
                continue
            imported.public_id = str(mission.public_id)
            for row in group:
                try:
                    slot_add(mission=mission, actor=actor, **row.slot)
                except (ValidationError, DomainError) as exc:
                    report.errors.extend(_service_errors(exc, row.line))
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.errors.sort(key=lambda error: error.line)
    if report.errors or dry_run:
        for imported in report.missions:
            imported.public_id = ""
    return report
