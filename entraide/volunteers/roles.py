"""The volunteer's role: their home is the volunteer dashboard (it asks to finish the profile)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import User
from entraide.accounts.roles import Role
from entraide.volunteers.models import VolunteerProfile


def _is_volunteer(user: User) -> bool:
    return VolunteerProfile.objects.filter(user=user).exists()


ROLES = (
    Role(
        name="volunteer",
        label=_("Volunteer"),
        icon="heart",
        home=lambda user: reverse("volunteers:dashboard"),
        has_role=_is_volunteer,
        priority=20,
    ),
)
