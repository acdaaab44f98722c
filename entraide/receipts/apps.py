"""Receipts: numbered gift receipts and donors' yearly statements."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "entraide.receipts"
    label = "receipts"
    verbose_name = _("Gift receipts")

    def ready(self) -> None:
        """Register the email kinds and the 'My organisations' section."""
        from entraide.notifications.registry import register
        from entraide.organisations import dashboard_sections
        from entraide.receipts.emails import KINDS
        from entraide.receipts.selectors import receipt_organisations

        register(*KINDS)
        # 'My organisations' links an association's receipts and a donor's statements.
        dashboard_sections.register(
            dashboard_sections.DashboardSection(
                name="receipts",
                template="receipts/_organisations_section.html",
                items=receipt_organisations,
            )
        )
