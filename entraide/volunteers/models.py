"""A volunteer's profile: home, radius, languages, kinds of help, availability, capacity."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.models import EventRecord, PlaceFields

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
PERIODS = [
    # (name, first hour, last hour exclusive) in the territory's local time
    (_("morning"), 8, 12),
    (_("afternoon"), 12, 18),
    (_("evening"), 18, 21),
]
# Availability is one bit per (weekday, period): 7 × 3 = 21 bits, all set means "any time".
ALWAYS_AVAILABLE = (1 << (len(WEEKDAYS) * len(PERIODS))) - 1
MIN_RADIUS_KM = 1
MAX_RADIUS_KM = 100
MAX_OPEN_REQUESTS_LIMIT = 20


def availability_bit(weekday: int, period: int) -> int:
    """Return the bit for a weekday (0 = Monday) and a period (0 = morning)."""
    return 1 << (weekday * len(PERIODS) + period)


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away, one email per request")
    DIGEST = "digest", _("Once a day, a summary")
    NONE = "none", _("Never (I look at my dashboard)")


class VolunteerProfile(PlaceFields):
    """Everything the matching needs to know about one volunteer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    # Where the volunteer lives is private: the town is enough, no street address is kept
    # (None removes the inherited field; the type checker does not know that Django rule).
    address = None  # type: ignore[assignment]
    radius_km = models.PositiveSmallIntegerField(
        _("distance I can travel (km)"),
        default=3,
        validators=[MinValueValidator(MIN_RADIUS_KM), MaxValueValidator(MAX_RADIUS_KM)],
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    kinds = models.JSONField(
        _("kinds of help"), default=list, blank=True, help_text=_("Empty means any kind.")
    )
    # Free-text skills (lower-case), compared with the skills missions ask for.
    skills = models.JSONField(_("skills"), default=list, blank=True)
    availability = models.PositiveIntegerField(
        _("availability"),
        default=ALWAYS_AVAILABLE,
        validators=[MaxValueValidator(ALWAYS_AVAILABLE)],
    )
    max_open_requests = models.PositiveSmallIntegerField(
        _("maximum open requests"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_OPEN_REQUESTS_LIMIT)],
    )
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    is_paused = models.BooleanField(_("paused"), default=False)
    notification_mode = models.CharField(
        _("notifications"),
        max_length=10,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )
    last_notified_at = models.DateTimeField(_("last notified at"), null=True, blank=True)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(radius_km__gte=1) & models.Q(radius_km__lte=100),
                name="volunteer_radius_km_between_1_and_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def has_location(self) -> bool:
        """Return True when the volunteer said where they live."""
        return self.lat is not None and self.lon is not None

    def is_active_on(self, day: date) -> bool:
        """Return True unless the volunteer paused, for good or until after `day`."""
        if self.is_paused:
            return False
        return self.paused_until is None or self.paused_until < day

    @property
    def active_now(self) -> bool:
        """Return True when the volunteer is not paused today."""
        return self.is_active_on(timezone.localdate())


class VolunteerEvent(EventRecord):
    """One fact in a volunteer profile's life, such as a move of their home (append-only)."""

    class Kind(models.TextChoices):
        HOME_MOVED = "home_moved", _("Home moved")

    subject_field = "profile"

    profile = models.ForeignKey(
        VolunteerProfile,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("volunteer profile"),
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)

    class Meta(EventRecord.Meta):
        verbose_name = _("volunteer event")
        verbose_name_plural = _("volunteer events")
        indexes = [models.Index(fields=["profile", "kind", "created_at"])]
