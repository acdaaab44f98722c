"""Writes for goods: the one path used by the web, the API, the back office, commands, operators.

Every state change is a conditional UPDATE (of two people racing, exactly one wins) followed
by its ledger rows and events in the same transaction.
"""

from entraide.goods.services.ledger import movement_correct
from entraide.goods.services.lots import (
    lot_cancel,
    lot_declare,
    lot_expire,
    lot_series_create,
    series_occurrences,
)
from entraide.goods.services.needs import need_close, need_declare
from entraide.goods.services.offers import (
    allocation_propose,
    offer_accept,
    offer_decline,
    offer_expire,
)
from entraide.goods.services.photos import lot_photo_add, lot_photo_remove
from entraide.goods.services.pickups import pickup_confirm_receipt, pickup_plan, pickup_record
from entraide.goods.services.rounds import (
    round_assign_driver,
    round_cancel,
    round_plan,
    round_replan,
)

__all__ = [
    "allocation_propose",
    "lot_cancel",
    "lot_declare",
    "lot_expire",
    "lot_photo_add",
    "lot_photo_remove",
    "lot_series_create",
    "movement_correct",
    "need_close",
    "need_declare",
    "offer_accept",
    "offer_decline",
    "offer_expire",
    "pickup_confirm_receipt",
    "pickup_plan",
    "pickup_record",
    "round_assign_driver",
    "round_cancel",
    "round_plan",
    "round_replan",
    "series_occurrences",
]
