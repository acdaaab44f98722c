"""Writes for organisations: registration, moderation, members and invitations.

The web pages, the back office and commands all call these functions. Every status change is
a conditional UPDATE (of two moderators deciding at once, exactly one wins) followed by an
append-only OrganisationEvent in the same transaction.
"""

from entraide.organisations.services.invitations import (
    INVITATION_VALID_DAYS,
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_revoke,
    member_invite,
)
from entraide.organisations.services.members import (
    member_change_role,
    member_remove,
    member_set_contact,
)
from entraide.organisations.services.moderation import (
    organisation_move,
    organisation_reinstate,
    organisation_reject,
    organisation_suspend,
    organisation_verify,
)
from entraide.organisations.services.registration import (
    EDITABLE_FIELDS,
    RESERVED_SLUGS,
    SLUG_MAX_LENGTH,
    organisation_register,
    organisation_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "INVITATION_VALID_DAYS",
    "RESERVED_SLUGS",
    "SLUG_MAX_LENGTH",
    "invitation_accept",
    "invitation_accept_with_new_account",
    "invitation_revoke",
    "member_change_role",
    "member_invite",
    "member_remove",
    "member_set_contact",
    "organisation_move",
    "organisation_register",
    "organisation_reinstate",
    "organisation_reject",
    "organisation_suspend",
    "organisation_update",
    "organisation_verify",
]
