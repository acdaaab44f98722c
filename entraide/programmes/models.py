"""Programmes: a curriculum authored by an organisation, frozen in versions run by cohorts."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from entraide.core.models import EventRecord
from entraide.organisations.models import Organisation, Territory

# The days of a programme: day 0 launches the week, days 1 to 5 bring content and an action,
# day 6 is the closing session. Day n of a cohort falls on its start Monday + n days.
LAUNCH_DAY = 0
CLOSING_DAY = 6
DAY_NUMBERS = range(LAUNCH_DAY, CLOSING_DAY + 1)
# The local hour a member's day email goes out, in their own time zone.
DAY_EMAIL_HOUR = 8
DEFAULT_COHORT_SIZE = 15
MAX_COHORT_SIZE = 100


def day_label(number: int) -> str:
    """Return how a day is named on pages: launch, day n, closing."""
    if number == LAUNCH_DAY:
        return str(_("Launch (day 0)"))
    if number == CLOSING_DAY:
        return str(_("Closing session"))
    return str(_("Day %(number)s")) % {"number": number}


def week_start(day: date) -> date:
    """Return the Monday of the week of `day`."""
    return day - timedelta(days=day.weekday())


class Programme(models.Model):
    """A week of guided action an organisation's staff author, published in versions."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("address of the page"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("A day email missing in a member's language is sent in this one."),
    )
    cohort_size = models.PositiveSmallIntegerField(
        _("members per cohort"),
        default=DEFAULT_COHORT_SIZE,
        validators=[MinValueValidator(2), MaxValueValidator(MAX_COHORT_SIZE)],
    )
    call_time = models.TimeField(
        _("daily call at"), help_text=_("Local time of the cohort's call, e.g. 18:30.")
    )
    call_minutes = models.PositiveSmallIntegerField(
        _("call length (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(180)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Challenge(models.Model):
    """A theme of a programme (help the isolated, support carers…) grouping its actions."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="challenges", verbose_name=_("programme")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["programme", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Day(models.Model):
    """One day of the draft curriculum: its email in French, Dutch and English, and its action.

    Bodies may use the placeholders {{ first_name }}, {{ call_link }}, {{ chat_link }} and
    {{ report_link }}; anything else in double braces fails to render.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="days", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("day"), validators=[MaxValueValidator(CLOSING_DAY)])
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True)
    body_fr = models.TextField(_("email (French)"), max_length=10000, blank=True)
    action_fr = models.CharField(_("the day's action (French)"), max_length=300, blank=True)
    subject_nl = models.CharField(_("subject (Dutch)"), max_length=200, blank=True)
    body_nl = models.TextField(_("email (Dutch)"), max_length=10000, blank=True)
    action_nl = models.CharField(_("the day's action (Dutch)"), max_length=300, blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("email (English)"), max_length=10000, blank=True)
    action_en = models.CharField(_("the day's action (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("day")
        verbose_name_plural = _("days")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_day_per_number")
        ]

    def __str__(self) -> str:
        return day_label(self.number)

    def text(self, language: str) -> dict[str, str]:
        """Return the day's subject, body and action in one language ("" where missing)."""
        return {
            part: str(getattr(self, f"{part}_{language}", "") or "")
            for part in ("subject", "body", "action")
        }


class Resource(models.Model):
    """A link the programme offers its members (a guide, a video, a form)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="resources", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=160)
    url = models.URLField(_("address"))

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["programme", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgrammeVersion(models.Model):
    """A published, frozen copy of a programme's curriculum: what a cohort runs."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="versions", verbose_name=_("programme")
    )
    number = models.PositiveIntegerField(_("version"))
    # The days (every language), challenges, resources and call pattern as published.
    content = models.JSONField(_("content"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="one_programme_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.number}"

    def day(self, number: int) -> dict[str, dict[str, str]] | None:
        """Return a frozen day's texts by language, or None when the version has no such day."""
        found = self.content.get("days", {}).get(str(number))
        return found if isinstance(found, dict) else None


class Coordinator(models.Model):
    """A trained volunteer available to lead cohorts of a programme (one per start week)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="coordinators",
        verbose_name=_("programme"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_coordinations",
        verbose_name=_("person"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"], name="one_coordinator_row_per_person"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class Cohort(models.Model):
    """At most `capacity` members of one language and time zone starting the same week."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("programme")
    )
    version = models.ForeignKey(
        ProgrammeVersion,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("version"),
    )
    number = models.PositiveIntegerField(_("number"))
    start_week = models.DateField(_("week starting"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    time_zone = models.CharField(_("time zone"), max_length=40)
    capacity = models.PositiveSmallIntegerField(_("members at most"))
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_cohorts",
        verbose_name=_("coordinator"),
    )
    # The video room's name, random so that nobody outside the cohort guesses it.
    room = models.CharField(_("video room"), max_length=80, unique=True)
    chat_link = models.URLField(_("chat group"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["programme", "start_week", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_cohort_per_number")
        ]
        indexes = [models.Index(fields=["start_week"], name="cohort_start_week")]

    def __str__(self) -> str:
        return str(_("Cohort %(number)s")) % {"number": self.number}

    @property
    def video_link(self) -> str:
        """Return the cohort's video-call address (a Jitsi room, made with no network call)."""
        return settings.PROGRAMMES_VIDEO_BASE_URL.rstrip("/") + "/" + self.room

    @property
    def ends_on(self) -> date:
        """Return the day of the closing session."""
        return self.start_week + timedelta(days=CLOSING_DAY)


class EnrolmentStatus(models.TextChoices):
    PLACED = "placed", _("In a cohort")
    WAITING = "waiting", _("On the waiting list")
    LEFT = "left", _("Left")


class Enrolment(models.Model):
    """A volunteer's place in a programme for a start week: in a cohort, or waiting for one."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("programme")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_enrolments",
        verbose_name=_("volunteer"),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("cohort"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus, default=EnrolmentStatus.WAITING
    )
    start_week = models.DateField(_("week starting"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="programme_enrolments",
        verbose_name=_("territory"),
    )
    # Copied from the territory when enrolling: the cohort and its 08:00 emails follow it.
    time_zone = models.CharField(_("time zone"), max_length=40)
    # The last day whose email (or catch-up digest) was queued; -1 before the first.
    last_day_sent = models.SmallIntegerField(_("last day emailed"), default=-1)
    flagged = models.BooleanField(_("needs follow-up"), default=False)
    flag_note = models.CharField(_("follow-up note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["programme", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"],
                condition=Q(status__in=["placed", "waiting"]),
                name="one_open_enrolment_per_programme",
            )
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="enrolment_cohort_status")]

    def __str__(self) -> str:
        return f"{self.user} · {self.programme}"


class EnrolmentEvent(EventRecord):
    """One fact in an enrolment's life: enrolled, placed, waiting, moved, left, flagged."""

    subject_field = "enrolment"

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="events", verbose_name=_("enrolment")
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")


class DayOpened(models.Model):
    """A member followed the tracked link of a day's email (once per day)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="opened", verbose_name=_("enrolment")
    )
    day = models.PositiveSmallIntegerField(_("day"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("day opened")
        verbose_name_plural = _("days opened")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="one_open_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {day_label(self.day)}"


class RenderProblem(models.Model):
    """A day email that could not be rendered in a language (sent in the default one)."""

    version = models.ForeignKey(
        ProgrammeVersion,
        on_delete=models.CASCADE,
        related_name="render_problems",
        verbose_name=_("version"),
    )
    day = models.PositiveSmallIntegerField(_("day"))
    language = models.CharField(_("language"), max_length=8)
    error = models.CharField(_("problem"), max_length=500)
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("day email problem")
        verbose_name_plural = _("day email problems")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "day", "language"], name="one_problem_per_day_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} · {day_label(self.day)} · {self.language}"


class CohortMessage(models.Model):
    """A message the coordinator posts to their cohort (also emailed to its members)."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="messages", verbose_name=_("cohort")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cohort message")
        verbose_name_plural = _("cohort messages")
        ordering = ["cohort", "-created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for moderation")
    APPROVED = "approved", _("In the repertoire")
    REJECTED = "rejected", _("Rejected")


class RepertoireAction(models.Model):
    """An action of a challenge's repertoire: what to do, how, how long, and what to count."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="actions", verbose_name=_("challenge")
    )
    title = models.CharField(_("title"), max_length=160)
    how_to = models.TextField(_("how to"), max_length=3000)
    minutes_needed = models.PositiveSmallIntegerField(
        _("time needed (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    unit = models.CharField(
        _("what to count"), max_length=80, help_text=_("e.g. calls made, visors delivered.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus, default=ActionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("repertoire action")
        verbose_name_plural = _("repertoire actions")
        ordering = ["challenge", "title"]

    def __str__(self) -> str:
        return self.title


class ActionReport(models.Model):
    """A member did an action of the repertoire this many times (kits made, calls made…)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="reports", verbose_name=_("enrolment")
    )
    action = models.ForeignKey(
        RepertoireAction,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("action"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    done_on = models.DateField(_("done on"))
    channel = models.CharField(_("channel"), max_length=20)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("action report")
        verbose_name_plural = _("action reports")
        ordering = ["-done_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} × {self.quantity}"
