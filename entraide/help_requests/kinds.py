"""The vocabulary of help requests: how urgent (the kinds of help are core.vocabulary.HelpKind)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    # Ordered from most to least urgent; `URGENCY_RANK` sorts queues by it.
    WITHIN_HOURS = "within_hours", _("Within a few hours")
    TODAY = "today", _("Today")
    THIS_WEEK = "this_week", _("This week")
    FLEXIBLE = "flexible", _("Whenever possible")


URGENCY_RANK = {value: rank for rank, value in enumerate(Urgency.values)}
