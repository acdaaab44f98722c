"""Goods: the category catalogue, lots donors offer, needs associations declare, offers between
them, pickups, and the append-only goods ledger."""

import uuid
from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from entraide.core.models import AppendOnlyModel, EventRecord, PlaceFields
from entraide.core.vocabulary import Channel
from entraide.organisations.models import Organisation, Territory

# Bounds people never reach but that keep sums inside their columns: one lot or need of
# 100 tonnes at most, a ledger row of ±100 tonnes, a radius across a country.
MAX_KG = Decimal("100000")
MAX_RADIUS_KM = Decimal("500")
POSITIVE_KG = [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_KG)]


class Category(models.Model):
    """One kind of goods in the shared catalogue, with its meal and CO₂ factors.

    Names are columns per language rather than gettext strings because staff add and rename
    categories in the back office, where translation catalogues cannot be edited.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=80)
    name_nl = models.CharField(_("name in Dutch"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    is_food = models.BooleanField(_("food"), default=False)
    needs_cold = models.BooleanField(
        _("needs cold storage"),
        default=False,
        help_text=_("Chilled or frozen: only associations with cold storage may receive it."),
    )
    meal_factor_per_kg = models.DecimalField(
        _("meals per kg"),
        max_digits=8,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("2 for food (500 g = one meal), 0 for what is not eaten."),
    )
    co2_kg_per_kg = models.DecimalField(
        _("CO₂ avoided (kg per kg)"),
        max_digits=8,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    co2_method = models.TextField(
        _("how the CO₂ factor was found"),
        blank=True,
        max_length=2000,
        help_text=_("The source and method, shown beside the CO₂ figures."),
    )
    is_active = models.BooleanField(_("offered in forms"), default=True)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    class Meta:
        verbose_name = _("goods category")
        verbose_name_plural = _("goods categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language (English when it has none)."""
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class TerritoryFactor(models.Model):
    """A territory's own meal or CO₂ factor for one category, used before the category's."""

    territory = models.ForeignKey(
        Territory,
        on_delete=models.CASCADE,
        related_name="goods_factors",
        verbose_name=_("territory"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        related_name="territory_factors",
        verbose_name=_("category"),
    )
    meal_factor_per_kg = models.DecimalField(
        _("meals per kg"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: the category's factor."),
    )
    co2_kg_per_kg = models.DecimalField(
        _("CO₂ avoided (kg per kg)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: the category's factor."),
    )
    co2_method = models.TextField(_("how the CO₂ factor was found"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("territory factor")
        verbose_name_plural = _("territory factors")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "category"], name="goods_one_factor_per_territory_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory} · {self.category}"


class Unit(models.TextChoices):
    KG = "kg", _("kilograms")
    PIECES = "pieces", _("pieces")
    CRATES = "crates", _("crates")
    LITRES = "litres", _("litres")
    BOXES = "boxes", _("boxes")
    PALLETS = "pallets", _("pallets")


class WeightBand(models.TextChoices):
    """A weight a donor who cannot weigh chooses (as foodsharing does); its midpoint is stored."""

    UNDER_5 = "under_5", _("under 5 kg")
    FROM_5_TO_20 = "5_20", _("5 to 20 kg")
    FROM_20_TO_50 = "20_50", _("20 to 50 kg")
    FROM_50_TO_100 = "50_100", _("50 to 100 kg")
    FROM_100_TO_500 = "100_500", _("100 to 500 kg")


BAND_MIDPOINT_KG = {
    WeightBand.UNDER_5: Decimal("2.5"),
    WeightBand.FROM_5_TO_20: Decimal("12.5"),
    WeightBand.FROM_20_TO_50: Decimal("35"),
    WeightBand.FROM_50_TO_100: Decimal("75"),
    WeightBand.FROM_100_TO_500: Decimal("300"),
}


class DonorFields(models.Model):
    """Who gives: an organisation (a company, a shop, a farm) or a person, at least one."""

    donor_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor organisation"),
    )
    donor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor (a person)"),
    )

    class Meta:
        abstract = True


class LotSeries(DonorFields, PlaceFields):
    """A lot that comes back every week ("every Tuesday, about 40 kg of bread")."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="series", verbose_name=_("category")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    weekdays = models.JSONField(
        _("days of the week"), default=list, help_text=_("0 is Monday, 6 is Sunday.")
    )
    window_start = models.TimeField(_("pickup from"))
    window_end = models.TimeField(_("pickup until"))
    typical_kg = models.DecimalField(
        _("usual weight (kg)"), max_digits=10, decimal_places=2, validators=POSITIVE_KG
    )
    use_by_days = models.PositiveSmallIntegerField(
        _("use by, days after the pickup day"),
        null=True,
        blank=True,
        help_text=_("Empty: no use-by date."),
    )
    cold_chain = models.BooleanField(_("kept cold"), default=False)
    divisible = models.BooleanField(_("may be split"), default=True)
    horizon_days = models.PositiveSmallIntegerField(
        _("created ahead (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recurring lot")
        verbose_name_plural = _("recurring lots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(donor_organisation__isnull=False)
                | models.Q(donor_user__isnull=False),
                name="goods_series_has_donor",
            ),
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")),
                name="goods_series_window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.typical_kg} kg"


class LotStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OFFERED = "offered", _("Offered")
    PARTIAL = "partial", _("Partly allocated")
    ALLOCATED = "allocated", _("Allocated")
    COLLECTED = "collected", _("Collected")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


# A lot in these states still has kilograms an association may be offered.
LOT_OPEN_STATUSES = (LotStatus.OFFERED, LotStatus.PARTIAL)


class Lot(DonorFields, PlaceFields):
    """Goods a donor offers, where and when they can be collected, and what is left of them."""

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="lots", verbose_name=_("category")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=10, decimal_places=2, validators=POSITIVE_KG
    )
    weight_band = models.CharField(
        _("weight band"), max_length=10, choices=WeightBand.choices, blank=True
    )
    weight_estimated = models.BooleanField(
        _("weight estimated"),
        default=False,
        help_text=_("The donor chose a band; the weight is its midpoint."),
    )
    volume_m3 = models.DecimalField(
        _("volume (m³)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    use_by = models.DateField(_("use by"), null=True, blank=True)
    best_before = models.DateField(_("best before"), null=True, blank=True)
    cold_chain = models.BooleanField(_("kept cold"), default=False)
    divisible = models.BooleanField(_("may be split"), default=True)
    declared_value_cents = models.PositiveIntegerField(
        _("estimated value (cents)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000_000)],
    )
    # Kilograms not yet given to an accepted offer: the counter a conditional UPDATE claims
    # from, so two associations accepting the last kilograms at once get exactly one winner.
    # It always equals the lot's declared minus allocated kilograms in the ledger.
    kg_open = models.DecimalField(
        _("kg still available"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LotStatus.choices, default=LotStatus.OFFERED
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    series = models.ForeignKey(
        LotSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("recurring lot"),
    )
    occurrence_on = models.DateField(_("day of the occurrence"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(donor_organisation__isnull=False)
                | models.Q(donor_user__isnull=False),
                name="goods_lot_has_donor",
            ),
            models.CheckConstraint(
                condition=models.Q(kg_open__gte=0), name="goods_lot_never_over_allocated"
            ),
            # The series job creates each occurrence once, however often it runs.
            models.UniqueConstraint(
                fields=["series", "occurrence_on"], name="goods_one_lot_per_occurrence"
            ),
        ]
        indexes = [
            # "Lots near me": the cells around a point, among the open lots of a category.
            models.Index(fields=["cell", "status", "category"], name="goods_lot_near"),
            models.Index(fields=["status", "use_by"], name="goods_lot_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.weight_kg} kg · {self.pk}"

    @property
    def donor(self) -> Any:
        """Return who gives: the organisation, or else the person."""
        return self.donor_organisation or self.donor_user


class LotWindow(models.Model):
    """A time the lot can be collected."""

    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, related_name="windows", verbose_name=_("lot")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("pickup window")
        verbose_name_plural = _("pickup windows")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="goods_window_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%H:%M}"


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTIAL = "partial", _("Partly served")
    SERVED = "served", _("Served")
    CLOSED = "closed", _("Closed")


NEED_OPEN_STATUSES = (NeedStatus.OPEN, NeedStatus.PARTIAL)


class Need(PlaceFields):
    """What an association or an institution asks for, by when, and how far it can collect."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="goods_needs",
        verbose_name=_("association"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="needs", verbose_name=_("category")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    kg = models.PositiveIntegerField(
        _("kg wanted"), validators=[MinValueValidator(1), MaxValueValidator(int(MAX_KG))]
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("For equipment counted in pieces (masks, gowns); the kg still decide."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    by_date = models.DateField(_("needed by"))
    radius_km = models.DecimalField(
        _("collects within (km)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_RADIUS_KM)],
    )
    cold_storage = models.BooleanField(_("has cold storage"), default=False)
    # Kilograms still wanted; claimed by the same conditional UPDATE as the lot's.
    kg_open = models.PositiveIntegerField(_("kg still wanted"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kg_open__lte=models.F("kg")), name="goods_need_never_over_served"
            )
        ]
        indexes = [models.Index(fields=["cell", "status", "category"], name="goods_need_near")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.category} · {self.kg} kg"


class OfferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    PARTIAL = "partial", _("Partly accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class DeclineReason(models.TextChoices):
    TOO_FAR = "too_far", _("Too far to collect")
    NO_STORAGE = "no_storage", _("No room or no cold storage")
    NOT_NEEDED = "not_needed", _("Not needed any more")
    CANNOT_COLLECT = "cannot_collect", _("Nobody can collect in the window")
    QUALITY = "quality", _("Not suitable (date, quality)")
    OTHER = "other", _("Other reason")


class Offer(models.Model):
    """A proposal to give kilograms of a lot to a need; the association accepts or declines."""

    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="offers", verbose_name=_("lot")
    )
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="offers", verbose_name=_("need")
    )
    kg_proposed = models.PositiveIntegerField(
        _("kg proposed"), validators=[MinValueValidator(1), MaxValueValidator(int(MAX_KG))]
    )
    kg_accepted = models.PositiveIntegerField(_("kg accepted"), default=0)
    distance_km = models.DecimalField(_("distance (km)"), max_digits=7, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.PROPOSED
    )
    decline_reason = models.CharField(
        _("reason"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("details"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("answer before"), db_index=True)
    pickup = models.ForeignKey(
        "Pickup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("pickup"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("goods offer")
        verbose_name_plural = _("goods offers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kg_accepted__lte=models.F("kg_proposed")),
                name="goods_offer_accepts_at_most_proposed",
            )
        ]
        indexes = [models.Index(fields=["need", "status"], name="goods_offer_waiting")]

    def __str__(self) -> str:
        return f"{self.lot_id} → {self.need_id}: {self.kg_proposed} kg"


class PickupMode(models.TextChoices):
    SELF = "self", _("The association collects")
    DRIVER = "driver", _("A volunteer driver")
    ROUND = "round", _("A collection round")


class PickupStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COLLECTED = "collected", _("Collected")
    PARTIAL = "partial", _("Partly collected")
    MISSED = "missed", _("Did not happen")
    RECEIVED = "received", _("Received")


class Pickup(models.Model):
    """Accepted offers (of one donor's lots) collected in one slot, and what was taken."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="goods_pickups",
        verbose_name=_("association"),
    )
    mode = models.CharField(_("how"), max_length=10, choices=PickupMode.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=PickupStatus.choices, default=PickupStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("from"), db_index=True)
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The volunteer driver's transport request (help_requests), by reference: goods keeps no
    # foreign key into another domain's tables.
    transport_request_id = models.UUIDField(_("transport request"), null=True, blank=True)
    collection_round = models.ForeignKey(
        "CollectionRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stops",
        verbose_name=_("collection round"),
    )
    # The stop's place in the round's route (1 is visited first) and its planned arrival.
    round_position = models.PositiveSmallIntegerField(_("stop number"), null=True, blank=True)
    round_eta = models.DateTimeField(_("expected arrival"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("pickup")
        verbose_name_plural = _("pickups")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="goods_pickup_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.starts_at:%Y-%m-%d %H:%M}"


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CollectionRound(models.Model):
    """One vehicle's trip to several donors on one day; its stops are pickups in route order."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="goods_rounds",
        verbose_name=_("association"),
    )
    name = models.CharField(_("name"), max_length=120)
    day = models.DateField(_("day"), db_index=True)
    starts_at = models.DateTimeField(_("leaves at"))
    ends_at = models.DateTimeField(_("back by"))
    vehicle = models.CharField(_("vehicle"), max_length=120, blank=True)
    capacity_kg = models.DecimalField(
        _("capacity (kg)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE_KG,
    )
    capacity_m3 = models.DecimalField(
        _("capacity (m³)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    # Where the vehicle leaves from and comes back to (the association's depot).
    depot_lat = models.FloatField(_("depot latitude"))
    depot_lon = models.FloatField(_("depot longitude"))
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goods_rounds_driven",
        verbose_name=_("driver"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    # The planned route's length, depot to depot, as the route heuristic computed it.
    distance_km = models.DecimalField(
        _("distance (km)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("collection round")
        verbose_name_plural = _("collection rounds")
        ordering = ["day", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="goods_round_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.day:%Y-%m-%d}"


class RoundEvent(EventRecord):
    """One fact in a collection round's life."""

    subject_field = "collection_round"
    collection_round = models.ForeignKey(
        CollectionRound,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("collection round"),
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("round event")
        verbose_name_plural = _("round events")


def lot_photo_path(instance: "LotPhoto", filename: str) -> str:
    """Return where a lot's photo is stored: a random name, never the uploader's."""
    return f"goods/lots/{instance.lot_id}/{uuid.uuid4().hex}.jpg"


class LotPhoto(models.Model):
    """A photo of a lot, re-encoded on upload (no metadata kept), shown to associations."""

    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, related_name="photos", verbose_name=_("lot")
    )
    image = models.ImageField(
        _("photo"), upload_to=lot_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lot photo")
        verbose_name_plural = _("lot photos")
        ordering = ["lot", "position", "created_at"]

    def __str__(self) -> str:
        return f"{self.lot_id} · {self.position}"


class MovementKind(models.TextChoices):
    DECLARED = "declared", _("Declared")
    ALLOCATED = "allocated", _("Allocated")
    RELEASED = "released", _("Allocation released")
    COLLECTED = "collected", _("Collected")
    RECEIVED = "received", _("Received")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GoodsMovementQuerySet(models.QuerySet["GoodsMovement"]):
    """Bulk writes that would rewrite the ledger are refused like single ones."""

    def update(self, **kwargs: Any) -> NoReturn:
        """Refuse: the ledger is append-only."""
        raise ValueError("GoodsMovement is append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        """Refuse: the ledger is append-only."""
        raise ValueError("GoodsMovement is append-only")


class GoodsMovement(AppendOnlyModel):
    """One row of the goods ledger: kilograms of a lot at one stage; never changed or deleted.

    A lot's kilograms at a stage are the sum of its rows of that kind; a correction is a new
    row of the corrected row's kind, with the signed difference, a reason and a link to it.
    Released rows are negative: they give allocated kilograms back to the lot; withdrawn rows
    are negative too: kilograms no longer offered (the lot cancelled or past its date). So a
    lot's available kilograms (its `kg_open`) are (declared + withdrawn) − (allocated + released).
    """

    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="movements", verbose_name=_("lot")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="movements", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    kg = models.DecimalField(
        _("kg"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(-MAX_KG), MaxValueValidator(MAX_KG)],
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goods_movements",
        verbose_name=_("organisation concerned"),
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("offer"),
    )
    pickup = models.ForeignKey(
        Pickup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("pickup"),
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    objects = GoodsMovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("goods movement")
        verbose_name_plural = _("goods ledger")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(reason=""),
                name="goods_correction_has_reason",
            )
        ]
        indexes = [
            models.Index(fields=["lot", "kind"], name="goods_movement_lot"),
            models.Index(fields=["organisation", "created_at"], name="goods_movement_org"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.kg} kg · lot {self.lot_id}"


class LotEvent(EventRecord):
    """One fact in a lot's life."""

    subject_field = "lot"
    lot = models.ForeignKey(
        Lot, on_delete=models.CASCADE, related_name="events", verbose_name=_("lot")
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("lot event")
        verbose_name_plural = _("lot events")


class NeedEvent(EventRecord):
    """One fact in a need's life."""

    subject_field = "need"
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="events", verbose_name=_("need")
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("need event")
        verbose_name_plural = _("need events")


class OfferEvent(EventRecord):
    """One fact in an offer's life."""

    subject_field = "offer"
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="events", verbose_name=_("offer")
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("offer event")
        verbose_name_plural = _("offer events")


class PickupEvent(EventRecord):
    """One fact in a pickup's life."""

    subject_field = "pickup"
    pickup = models.ForeignKey(
        Pickup, on_delete=models.CASCADE, related_name="events", verbose_name=_("pickup")
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("pickup event")
        verbose_name_plural = _("pickup events")
