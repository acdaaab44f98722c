"""Calls logged by operators and the call-backs they schedule."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Call(models.Model):
    """One phone call, in or out, with its outcome."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("Incoming")
        OUTBOUND = "out", _("Outgoing")

    class Outcome(models.TextChoices):
        NEW_REQUEST = "new_request", _("New request entered")
        FOLLOW_UP = "follow_up", _("Follow-up of a request")
        CONFIRMED = "confirmed", _("Help confirmed as done")
        CANCELLED = "cancelled", _("Request cancelled")
        LISTENING = "listening", _("Listening, no request")
        INFORMATION = "information", _("Information given")
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        OTHER = "other", _("Other")

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("operator"),
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    help_request = models.ForeignKey(
        "help_requests.HelpRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("request"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class Callback(models.Model):
    """A call an operator promised to make, and when."""

    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    help_request = models.ForeignKey(
        "help_requests.HelpRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callbacks",
        verbose_name=_("request"),
    )
    due_at = models.DateTimeField(_("call back at"), db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="callbacks_created",
        verbose_name=_("scheduled by"),
    )
    source_call = models.ForeignKey(
        Call, on_delete=models.SET_NULL, null=True, blank=True, related_name="callbacks"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callbacks_done",
        verbose_name=_("done by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.due_at:%Y-%m-%d %H:%M}"
