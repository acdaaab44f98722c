"""Goods: surplus lots, needs, their allocation, pickups and the goods ledger."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodsConfig(AppConfig):
    name = "entraide.goods"
    label = "goods"
    verbose_name = _("Goods")

    def ready(self) -> None:
        """Register this app's email kinds with the outbox and its periodic jobs."""
        from datetime import timedelta

        from entraide.core.tasks import register_periodic_job
        from entraide.goods.emails import KINDS
        from entraide.notifications.registry import register

        register(*KINDS)
        register_periodic_job(
            "entraide.goods.jobs.generate_series_lots", interval=timedelta(hours=6)
        )
        register_periodic_job("entraide.goods.jobs.expire_offers", interval=timedelta(minutes=10))
        register_periodic_job("entraide.goods.jobs.expire_lots", interval=timedelta(minutes=30))
        register_periodic_job("entraide.goods.jobs.remind_pickups", interval=timedelta(minutes=30))
