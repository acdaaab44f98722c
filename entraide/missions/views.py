"""Missions pages: the catalogue, a mission, an organisation's management, my applications."""

import io
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from entraide.accounts.models import User
from entraide.core.errors import DomainError
from entraide.core.places import geocode
from entraide.help_requests.forms import AccessibleForm
from entraide.missions import selectors, services
from entraide.missions.certificate import certificate_pdf
from entraide.missions.forms import (
    ApplyForm,
    CancelMissionForm,
    CatalogueForm,
    DeclineForm,
    HoursForm,
    ImportForm,
    MissionForm,
    SaveSearchForm,
    SlotForm,
    TemplateForm,
    WeeklySlotsForm,
)
from entraide.missions.importing import missions_import_csv
from entraide.missions.models import Application, Mission, MissionSlot, MissionTemplate, SavedSearch
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_manage_missions, can_moderate


def _run(request: HttpRequest, form: AccessibleForm | None, call: Any) -> Any:
    """Call a service; put its field errors on the form or its refusal in a message."""
    try:
        return call()
    except ValidationError as exc:
        if form is not None:
            form.add_service_errors(exc)
        else:
            messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, exc.message)
    return None


def _pk(value: str | None) -> int | None:
    """Return a posted id as a number, or None (then nothing is found) when it is not one."""
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def _user(request: HttpRequest) -> User:
    """Return the signed-in person (the views that call this require a log-in)."""
    return cast(User, request.user)


def _summary(*forms: AccessibleForm) -> list[dict[str, str]]:
    """Return the error summary of every bound form on the page."""
    summary = []
    for form in forms:
        if form.is_bound:
            form.describe_inputs()
            summary.extend(form.error_summary())
    return summary


