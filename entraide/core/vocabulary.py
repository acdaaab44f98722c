"""The vocabulary every domain shares: languages, channels a write comes through, kinds of help.

HelpKind is shared because volunteers offer the kinds that requests ask for.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    ARABIC = "ar", _("Arabic")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    PORTUGUESE = "pt", _("Portuguese")
    TURKISH = "tr", _("Turkish")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone line")
    API = "api", _("API")
    BACKOFFICE = "backoffice", _("Back office")
    COMMAND = "command", _("Command line")
    EMAIL = "email", _("Email link")
    SYSTEM = "system", _("Automatic")


class HelpKind(models.TextChoices):
    GROCERIES = "groceries", _("Groceries")
    PHARMACY = "pharmacy", _("Pharmacy")
    MEAL = "meal", _("A meal")
    PHONE_CALL = "phone_call", _("A friendly phone call")
    ERRAND = "errand", _("An errand")
    NURSING_HOME = "nursing_home", _("Help at a nursing home")
    # A volunteer driver collects donated goods for an association (the goods issue).
    TRANSPORT = "transport", _("Transport of goods for an association")
    OTHER = "other", _("Other")
