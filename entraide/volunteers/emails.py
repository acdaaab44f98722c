"""How volunteers hear about requests near them: right away, once a day, or never.

The outbox asks these preferences which emails wait for the daily digest or are skipped, and
its one-click unsubscribe and preferences pages change them.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.accounts.models import User
from entraide.notifications.registry import Preferences
from entraide.volunteers.models import NotificationMode, VolunteerProfile

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@transaction.atomic
def notification_mode_set(*, user: User, mode: str) -> VolunteerProfile:
    """Change how a volunteer hears about requests: immediate, digest or none."""
    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise ValidationError({"mode": [_("Only volunteers receive these emails.")]})
    if mode not in NotificationMode.values:
        raise ValidationError({"mode": [_("Choose how we should tell you about requests.")]})
    profile.notification_mode = mode
    # Only this field changes: an old profile that misses a newer rule must not block it.
    others = [f.name for f in VolunteerProfile._meta.fields if f.name != "notification_mode"]
    profile.full_clean(exclude=others)
    profile.save(update_fields=["notification_mode", "updated_at"])
    return profile


def _choices() -> list[tuple[str, "StrOrPromise"]]:
    return list(NotificationMode.choices)


PREFERENCES = Preferences(
    mode_path="volunteer_profile__notification_mode",
    label=gettext_lazy("Email me about requests near me"),
    choices=_choices,
    set_mode=notification_mode_set,
)
