"""Periodic work for missions: reminders, organisations slow to answer, saved-search digests.

Each email is queued in its own transaction: one that fails is logged and tried again at the
next run (its dedupe key keeps the others from going twice), and never stops the others.
"""

import logging
from dataclasses import replace
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from entraide.core.links import absolute_url
from entraide.missions.forms import CatalogueForm
from entraide.missions.models import Application, SavedSearch
from entraide.missions.selectors import missions_catalogue
from entraide.missions.services import managers_by_organisation, saved_search_token, slot_context
from entraide.notifications.services import notify
from entraide.organisations.models import Organisation

logger = logging.getLogger(__name__)


def remind_tomorrows_slots() -> int:
    """Email each accepted volunteer whose slot starts tomorrow (local day); return how many."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    applications = Application.objects.filter(
        status=Application.Status.ACCEPTED,
        slot__starts_at__date=tomorrow,
        slot__mission__status__in=("published", "full", "closed"),
    ).select_related("volunteer", "slot", "slot__mission", "slot__mission__organisation__territory")
    sent = 0
    for application in applications:
        try:
            with transaction.atomic():
                # The dedupe key makes a second run of the job (or a second worker) send nothing.
                queued = notify(
                    template="mission_slot_reminder",
                    context=slot_context(application.slot),
                    dedupe_key=f"application:{application.pk}:reminder:{application.slot_id}",
                    recipient=application.volunteer,
                )
        except Exception:  # one volunteer's reminder must not stop the others'
            logger.exception("Reminding application %s of its slot failed", application.pk)
            continue
        if queued:
            sent += 1
    return sent


def remind_unanswered_applications() -> int:
    """Remind organisations of applications pending too long, once a day; return how many."""
    days = settings.MISSIONS_UNANSWERED_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    waiting = (
        Application.objects.filter(
            status=Application.Status.PENDING,
            created_at__lt=cutoff,
            slot__starts_at__gt=timezone.now(),
        )
        .values("slot__mission__organisation")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
    )
    rows = list(waiting)
    ids = [row["slot__mission__organisation"] for row in rows]
    organisations = Organisation.objects.in_bulk(ids)
    managers = managers_by_organisation(ids)
    today = timezone.localdate().isoformat()
    sent = 0
    for row in rows:
        organisation = organisations[row["slot__mission__organisation"]]
        for manager in managers.get(organisation.pk, []):
            try:
                with transaction.atomic():
                    queued = notify(
                        template="mission_applications_unanswered",
                        context={
                            "organisation_name": organisation.name,
                            "organisation_slug": organisation.slug,
                            "count": row["count"],
                            "days": days,
                        },
                        dedupe_key=f"organisation:{organisation.pk}:unanswered:{today}:{manager.pk}",
                        recipient=manager,
                    )
            except Exception:  # one manager's reminder must not stop the others'
                logger.exception(
                    "Reminding manager %s of organisation %s failed", manager.pk, organisation.pk
                )
                continue
            if queued:
                sent += 1
    return sent


def _unsubscribe_url(search: SavedSearch) -> str:
    """Return the absolute one-click link that stops a saved search's emails, in its language."""
    return absolute_url(
        "missions:saved_search_unsubscribe",
        language=search.user.language,
        args=[saved_search_token(search)],
    )


def _send_saved_search_digest(search: SavedSearch, *, today: date) -> bool:
    """Queue one saved search's digest of new missions; return False when none is due."""
    since = search.last_digest_at or search.created_at
    if search.last_digest_at is not None and timezone.localdate(search.last_digest_at) == today:
        return False
    form = CatalogueForm(search.params)
    if not form.is_valid():
        return False
    # Filtering on the publication date in the query (not after the catalogue's cap of
    # 500 soonest missions) keeps the read small and never misses a new mission.
    filters = replace(form.to_filters(lat=search.lat, lon=search.lon), published_after=since)
    new = missions_catalogue(viewer=search.user, filters=filters)
    if not new:
        return False
    queued = notify(
        template="mission_saved_search_digest",
        context={
            "search_name": search.name,
            "missions": [
                {
                    "title": mission.title,
                    "organisation_name": mission.organisation.name,
                    "town": "" if mission.is_remote else mission.town,
                    "public_id": str(mission.public_id),
                }
                for mission in new[:20]
            ],
            "more": max(0, len(new) - 20),
            "unsubscribe_url": _unsubscribe_url(search),
        },
        dedupe_key=f"saved-search:{search.pk}:{today.isoformat()}",
        recipient=search.user,
    )
    SavedSearch.objects.filter(pk=search.pk).update(last_digest_at=timezone.now())
    return queued is not None


def send_saved_search_digests() -> int:
    """Email each saved search's new matching missions, once a day; return how many emails.

    Runs every few minutes and does nothing before NOTIFICATION_DIGEST_HOUR (local time). A
    search with nothing published since its last digest sends nothing and keeps its date, so
    the next day's digest still covers everything since the last one sent.
    """
    now = timezone.localtime()
    if now.hour < settings.NOTIFICATION_DIGEST_HOUR:
        return 0
    today = now.date()
    sent = 0
    searches = SavedSearch.objects.filter(is_active=True, user__is_active=True).select_related(
        "user"
    )
    for search in searches:
        try:
            with transaction.atomic():
                queued = _send_saved_search_digest(search, today=today)
        except Exception:  # one search's digest must not stop the others'
            logger.exception("The digest of saved search %s failed", search.pk)
            continue
        if queued:
            sent += 1
    return sent
