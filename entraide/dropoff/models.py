"""Drop-off points: a host organisation's place, its categories, fill level, status and hours.

And the free home collection of donations too big for a point: the item catalogue, each
territory's rules, the collection slots and their bookings.
"""

import secrets
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
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


# A donation is at least a box of books and at most what several lorries carry: outside
# these bounds a volume is a typing mistake (10,000 m³ is a warehouse).
MIN_COLLECTION_M3 = Decimal("0.01")
MAX_COLLECTION_M3 = Decimal("60")
MAX_ITEM_QUANTITY = 50


class CatalogueItem(models.Model):
    """A typical object donors give (a sofa, a box of books) with its volume in m³.

    Names are columns per language, like the goods categories, because staff edit them in
    the back office, where translation catalogues cannot be edited.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=80)
    name_nl = models.CharField(_("name in Dutch"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("goods category")
    )
    volume_m3 = models.DecimalField(
        _("volume (m³)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(MIN_COLLECTION_M3), MaxValueValidator(Decimal("20"))],
    )
    is_active = models.BooleanField(_("offered to donors"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language (English when it has none)."""
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class CollectionRule(models.Model):
    """A territory's home-collection rules; a territory without one has no home collection."""

    territory = models.OneToOneField(
        Territory,
        on_delete=models.CASCADE,
        related_name="collection_rule",
        verbose_name=_("territory"),
    )
    threshold_m3 = models.DecimalField(
        _("volume above which we collect (m³)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_COLLECTION_M3)],
        help_text=_("Below it, donors are sent to the nearest drop-off point."),
    )
    categories = models.ManyToManyField(
        Category, related_name="+", verbose_name=_("categories collected")
    )
    postcodes = models.CharField(
        _("postcodes served"),
        max_length=1000,
        help_text=_("Postcode beginnings separated by spaces or commas, e.g. 75 92 or 1000."),
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"), default=48, validators=[MaxValueValidator(24 * 30)]
    )
    max_days_ahead = models.PositiveSmallIntegerField(
        _("booking horizon (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How many days ahead a donor may book."),
    )

    class Meta:
        verbose_name = _("home-collection rule")
        verbose_name_plural = _("home-collection rules")
        ordering = ["territory__name"]

    def __str__(self) -> str:
        return str(self.territory)

    def clean(self) -> None:
        """Refuse postcode beginnings that no postcode can have."""
        if not self.postcode_prefixes:
            raise ValidationError({"postcodes": [_("Give at least one postcode beginning.")]})
        wrong = [p for p in self.postcode_prefixes if not (p.isalnum() and len(p) <= 10)]
        if wrong:
            raise ValidationError(
                {
                    "postcodes": [
                        _("These are not postcode beginnings: %(wrong)s.")
                        % {"wrong": ", ".join(wrong)}
                    ]
                }
            )

    @property
    def postcode_prefixes(self) -> list[str]:
        """Return the postcode beginnings served."""
        return [p for p in self.postcodes.replace(",", " ").split() if p]

    def serves(self, postcode: str) -> bool:
        """Return True when the postcode begins with one of the prefixes served."""
        code = postcode.replace(" ", "").upper()
        return bool(code) and any(code.startswith(p.upper()) for p in self.postcode_prefixes)


class CollectionSlot(models.Model):
    """A time window in which the team collects at home, for so many donors at most."""

    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="collection_slots",
        verbose_name=_("territory"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(
        _("collections"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many homes the team can visit in this window."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("collection slot")
        verbose_name_plural = _("collection slots")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["territory", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="dropoff_slot_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="dropoff_slot_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.starts_at:%Y-%m-%d %H:%M}" if self.starts_at else ""


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    COLLECTED = "collected", _("Collected")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


def new_booking_token() -> str:
    """Return an unguessable token for a donor's private link to their booking."""
    return secrets.token_urlsafe(24)


class CollectionBooking(PlaceFields):
    """A donor's booked home collection: where, what and how much, and how to get in.

    A collection round takes it as a stop and ends it collected (with the volume taken),
    missed (with a reason) or cancelled.
    """

    slot = models.ForeignKey(
        CollectionSlot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus, default=BookingStatus.BOOKED
    )
    token = models.CharField(_("link token"), max_length=64, unique=True, default=new_booking_token)
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collection_bookings",
        verbose_name=_("donor's account"),
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    language = models.CharField(_("language"), max_length=5, default="fr")
    # What the donor said they give: [{"code", "name", "quantity", "volume_m3"}], names as
    # shown when booking, so renaming an item later does not rewrite the booking.
    items = models.JSONField(_("items"), default=list, blank=True)
    categories = models.ManyToManyField(Category, related_name="+", verbose_name=_("categories"))
    volume_m3 = models.DecimalField(
        _("volume (m³)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(MIN_COLLECTION_M3), MaxValueValidator(MAX_COLLECTION_M3)],
    )
    floor = models.SmallIntegerField(
        _("floor"), default=0, validators=[MinValueValidator(-5), MaxValueValidator(60)]
    )
    has_lift = models.BooleanField(_("lift"), default=False)
    parking = models.CharField(_("parking"), max_length=300, blank=True)
    access_notes = models.CharField(_("access notes"), max_length=500, blank=True)
    volume_collected_m3 = models.DecimalField(
        _("volume collected (m³)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_COLLECTION_M3)],
    )
    missed_reason = models.CharField(_("why it was missed"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=12, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("home collection")
        verbose_name_plural = _("home collections")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="collected", volume_collected_m3__isnull=False)
                | ~Q(status="collected"),
                name="dropoff_collected_has_a_volume",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.slot}"

    def get_absolute_url(self) -> str:
        """Return the donor's private page of the booking."""
        return reverse("dropoff:booking", args=[self.token])


class CollectionBookingEvent(EventRecord):
    """The append-only history of a home collection (booked, cancelled, collected, missed)."""

    subject_field = "booking"
    booking = models.ForeignKey(CollectionBooking, on_delete=models.CASCADE, related_name="events")

    class Meta(EventRecord.Meta):
        verbose_name = _("home-collection event")
        verbose_name_plural = _("home-collection events")
