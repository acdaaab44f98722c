"""The REST API: thin views over the same services as the web pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "entraide.api"
    label = "api"
    verbose_name = _("API")
