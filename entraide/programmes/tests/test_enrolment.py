"""Volunteers enrol for a start week and are placed in cohorts by language and time zone."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from entraide.accounts.models import User
from entraide.core.errors import ConflictError, PermissionDeniedError
from entraide.programmes import services
from entraide.programmes.models import Cohort, Enrolment, EnrolmentEvent
from entraide.programmes.tests.conftest import MONDAY, NEXT_MONDAY, enrol
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_places_a_volunteer_in_a_cohort_with_a_coordinator_and_a_video_room(
    programme, vera, paris, carla
):
    enrolment = enrol(programme, vera, paris, week=date(2026, 3, 5))  # a Thursday
    assert enrolment.status == "placed"
    assert enrolment.start_week == MONDAY
    cohort = enrolment.cohort
    assert (cohort.language, cohort.time_zone, cohort.capacity) == ("fr", "Europe/Paris", 3)
    assert cohort.coordinator == carla
    assert cohort.video_link.startswith("https://meet.jit.si/entraide-")
    assert [e.kind for e in enrolment.events.order_by("pk")] == ["enrolled", "placed"]


def test_it_opens_a_new_cohort_when_one_is_full(programme, paris, cyril):
    people = [UserFactory.create() for _ in range(4)]
    cohorts = [enrol(programme, person, paris).cohort for person in people]
    assert cohorts[0] == cohorts[1] == cohorts[2]
    assert cohorts[3] != cohorts[0]
    assert cohorts[3].coordinator == cyril


def test_it_keeps_languages_and_time_zones_apart(
    programme, vera, victor, wendy, paris, montreal, alice
):
    services.coordinator_add(programme=programme, user=UserFactory.create(), actor=alice)
    french = enrol(programme, vera, paris).cohort
    english = enrol(programme, victor, paris, language="en").cohort
    abroad = enrol(programme, wendy, montreal).cohort
    assert len({french.pk, english.pk, abroad.pk}) == 3
    assert (english.language, english.time_zone) == ("en", "Europe/Paris")
    assert (abroad.language, abroad.time_zone) == ("fr", "America/Montreal")


def test_it_puts_people_on_the_waiting_list_when_no_coordinator_is_free(
    programme, paris, montreal, alice
):
    enrol(programme, UserFactory.create(), paris)  # carla's cohort
    enrol(programme, UserFactory.create(), paris, language="en")  # cyril's cohort
    waiting = enrol(programme, UserFactory.create(), montreal)
    assert waiting.status == "waiting"
    assert waiting.cohort is None

    services.coordinator_add(programme=programme, user=UserFactory.create(), actor=alice)

    waiting.refresh_from_db()
    assert waiting.status == "placed"
    assert waiting.cohort is not None and waiting.cohort.time_zone == "America/Montreal"


def test_it_refuses_enrolling_twice_and_saves_nothing(programme, vera, paris):
    enrol(programme, vera, paris)
    with pytest.raises(ConflictError, match="already enrolled"):
        enrol(programme, vera, paris, week=NEXT_MONDAY)
    assert Enrolment.objects.filter(user=vera).count() == 1


def test_it_refuses_a_start_week_in_the_past(programme, vera, paris):
    with pytest.raises(ValidationError) as caught:
        enrol(programme, vera, paris, week=date(2026, 2, 20))
    assert "start_week" in caught.value.message_dict
    assert not Enrolment.objects.exists()


def test_it_accepts_the_week_that_has_started(programme, vera, paris):
    assert enrol(programme, vera, paris, week=date(2026, 3, 2)).status == "placed"


def test_it_refuses_an_unpublished_programme(draft, vera, paris):
    with pytest.raises(Exception, match="not open for enrolment"):
        enrol(draft, vera, paris)
    assert not Enrolment.objects.exists()


def test_leaving_gives_the_seat_to_the_first_person_waiting(programme, paris, alice, carla):
    programme.coordinators.exclude(user=carla).delete()
    members = [enrol(programme, UserFactory.create(), paris) for _ in range(3)]
    waiting = enrol(programme, UserFactory.create(), paris)
    assert waiting.status == "waiting"

    services.enrolment_leave(enrolment=members[0], actor=members[0].user, channel="web")

    waiting.refresh_from_db()
    assert waiting.cohort == members[1].cohort
    assert members[1].cohort.enrolments.filter(status="placed").count() == 3


def test_a_member_moves_to_a_later_week(programme, vera, paris):
    enrolment = enrol(programme, vera, paris)
    moved = services.enrolment_move(
        enrolment=enrolment, start_week=NEXT_MONDAY, actor=vera, channel="web"
    )
    assert moved.start_week == NEXT_MONDAY
    assert moved.cohort is not None and moved.cohort.start_week == NEXT_MONDAY
    with pytest.raises(ValidationError):
        services.enrolment_move(enrolment=moved, start_week=MONDAY, actor=vera, channel="web")


def test_moving_into_a_full_cohort_is_refused(programme, vera, paris):
    later = [enrol(programme, UserFactory.create(), paris, week=NEXT_MONDAY) for _ in range(3)]
    enrolment = enrol(programme, vera, paris)
    with pytest.raises(ConflictError, match="full"):
        services.enrolment_move(
            enrolment=enrolment, cohort=later[0].cohort, actor=vera, channel="web"
        )
    enrolment.refresh_from_db()
    assert enrolment.start_week == MONDAY


def test_somebody_else_cannot_enrol_a_volunteer(programme, vera, victor, paris):
    with pytest.raises(PermissionDeniedError):
        enrol(programme, vera, paris, actor=victor)


def test_an_operator_enrols_a_caller_new_to_the_site(programme, otto, paris):
    enrolment = services.enrol_caller(
        programme=programme,
        email="Jeanne@Example.org",
        first_name="Jeanne",
        start_week=MONDAY,
        language="fr",
        territory=paris,
        actor=otto,
    )
    caller = User.objects.get(email="jeanne@example.org")
    assert enrolment.user == caller
    assert not caller.has_usable_password()
    assert EnrolmentEvent.objects.get(enrolment=enrolment, kind="enrolled").channel == "phone"


def test_the_enrol_page_places_the_volunteer(client, programme, vera, paris):
    client.force_login(vera)
    answer = client.post(
        f"/en/programmes/{programme.slug}/enrol/",
        {"start_week": "2026-03-04", "language": "fr", "territory": paris.pk},
    )
    enrolment = Enrolment.objects.get(user=vera)
    assert answer.status_code == 302
    assert answer["Location"] == f"/en/programmes/enrolments/{enrolment.pk}/"
    page = client.get(answer["Location"])
    assert "Cohort 1" in page.content.decode()


def test_the_enrol_page_shows_a_past_week_as_an_error(client, programme, vera, paris):
    client.force_login(vera)
    answer = client.post(
        f"/en/programmes/{programme.slug}/enrol/",
        {"start_week": "2026-01-05", "language": "fr", "territory": paris.pk},
    )
    assert answer.status_code == 400
    assert "This week is over" in answer.content.decode()
    assert not Enrolment.objects.exists()


def test_the_phone_page_is_for_operators(client, programme, vera, otto, paris):
    client.force_login(vera)
    assert client.get(f"/en/programmes/{programme.slug}/phone/").status_code == 403
    client.force_login(otto)
    answer = client.post(
        f"/en/programmes/{programme.slug}/phone/",
        {
            "email": "paul@example.org",
            "first_name": "Paul",
            "start_week": "2026-03-09",
            "language": "fr",
            "territory": paris.pk,
        },
    )
    assert answer.status_code == 302
    assert Cohort.objects.get().start_week == NEXT_MONDAY
