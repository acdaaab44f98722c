"""The vocabulary of help requests: what kind of help, how urgent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HelpKind(models.TextChoices):
    GROCERIES = "groceries", _("Groceries")
    PHARMACY = "pharmacy", _("Pharmacy")
    MEAL = "meal", _("A meal")
    PHONE_CALL = "phone_call", _("A friendly phone call")
    ERRAND = "errand", _("An errand")
    NURSING_HOME = "nursing_home", _("Help at a nursing home")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    # Ordered from most to least urgent; `URGENCY_RANK` sorts queues by it.
    WITHIN_HOURS = "within_hours", _("Within a few hours")
    TODAY = "today", _("Today")
    THIS_WEEK = "this_week", _("This week")
    FLEXIBLE = "flexible", _("Whenever possible")


URGENCY_RANK = {value: rank for rank, value in enumerate(Urgency.values)}