@require_http_methods(["GET", "POST"])
def catalogue(request: HttpRequest) -> HttpResponse:
    """List published missions with filters and a map; a volunteer saves the filters by name."""
    form = CatalogueForm(request.GET or None)
    missions: list[Mission] = []
    lat = lon = None
    if not form.is_bound or form.is_valid():
        if form.is_bound and form.cleaned_data.get("town"):
            try:
                place = geocode(town=form.cleaned_data["town"])
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                lat, lon = place.lat, place.lon
        if not form.is_bound:
            form.cleaned_data = {}
        if not form.errors:
            missions = selectors.missions_catalogue(
                viewer=request.user, filters=form.to_filters(lat=lat, lon=lon)
            )
    save_form = SaveSearchForm(request.POST or None, prefix="save")
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if save_form.is_valid() and not form.errors:
            saved = _run(
                request,
                save_form,
                lambda: services.saved_search_create(
                    user=_user(request),
                    name=save_form.cleaned_data["name"],
                    params=request.GET.dict(),
                    lat=lat,
                    lon=lon,
                ),
            )
            if saved is not None:
                messages.success(
                    request, _("Search saved: we will email you when new missions match it.")
                )
                return redirect(request.get_full_path())
    page = Paginator(missions, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    points = selectors.catalogue_map_points(
        missions, precision_m=settings.PUBLIC_POSITION_PRECISION_M
    )
    for point in points:
        point["url"] = reverse("missions:detail", args=[point.pop("public_id")])
    return render(
        request,
        "missions/catalogue.html",
        {
            "form": form,
            "save_form": save_form,
            "page": page,
            "query": query.urlencode(),
            "map_points": points,
            "error_summary": _summary(form, save_form),
        },
        status=400 if save_form.errors else 200,
    )


def _mission_or_404(request: HttpRequest, public_id: Any) -> Mission:
    """Return the mission if the viewer may see it, else raise a 404."""
    mission = selectors.mission_by_public_id(public_id)
    if mission is None or not selectors.can_see(mission, request.user):
        raise Http404
    return mission


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Show a mission and its slots; a signed-in volunteer applies to a slot with a message."""
    mission = _mission_or_404(request, public_id)
    form = ApplyForm(request.POST or None)
    applied_slot = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        applied_slot = get_object_or_404(
            MissionSlot, pk=_pk(request.POST.get("slot")), mission=mission
        )
        if form.is_valid():
            application = _run(
                request,
                form,
                lambda: services.application_submit(
                    slot=applied_slot,
                    volunteer=_user(request),
                    message=form.cleaned_data["message"],
                ),
            )
            if application is not None:
                if application.status == Application.Status.WAITLISTED:
                    messages.warning(request, _("This slot is full: you are on the waiting list."))
                else:
                    messages.success(request, _("Thank you! The organisation will answer soon."))
                return redirect("missions:detail", public_id=mission.public_id)
    accepted = selectors.is_accepted_on(mission, request.user)
    return render(
        request,
        "missions/detail.html",
        {
            "mission": mission,
            "slots": selectors.mission_slots(mission, upcoming_only=True),
            "mine": selectors.applications_of_volunteer_for(mission, request.user),
            "accepted": accepted,
            "can_manage": can_manage_missions(request.user, mission.organisation),
            "form": form,
            "applied_slot": applied_slot,
            "error_summary": _summary(form),
        },
    )


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    """Return the organisation if the signed-in person manages its missions, else 404."""
    organisation = get_object_or_404(Organisation.objects.select_related("territory"), slug=slug)
    if not can_manage_missions(request.user, organisation):
        raise Http404
    return organisation


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
    hours_form = HoursForm(post if action == "hours" else None, prefix="hours")
    template_form = TemplateForm(post if action == "template" else None, prefix="template")
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
        shift_days = int(shift) if shift.lstrip("-").isdigit() and abs(int(shift)) < 3660 else None
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
        if hours_form.is_valid():
            done = _run(
                request,
                hours_form,
                lambda: services.participations_confirm_bulk(
                    slot=slot, hours=hours_form.cleaned_data["hours"], actor=user
                ),
            )
    if done is not None:
        messages.success(request, _("Saved."))
        return redirect("missions:manage", public_id=mission.public_id)
    mission.refresh_from_db()
    return render(
        request,
        "missions/manage.html",
        {
            "mission": mission,
            "slots": selectors.mission_slots(mission),
            "applications": selectors.applications_of_mission(mission),
            "slot_form": slot_form,
            "weekly_form": weekly_form,
            "cancel_form": cancel_form,
            "decline_form": decline_form,
            "hours_form": hours_form,
            "template_form": template_form,
            "can_propose": mission.status == Mission.Status.PUBLISHED
            and can_manage_missions(user, mission.organisation),
            "posted_id": request.POST.get("application") or request.POST.get("slot"),
            "can_moderate": can_moderate(user, mission.organisation),
            "error_summary": _summary(
                slot_form, weekly_form, cancel_form, decline_form, hours_form, template_form
            ),
        },
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_applications(request: HttpRequest) -> HttpResponse:
    """List the volunteer's applications and history; withdraw one."""
    if request.method == "POST":
        application = get_object_or_404(
            Application, pk=_pk(request.POST.get("application")), volunteer=request.user
        )
        withdrawn = _run(
            request,
            None,
            lambda: services.application_withdraw(
                application=application, volunteer=_user(request)
            ),
        )
        if withdrawn is not None:
            messages.success(request, _("You withdrew. Thank you for telling the organisation."))
        return redirect("missions:mine")
    applications = selectors.my_applications(request.user)
    total = sum(
        (line.hours for line in selectors.confirmed_hours(request.user)),
        start=Decimal("0"),
    )
    return render(
        request,
        "missions/mine.html",
        {
            "applications": applications,
            "total_hours": total,
            "now": timezone.now(),
            "active_statuses": services.ACTIVE_APPLICATION_STATUSES,
        },
    )


@login_required
@require_GET
def certificate(request: HttpRequest) -> HttpResponse:
    """Download the volunteering certificate (hours confirmed per mission) as a PDF."""
    lines = selectors.confirmed_hours(request.user)
    response = HttpResponse(
        certificate_pdf(volunteer=_user(request), lines=lines), "application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="volunteering-certificate.pdf"'
    return response


IMPORT_SESSION_KEY = "missions-import-{slug}"


@login_required
@require_http_methods(["GET", "POST"])
def mission_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a CSV of missions: check it and show what it holds, then import it on request."""
    organisation = _managed_organisation(request, slug)
    session_key = IMPORT_SESSION_KEY.format(slug=organisation.slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and request.POST.get("action") == "import":
        # The checked file waits in the session so that the person need not upload it twice.
        text = request.session.get(session_key)
        if text is None:
            messages.error(request, _("Upload the file again: the checked copy has expired."))
            return redirect("missions:import", slug=organisation.slug)
        report = _run(
            request,
            None,
            lambda: missions_import_csv(
                organisation=organisation,
                file=io.BytesIO(text.encode("utf-8")),
                actor=_user(request),
                dry_run=False,
            ),
        )
        if report is not None and report.ok:
            request.session.pop(session_key, None)
            messages.success(request, report.summary())
            return redirect("missions:organisation", slug=organisation.slug)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = _run(
            request,
            None,
            lambda: missions_import_csv(
                organisation=organisation,
                file=io.BytesIO(data),
                actor=_user(request),
                dry_run=True,
            ),
        )
        if report is not None and report.ok:
            request.session[session_key] = data.decode("utf-8-sig")
        else:
            request.session.pop(session_key, None)
    return render(
        request,
        "missions/import.html",
        {
            "organisation": organisation,
            "form": form,
            "report": report,
            "error_summary": _summary(form),
        },
        status=400 if (report is not None and not report.ok) or form.errors else 200,
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


@login_required
@require_http_methods(["GET", "POST"])
def saved_searches(request: HttpRequest) -> HttpResponse:
    """List the volunteer's saved searches; turn their emails on or off, or delete one."""
    if request.method == "POST":
        search = get_object_or_404(
            SavedSearch, pk=_pk(request.POST.get("search")), user=request.user
        )
        action = request.POST.get("action")
        if action == "delete":
            services.saved_search_delete(search=search, user=_user(request))
            messages.success(request, _("Search deleted."))
        elif action in ("on", "off"):
            services.saved_search_set_active(search=search, active=action == "on")
            messages.success(request, _("Saved."))
        return redirect("missions:saved_searches")
    searches = []
    for search in selectors.saved_searches_of(request.user):
        query = QueryDict(mutable=True)
        query.update(search.params)
        searches.append({"search": search, "query": query})
    return render(request, "missions/saved_searches.html", {"searches": searches})


@csrf_exempt  # mail clients' one-click unsubscribe posts without a form; the token is the key
@require_http_methods(["GET", "POST"])
def saved_search_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (our button or the mail client's one click) stops the emails."""
    search = services.saved_search_for_token(token)
    if search is None:
        raise Http404
    if request.method == "POST":
        search = services.saved_search_set_active(search=search, active=False)
    return render(
        request,
        "missions/saved_search_unsubscribe.html",
        {"search": search, "token": token, "done": request.method == "POST"},
    )
