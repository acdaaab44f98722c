"""Goods: surplus lots, needs, their allocation, pickups and the goods ledger."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodsConfig(AppConfig):
    name = "entraide.goods"
    label = "goods"
    verbose_name = _("Goods")

    def ready(self) -> None:
        """Register this app's email kinds with the outbox."""
        from entraide.goods.emails import KINDS
        from entraide.notifications.registry import register

        register(*KINDS)
