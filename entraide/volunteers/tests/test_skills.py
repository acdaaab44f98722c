"""A volunteer's free-text skills, matched against the skills missions ask for."""

from django.urls import reverse

from entraide.testing.factories import UserFactory
from entraide.volunteers.models import VolunteerProfile
from entraide.volunteers.services import volunteer_profile_update
from entraide.volunteers.tests.test_profile import profile_data, service_arguments


def test_it_saves_skills_from_the_profile_form_lower_cased_once_each(client, db):
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(
        reverse("volunteers:profile"),
        profile_data(skills="Driving,  first   aid , driving, , Accounting"),
    )

    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=user)
    assert profile.skills == ["driving", "first aid", "accounting"]
    page = client.get(reverse("volunteers:profile"))
    assert 'value="driving, first aid, accounting"' in page.content.decode()


def test_it_keeps_the_skills_when_the_service_is_called_without_them(db):
    user = UserFactory.create()
    volunteer_profile_update(user=user, **service_arguments(skills=["Cooking"]))

    profile = volunteer_profile_update(user=user, **service_arguments(radius_km=9))

    assert profile.skills == ["cooking"]
