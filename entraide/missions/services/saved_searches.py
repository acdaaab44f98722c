"""Writes for volunteers' saved searches and their one-click unsubscribe links."""

from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.core.errors import PermissionDeniedError
from entraide.missions.models import SavedSearch

MAX_SAVED_SEARCHES = 20
# The catalogue filters a saved search keeps; dates are left out, they would soon be stale.
SAVED_SEARCH_PARAMS = ("q", "theme", "where", "town", "radius_km", "skills")
SAVED_SEARCH_SALT = "entraide.missions.saved-search"


@transaction.atomic
def saved_search_create(
    *,
    user: User,
    name: str,
    params: dict[str, Any],
    lat: float | None = None,
    lon: float | None = None,
) -> SavedSearch:
    """Save the catalogue's current filters under a name; new matches are emailed daily.

    The user's row is locked before the name and the number of searches are checked, so two
    saves at once cannot both pass the limit or both take the same name.
    """
    name = " ".join(name.split())
    User.objects.select_for_update().filter(pk=user.pk).first()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give this search a name.")]
    elif SavedSearch.objects.filter(user=user, name=name).exists():
        errors["name"] = [_("You already have a search with this name.")]
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        errors["name"] = [
            _("You can keep at most %(count)d searches: delete one first.")
            % {"count": MAX_SAVED_SEARCHES}
        ]
    if errors:
        raise ValidationError(errors)
    kept = {key: str(params[key]).strip() for key in SAVED_SEARCH_PARAMS if params.get(key)}
    search = SavedSearch(
        user=user,
        name=name,
        params=kept,
        lat=lat if kept.get("town") else None,
        lon=lon if kept.get("town") else None,
    )
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, user: User) -> None:
    """Delete one of the volunteer's saved searches."""
    if search.user_id != user.pk:
        raise PermissionDeniedError(_("This is not your search."))
    search.delete()


@transaction.atomic
def saved_search_set_active(*, search: SavedSearch, active: bool) -> SavedSearch:
    """Turn a saved search's daily email on or off (the unsubscribe link turns it off)."""
    SavedSearch.objects.filter(pk=search.pk).update(is_active=active)
    search.refresh_from_db()
    return search


def saved_search_token(search: SavedSearch) -> str:
    """Return the signed token of a saved search's one-click unsubscribe link."""
    return signing.dumps(search.pk, salt=SAVED_SEARCH_SALT)


def saved_search_for_token(token: str) -> SavedSearch | None:
    """Return the saved search a token was made for, or None when it was tampered with."""
    try:
        search_id = signing.loads(token, salt=SAVED_SEARCH_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(search_id, int):
        return None
    return SavedSearch.objects.filter(pk=search_id).first()
