"""Mission templates: save a mission as a template, start a new mission from it."""

import pytest
from django.urls import reverse

from entraide.core.errors import DomainError
from entraide.missions.models import MissionTemplate
from entraide.missions.services import mission_template_save
from entraide.missions.tests.factories import MissionFactory


def test_it_saves_a_mission_as_a_template_and_replaces_one_of_the_same_name(mission, frank):
    mission_template_save(mission=mission, actor=frank, name="  Meals   round ")
    mission.title = "Meals on wheels (evening)"
    mission.save()

    template = mission_template_save(mission=mission, actor=frank, name="Meals round")

    assert MissionTemplate.objects.count() == 1
    assert template.fields["title"] == "Meals on wheels (evening)"
    assert template.fields["town"] == "Bruxelles"
    assert mission.events.filter(kind="template_saved").count() == 2


def test_it_refuses_a_template_from_someone_outside_the_organisation(mission, alice):
    with pytest.raises(DomainError):
        mission_template_save(mission=mission, actor=alice, name="Mine")
    assert not MissionTemplate.objects.exists()


def test_it_saves_a_template_from_the_manage_page_and_prefills_a_new_mission(
    client, mission, frank
):
    mission.skills = ["Driving", "cooking"]
    mission.save()
    client.force_login(frank)

    response = client.post(
        reverse("missions:manage", args=[mission.public_id]),
        {"action": "template", "template-name": "Evening round"},
    )

    assert response.status_code == 302
    template = MissionTemplate.objects.get(name="Evening round")
    organisation_page = client.get(
        reverse("missions:organisation", args=[mission.organisation.slug])
    )
    new_url = reverse("missions:create", args=[mission.organisation.slug])
    assert f"{new_url}?template={template.pk}" in organisation_page.content.decode()
    form = client.get(new_url, {"template": template.pk}).context["form"]
    assert form["title"].value() == "Meals on wheels"
    assert form["skills"].value() == "Driving, cooking"


def test_it_asks_for_a_template_name(client, mission, frank):
    client.force_login(frank)

    response = client.post(
        reverse("missions:manage", args=[mission.public_id]),
        {"action": "template", "template-name": ""},
    )

    assert response.status_code == 200
    assert response.context["template_form"].errors["name"]
    assert not MissionTemplate.objects.exists()


def test_it_hides_templates_of_other_organisations_and_bad_ids(client, mission, frank):
    other = MissionFactory.create()
    template = MissionTemplate.objects.create(
        organisation=other.organisation, name="Theirs", fields={"title": "Secret"}
    )
    client.force_login(frank)
    url = reverse("missions:create", args=[mission.organisation.slug])

    assert client.get(url, {"template": template.pk}).status_code == 404
    assert client.get(url, {"template": "abc"}).status_code == 404


def test_it_deletes_a_template_from_the_organisation_page(client, mission, frank):
    template = mission_template_save(mission=mission, actor=frank, name="Old")
    client.force_login(frank)

    response = client.post(
        reverse("missions:organisation", args=[mission.organisation.slug]),
        {"template": template.pk},
    )

    assert response.status_code == 302
    assert not MissionTemplate.objects.exists()


def test_it_carries_the_languages_from_a_template_to_the_new_mission_form(client, mission, frank):
    mission.languages = ["nl"]
    mission.save()
    template = mission_template_save(mission=mission, actor=frank, name="Dutch round")
    client.force_login(frank)

    new_url = reverse("missions:create", args=[mission.organisation.slug])
    form = client.get(new_url, {"template": template.pk}).context["form"]

    assert form["languages"].value() == ["nl"]
