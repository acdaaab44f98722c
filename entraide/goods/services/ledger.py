"""Corrections of the goods ledger: a new row with the difference, never a changed one."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, PermissionDeniedError, clean_reason
from entraide.goods import permissions
from entraide.goods.models import GoodsMovement, Lot, MovementKind
from entraide.goods.selectors import lot_totals, offer_totals
from entraide.goods.services._common import move

# Allocations change only through offers and pickups, which keep the needs' counts right.
CORRECTABLE = (MovementKind.DECLARED, MovementKind.COLLECTED, MovementKind.RECEIVED)


def _in_order(totals: dict[str, Decimal], *, of_lot: bool) -> bool:
    """Return True when no stage holds more kilograms than the one before it.

    An offer's rows start at its allocation; a lot's start at what was declared.
    """
    on_offer = totals[MovementKind.DECLARED] + totals[MovementKind.WITHDRAWN]
    allocated = totals[MovementKind.ALLOCATED] + totals[MovementKind.RELEASED]
    collected, received = totals[MovementKind.COLLECTED], totals[MovementKind.RECEIVED]
    available_ok = on_offer - allocated >= 0 or not of_lot
    return available_ok and allocated >= collected >= received >= 0


@transaction.atomic
def movement_correct(
    *, movement: GoodsMovement, kg: Decimal | str, reason: str, actor: User | None, channel: str
) -> GoodsMovement:
    """Correct a ledger row by `kg` (signed: -5 for five kilograms fewer), with a reason."""
    lot = Lot.objects.select_for_update().get(pk=movement.lot_id)
    allowed = permissions.is_goods_staff(actor) or (
        permissions.can_act_for(actor, movement.organisation)
        if movement.organisation is not None
        else permissions.can_manage_lot(actor, lot)
    )
    if not allowed:
        raise PermissionDeniedError(_("Only staff or the organisation concerned can correct this."))
    if movement.kind not in CORRECTABLE:
        raise ConflictError(
            _("An allocation changes through its offer or its pickup, not by a correction.")
        )
    try:
        delta = Decimal(str(kg))
    except InvalidOperation:
        delta = Decimal("0")
    if delta == 0 or delta != round(delta, 2) or not delta.is_finite():
        raise ValidationError({"kg": [_("Give the difference in kg, like -2.5 or 3.")]})
    reason = clean_reason(reason, missing=_("Say why this row is corrected."))
    # The stages must stay in order for the lot and for the offer the row belongs to: a
    # correction of one offer's collected kilograms may not borrow another offer's allocation.
    scopes = [(lot_totals(lot), True)]
    if movement.offer_id is not None:
        scopes.append((offer_totals(movement.offer_id), False))
    for totals, of_lot in scopes:
        totals[movement.kind] += delta
        if not _in_order(totals, of_lot=of_lot):
            raise ValidationError(
                {
                    "kg": [
                        _("This correction would leave more goods counted further on than before.")
                    ]
                }
            )
    row = move(
        lot,
        movement.kind,
        delta,
        actor=actor,
        channel=channel,
        organisation=movement.organisation,
        offer=movement.offer,
        pickup=movement.pickup,
        corrects=movement,
        reason=reason,
    )
    if movement.kind == MovementKind.DECLARED:
        Lot.objects.filter(pk=lot.pk).update(kg_open=F("kg_open") + delta)
    return row
