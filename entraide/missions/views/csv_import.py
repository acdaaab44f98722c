"""Missions page for importing an organisation's missions from a CSV file."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from entraide.core.pages import error_summary as _summary
from entraide.core.pages import run_service as _run
from entraide.missions.forms import ImportForm
from entraide.missions.importing import missions_import_csv
from entraide.missions.views._common import _managed_organisation, _user

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
