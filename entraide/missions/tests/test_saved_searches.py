"""Saved searches: saving the catalogue's filters, the daily digest, unsubscribing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from entraide.missions.jobs import send_saved_search_digests
from entraide.missions.models import Mission, SavedSearch
from entraide.missions.services import saved_search_create, saved_search_token
from entraide.missions.tests.factories import MissionFactory, MissionSlotFactory
from entraide.notifications.models import Notification

BRUSSELS_TZ = ZoneInfo("Europe/Brussels")
MONDAY_EVENING = datetime(2030, 3, 4, 18, 0, tzinfo=BRUSSELS_TZ)


def publish(organisation, title, *, when, **fields):
    """Insert a published mission with one upcoming slot, published at `when`."""
    mission = MissionFactory.create(
        organisation=organisation, title=title, published_at=when, **fields
    )
    MissionSlotFactory.create(mission=mission, starts_at=when + timedelta(days=10))
    return mission


def digests():
    return Notification.objects.filter(template="mission_saved_search_digest")


def test_it_saves_the_catalogue_filters_under_a_name(client, alice):
    client.force_login(alice)
    url = reverse("missions:catalogue") + "?q=meals&where=site&town=Bruxelles&radius_km=5"

    response = client.post(url, {"save-name": "Meals near home"})

    assert response.status_code == 302
    search = SavedSearch.objects.get(user=alice)
    assert search.name == "Meals near home"
    assert search.params == {"q": "meals", "where": "site", "town": "Bruxelles", "radius_km": "5"}
    assert search.lat is not None and search.lon is not None


def test_it_refuses_a_search_without_a_name_or_with_a_name_already_used(client, alice):
    client.force_login(alice)
    url = reverse("missions:catalogue") + "?q=meals"

    assert client.post(url, {"save-name": ""}).status_code == 400
    saved_search_create(user=alice, name="Meals", params={"q": "meals"})
    response = client.post(url, {"save-name": "Meals"})

    assert response.status_code == 400
    assert "You already have a search with this name." in response.content.decode()
    assert SavedSearch.objects.count() == 1


def test_it_sends_visitors_to_log_in_before_saving(client, db):
    response = client.post(reverse("missions:catalogue") + "?q=x", {"save-name": "X"})
    assert response.status_code == 302
    assert not SavedSearch.objects.exists()


def test_it_emails_only_new_matching_missions_once_a_day(restos, alice):
    with time_machine.travel(MONDAY_EVENING - timedelta(days=1), tick=False):
        search = saved_search_create(user=alice, name="Food", params={"theme": "food"})
        publish(restos, "Old pantry", when=MONDAY_EVENING - timedelta(days=2), theme="food")
    publish(restos, "New pantry", when=MONDAY_EVENING - timedelta(hours=2), theme="food")
    publish(restos, "New but seniors", when=MONDAY_EVENING - timedelta(hours=2), theme="seniors")

    with time_machine.travel(MONDAY_EVENING, tick=False):
        assert send_saved_search_digests() == 1
        assert send_saved_search_digests() == 0

    (digest,) = digests()
    assert digest.recipient == alice
    assert [m["title"] for m in digest.context["missions"]] == ["New pantry"]
    assert digest.dedupe_key == f"saved-search:{search.pk}:2030-03-04"


def test_it_sends_nothing_when_nothing_new_and_nothing_before_the_digest_hour(restos, alice):
    with time_machine.travel(MONDAY_EVENING - timedelta(days=1), tick=False):
        saved_search_create(user=alice, name="Food", params={"theme": "food"})
    publish(restos, "New pantry", when=MONDAY_EVENING - timedelta(hours=2), theme="food")

    with time_machine.travel(MONDAY_EVENING.replace(hour=9), tick=False):
        assert send_saved_search_digests() == 0
    with time_machine.travel(MONDAY_EVENING, tick=False):
        assert send_saved_search_digests() == 1
    with time_machine.travel(MONDAY_EVENING + timedelta(days=1), tick=False):
        assert send_saved_search_digests() == 0
    assert digests().count() == 1


def test_it_leaves_out_missions_not_published_or_far_away(restos, alice):
    with time_machine.travel(MONDAY_EVENING - timedelta(days=1), tick=False):
        saved_search_create(
            user=alice,
            name="Near",
            params={"town": "Bruxelles", "radius_km": "10"},
            lat=50.8467,
            lon=4.3525,
        )
    publish(restos, "Liège", when=MONDAY_EVENING - timedelta(hours=1), lat=50.63, lon=5.57)
    draft = publish(restos, "Draft", when=MONDAY_EVENING - timedelta(hours=1))
    Mission.objects.filter(pk=draft.pk).update(status=Mission.Status.DRAFT)

    with time_machine.travel(MONDAY_EVENING, tick=False):
        assert send_saved_search_digests() == 0


def test_it_stops_a_search_in_one_click_and_skips_it(client, restos, alice):
    with time_machine.travel(MONDAY_EVENING - timedelta(days=1), tick=False):
        search = saved_search_create(user=alice, name="All", params={})
    publish(restos, "New pantry", when=MONDAY_EVENING - timedelta(hours=2))
    url = reverse("missions:saved_search_unsubscribe", args=[saved_search_token(search)])

    assert "All" in client.get(url).content.decode()
    assert client.post(url).status_code == 200

    search.refresh_from_db()
    assert not search.is_active
    with time_machine.travel(MONDAY_EVENING, tick=False):
        assert send_saved_search_digests() == 0


def test_it_refuses_a_tampered_unsubscribe_token(client, alice):
    search = saved_search_create(user=alice, name="All", params={})
    token = saved_search_token(search)[:-2] + "xx"
    url = reverse("missions:saved_search_unsubscribe", args=[token])
    assert client.post(url).status_code == 404
    search.refresh_from_db()
    assert search.is_active


def test_it_lists_turns_off_and_deletes_only_ones_own_searches(client, alice, bob):
    mine = saved_search_create(user=alice, name="Mine", params={"q": "meals"})
    theirs = saved_search_create(user=bob, name="Theirs", params={})
    client.force_login(alice)
    url = reverse("missions:saved_searches")

    page = client.get(url).content.decode()
    assert "Mine" in page and "Theirs" not in page
    client.post(url, {"search": mine.pk, "action": "off"})
    mine.refresh_from_db()
    assert not mine.is_active
    assert client.post(url, {"search": theirs.pk, "action": "delete"}).status_code == 404
    assert client.post(url, {"search": "x", "action": "delete"}).status_code == 404
    client.post(url, {"search": mine.pk, "action": "delete"})
    assert list(SavedSearch.objects.all()) == [theirs]


def test_it_caps_the_number_of_saved_searches(alice):
    for number in range(20):
        saved_search_create(user=alice, name=f"Search {number}", params={})
    with pytest.raises(ValidationError):
        saved_search_create(user=alice, name="One too many", params={})


def test_it_mails_the_digest_with_links_and_a_one_click_unsubscribe(
    client, restos, alice, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY_EVENING - timedelta(days=1), tick=False):
        search = saved_search_create(user=alice, name="Food", params={"theme": "food"})
    mission = publish(restos, "New pantry", when=MONDAY_EVENING - timedelta(hours=2), theme="food")

    with (
        time_machine.travel(MONDAY_EVENING, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_saved_search_digests()

    (message,) = mail.outbox
    assert message.to == [alice.email]
    assert "New pantry" in message.body
    assert str(mission.public_id) in message.body
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert client.post(link.removeprefix(settings.SITE_URL)).status_code == 200
    search.refresh_from_db()
    assert not search.is_active


def test_it_lets_the_catalogue_keep_only_missions_published_after_a_moment(restos, alice):
    from entraide.missions.selectors import CatalogueFilters, missions_catalogue

    old = publish(restos, "Old round", when=MONDAY_EVENING - timedelta(days=3))
    new = publish(restos, "New round", when=MONDAY_EVENING)

    with time_machine.travel(MONDAY_EVENING, tick=False):
        everything = missions_catalogue(viewer=alice, filters=CatalogueFilters())
        recent = missions_catalogue(
            viewer=alice,
            filters=CatalogueFilters(published_after=MONDAY_EVENING - timedelta(days=1)),
        )

    assert {m.pk for m in everything} == {old.pk, new.pk}
    assert [m.pk for m in recent] == [new.pk]
