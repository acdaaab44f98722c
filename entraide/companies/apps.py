"""Companies: employees, volunteering on work time, company top-ups and the company dashboard."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "entraide.companies"
    label = "companies"
    verbose_name = _("Companies")
