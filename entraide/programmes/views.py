"""Pages of programmes: the public list, authoring and preview, enrolment, the member's page."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.accounts.models import User
from entraide.core.pages import error_summary, run_service
from entraide.core.vocabulary import Channel
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_manage_missions
from entraide.programmes import permissions, selectors, services
from entraide.programmes.forms import (
    ChallengeForm,
    CoordinatorForm,
    DayForm,
    EnrolForm,
    MoveForm,
    PhoneEnrolForm,
    ProgrammeForm,
    ResourceForm,
)
from entraide.programmes.models import DAY_NUMBERS, Day, Enrolment, Programme, day_label
from entraide.programmes.rendering import RenderError, render_in


def _programme(slug: str) -> Programme:
    programme = selectors.programme_by_slug(slug)
    if programme is None:
        raise Http404
    return programme


def _authored(request: HttpRequest, slug: str) -> Programme:
    programme = _programme(slug)
    if not permissions.can_author(request.user, programme):
        raise PermissionDenied
    return programme


@require_GET
def programmes(request: HttpRequest) -> HttpResponse:
    """The programmes open for enrolment."""
    return render(request, "programmes/list.html", {"programmes": selectors.published_programmes()})


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A programme's page: its challenges, days and resources, and the enrolment form."""
    programme = _programme(slug)
    version = selectors.latest_version(programme)
    if version is None and not permissions.can_author(request.user, programme):
        raise Http404
    enrolment = selectors.open_enrolment(programme, request.user)
    form = EnrolForm(initial={"language": get_language()})
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "version": version,
            "days": _version_days(version) if version else [],
            "enrolment": enrolment,
            "form": form,
            "can_author": permissions.can_author(request.user, programme),
        },
    )


def _version_days(version: object) -> list[dict[str, str]]:
    """Return the frozen days in the reader's language (else the default) with their labels."""
    language = get_language() or "fr"
    content = getattr(version, "content", {})
    default = content.get("default_language", "fr")
    days = []
    for number in DAY_NUMBERS:
        texts = content.get("days", {}).get(str(number), {})
        text = texts.get(language) if texts.get(language, {}).get("subject") else texts.get(default)
        days.append({"label": day_label(number), **(text or {})})
    return days


@login_required
@require_POST
def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    """A volunteer enrols for a start week."""
    programme = _programme(slug)
    form = EnrolForm(request.POST)
    user = cast(User, request.user)
    if form.is_valid():
        data = form.cleaned_data
        enrolment = run_service(
            request,
            form,
            lambda: services.enrol(
                programme=programme,
                user=user,
                start_week=data["start_week"],
                language=data["language"],
                territory=data["territory"],
                actor=user,
                channel=Channel.WEB,
            ),
        )
        if enrolment is not None:
            _enrolled_message(request, enrolment)
            return redirect("programmes:enrolment", pk=enrolment.pk)
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "version": selectors.latest_version(programme),
            "days": [],
            "form": form,
            "error_summary": error_summary(form),
        },
        status=400,
    )


def _enrolled_message(request: HttpRequest, enrolment: Enrolment) -> None:
    if enrolment.cohort is not None:
        messages.success(
            request,
            _("You are in cohort %(number)s, starting the week of %(week)s.")
            % {"number": enrolment.cohort.number, "week": enrolment.start_week.isoformat()},
        )
    else:
        messages.success(
            request,
            _("You are on the waiting list: you get a cohort as soon as a coordinator is free."),
        )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A volunteer's programmes."""
    return render(
        request,
        "programmes/mine.html",
        {
            "enrolments": selectors.enrolments_of(request.user),
            "cohorts": selectors.coordinated_cohorts(request.user),
        },
    )


def _member_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("programme", "cohort", "cohort__coordinator", "territory"),
        pk=pk,
    )
    if not permissions.can_act_for(request.user, enrolment):
        raise Http404
    return enrolment


