"""Drop-off points: a host organisation's place, its categories, fill level, status and hours."""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from entraide.core.models import EventRecord, PlaceFields
from entraide.dropoff import hours
from entraide.goods.models import Category
from entraide.organisations.models import Organisation, Territory


class FillLevel(models.TextChoices):
    EMPTY = "empty", _("Empty")
    HALF = "half", _("Half full")
    NEARLY_FULL = "nearly_full", _("Nearly full")
    FULL = "full", _("Full")


class PointStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Temporarily closed")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DropoffPoint(PlaceFields):
    """A shop or town hall where people bring donations; the organisation's members host it."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="dropoff_points",
        verbose_name=_("host organisation"),
    )
    # The territory's time zone is the one the opening hours are read in.
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="dropoff_points",
        verbose_name=_("territory"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("how to find it"), max_length=1000, blank=True)
    categories = models.ManyToManyField(
        Category, related_name="dropoff_points", verbose_name=_("accepted categories")
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessibility_notes = models.CharField(_("accessibility"), max_length=300, blank=True)
    fill_level = models.CharField(
        _("fill level"), max_length=12, choices=FillLevel, default=FillLevel.EMPTY
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PointStatus, default=PointStatus.OPEN
    )
    closed_reason = models.CharField(_("why it is closed"), max_length=300, blank=True)
    # Closed through this local date, inclusive; none means until a host reopens it.
    closed_until = models.DateField(_("closed until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("drop-off point")
        verbose_name_plural = _("drop-off points")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_until__isnull=True, closed_reason="")
                | Q(status="closed"),
                name="dropoff_point_open_has_no_closure",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """Return the point's public page."""
        return reverse("dropoff:point", args=[self.pk])

    @property
    def has_room(self) -> bool:
        """Return True unless a host said the point is full."""
        return self.fill_level != FillLevel.FULL

    def is_closed_on(self, day: date) -> bool:
        """Return True when the point is temporarily closed on this local date."""
        if self.status != PointStatus.CLOSED:
            return False
        return self.closed_until is None or day <= self.closed_until

    def weekly_hours(self) -> dict[int, list[hours.Range]]:
        """Return the weekly ranges by weekday (reads the prefetched rules when there are)."""
        weekly: dict[int, list[hours.Range]] = {}
        for rule in self.opening_ranges.all():
            weekly.setdefault(rule.weekday, []).append(hours.Range(rule.opens, rule.closes))
        return weekly

    def exception_hours(self) -> dict[date, list[hours.Range] | None]:
        """Return the dated exceptions: None for a closed day, else the day's special ranges."""
        exceptions: dict[date, list[hours.Range] | None] = {}
        for exception in self.opening_exceptions.all():
            if exception.closed:
                exceptions[exception.on_date] = None
            elif exceptions.get(exception.on_date, []) is not None:
                ranges = exceptions.setdefault(exception.on_date, [])
                assert ranges is not None and exception.opens and exception.closes  # noqa: S101
                ranges.append(hours.Range(exception.opens, exception.closes))
        return exceptions

    def is_open_at(self, moment: datetime) -> bool:
        """Return True when the point takes donations at this aware moment."""
        zone = self.territory.zone
        if self.is_closed_on(moment.astimezone(zone).date()):
            return False
        return hours.is_open_at(moment, zone, self.weekly_hours(), self.exception_hours())


class OpeningRange(models.Model):
    """One weekly opening range: on this weekday, from opens to closes (local time)."""

    point = models.ForeignKey(DropoffPoint, on_delete=models.CASCADE, related_name="opening_ranges")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="dropoff_range_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OpeningException(models.Model):
    """A dated exception: a public holiday or closure (closed) or special hours that day."""

    point = models.ForeignKey(
        DropoffPoint, on_delete=models.CASCADE, related_name="opening_exceptions"
    )
    on_date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        ordering = ["on_date", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(closed=False, opens__lt=F("closes")),
                name="dropoff_exception_closed_or_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on_date:%Y-%m-%d} {self.label}".strip()


class DropoffPointEvent(EventRecord):
    """The append-only history of a drop-off point (created, hours changed, filled, closed)."""

    subject_field = "point"
    point = models.ForeignKey(DropoffPoint, on_delete=models.CASCADE, related_name="events")

    class Meta(EventRecord.Meta):
        verbose_name = _("drop-off point event")
        verbose_name_plural = _("drop-off point events")


# Bounds people never reach but that keep a mistyped estimate out of the totals.
MAX_BAGS = 500
MAX_DONATION_M3 = Decimal("50")


class DropoffDonation(models.Model):
    """A donation a host logged as received at the point: its categories and an estimate."""

    point = models.ForeignKey(DropoffPoint, on_delete=models.CASCADE, related_name="donations")
    categories = models.ManyToManyField(Category, related_name="+", verbose_name=_("categories"))
    bags = models.PositiveSmallIntegerField(
        _("bags"), null=True, blank=True, validators=[MaxValueValidator(MAX_BAGS)]
    )
    volume_m3 = models.DecimalField(
        _("volume (m³)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_DONATION_M3)],
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation received")
        verbose_name_plural = _("donations received")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bags__isnull=False) | Q(volume_m3__isnull=False),
                name="dropoff_donation_has_an_estimate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.created_at:%Y-%m-%d}" if self.created_at else str(self.point)


class PickupRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DONE = "done", _("Collected")


class PickupRequest(models.Model):
    """A host's request that the point be emptied; staff see the open ones."""

    point = models.ForeignKey(
        DropoffPoint, on_delete=models.CASCADE, related_name="pickup_requests"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PickupRequestStatus,
        default=PickupRequestStatus.REQUESTED,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    fill_level = models.CharField(_("fill level when asked"), max_length=12, choices=FillLevel)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pickup request")
        verbose_name_plural = _("pickup requests")
        ordering = ["created_at", "id"]
        constraints = [
            # One open request per point: a second ask while one waits is the same ask.
            models.UniqueConstraint(
                fields=["point"],
                condition=Q(status="requested"),
                name="dropoff_one_open_pickup_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} · {self.get_status_display()}"
