"""The vocabulary of help requests: how urgent (the kinds of help are core.vocabulary.HelpKind)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.core.vocabulary import HelpKind


class Urgency(models.TextChoices):
    # Ordered from most to least urgent; `URGENCY_RANK` sorts queues by it.
    WITHIN_HOURS = "within_hours", _("Within a few hours")
    TODAY = "today", _("Today")
    THIS_WEEK = "this_week", _("This week")
    FLEXIBLE = "flexible", _("Whenever possible")


URGENCY_RANK = {value: rank for rank, value in enumerate(Urgency.values)}


# What a requester (or an operator, or an API client) may ask for. Transport is left out: a
# volunteer driver for donated goods is asked for by the goods pages when a pickup is planned
# (goods.transport), which give the addresses and the slot a driver needs.
REQUESTED_KINDS = [
    (value, label) for value, label in HelpKind.choices if value != HelpKind.TRANSPORT
]
KIND_NOT_REQUESTED = _(
    "Choose one of the kinds of help offered. A volunteer driver for donated goods is asked "
    "for from the goods pages, when a pickup is planned."
)
