"""Points: creating one, its hours and exceptions, closing and reopening, its fill level."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.dropoff import services
from entraide.dropoff.models import DropoffPoint, DropoffPointEvent, FillLevel, PointStatus
from entraide.goods.tests.factories import category

pytestmark = pytest.mark.django_db
MONDAY_NOON_PARIS = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def _create(organisation, territory, actor, **changes):
    values = {
        "organisation": organisation,
        "territory": territory,
        "name": "Boutique solidaire",
        "address": "3 rue Oberkampf",
        "postcode": "75011",
        "town": "Paris",
        "country": "FR",
        "categories": [category("books")],
        "actor": actor,
        "channel": "web",
        **changes,
    }
    return services.point_create(**values)


def test_a_host_opens_a_point_at_a_geocoded_address(point, hana):
    assert point.has_position and point.cell is not None
    assert point.country == "FR"
    assert [c.code for c in point.categories.all()] == ["textile"]
    event = DropoffPointEvent.objects.get(point=point)
    assert (event.kind, event.actor, event.data) == ("created", hana, {"categories": ["textile"]})


def test_an_address_that_cannot_be_geocoded_is_refused_and_nothing_is_saved(mairie, paris, hana):
    with pytest.raises(ValidationError) as refused:
        _create(mairie, paris, hana, town="Nowhereville", categories=[])
    assert set(refused.value.message_dict) == {"town", "categories"}
    assert not DropoffPoint.objects.exists()


def test_a_stranger_cannot_open_a_point_for_an_organisation(mairie, paris, eve):
    with pytest.raises(PermissionDeniedError):
        _create(mairie, paris, eve)
    assert not DropoffPoint.objects.exists()


def test_staff_open_a_point_for_any_organisation(mairie, paris, staff):
    assert _create(mairie, paris, staff).organisation == mairie


def test_weekly_hours_with_two_ranges_a_day_decide_whether_it_is_open(point, hana):
    services.point_set_hours(
        point=point,
        weekly=[(0, time(9), time(12)), (0, time(14), time(18)), (2, time(10), time(17))],
        actor=hana,
        channel="web",
    )
    point = DropoffPoint.objects.get(pk=point.pk)
    assert not point.is_open_at(MONDAY_NOON_PARIS)  # 12:00 local, the lunch break
    assert point.is_open_at(MONDAY_NOON_PARIS.replace(hour=12, minute=30))  # 14:30 local
    assert not point.is_open_at(datetime(2026, 6, 2, 12, 30, tzinfo=UTC))  # Tuesday
    assert point.events.last().data == {"0": ["09:00-12:00", "14:00-18:00"], "2": ["10:00-17:00"]}


def test_overlapping_or_backwards_ranges_are_refused_and_the_old_hours_kept(point, hana):
    services.point_set_hours(
        point=point, weekly=[(0, time(9), time(12))], actor=hana, channel="web"
    )
    with pytest.raises(ValidationError) as refused:
        services.point_set_hours(
            point=point,
            weekly=[(0, time(9), time(12)), (0, time(11), time(13)), (3, time(18), time(9))],
            actor=hana,
            channel="web",
        )
    assert set(refused.value.message_dict) == {"weekday_0", "weekday_3"}
    assert "overlap" in refused.value.message_dict["weekday_0"][0]
    assert [(r.weekday, r.opens) for r in point.opening_ranges.all()] == [(0, time(9))]


def test_a_holiday_closes_the_day_and_special_hours_replace_it(point, hana):
    services.point_set_hours(
        point=point, weekly=[(0, time(9), time(18))], actor=hana, channel="web"
    )
    services.point_add_exception(
        point=point, on_date=date(2026, 6, 1), label="Lundi de Pentecôte", actor=hana, channel="web"
    )
    point = DropoffPoint.objects.get(pk=point.pk)
    assert not point.is_open_at(MONDAY_NOON_PARIS)
    services.point_add_exception(
        point=point,
        on_date=date(2026, 6, 1),
        ranges=[(time(11), time(13))],
        actor=hana,
        channel="web",
    )
    point = DropoffPoint.objects.get(pk=point.pk)
    assert point.is_open_at(MONDAY_NOON_PARIS)  # 12:00 local, inside the special hours
    assert not point.is_open_at(MONDAY_NOON_PARIS.replace(hour=8))  # 10:00, before them
    assert point.opening_exceptions.count() == 1


def test_a_temporary_closure_closes_it_until_its_date_then_the_hours_apply(point, hana):
    services.point_set_hours(
        point=point, weekly=[(d, time(9), time(18)) for d in range(7)], actor=hana, channel="web"
    )
    services.point_close(
        point=point,
        reason="Travaux",
        until=date(2026, 6, 2),
        today=date(2026, 6, 1),
        actor=hana,
        channel="web",
    )
    point = DropoffPoint.objects.get(pk=point.pk)
    assert point.status == PointStatus.CLOSED
    assert not point.is_open_at(MONDAY_NOON_PARIS)
    assert not point.is_open_at(datetime(2026, 6, 2, 10, tzinfo=UTC))
    assert point.is_open_at(datetime(2026, 6, 3, 10, tzinfo=UTC))
    services.point_reopen(point=point, actor=hana, channel="web")
    point = DropoffPoint.objects.get(pk=point.pk)
    assert point.is_open_at(MONDAY_NOON_PARIS)
    assert (point.closed_reason, point.closed_until) == ("", None)
    assert [e.kind for e in point.events.all()] == ["created", "hours_set", "closed", "reopened"]


def test_a_closure_needs_a_reason_and_a_date_not_in_the_past(point, hana):
    with pytest.raises(ValidationError) as refused:
        services.point_close(
            point=point,
            reason=" ",
            until=date(2026, 5, 1),
            today=date(2026, 6, 1),
            actor=hana,
            channel="web",
        )
    assert set(refused.value.message_dict) == {"reason", "until"}
    assert DropoffPoint.objects.get(pk=point.pk).status == PointStatus.OPEN


def test_reopening_an_open_point_is_a_conflict(point, hana):
    with pytest.raises(ConflictError):
        services.point_reopen(point=point, actor=hana, channel="web")


def test_a_host_sets_the_fill_level_and_a_full_point_has_no_room(point, hana, eve):
    services.point_set_fill_level(point=point, level=FillLevel.FULL, actor=hana, channel="web")
    assert not DropoffPoint.objects.get(pk=point.pk).has_room
    with pytest.raises(ValidationError):
        services.point_set_fill_level(point=point, level="overflowing", actor=hana, channel="web")
    with pytest.raises(PermissionDeniedError):
        services.point_set_fill_level(point=point, level=FillLevel.EMPTY, actor=eve, channel="web")
    assert point.events.last().data == {"from": "empty", "to": "full"}
