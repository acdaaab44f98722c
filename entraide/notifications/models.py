"""The outbox: every message is a row first, so a crashed worker loses nothing."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    """Reads of the outbox."""

    def about(self, subject: models.Model) -> "NotificationQuerySet":
        """Return the messages about this object (a request, a mission…)."""
        return self.filter(
            about_type=ContentType.objects.get_for_model(subject), about_id=subject.pk
        )


class Notification(models.Model):
    """One message to one person, rendered in their language when it is delivered."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        DIGEST = "digest", _("Waiting for the daily digest")
        DIGESTED = "digested", _("Sent in a daily digest")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent (preferences)")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # Requesters have no account: their address and language are stored on the row.
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    template = models.CharField(_("template"), max_length=80)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # The same business fact never produces two messages: callers pass a stable key.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    # What the message is about, in any domain; the domain's email kind reads it back.
    about_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about (type)"),
    )
    about_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # Set when a worker claims the row; a "sending" row with an old claim belongs to a
    # worker that crashed and may be claimed again.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["about_type", "about_id"], name="notification_about")]

    def __str__(self) -> str:
        return f"{self.template} → {self.to_email} ({self.status})"
