"""The roles organisations give: member of an association (or other structure), moderator."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import User
from entraide.accounts.roles import Role, only_one
from entraide.organisations.models import Membership, Organisation


def _memberships(user: User) -> QuerySet[Membership]:
    """Return the user's memberships of organisations other than companies (they have theirs)."""
    return Membership.objects.filter(user=user).exclude(
        organisation__kind=Organisation.Kind.COMPANY
    )


def _is_member(user: User) -> bool:
    return _memberships(user).exists()


def _member_home(user: User) -> str:
    """Return the organisation's page for a member of one, else the list of their organisations."""
    slug = only_one(_memberships(user).values_list("organisation__slug", flat=True)[:2])
    if slug:
        return reverse("organisations:public", args=[slug])
    return reverse("organisations:dashboard")


def _is_moderator(user: User) -> bool:
    # Not is_moderator_anywhere(): staff may moderate too, but theirs is the back office's role.
    return user.is_moderator or user.moderated_territories.exists()


ROLES = (
    Role(
        name="organisation_member",
        label=_("Association"),
        icon="building",
        home=_member_home,
        has_role=_is_member,
        priority=50,
    ),
    Role(
        name="moderator",
        label=_("Moderator"),
        icon="shield",
        home=lambda user: reverse("organisations:moderation"),
        has_role=_is_moderator,
        priority=60,
    ),
)
