"""Reads for organisations: memberships, the moderation queue, public pages, invitations."""

import hashlib
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from entraide.accounts.models import User, Viewer
from entraide.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
    Territory,
)


def organisations_of(user: Viewer) -> QuerySet[Organisation]:
    """Return the organisations the user is a member of, by name."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(memberships__user=user)
        .select_related("territory")
        .order_by("name")
        .distinct()
    )


def member_role(user: Viewer | None, organisation: Organisation) -> str | None:
    """Return the user's role in the organisation, or None when they are not a member."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def memberships_of(user: Viewer) -> QuerySet[Membership]:
    """Return the user's memberships with their organisations, for the dashboard."""
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__territory")
        .order_by("organisation__name")
    )


def members(organisation: Organisation) -> QuerySet[Membership]:
    """Return the organisation's members, administrators first."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__first_name", "user__email")
    )


def administrators(organisation: Organisation) -> list[Any]:
    """Return the active users who administer the organisation."""
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=organisation,
            role=Membership.Role.ADMINISTRATOR,
            user__is_active=True,
        ).select_related("user")
    ]


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Return the invitations nobody accepted or cancelled yet, newest first."""
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def token_hash(token: str) -> str:
    """Return the fingerprint under which an invitation token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """Return the invitation a link's token belongs to, or None when it matches none."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.filter(token_hash=token_hash(token))
        .select_related("organisation")
        .first()
    )


def moderated_organisations(user: User) -> QuerySet[Organisation]:
    """Return the organisations a moderator looks after (every one for staff)."""
    queryset = Organisation.objects.select_related("territory")
    if user.is_staff:
        return queryset
    return queryset.filter(territory__moderators=user).distinct()


def _with_registration(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Attach `registrations`: the organisation's first event by its own people, with its actor.

    That is the "created" event; organisations registered before it was recorded get their
    earliest member event instead. Moderators' decisions (they carry a status) never count:
    a moderator is not the registrant.
    """
    first = (
        OrganisationEvent.objects.filter(Q(kind="created") | Q(to_status=""))
        .select_related("actor")
        .order_by("created_at", "id")
    )
    return queryset.prefetch_related(
        Prefetch("events", queryset=first[:1], to_attr="registrations")
    )


def moderation_queue(user: User) -> QuerySet[Organisation]:
    """Return the organisations waiting for this moderator's decision, oldest first."""
    return _with_registration(
        moderated_organisations(user)
        .filter(status=Organisation.Status.PENDING)
        .order_by("created_at", "id")
    )


def moderation_decided(user: User, *, limit: int = 50) -> QuerySet[Organisation]:
    """Return the organisations already decided on, most recently changed first."""
    return _with_registration(
        moderated_organisations(user)
        .exclude(status=Organisation.Status.PENDING)
        .order_by("-updated_at", "-id")
    )[:limit]


def public_organisation(slug: str) -> Organisation | None:
    """Return the organisation behind a public page address, whatever its status."""
    return Organisation.objects.select_related("territory").filter(slug=slug).first()


def published_missions(organisation: Organisation) -> QuerySet[Any]:
    """Return the organisation's missions anyone may see (none until it is verified)."""
    if not organisation.can_publish:
        return organisation.missions.none()
    return organisation.missions.filter(status="published", is_internal=False)


def verified_organisations() -> QuerySet[Organisation]:
    """Return the organisations anyone may see (verified ones), by name."""
    return (
        Organisation.objects.filter(status=Organisation.Status.VERIFIED)
        .select_related("territory")
        .order_by("name", "pk")
    )


def territories() -> QuerySet[Territory]:
    """Return every territory an organisation can register in, by name."""
    return Territory.objects.order_by("name")


def contact_people(organisation: Organisation) -> QuerySet[Membership]:
    """Return the members shown as contact people on the public page."""
    return (
        Membership.objects.filter(organisation=organisation, is_contact=True)
        .select_related("user")
        .order_by("user__first_name", "user__email")
    )


def territory_of(user: Viewer | None) -> Territory | None:
    """Return the territory a person acts in, or None for somebody tied to none.

    A moderator's first territory, else that of the first organisation they belong to or
    work for (a company's employees join it in the companies app, through `employees`).
    One query: every page and every email asks.
    """
    if user is None or not user.is_authenticated:
        return None
    moderated = Territory.moderators.through.objects.filter(territory=OuterRef("pk"), user=user.pk)
    return (
        Territory.objects.filter(
            Q(moderators=user)
            | Q(organisations__memberships__user=user)
            | Q(organisations__employees__user=user)
        )
        .annotate(moderated=Exists(moderated))
        .order_by("-moderated", "name")
        .first()
    )
