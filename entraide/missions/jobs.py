"""Periodic work for missions: reminders to volunteers and to organisations slow to answer."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from entraide.missions.models import Application
from entraide.missions.services import managers, slot_context
from entraide.notifications.services import notify
from entraide.organisations.models import Organisation


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
        # The dedupe key makes a second run of the job (or a second worker) send nothing.
        if notify(
            template="mission_slot_reminder",
            context=slot_context(application.slot),
            dedupe_key=f"application:{application.pk}:reminder:{application.slot_id}",
            recipient=application.volunteer,
        ):
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
    today = timezone.localdate().isoformat()
    sent = 0
    for row in waiting:
        organisation = Organisation.objects.get(pk=row["slot__mission__organisation"])
        for manager in managers(organisation):
            if notify(
                template="mission_applications_unanswered",
                context={
                    "organisation_name": organisation.name,
                    "organisation_slug": organisation.slug,
                    "count": row["count"],
                    "days": days,
                },
                dedupe_key=f"organisation:{organisation.pk}:unanswered:{today}:{manager.pk}",
                recipient=manager,
            ):
                sent += 1
    return sent
