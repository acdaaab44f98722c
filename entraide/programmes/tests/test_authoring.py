"""Authors write a programme's days in three languages, preview them and publish versions."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import DomainError, PermissionDeniedError
from entraide.programmes import services
from entraide.programmes.models import Day, ProgrammeVersion
from entraide.programmes.tests.conftest import MONDAY, enrol, write_days
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_draft_with_its_seven_days(draft):
    assert list(draft.days.values_list("number", flat=True)) == [0, 1, 2, 3, 4, 5, 6]
    assert draft.versions.count() == 0


def test_it_refuses_an_author_from_outside_the_organisation(makesense):
    with pytest.raises(PermissionDeniedError):
        services.programme_create(
            organisation=makesense, title="X", call_time=time(18), actor=UserFactory.create()
        )


def test_it_keeps_reserved_paths_out_of_slugs(makesense, alice):
    programme = services.programme_create(
        organisation=makesense, title="Mine", call_time=time(18), actor=alice
    )
    assert programme.slug == "mine-2"


def test_it_refuses_an_unknown_placeholder_and_saves_nothing(draft, alice):
    day = draft.days.get(number=1)
    with pytest.raises(ValidationError) as caught:
        services.day_update(
            day=day, texts={"subject_fr": "Nouveau", "body_fr": "Salut {{ prenom }}"}, actor=alice
        )
    assert "body_fr" in caught.value.message_dict
    day.refresh_from_db()
    assert day.subject_fr == "[fr] Jour 1"


def test_it_refuses_to_publish_with_a_day_missing_in_the_default_language(draft, alice):
    Day.objects.filter(programme=draft, number=3).update(body_fr="")
    with pytest.raises(DomainError, match="3"):
        services.programme_publish(programme=draft, actor=alice)
    assert not ProgrammeVersion.objects.exists()


def test_it_refuses_to_publish_without_a_challenge(makesense, alice):
    programme = services.programme_create(
        organisation=makesense, title="Vide", call_time=time(18), actor=alice
    )
    write_days(programme, alice)
    with pytest.raises(DomainError):
        services.programme_publish(programme=programme, actor=alice)


def test_a_running_cohort_keeps_the_version_it_started_with(programme, alice, vera, victor, paris):
    first = enrol(programme, vera, paris).cohort
    day = programme.days.get(number=1)
    services.day_update(day=day, texts={"subject_fr": "Nouveau jour 1"}, actor=alice)
    second_version = services.programme_publish(programme=programme, actor=alice)

    later = enrol(programme, victor, paris, week=MONDAY.replace(day=16)).cohort

    assert first.version.number == 1
    assert first.version.day(1)["fr"]["subject"] == "[fr] Jour 1"
    assert later.version == second_version
    assert later.version.day(1)["fr"]["subject"] == "Nouveau jour 1"


def test_the_preview_page_renders_a_day_and_names_a_missing_language(client, programme, alice):
    client.force_login(alice)
    page = client.get(f"/en/programmes/{programme.slug}/days/1/preview/fr/")
    assert page.status_code == 200
    assert "Bonjour Camille, jour 1." in page.content.decode()
    missing = client.get(f"/en/programmes/{programme.slug}/days/1/preview/nl/")
    assert "cannot be sent in this language" in missing.content.decode()


def test_an_author_edits_a_day_through_its_page(client, programme, alice):
    client.force_login(alice)
    url = f"/en/programmes/{programme.slug}/days/2/"
    answer = client.post(url, {"subject_nl": "Dag 2", "body_nl": "Hallo {{ first_name }}"})
    assert answer.status_code == 302
    assert programme.days.get(number=2).subject_nl == "Dag 2"
    bad = client.post(url, {"body_nl": "Hallo {{ naam }}"})
    assert bad.status_code == 200
    assert "Use only these placeholders" in bad.content.decode()


def test_an_author_publishes_through_the_page(client, draft, alice):
    client.force_login(alice)
    answer = client.post(f"/en/programmes/{draft.slug}/edit/", {"do": "publish"})
    assert answer.status_code == 302
    assert draft.versions.get().number == 1


def test_somebody_else_cannot_open_the_authoring_page(client, draft, vera):
    client.force_login(vera)
    assert client.get(f"/en/programmes/{draft.slug}/edit/").status_code == 403
