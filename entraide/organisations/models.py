"""Organisations, the territories moderators look after, and who belongs to what."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.core.models import EventRecord, PlaceFields
from entraide.core.phones import display_phone, normalise_phone


def default_time_zone() -> str:
    """Return the deployment's time zone, the default of a new territory."""
    return settings.TIME_ZONE


def validate_time_zone(name: str) -> None:
    """Refuse a name the IANA time zone database does not know (e.g. "Paris")."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(name)s” is not a time zone; use a name like Europe/Brussels."),
            params={"name": name},
            code="invalid_time_zone",
        ) from exc


class Territory(models.Model):
    """An area a deployment serves (a region, a city); moderators verify organisations in it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    country = models.CharField(_("country"), max_length=2)
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Every time on the site and in emails is shown in it, e.g. Europe/Paris."),
    )
    phone_line = models.CharField(
        _("phone line"),
        max_length=20,
        blank=True,
        help_text=_("The number requesters call for help; empty: the site's default."),
    )
    phone_hours = models.CharField(
        _("phone line's opening hours"),
        max_length=120,
        blank=True,
        help_text=_("Shown after the number, e.g. Monday to Friday, 8:00 to 20:00."),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_territories",
        verbose_name=_("moderators"),
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Check the phone line with the territory's numbering plan and store it in E.164."""
        if self.phone_line:
            try:
                self.phone_line = normalise_phone(self.phone_line, self.country or None)
            except ValidationError as exc:
                raise ValidationError({"phone_line": exc.messages}) from exc

    @property
    def phone_line_display(self) -> str:
        """Return the phone line written for reading aloud (+32 2 555 00 00)."""
        return display_phone(self.phone_line)

    @property
    def zone(self) -> ZoneInfo:
        """Return the territory's time zone (the deployment's if the stored one is unknown)."""
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)


class Organisation(PlaceFields):
    """An association, a hospital or nursing home, a town hall, or a company."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        HEALTH_FACILITY = "health_facility", _("Health facility (hospital, nursing home)")
        PUBLIC_BODY = "public_body", _("Public body (town hall)")
        COMPANY = "company", _("Company")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address of the public page"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    registration_number = models.CharField(
        _("registration number"),
        max_length=40,
        blank=True,
        help_text=_("Company or association number (BCE/KBO, SIREN, RNA)."),
    )
    # An organisation always names its town; nothing searches organisations by distance.
    town = models.CharField(_("town"), max_length=120)
    cell = None
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("territory"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def can_publish(self) -> bool:
        """Return True when a moderator verified the organisation and it is not suspended."""
        return self.status == self.Status.VERIFIED


class Membership(models.Model):
    """A person who acts for an organisation, with their role."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        MISSION_MANAGER = "mission_manager", _("Mission manager")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_contact = models.BooleanField(_("public contact person"), default=False)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="one_membership_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


class OrganisationEvent(EventRecord):
    """One fact in an organisation's life: created, verified, rejected, suspended, member added."""

    subject_field = "organisation"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("organisation"),
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")


class InvitationFields(models.Model):
    """What every emailed invitation keeps: a hashed token, its expiry and how it ended."""

    email = models.EmailField(_("email address"))
    token_hash = models.CharField(_("token fingerprint"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class Invitation(InvitationFields):
    """An emailed link that lets a person join an organisation with a role.

    Only a hash of the token is stored: a leaked database does not hand out memberships.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        """Return True while nobody accepted or cancelled it (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None
