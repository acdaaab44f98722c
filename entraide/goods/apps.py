"""Goods: surplus lots, needs, their allocation, pickups and the goods ledger."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodsConfig(AppConfig):
    name = "entraide.goods"
    label = "goods"
    verbose_name = _("Goods")

    def ready(self) -> None:
        """Register the email kinds, the 'My organisations' section and the periodic jobs."""
        from datetime import timedelta

        from entraide.core.tasks import register_periodic_job
        from entraide.goods.emails import KINDS
        from entraide.goods.selectors import goods_organisations
        from entraide.notifications.registry import register
        from entraide.organisations import dashboard_sections

        register(*KINDS)
        # 'My organisations' links each donor's and association's goods pages.
        dashboard_sections.register(
            dashboard_sections.DashboardSection(
                name="goods",
                template="goods/_organisations_section.html",
                items=goods_organisations,
            )
        )
        register_periodic_job(
            "entraide.goods.jobs.generate_series_lots", interval=timedelta(hours=6)
        )
        register_periodic_job("entraide.goods.jobs.expire_offers", interval=timedelta(minutes=10))
        register_periodic_job("entraide.goods.jobs.expire_lots", interval=timedelta(minutes=30))
        register_periodic_job("entraide.goods.jobs.remind_pickups", interval=timedelta(minutes=30))
