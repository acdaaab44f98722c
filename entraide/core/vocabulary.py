"""The vocabulary every domain shares: languages people speak, channels a write comes through."""

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
