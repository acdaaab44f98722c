"""Missions, their time slots, volunteers' applications and confirmed participations."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.core.models import EventRecord, PlaceFields
from entraide.organisations.models import Organisation


class Theme(models.TextChoices):
    SENIORS = "seniors", _("Seniors")
    HOMELESS = "homeless", _("Homeless people")
    HEALTH_WORKERS = "health_workers", _("Health workers")
    FOOD = "food", _("Local farmers and food")
    CHILDREN = "children", _("Children and schooling")
    EMPLOYMENT = "employment", _("Employment")
    OTHER = "other", _("Other")


class Mission(PlaceFields):
    """Something an organisation needs volunteers for, on site or remote."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        FULL = "full", _("Full")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="missions",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=10000)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    is_remote = models.BooleanField(_("remote"), default=False)
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    background_check_required = models.BooleanField(_("background check required"), default=False)
    practical_information = models.TextField(
        _("practical information"),
        blank=True,
        max_length=5000,
        help_text=_("Shown to accepted volunteers only."),
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # Company-internal missions (like La Poste's reinforcement shifts) are seen only by
    # the employees of the organisation that posted them.
    is_internal = models.BooleanField(_("internal to the company"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="missions_created",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_remote=True) | ~models.Q(town=""),
                name="mission_on_site_has_town",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MissionSlot(models.Model):
    """One time slot of a mission and how many volunteers it takes."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="slots", verbose_name=_("mission")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("volunteers needed"), default=1)
    accepted_count = models.PositiveSmallIntegerField(_("volunteers accepted"), default=0)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_count__lte=models.F("capacity")),
                name="slot_never_over_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="slot_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        """Return how many volunteers can still be accepted."""
        return max(0, self.capacity - self.accepted_count)


class Application(models.Model):
    """A volunteer's application to one slot of a mission."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        WAITLISTED = "waitlisted", _("On the waiting list")

    slot = models.ForeignKey(
        MissionSlot, on_delete=models.CASCADE, related_name="applications", verbose_name=_("slot")
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("volunteer"),
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "volunteer"], name="one_application_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.slot}"


class Participation(models.Model):
    """Hours an accepted volunteer actually gave, confirmed by the organisation."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="participation",
        verbose_name=_("application"),
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24),
                name="participation_hours_between_0_and_24",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.hours} h"


class MissionEvent(EventRecord):
    """One fact in a mission's life (status changes, applications, confirmations)."""

    subject_field = "mission"

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="events", verbose_name=_("mission")
    )

    class Meta(EventRecord.Meta):
        verbose_name = _("mission event")
        verbose_name_plural = _("mission events")


class MissionTemplate(models.Model):
    """A reusable mission description of an organisation, copied into new missions' forms."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="mission_templates",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    # The mission's fields by name (title, description, place, skills...), as the form takes them.
    fields = models.JSONField(_("fields"), default=dict)
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
        verbose_name = _("mission template")
        verbose_name_plural = _("mission templates")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="mission_template_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SavedSearch(models.Model):
    """Catalogue filters a volunteer named, mailed to them daily when new missions match."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("volunteer"),
    )
    name = models.CharField(_("name"), max_length=80)
    # The catalogue's query parameters (words, theme, where, town, radius, skills).
    params = models.JSONField(_("filters"), default=dict, blank=True)
    # The town's position, looked up once when saving so the daily job needs no geocoder.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    is_active = models.BooleanField(_("emails on"), default=True)
    last_digest_at = models.DateTimeField(_("last digest at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """A certificate of the hours a volunteer gave one organisation, checkable by its code."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteering_certificates",
        verbose_name=_("volunteer"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("organisation"),
    )
    # Random (secrets), never sequential: knowing one code tells nothing about another.
    code = models.CharField(_("verification code"), max_length=12, unique=True)
    # The total the certificate states; more hours later make a new certificate and code.
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    issued_on = models.DateField(_("issued on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "organisation", "hours"], name="one_certificate_per_total"
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="certificate_has_hours"),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        """Return the code in groups of four, as printed (ABCD-EFGH-JKMN)."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
