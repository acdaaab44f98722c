"""Missions pages for volunteers: my applications, my certificate, my saved searches."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from entraide.accounts.current import current_user
from entraide.core.errors import DomainError, refusal_message
from entraide.core.links import absolute_url
from entraide.core.pages import run_service as _run
from entraide.missions import selectors, services
from entraide.missions.certificate import certificate_pdf
from entraide.missions.models import Application, SavedSearch
from entraide.missions.views._common import _pk, _user
from entraide.organisations.models import Organisation


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
    applications = selectors.my_applications(current_user(request))
    total = sum(
        (line.hours for line in selectors.confirmed_hours(current_user(request))),
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
    """List the organisations that confirmed the volunteer's hours, one certificate each."""
    return render(
        request,
        "missions/certificates.html",
        {"totals": selectors.hours_by_organisation(current_user(request))},
    )


@login_required
@require_GET
def certificate_download(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the certificate of the hours one organisation confirmed, as a PDF."""
    volunteer = current_user(request)
    organisation = get_object_or_404(Organisation, slug=slug)
    try:
        issued = services.certificate_issue(volunteer=volunteer, organisation=organisation)
    except DomainError as exc:
        messages.error(request, refusal_message(exc))
        return render(
            request,
            "missions/certificates.html",
            {"totals": selectors.hours_by_organisation(volunteer)},
            status=404,
        )
    lines = selectors.confirmed_hours(volunteer, organisation=organisation)
    verify_url = absolute_url(
        "missions:verify_code", language=get_language(), kwargs={"code": issued.display_code}
    )
    pdf = certificate_pdf(certificate=issued, lines=lines, verify_url=verify_url)
    response = HttpResponse(pdf, "application/pdf")
    filename = f"volunteering-certificate-{issued.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Say whether a certificate code is genuine, and what it certifies (no log-in needed)."""
    typed = code or request.GET.get("code", "")
    found = selectors.certificate_by_code(services.normalise_certificate_code(typed))
    return render(
        request,
        "missions/verify.html",
        {"typed": typed[:40], "found": found},
        status=404 if typed and found is None else 200,
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
    for search in selectors.saved_searches_of(current_user(request)):
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
