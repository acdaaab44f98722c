"""Lodging: a host's places (rooms or pools of beds), their night windows, bookings and nights.

No double booking is kept by the database itself: every booked night of a place holds one
`Night` row per bed, unique on (place, date, bed), with the bed between 1 and the place's
capacity chosen under the place's row lock (see docs/lodging.md); on PostgreSQL an exclusion
constraint on (room, date range) backs the rooms up.
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from entraide.core.models import EventRecord, PlaceFields
from entraide.core.vocabulary import Channel
from entraide.organisations.models import Organisation, Territory

MAX_NIGHTS = 90
MAX_CAPACITY = 500


class PlaceKind(models.TextChoices):
    SINGLE = "single", _("Single")
    DOUBLE = "double", _("Double")
    FAMILY = "family", _("Family")
    ACCESSIBLE = "accessible", _("Accessible")


class Unit(models.TextChoices):
    ROOM = "room", _("A room, booked whole")
    BEDS = "beds", _("A pool of beds, booked one by one")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# What a host says is there for the night (Les Bureaux du Cœur's checklist and a hotel's).
CHECKLIST = (
    ("bed", _("a bed")),
    ("locker", _("a locker")),
    ("kitchen", _("a kitchen corner")),
    ("water", _("a water point")),
    ("shower", _("a shower")),
    ("toilet", _("a toilet")),
    ("smoke_alarm", _("a smoke alarm")),
    ("first_aid", _("a first-aid kit")),
)


class Place(PlaceFields):
    """A room or a pool of beds a host (hotel, office, shelter) opens for the night."""

    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lodging_places",
        verbose_name=_("host"),
    )
    # The territory's time zone is the one night windows and the no-show hour are read in.
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="lodging_places",
        verbose_name=_("territory"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=PlaceKind, default=PlaceKind.SINGLE)
    unit = models.CharField(_("booked as"), max_length=8, choices=Unit, default=Unit.ROOM)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text=_("A room: how many people it sleeps. A pool: how many beds."),
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    house_rules = models.TextField(_("house rules"), max_length=2000, blank=True)
    checklist = models.JSONField(_("what is there"), default=list, blank=True)
    contact_name = models.CharField(_("contact on site"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # Local hour of the first night after which a guest who has not arrived is a no-show.
    no_show_hour = models.PositiveSmallIntegerField(
        _("no-show after (hour)"), default=23, validators=[MaxValueValidator(23)]
    )
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("place to sleep")
        verbose_name_plural = _("places to sleep")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="lodging_place_capacity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def beds(self) -> int:
        """Return how many bookings one night can hold: one for a room, capacity for a pool."""
        return self.capacity if self.unit == Unit.BEDS else 1

    def checklist_labels(self) -> list[str]:
        """Return the translated labels of what the host ticked."""
        ticked = set(self.checklist or [])
        return [str(label) for key, label in CHECKLIST if key in ticked]


class NightWindow(models.Model):
    """The nights a place opens: the evening of this weekday, from starts to ends next morning.

    A place with no window is open every night (a hotel); an office names its evenings.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("evening of"), choices=Weekday)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until (next morning)"))

    class Meta:
        verbose_name = _("night window")
        verbose_name_plural = _("night windows")
        ordering = ["weekday", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["place", "weekday"], name="lodging_one_window_a_day"),
            # A night ends the next morning, before the evening it started.
            models.CheckConstraint(
                condition=Q(ends__lt=F("starts")), name="lodging_window_ends_next_morning"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


class BlockedNight(models.Model):
    """A night the host keeps for itself: nobody can book the place that night."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="blocked_nights")
    night = models.DateField(_("night of"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("blocked night")
        verbose_name_plural = _("blocked nights")
        ordering = ["night"]
        constraints = [
            models.UniqueConstraint(fields=["place", "night"], name="lodging_block_once"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.night:%Y-%m-%d}"


def new_code() -> str:
    """Return an unguessable booking code: 12 characters from 31 unambiguous ones (59 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class BookingCode(models.Model):
    """A code the desk gives an association: single use, or good for so many nights."""

    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lodging_codes",
        verbose_name=_("association"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="lodging_codes",
        verbose_name=_("territory"),
    )
    # A code for one host only; none: any host of the territory.
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lodging_host_codes",
        verbose_name=_("host"),
    )
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code)
    nights = models.PositiveSmallIntegerField(
        _("nights"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    single_use = models.BooleanField(_("single use"), default=False)
    expires_on = models.DateField(_("valid until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking code")
        verbose_name_plural = _("booking codes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """Return the code in groups of four, easier to read out on the phone."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class Quota(models.Model):
    """Nights a month an association may book without a code, at one host or in a territory."""

    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lodging_quotas",
        verbose_name=_("association"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="lodging_quotas",
        verbose_name=_("territory"),
    )
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lodging_host_quotas",
        verbose_name=_("host"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    nights = models.PositiveIntegerField(_("nights"), validators=[MaxValueValidator(100000)])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "territory", "host", "month"],
                name="lodging_one_quota_a_month",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="lodging_quota_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.association} {self.month:%Y-%m}"


class BookingStatus(models.TextChoices):
    HELD = "held", _("Held")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Arrived")
    CHECKED_OUT = "checked_out", _("Left")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


# A booking in these statuses still holds its future nights.
HOLDING = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)
# Cancelled and expired bookings hold no night at all.
RELEASED = (BookingStatus.CANCELLED, BookingStatus.EXPIRED)


class Booking(models.Model):
    """Nights of a place held for an association's guest, known to the host by a reference."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="bookings")
    association = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lodging_bookings",
        verbose_name=_("association"),
    )
    # The association keeps who the guest is; the host only ever sees this reference.
    guest_reference = models.CharField(_("guest reference"), max_length=40)
    # Copied from the place: the PostgreSQL exclusion constraint covers rooms only.
    is_room = models.BooleanField(default=True, editable=False)
    first_night = models.DateField(_("first night"))
    # The morning the guest leaves: the nights are first_night up to the day before.
    until = models.DateField(_("departure"))
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus, default=BookingStatus.HELD, db_index=True
    )
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    code = models.ForeignKey(
        BookingCode, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("left at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["first_night", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__gt=F("first_night")), name="lodging_booking_one_night_or_more"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guest_reference} {self.first_night:%Y-%m-%d}"

    @property
    def nights(self) -> int:
        """Return how many nights the booking covers now."""
        return (self.until - self.first_night).days

    def night_dates(self) -> list[date]:
        """Return each night of the stay (the evening's date)."""
        return [self.first_night + timedelta(days=n) for n in range(self.nights)]


class Night(models.Model):
    """One bed of a place for one night, held by a booking: the ledger that forbids overbooking."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="nights")
    date = models.DateField(_("night of"))
    bed = models.PositiveSmallIntegerField(_("bed"))
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="night_rows")

    class Meta:
        verbose_name = _("booked night")
        verbose_name_plural = _("booked nights")
        ordering = ["date", "bed"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "date", "bed"], name="lodging_one_guest_a_bed"
            ),
            models.UniqueConstraint(fields=["booking", "date"], name="lodging_one_bed_a_night"),
            models.CheckConstraint(
                condition=Q(bed__gte=1, bed__lte=MAX_CAPACITY), name="lodging_bed_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.date:%Y-%m-%d} #{self.bed}"


class BookingEvent(EventRecord):
    """The append-only history of a booking (held, confirmed, extended, arrived, left…)."""

    subject_field = "booking"
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")

    class Meta(EventRecord.Meta):
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")
