"""The goods ledger is append-only; the catalogue is seeded and named in the reader's language."""

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import translation

from entraide.goods.models import Category, GoodsMovement, MovementKind
from entraide.goods.tests.factories import LotFactory, category

pytestmark = pytest.mark.django_db


def _movement() -> GoodsMovement:
    lot = LotFactory.create()
    return GoodsMovement.objects.create(
        lot=lot, category=lot.category, kind=MovementKind.DECLARED, kg=Decimal("40")
    )


def test_it_refuses_to_change_a_ledger_row():
    movement = _movement()
    movement.kg = Decimal("1")

    with pytest.raises(ValueError, match="append-only"):
        movement.save()


def test_it_refuses_to_delete_a_ledger_row():
    movement = _movement()

    with pytest.raises(ValueError, match="append-only"):
        movement.delete()
    assert GoodsMovement.objects.filter(pk=movement.pk).exists()


def test_it_refuses_bulk_updates_and_deletes_of_the_ledger():
    movement = _movement()

    with pytest.raises(ValueError, match="append-only"):
        GoodsMovement.objects.filter(pk=movement.pk).update(kg=Decimal("0"))
    with pytest.raises(ValueError, match="append-only"):
        GoodsMovement.objects.all().delete()
    assert GoodsMovement.objects.get(pk=movement.pk).kg == Decimal("40")


def test_it_refuses_a_correction_without_a_reason():
    movement = _movement()

    with pytest.raises(IntegrityError):
        GoodsMovement.objects.create(
            lot=movement.lot,
            category=movement.category,
            kind=movement.kind,
            kg=Decimal("-5"),
            corrects=movement,
        )


def test_it_refuses_a_lot_without_a_donor():
    with pytest.raises(IntegrityError):
        LotFactory.create(donor_organisation=None, donor_user=None)


def test_it_seeds_the_catalogue_with_food_factors():
    fresh = category("fresh_food")
    frozen = category("frozen")

    assert Category.objects.count() >= 11
    assert fresh.meal_factor_per_kg == Decimal("2")
    assert category("textile").meal_factor_per_kg == Decimal("0")
    assert frozen.needs_cold and not fresh.needs_cold
    assert fresh.co2_method


@pytest.mark.parametrize(
    ("language", "name"), [("fr", "Surgelés"), ("nl", "Diepvriesproducten"), ("en", "Frozen food")]
)
def test_it_names_a_category_in_the_active_language(language, name):
    with translation.override(language):
        assert str(category("frozen")) == name
