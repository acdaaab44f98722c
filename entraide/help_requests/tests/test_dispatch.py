"""Notification waves: who is asked, when the circle widens, when operators take over."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from entraide.help_requests.dispatch import candidates_near, dispatch_next_wave
from entraide.help_requests.models import HelpRequest, HelpRequestEvent, Offer, Status
from entraide.help_requests.services import help_request_release, help_request_take
from entraide.help_requests.tests.helpers import volunteer_at
from entraide.notifications.delivery import render
from entraide.notifications.models import Notification
from entraide.testing.factories import (
    HelpRequestFactory,
    UserFactory,
    VolunteerProfileFactory,
)

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def frozen_time():
    """Freeze time on a Monday at noon so that every volunteer is available."""
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def asked(help_request: HelpRequest) -> set[int]:
    """Return the ids of the volunteers asked so far."""
    return set(Offer.objects.filter(help_request=help_request).values_list("volunteer", flat=True))


def test_it_asks_the_three_closest_volunteers_first():
    near = [volunteer_at(km) for km in (0.5, 1.0, 1.5, 2.0)]
    far = volunteer_at(4.0)
    help_request = HelpRequestFactory.create()

    dispatch_next_wave(help_request.pk)

    help_request.refresh_from_db()
    assert asked(help_request) == {v.pk for v in near[:3]}
    assert far.pk not in asked(help_request)
    assert help_request.status == Status.OFFERED
    assert help_request.wave == 1
    assert help_request.next_wave_at == NOON + timedelta(minutes=15)
    event = help_request.events.get(kind=HelpRequestEvent.Kind.WAVE_SENT)
    assert event.data == {
        "wave": 1,
        "radius_km": 3.0,
        "volunteer_ids": [v.pk for v in near[:3]],
    }


def test_it_emails_each_asked_volunteer_once():
    volunteer = volunteer_at(1.0)
    help_request = HelpRequestFactory.create()

    dispatch_next_wave(help_request.pk)

    notification = Notification.objects.get(template="help_request_offer")
    assert notification.recipient == volunteer
    assert notification.dedupe_key == f"help_request:{help_request.pk}:offer:{volunteer.pk}"
    assert notification.context == {"help_request_id": help_request.pk, "distance_km": 1.0}
    assert Offer.objects.get().distance_km == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    ("profile_kwargs", "user_kwargs"),
    [
        ({"languages": ["nl"]}, {}),
        ({"kinds": ["pharmacy"]}, {}),
        ({"max_open_requests": 0}, {}),
        ({"is_paused": True}, {}),
        ({"paused_until": date(2026, 3, 2)}, {}),
        ({"radius_km": 1}, {}),
        ({"availability": 1}, {}),  # Monday morning only
        ({}, {"email_verified_at": None}),
        ({}, {"is_active": False}),
    ],
)
def test_it_leaves_out_volunteers_who_do_not_fit(profile_kwargs, user_kwargs):
    volunteer_at(2.0, user_kwargs=user_kwargs, **profile_kwargs)
    help_request = HelpRequestFactory.create(kind="groceries", languages=["fr"], urgency="today")

    dispatch_next_wave(help_request.pk)

    assert asked(help_request) == set()
    help_request.refresh_from_db()
    assert help_request.escalated_at == NOON


def test_it_counts_the_requests_a_volunteer_already_holds():
    volunteer = volunteer_at(1.0, max_open_requests=1)
    HelpRequestFactory.create(status=Status.TAKEN, taken_by=volunteer)
    help_request = HelpRequestFactory.create()

    dispatch_next_wave(help_request.pk)

    assert volunteer.pk not in asked(help_request)


def test_it_prefers_volunteers_who_were_not_asked_recently():
    busy = volunteer_at(1.0)
    fresh = volunteer_at(1.4)
    for _ in range(2):
        Offer.objects.create(
            help_request=HelpRequestFactory.create(), volunteer=busy, wave=1, distance_km=1
        )
    help_request = HelpRequestFactory.create()

    dispatch_next_wave(help_request.pk)

    wave = help_request.events.get(kind=HelpRequestEvent.Kind.WAVE_SENT)
    assert wave.data["volunteer_ids"] == [fresh.pk, busy.pk]


def test_it_widens_the_circle_when_nobody_takes_the_request(frozen_time):
    first = [volunteer_at(km) for km in (0.5, 1.0, 1.5)]
    second = [volunteer_at(km) for km in (4.0, 5.0)]
    help_request = HelpRequestFactory.create()
    dispatch_next_wave(help_request.pk)

    frozen_time.shift(timedelta(minutes=15))
    dispatch_next_wave(help_request.pk)

    help_request.refresh_from_db()
    assert asked(help_request) == {v.pk for v in first + second}
    assert help_request.wave == 2
    assert set(Offer.objects.filter(wave=2).values_list("volunteer", flat=True)) == {
        v.pk for v in second
    }


def test_it_sends_nothing_twice_when_run_again_before_the_delay(frozen_time):
    volunteer_at(1.0)
    volunteer_at(5.0)
    help_request = HelpRequestFactory.create()
    dispatch_next_wave(help_request.pk)

    dispatch_next_wave(help_request.pk)
    frozen_time.shift(timedelta(minutes=14))
    dispatch_next_wave(help_request.pk)

    assert Offer.objects.count() == 1
    assert Notification.objects.count() == 1
    assert help_request.events.filter(kind=HelpRequestEvent.Kind.WAVE_SENT).count() == 1


def test_it_escalates_to_the_operators_after_the_last_wave(frozen_time):
    volunteer_at(10.0)
    help_request = HelpRequestFactory.create()
    dispatch_next_wave(help_request.pk)
    help_request.refresh_from_db()
    assert help_request.wave == 3  # the closer circles held nobody

    frozen_time.shift(timedelta(minutes=15))
    dispatch_next_wave(help_request.pk)
    frozen_time.shift(timedelta(minutes=15))
    dispatch_next_wave(help_request.pk)

    help_request.refresh_from_db()
    assert help_request.escalated_at == NOON + timedelta(minutes=15)
    assert help_request.next_wave_at is None
    assert help_request.events.filter(kind=HelpRequestEvent.Kind.ESCALATED).count() == 1


def test_it_does_nothing_for_a_taken_request():
    volunteer = volunteer_at(1.0)
    help_request = HelpRequestFactory.create(status=Status.TAKEN, taken_by=volunteer)

    dispatch_next_wave(help_request.pk)

    assert not Offer.objects.exists()
    assert not help_request.events.exists()


def test_it_ignores_an_unknown_request():
    dispatch_next_wave(999_999)

    assert not HelpRequestEvent.objects.exists()


def test_it_never_asks_again_a_volunteer_who_gave_the_request_back():
    giver = volunteer_at(0.5)
    other = volunteer_at(1.0)
    help_request = HelpRequestFactory.create()
    dispatch_next_wave(help_request.pk)
    help_request_take(help_request=help_request, volunteer=giver)

    help_request_release(help_request=help_request, volunteer=giver, reason="I am ill")
    dispatch_next_wave(help_request.pk)

    offers = Offer.objects.filter(help_request=help_request)
    assert offers.filter(volunteer=giver).count() == 1
    assert offers.filter(volunteer=other).count() == 1
    assert Notification.objects.filter(recipient=giver, template="help_request_offer").count() == 1


def test_it_asks_a_new_nearby_volunteer_after_a_give_back():
    giver = volunteer_at(0.5)
    help_request = HelpRequestFactory.create()
    dispatch_next_wave(help_request.pk)
    help_request_take(help_request=help_request, volunteer=giver)
    newcomer = volunteer_at(0.8)

    help_request_release(help_request=help_request, volunteer=giver)
    dispatch_next_wave(help_request.pk)

    help_request.refresh_from_db()
    assert help_request.status == Status.OFFERED
    assert asked(help_request) == {giver.pk, newcomer.pk}


def test_it_reads_only_the_grid_cells_around_the_request():
    for km in (0.5, 1.0, 1.5, 30.0, 60.0, 200.0):
        volunteer_at(km, radius_km=100)
    help_request = HelpRequestFactory.create()

    with CaptureQueriesContext(connection) as queries:
        candidates, _distances = candidates_near(help_request, radius_km=12.0, now=NOON)

    assert len(candidates) == 3
    profile_query = next(q["sql"] for q in queries.captured_queries if "radius_km" in q["sql"])
    assert '"cell" IN' in profile_query


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_chooses_as_if_it_had_read_the_widest_circle(seed):
    # plan_for reads outwards from 500 m and stops early; its choice must equal the plan made
    # from one full read of the widest circle, whatever the crowd looks like.
    import math
    import random

    from entraide.help_requests.dispatch import plan_for, wave_policy
    from entraide.matching.waves import needed_periods, plan_wave

    rng = random.Random(seed)
    for _ in range(40):
        km = rng.uniform(0.05, 14.0)
        bearing = rng.uniform(0, 2 * math.pi)
        lat = 50.8467 + km * math.cos(bearing) / 111.195
        lon = 4.3525 + km * math.sin(bearing) / (111.195 * math.cos(math.radians(50.8467)))
        user = UserFactory.create()
        VolunteerProfileFactory.create(
            user=user,
            lat=lat,
            lon=lon,
            radius_km=rng.choice([2, 5, 10, 20]),
            languages=rng.choice([["fr"], ["nl"], ["fr", "nl"], []]),
        )
    help_request = HelpRequestFactory.create(languages=["fr"])
    policy = wave_policy()

    plan, _distances = plan_for(help_request, now=NOON, policy=policy)

    everyone, _ = candidates_near(help_request, radius_km=policy.max_radius_km, now=NOON)
    local = NOON.astimezone(timezone.get_current_timezone())
    expected = plan_wave(
        everyone,
        wave=1,
        already_asked=frozenset(),
        policy=policy,
        languages=frozenset(["fr"]),
        kind=help_request.kind,
        needed_periods=needed_periods(help_request.urgency, None, local.weekday(), local.hour),
    )
    assert plan == expected


def test_it_tells_the_phone_teams_mailbox_once_when_a_request_reaches_the_queue(
    frozen_time, settings
):
    settings.OPERATORS_ALERT_EMAIL = "phone-team@example.org"
    settings.OPERATORS_ALERT_LANGUAGE = "en"
    volunteer_at(10.0)
    help_request = HelpRequestFactory.create(kind="pharmacy", town="Ixelles")
    dispatch_next_wave(help_request.pk)
    assert not Notification.objects.filter(to_email="phone-team@example.org").exists()

    frozen_time.shift(timedelta(minutes=15))
    dispatch_next_wave(help_request.pk)
    frozen_time.shift(timedelta(minutes=15))
    dispatch_next_wave(help_request.pk)

    alert = Notification.objects.get(to_email="phone-team@example.org")
    assert alert.template == "operators_escalated"
    message = render(alert)
    assert message.subject == (
        f"For the phone team: nobody nearby took request {help_request.reference} "
        "(Pharmacy, Ixelles)"
    )
    assert "1 volunteer nearby was asked to take this request and nobody took it." in message.body
    assert f"/en/operators/requests/{help_request.public_id}/" in message.body
    assert help_request.requester_phone not in message.body


def test_the_alert_says_when_nobody_could_be_asked_and_speaks_the_teams_language(settings):
    settings.OPERATORS_ALERT_EMAIL = "equipe@example.org"
    settings.OPERATORS_ALERT_LANGUAGE = "nl"
    help_request = HelpRequestFactory.create()

    dispatch_next_wave(help_request.pk)

    alert = Notification.objects.get(to_email="equipe@example.org")
    body = render(alert).body
    assert alert.language == "nl"
    assert "/nl/" in body
    with translation.override("nl"):
        expected = translation.gettext(
            "No volunteer nearby can take this request (language, kind of help or availability)."
        )
    assert expected in body
    assert expected != (
        "No volunteer nearby can take this request (language, kind of help or availability)."
    )


def test_no_mailbox_no_alert():
    help_request = HelpRequestFactory.create()
    dispatch_next_wave(help_request.pk)
    help_request.refresh_from_db()
    assert help_request.escalated_at == NOON
    assert not Notification.objects.exists()
