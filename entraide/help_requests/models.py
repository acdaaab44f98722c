"""A help request, its append-only history, and who was asked to take it."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.core.models import AppendOnlyModel, EventRecord, PlaceFields
from entraide.core.phones import hide_contact_details
from entraide.core.vocabulary import Channel, HelpKind
from entraide.help_requests.kinds import Urgency


def new_tracking_token() -> str:
    """Return an unguessable token for a requester's private tracking link."""
    return secrets.token_urlsafe(24)


class Status(models.TextChoices):
    NEW = "new", _("New")
    OFFERED = "offered", _("Offered to volunteers")
    TAKEN = "taken", _("Taken by a volunteer")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


OPEN_STATUSES = (Status.NEW, Status.OFFERED)
ACTIVE_STATUSES = (Status.NEW, Status.OFFERED, Status.TAKEN)
CLOSED_STATUSES = (Status.DONE, Status.CANCELLED, Status.EXPIRED)


class HelpRequestQuerySet(models.QuerySet["HelpRequest"]):
    """Named reads used by several selectors."""

    def open(self) -> "HelpRequestQuerySet":
        """Return requests nobody has taken yet."""
        return self.filter(status__in=OPEN_STATUSES)

    def active(self) -> "HelpRequestQuerySet":
        """Return requests that are not closed."""
        return self.filter(status__in=ACTIVE_STATUSES)


class HelpRequest(PlaceFields):
    """What a person needs, where, when, and how to reach them."""

    public_id = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    tracking_token = models.CharField(
        _("tracking token"), max_length=64, unique=True, default=new_tracking_token
    )
    kind = models.CharField(_("what is needed"), max_length=20, choices=HelpKind.choices)
    details = models.TextField(_("details"), blank=True, max_length=2000)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.TODAY
    )
    needed_on = models.DateField(_("needed on"), null=True, blank=True)
    when_note = models.CharField(_("when"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list)
    requester_name = models.CharField(_("name"), max_length=120)
    requester_phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    requester_email = models.EmailField(_("email"), blank=True)
    requester_language = models.CharField(
        _("language for messages"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    # A request is always somewhere: the town and the position are required.
    town = models.CharField(_("town"), max_length=120)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    cell = models.BigIntegerField(_("grid cell"), db_index=True)
    location_precision = models.CharField(_("location precision"), max_length=10, default="town")
    consent_at = models.DateTimeField(_("consent given at"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests_entered",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests_taken",
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_report = models.TextField(_("report"), blank=True, max_length=2000)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    wave = models.PositiveSmallIntegerField(_("notification wave"), default=0)
    next_wave_at = models.DateTimeField(_("next wave at"), null=True, blank=True, db_index=True)
    escalated_at = models.DateTimeField(
        _("sent to operators at"),
        null=True,
        blank=True,
        help_text=_("Set when no volunteer took the request after the last wave."),
    )
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    personal_data_purged_at = models.DateTimeField(
        _("personal data purged at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="taken") | models.Q(taken_by__isnull=False),
                name="help_request_taken_has_volunteer",
            ),
            # Once the retention period is over the contact details are blanked on purpose.
            models.CheckConstraint(
                condition=~models.Q(requester_phone="")
                | ~models.Q(requester_email="")
                | models.Q(personal_data_purged_at__isnull=False),
                name="help_request_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.town} · {self.public_id.hex[:8]}"

    @property
    def reference(self) -> str:
        """Return the short reference read out on the phone."""
        return self.public_id.hex[:8].upper()

    @property
    def is_open(self) -> bool:
        """Return True while nobody has taken the request."""
        return self.status in OPEN_STATUSES

    # What a volunteer who has not taken the request reads of its free text: contact details
    # the requester typed there are hidden (pages, API and offer emails all read these).
    @property
    def public_details(self) -> str:
        """Return the details with any phone number or email address hidden."""
        return hide_contact_details(self.details, self.country)

    @property
    def public_when_note(self) -> str:
        """Return the "when" note with any phone number or email address hidden."""
        return hide_contact_details(self.when_note, self.country)


class HelpRequestEvent(EventRecord):
    """One fact in a request's life: who did what, when, through which channel, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        WAVE_SENT = "wave_sent", _("Volunteers notified")
        ESCALATED = "escalated", _("Sent to the operators' queue")
        TAKEN = "taken", _("Taken")
        ASSIGNED = "assigned", _("Assigned by an operator")
        RELEASED = "released", _("Given back")
        DONE = "done", _("Marked done")
        CONFIRMED = "confirmed", _("Confirmed by the requester")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        UPDATED = "updated", _("Details changed")
        TOKEN_REVOKED = "token_revoked", _("Tracking link replaced")
        PURGED = "purged", _("Personal data purged")

    subject_field = "help_request"

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices, blank=True)
    # A request's every change says how it was made (its history is read by the phone team).
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)

    class Meta(EventRecord.Meta):
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Offer(models.Model):
    """A volunteer who was asked to take a request, in which wave, and at what distance."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="offers", verbose_name=_("request")
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("volunteer"),
    )
    wave = models.PositiveSmallIntegerField(_("wave"))
    distance_km = models.FloatField(_("distance (km)"))
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["help_request", "volunteer"], name="offer_once_per_volunteer"
            )
        ]
        indexes = [models.Index(fields=["volunteer", "created_at"])]

    def __str__(self) -> str:
        return f"{self.help_request_id} → {self.volunteer_id} (wave {self.wave})"


class RequestView(AppendOnlyModel):
    """A volunteer opened a request's page before taking it (at most one row an hour)."""

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="views", verbose_name=_("request")
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="request_views",
        verbose_name=_("viewer"),
    )
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("request view")
        verbose_name_plural = _("request views")
        ordering = ["-viewed_at", "-id"]
        indexes = [models.Index(fields=["viewer", "viewed_at"])]

    def __str__(self) -> str:
        return f"{self.help_request_id} ← {self.viewer_id}"
