"""Receipts: who issues them, their gapless numbering, the receipts themselves and their history."""

from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.core.models import EventRecord
from entraide.core.vocabulary import Channel
from entraide.organisations.models import Organisation

# A receipt's value, in cents: a gift of a million euros at most keeps sums in their column.
MAX_VALUE_CENTS = 100_000_000


class Regime(models.TextChoices):
    """What an association may issue for a gift, by its country's law."""

    FR_GENERAL_INTEREST = (
        "fr_cgi_200_238",
        _("France: organisation of general interest (articles 200 and 238 bis of the CGI)"),
    )
    BE_ACKNOWLEDGEMENT = (
        "be_acknowledgement",
        _("Belgium: acknowledgement of a gift in kind (no tax reduction)"),
    )
    NONE = "none", _("Not eligible: no receipts")


# The regimes an association of each country may choose.
REGIMES_BY_COUNTRY = {
    "FR": (Regime.FR_GENERAL_INTEREST, Regime.NONE),
    "BE": (Regime.BE_ACKNOWLEDGEMENT, Regime.NONE),
}


class IssuerProfile(models.Model):
    """What an association's receipts say about it: its legal identity, regime and signatory."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="receipt_issuer",
        verbose_name=_("organisation"),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=12)
    town = models.CharField(_("town"), max_length=120)
    country = models.CharField(
        _("country"), max_length=2, choices=[("FR", _("France")), ("BE", _("Belgium"))]
    )
    registration_number = models.CharField(
        _("SIREN or enterprise number"),
        max_length=20,
        help_text=_("France: SIREN, 9 digits. Belgium: enterprise number, 10 digits."),
    )
    purpose = models.TextField(
        _("object of the organisation"),
        max_length=1000,
        help_text=_("As its statutes state it; printed on every receipt."),
    )
    regime = models.CharField(_("tax regime"), max_length=20, choices=Regime.choices)
    signatory_name = models.CharField(_("signatory's name"), max_length=120)
    signatory_role = models.CharField(_("signatory's role"), max_length=120)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("receipt issuer")
        verbose_name_plural = _("receipt issuers")

    def __str__(self) -> str:
        return self.legal_name


class ReceiptSequence(models.Model):
    """The last number an issuer gave in a year: locked while the next receipt is written."""

    issuer = models.ForeignKey(
        IssuerProfile,
        on_delete=models.PROTECT,
        related_name="sequences",
        verbose_name=_("receipt issuer"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt numbering")
        verbose_name_plural = _("receipt numberings")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="receipts_one_sequence_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year}: {self.last_number}"


class Nature(models.TextChoices):
    IN_KIND = "in_kind", _("Gift in kind")
    MONEY = "money", _("Gift of money")


class DonorKind(models.TextChoices):
    COMPANY = "company", _("A company or an organisation")
    PERSON = "person", _("A person")


class ReceiptQuerySet(models.QuerySet["Receipt"]):
    """A receipt is never deleted: a mistaken one is cancelled and keeps its number."""

    def delete(self) -> NoReturn:  # type: ignore[override]
        """Refuse: receipts are kept, numbered."""
        raise ValueError("Receipts are never deleted")


class Receipt(models.Model):
    """One numbered receipt for one gift: what it said the day it was issued, never edited.

    The issuer's and the donor's identities are copied in, so that a later change of address
    does not change a receipt already given. A gift comes from a source another app names
    (`source_kind`, `source_id`): goods' received pickups now, money gifts later.
    """

    issuer = models.ForeignKey(
        IssuerProfile,
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("receipt issuer"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    issuer_name = models.CharField(_("legal name"), max_length=200)
    issuer_address = models.CharField(_("address"), max_length=400)
    issuer_country = models.CharField(_("country"), max_length=2)
    issuer_registration_number = models.CharField(_("SIREN or enterprise number"), max_length=20)
    issuer_purpose = models.TextField(_("object of the organisation"), max_length=1000)
    regime = models.CharField(_("tax regime"), max_length=20, choices=Regime.choices)
    signatory_name = models.CharField(_("signatory's name"), max_length=120)
    signatory_role = models.CharField(_("signatory's role"), max_length=120)
    donor_kind = models.CharField(_("donor"), max_length=10, choices=DonorKind.choices)
    donor_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gift_receipts",
        verbose_name=_("donor organisation"),
    )
    donor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gift_receipts",
        verbose_name=_("donor (a person)"),
    )
    donor_name = models.CharField(_("donor's name"), max_length=200)
    donor_address = models.CharField(_("donor's address"), max_length=400, blank=True)
    donor_registration_number = models.CharField(
        _("donor's SIREN or enterprise number"), max_length=40, blank=True
    )
    language = models.CharField(_("language"), max_length=2, default="fr")
    nature = models.CharField(_("nature of the gift"), max_length=10, choices=Nature.choices)
    gift_date = models.DateField(_("date of the gift"))
    value_cents = models.PositiveIntegerField(
        _("value (cents)"),
        validators=[MaxValueValidator(MAX_VALUE_CENTS)],
        help_text=_("For goods, the valuation the donor declared."),
    )
    source_kind = models.CharField(_("source"), max_length=30)
    source_id = models.CharField(_("source id"), max_length=40)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    # Random, never sequential: knowing one receipt's link tells nothing about another's.
    token = models.CharField(_("verification token"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("gift receipt")
        verbose_name_plural = _("gift receipts")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"], name="receipts_one_number_per_issuer_year"
            ),
            # One live receipt per gift: a second issue at the same moment fails here too.
            models.UniqueConstraint(
                fields=["source_kind", "source_id"],
                condition=models.Q(cancelled_at__isnull=True),
                name="receipts_one_live_receipt_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(cancelled_at__isnull=True) | ~models.Q(cancel_reason=""),
                name="receipts_cancellation_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["donor_organisation", "year"], name="receipts_donor_org"),
            models.Index(fields=["donor_user", "year"], name="receipts_donor_user"),
        ]

    def __str__(self) -> str:
        return self.reference

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        """Refuse: receipts are kept, numbered."""
        raise ValueError("Receipts are never deleted")

    @property
    def reference(self) -> str:
        """Return the printed number, like 2026-000042."""
        return f"{self.year}-{self.number:06d}"

    @property
    def is_cancelled(self) -> bool:
        """Return True once the receipt was cancelled."""
        return self.cancelled_at is not None

    @property
    def is_tax_receipt(self) -> bool:
        """Return True for a French receipt that gives the donor a tax reduction."""
        return self.regime == Regime.FR_GENERAL_INTEREST

    @property
    def tax_article(self) -> str:
        """Return the CGI article the French receipt ticks: 238 bis for companies, 200 else."""
        if not self.is_tax_receipt:
            return ""
        return "238 bis" if self.donor_kind == DonorKind.COMPANY else "200"


class ReceiptLine(models.Model):
    """One category of a gift in kind: its kilograms and the value the donor declared."""

    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="lines", verbose_name=_("gift receipt")
    )
    description = models.CharField(_("description"), max_length=200)
    kg = models.DecimalField(_("kg"), max_digits=10, decimal_places=2, null=True, blank=True)
    value_cents = models.PositiveIntegerField(
        _("value (cents)"), validators=[MaxValueValidator(MAX_VALUE_CENTS)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        ordering = ["receipt", "position"]

    def __str__(self) -> str:
        return f"{self.receipt_id} · {self.description}"


class ReceiptEvent(EventRecord):
    """One fact in a receipt's life: issued, sent, cancelled."""

    subject_field = "receipt"
    receipt = models.ForeignKey(
        Receipt, on_delete=models.CASCADE, related_name="events", verbose_name=_("gift receipt")
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("receipt event")
        verbose_name_plural = _("receipt events")
