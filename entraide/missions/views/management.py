"""Missions pages for organisations: their missions, the mission form, running one, proposing it."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from entraide.accounts.models import User
from entraide.core.numbers import whole_number
from entraide.core.pages import error_summary as _summary
from entraide.core.pages import run_service as _run
from entraide.missions import selectors, services
from entraide.missions.forms import (
    CancelMissionForm,
    DeclineForm,
    MissionForm,
    SlotForm,
    SlotHoursForm,
    TemplateForm,
    WeeklySlotsForm,
)
from entraide.missions.models import Application, Mission, MissionSlot, MissionTemplate
from entraide.missions.views._common import _managed_organisation, _pk, _user
from entraide.organisations.permissions import can_manage_missions, can_moderate


@login_required
@require_http_methods(["GET", "POST"])
def organisation_missions(request: HttpRequest, slug: str) -> HttpResponse:
    """List an organisation's missions, the applications waiting, and its response rate."""
    organisation = _managed_organisation(request, slug)
    if request.method == "POST":
        template = get_object_or_404(
            MissionTemplate, pk=_pk(request.POST.get("template")), organisation=organisation
        )
        deleted = _run(
            request,
            None,
            lambda: (
                services.mission_template_delete(template=template, actor=_user(request)) or True
            ),
        )
        if deleted:
            messages.success(request, _("Template deleted."))
        return redirect("missions:organisation", slug=organisation.slug)
    rate = selectors.response_rate(organisation, within_days=settings.MISSIONS_UNANSWERED_DAYS)
    return render(
        request,
        "missions/organisation.html",
        {
            "organisation": organisation,
            "missions": selectors.missions_of_organisation(organisation),
            "to_answer": selectors.applications_to_answer(organisation)[:100],
            "templates": selectors.templates_of_organisation(organisation),
            "response_rate": None if rate is None else round(rate * 100),
            "response_days": settings.MISSIONS_UNANSWERED_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mission_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Create a draft mission for an organisation."""
    organisation = _managed_organisation(request, slug)
    initial: dict[str, Any] = {}
    template_id = request.GET.get("template", "")
    if template_id:
        template = get_object_or_404(
            MissionTemplate,
            pk=_pk(template_id),
            organisation=organisation,
        )
        initial = services.template_initial(template)
    form = MissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        mission = _run(
            request,
            form,
            lambda: services.mission_create(
                organisation=organisation, actor=_user(request), **form.service_arguments()
            ),
        )
        if mission is not None:
            messages.success(request, _("Draft saved. Add its slots, then submit it."))
            return redirect("missions:manage", public_id=mission.public_id)
    return render(
        request,
        "missions/mission_form.html",
        {"form": form, "organisation": organisation, "error_summary": _summary(form)},
    )


def _managed_mission(request: HttpRequest, public_id: Any) -> Mission:
    """Return the mission if the signed-in person manages it (or moderates it), else 404."""
    mission = selectors.mission_by_public_id(public_id)
    if mission is None or not (
        can_manage_missions(request.user, mission.organisation)
        or can_moderate(request.user, mission.organisation)
    ):
        raise Http404
    return mission


@login_required
@require_http_methods(["GET", "POST"])
def mission_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Change a mission's description, place or contact."""
    mission = _managed_mission(request, public_id)
    initial = {name: getattr(mission, name) for name in services.MISSION_FIELDS}
    initial["skills"] = ", ".join(mission.skills)
    form = MissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        updated = _run(
            request,
            form,
            lambda: services.mission_update(mission=mission, actor=_user(request), **arguments),
        )
        if updated is not None:
            messages.success(request, _("Mission saved."))
            return redirect("missions:manage", public_id=mission.public_id)
    return render(
        request,
        "missions/mission_form.html",
        {
            "form": form,
            "organisation": mission.organisation,
            "mission": mission,
            "error_summary": _summary(form),
        },
    )


def _hours_form(
    slot: MissionSlot, data: Any, applications: list[Application] | None = None
) -> SlotHoursForm:
    """Return the form of one slot's hours: one input per accepted volunteer."""
    if applications is None:
        applications = list(selectors.applications_of_mission(slot.mission).filter(slot=slot))
    accepted = [a for a in applications if a.slot_id == slot.pk and a.status == "accepted"]
    return SlotHoursForm(
        data,
        slot=slot,
        applications=accepted,
        max_hours=services.slot_length_hours(slot),
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One page to run a mission: status, slots, applications to answer, hours to confirm."""
    mission = _managed_mission(request, public_id)
    action = request.POST.get("action", "")
    post = request.POST if request.method == "POST" else None
    slot_form = SlotForm(post if action == "slot" else None, prefix="slot")
    weekly_form = WeeklySlotsForm(post if action == "weekly" else None, prefix="weekly")
    cancel_form = CancelMissionForm(post if action == "cancel" else None, prefix="cancel")
    decline_form = DeclineForm(post if action == "decline" else None, prefix="decline")
    template_form = TemplateForm(post if action == "template" else None, prefix="template")
    hours_form: SlotHoursForm | None = None
    done: Any = None
    user = _user(request)
    if action == "slot" and slot_form.is_valid():
        done = _run(
            request,
            slot_form,
            lambda: services.slot_add(mission=mission, actor=user, **slot_form.cleaned_data),
        )
    elif action == "weekly" and weekly_form.is_valid():
        done = _run(
            request,
            weekly_form,
            lambda: services.slots_add_weekly(
                mission=mission, actor=user, **weekly_form.cleaned_data
            ),
        )
    elif action in ("submit", "publish", "close"):
        service = {
            "submit": services.mission_submit,
            "publish": services.mission_publish,
            "close": services.mission_close,
        }[action]
        done = _run(request, None, lambda: service(mission=mission, actor=user))
    elif action == "cancel" and cancel_form.is_valid():
        done = _run(
            request,
            cancel_form,
            lambda: services.mission_cancel(
                mission=mission, actor=user, reason=cancel_form.cleaned_data["reason"]
            ),
        )
    elif action == "template" and template_form.is_valid():
        done = _run(
            request,
            template_form,
            lambda: services.mission_template_save(
                mission=mission, actor=user, name=template_form.cleaned_data["name"]
            ),
        )
    elif action == "duplicate":
        shift = request.POST.get("shift_days", "")
        shift_days = whole_number(shift, max_digits=4, negative=True)
        if shift_days is not None and abs(shift_days) >= 3660:
            shift_days = None
        copy = _run(
            request,
            None,
            lambda: services.mission_duplicate(mission=mission, actor=user, shift_days=shift_days),
        )
        if copy is not None:
            messages.success(request, _("Copy saved as a draft."))
            return redirect("missions:manage", public_id=copy.public_id)
    elif action in ("accept", "decline"):
        application = get_object_or_404(
            Application, pk=_pk(request.POST.get("application")), slot__mission=mission
        )
        if action == "accept":
            done = _run(
                request,
                None,
                lambda: services.application_accept(application=application, actor=user),
            )
        elif decline_form.is_valid():
            done = _run(
                request,
                decline_form,
                lambda: services.application_decline(
                    application=application,
                    actor=user,
                    reason=decline_form.cleaned_data["reason"],
                ),
            )
    elif action == "hours":
        slot = get_object_or_404(MissionSlot, pk=_pk(request.POST.get("slot")), mission=mission)
        hours_form = _hours_form(slot, post)
        if hours_form.is_valid():
            done = _run(
                request,
                hours_form,
                lambda: services.participations_confirm(
                    slot=slot, hours_by_application=hours_form.hours_by_application(), actor=user
                ),
            )
    if done is not None:
        messages.success(request, _("Saved."))
        return redirect("missions:manage", public_id=mission.public_id)
    if request.method == "POST":
        # A refused write may have changed the mission in memory before it rolled back.
        mission.refresh_from_db()
    slots = list(selectors.mission_slots(mission))
    applications = list(selectors.applications_of_mission(mission))
    for slot_row in slots:
        slot_row.length_hours = services.slot_length_hours(slot_row)  # type: ignore[attr-defined]
        if hours_form is not None and hours_form.slot.pk == slot_row.pk:
            slot_row.hours_form = hours_form  # type: ignore[attr-defined]
        else:
            slot_row.hours_form = _hours_form(slot_row, None, applications)  # type: ignore[attr-defined]
    return render(
        request,
        "missions/manage.html",
        {
            "mission": mission,
            "slots": slots,
            "now": timezone.now(),
            "applications": applications,
            "slot_form": slot_form,
            "weekly_form": weekly_form,
            "cancel_form": cancel_form,
            "decline_form": decline_form,
            "template_form": template_form,
            "can_propose": mission.status == Mission.Status.PUBLISHED
            and can_manage_missions(user, mission.organisation),
            "posted_id": request.POST.get("application") or request.POST.get("slot"),
            "can_moderate": can_moderate(user, mission.organisation),
            "error_summary": _summary(
                slot_form,
                weekly_form,
                cancel_form,
                decline_form,
                template_form,
                *([hours_form] if hours_form is not None else []),
            ),
        },
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show the volunteers who fit a published mission; propose it to one by email."""
    mission = selectors.mission_by_public_id(public_id)
    if mission is None or not can_manage_missions(request.user, mission.organisation):
        raise Http404
    if request.method == "POST":
        volunteer_id = request.POST.get("volunteer", "")
        volunteer = get_object_or_404(User, pk=_pk(volunteer_id), is_active=True)
        proposed = _run(
            request,
            None,
            lambda: services.mission_propose(
                mission=mission, volunteer=volunteer, actor=_user(request)
            ),
        )
        if proposed is not None:
            messages.success(
                request,
                _("Mission proposed to %(name)s by email.") % {"name": volunteer.first_name},
            )
        return redirect("missions:propose", public_id=mission.public_id)
    fits = selectors.fitting_volunteers(mission) if mission.status == "published" else []
    return render(
        request,
        "missions/propose.html",
        {
            "mission": mission,
            "fits": fits,
            "sent_today": selectors.proposals_sent_today(mission),
            "daily_limit": settings.MISSIONS_PROPOSALS_PER_DAY,
        },
    )