@login_required
@require_http_methods(["GET", "POST"])
def enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's page: their cohort, its call and chat, move to a later week or leave."""
    found = _member_enrolment(request, pk)
    actor = cast(User, request.user)
    move_form = MoveForm(request.POST if request.POST.get("do") == "move" else None)
    if request.method == "POST":
        if request.POST.get("do") == "leave":
            done = run_service(
                request,
                None,
                lambda: services.enrolment_leave(enrolment=found, actor=actor, channel=Channel.WEB),
            )
            if done is not None:
                messages.success(request, _("You left the programme."))
                return redirect("programmes:mine")
        elif move_form.is_valid():
            done = run_service(
                request,
                move_form,
                lambda: services.enrolment_move(
                    enrolment=found,
                    start_week=move_form.cleaned_data["start_week"],
                    actor=actor,
                    channel=Channel.WEB,
                ),
            )
            if done is not None:
                _enrolled_message(request, done)
                return redirect("programmes:enrolment", pk=found.pk)
    return render(
        request,
        "programmes/enrolment.html",
        {
            "enrolment": found,
            "move_form": move_form,
            "error_summary": error_summary(move_form),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def phone_enrol(request: HttpRequest, slug: str) -> HttpResponse:
    """An operator enrols a caller (an account is made for a new email)."""
    programme = _programme(slug)
    if not permissions.is_operator(request.user):
        raise PermissionDenied
    operator = cast(User, request.user)
    form = PhoneEnrolForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enrolment = run_service(
            request,
            form,
            lambda: services.enrol_caller(
                programme=programme,
                email=data["email"],
                first_name=data["first_name"],
                start_week=data["start_week"],
                language=data["language"],
                territory=data["territory"],
                actor=operator,
            ),
        )
        if enrolment is not None:
            _enrolled_message(request, enrolment)
            return redirect("programmes:enrolment", pk=enrolment.pk)
    return render(
        request,
        "programmes/phone_enrol.html",
        {"programme": programme, "form": form, "error_summary": error_summary(form)},
    )


# Authoring ---------------------------------------------------------------------------------


def _managed_organisations(user: User) -> QuerySet[Organisation]:
    ids = [
        organisation.pk
        for organisation in Organisation.objects.filter(memberships__user=user).distinct()
        if can_manage_missions(user, organisation)
    ]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def authoring(request: HttpRequest) -> HttpResponse:
    """An author's programmes, and a new one."""
    organisations = _managed_organisations(cast(User, request.user))
    form = ProgrammeForm(request.POST or None, initial={"default_language": get_language()})
    actor = cast(User, request.user)
    if request.method == "POST":
        organisation = organisations.filter(pk=request.POST.get("organisation") or 0).first()
        if organisation is None:
            form.add_error(None, _("Choose one of your organisations."))
        if form.is_valid() and organisation is not None:
            programme = run_service(
                request,
                form,
                lambda: services.programme_create(
                    organisation=organisation, actor=actor, **form.cleaned_data
                ),
            )
            if programme is not None:
                messages.success(request, _("The programme is created: write its days."))
                return redirect("programmes:edit", slug=programme.slug)
    return render(
        request,
        "programmes/authoring.html",
        {
            "programmes": selectors.authored_programmes(request.user),
            "organisations": organisations,
            "form": form,
            "error_summary": error_summary(form),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """An author's programme: settings, challenges, resources, days, coordinators, publish."""
    programme = _authored(request, slug)
    actor = cast(User, request.user)
    do = request.POST.get("do", "") if request.method == "POST" else ""
    forms = {
        "settings": ProgrammeForm(
            request.POST if do == "settings" else None,
            initial={name: getattr(programme, name) for name in services.PROGRAMME_FIELDS},
        ),
        "challenge": ChallengeForm(request.POST if do == "challenge" else None),
        "resource": ResourceForm(request.POST if do == "resource" else None),
        "coordinator": CoordinatorForm(request.POST if do == "coordinator" else None),
    }
    if do == "publish":
        version = run_service(
            request, None, lambda: services.programme_publish(programme=programme, actor=actor)
        )
        if version is not None:
            messages.success(
                request, _("Version %(number)s is published.") % {"number": version.number}
            )
            return redirect("programmes:edit", slug=programme.slug)
    elif do in forms and forms[do].is_valid():
        data = forms[do].cleaned_data
        calls = {
            "settings": lambda: services.programme_update(programme=programme, actor=actor, **data),
            "challenge": lambda: services.challenge_add(programme=programme, actor=actor, **data),
            "resource": lambda: services.resource_add(programme=programme, actor=actor, **data),
            "coordinator": lambda: services.coordinator_add_by_email(
                programme=programme, email=data["email"], actor=actor
            ),
        }
        if run_service(request, forms[do], calls[do]) is not None:
            messages.success(request, _("Saved."))
            return redirect("programmes:edit", slug=programme.slug)
    return render(
        request,
        "programmes/edit.html",
        {
            "programme": programme,
            "forms": forms,
            "days": [(day, day_label(day.number)) for day in programme.days.all()],
            "versions": programme.versions.all(),
            "cohorts": selectors.cohorts_of(programme),
            "waiting": selectors.waiting_count(programme),
            "problems": selectors.render_problems(programme)[:20],
            "coordinators": programme.coordinators.select_related("user"),
            "error_summary": error_summary(*[form for form in forms.values() if form.is_bound]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An author writes one day's email in French, Dutch and English."""
    programme = _authored(request, slug)
    day = get_object_or_404(Day, programme=programme, number=number)
    form = DayForm(
        request.POST or None,
        initial={name: getattr(day, name) for name in DayForm().fields},
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            form,
            lambda: services.day_update(
                day=day, texts=form.cleaned_data, actor=cast(User, request.user)
            ),
        )
        if done is not None:
            messages.success(request, _("The day is saved (publish a version to send it)."))
            return redirect("programmes:day_edit", slug=slug, number=number)
    return render(
        request,
        "programmes/day_edit.html",
        {
            "programme": programme,
            "day": day,
            "label": day_label(day.number),
            "form": form,
            "error_summary": error_summary(form),
        },
    )


@login_required
@require_GET
def day_preview(request: HttpRequest, slug: str, number: int, language: str) -> HttpResponse:
    """The draft day's email as a member would read it in one language."""
    programme = _authored(request, slug)
    if language not in services.LANGUAGE_CODES:
        raise Http404
    preview = services.preview_version(programme)
    try:
        rendered = render_in(preview, number, language, services.PREVIEW_VALUES)
        problem = ""
    except RenderError as exc:
        rendered, problem = None, str(exc)
    return render(
        request,
        "programmes/day_preview.html",
        {
            "programme": programme,
            "label": day_label(number),
            "number": number,
            "language": language,
            "languages": services.LANGUAGE_CODES,
            "rendered": rendered,
            "problem": problem,
        },
    )
