"""Receipts pages: an association's receipts and settings, a donor's receipts and statements,
the operators' list, the PDF download and the public verification page."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from entraide.accounts.models import User
from entraide.core.csv_files import csv_download, spreadsheet_safe
from entraide.core.links import absolute_url
from entraide.core.pages import error_summary, run_service
from entraide.core.vocabulary import Channel
from entraide.goods.models import Pickup
from entraide.organisations.models import Organisation
from entraide.receipts import permissions, selectors, services
from entraide.receipts.forms import CancelForm, IssuerProfileForm
from entraide.receipts.models import Receipt
from entraide.receipts.pdf import receipt_response, statement_pdf
from entraide.receipts.selectors import Statement


def _user(request: HttpRequest) -> User:
    """Return the signed-in person (the views that call this require a log-in)."""
    return cast(User, request.user)


def _channel(request: HttpRequest) -> str:
    """Return the phone channel for an operator acting for an association, else the web."""
    return Channel.PHONE if getattr(request.user, "is_operator", False) else Channel.WEB


def _pk(value: str | None) -> int:
    """Return a posted id, or raise Http404 for a malformed one."""
    if not value or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _year(value: str | None) -> int | None:
    """Return a year from the query string, or None for all years (or a malformed one)."""
    if value and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


def _issuer_organisation(request: HttpRequest, slug: str) -> Organisation:
    """Return the association whose receipts the person manages, or refuse (404, 403)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_issue(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def association(request: HttpRequest, slug: str) -> HttpResponse:
    """List an association's receipts; issue one for a received pickup; cancel or re-send one."""
    organisation = _issuer_organisation(request, slug)
    cancel_form = CancelForm(request.POST if request.POST.get("action") == "cancel" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        actor, channel = _user(request), _channel(request)
        if action == "issue":
            pickup = get_object_or_404(
                Pickup, pk=_pk(request.POST.get("pickup")), organisation=organisation
            )
            issued = run_service(
                request,
                None,
                lambda: services.receipt_issue_for_pickup(
                    pickup=pickup, actor=actor, channel=channel
                ),
            )
            if issued is not None:
                messages.success(
                    request,
                    _("Receipt %(number)s issued and sent to the donor.")
                    % {"number": issued.reference},
                )
                return redirect("receipts:association", slug=slug)
        elif action in ("cancel", "send"):
            receipt = get_object_or_404(
                Receipt, pk=_pk(request.POST.get("receipt")), issuer__organisation=organisation
            )
            if action == "send":
                if run_service(
                    request,
                    None,
                    lambda: services.receipt_send(receipt=receipt, actor=actor, channel=channel),
                ):
                    messages.success(request, _("The receipt was sent to the donor again."))
                return redirect("receipts:association", slug=slug)
            if cancel_form.is_valid() and run_service(
                request,
                cancel_form,
                lambda: services.receipt_cancel(
                    receipt=receipt,
                    reason=cancel_form.cleaned_data["reason"],
                    actor=actor,
                    channel=channel,
                ),
            ):
                messages.success(
                    request,
                    _("Receipt %(number)s cancelled. It keeps its number.")
                    % {"number": receipt.reference},
                )
                return redirect("receipts:association", slug=slug)
    year = _year(request.GET.get("year"))
    return render(
        request,
        "receipts/association.html",
        {
            "organisation": organisation,
            "issuer": selectors.issuer_of(organisation),
            "receipts": selectors.receipts_of_issuer(organisation, year=year)[:200],
            "years": selectors.years_of_issuer(organisation),
            "year": year,
            "pickups": selectors.pickups_without_receipt(organisation),
            "cancel_form": cancel_form,
            "error_summary": error_summary(cancel_form),
        },
        status=400 if cancel_form.is_bound and cancel_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def issuer_profile(request: HttpRequest, slug: str) -> HttpResponse:
    """Set what the association's receipts say about it: legal identity, regime, signatory."""
    organisation = _issuer_organisation(request, slug)
    profile = selectors.issuer_of(organisation)
    form = IssuerProfileForm(
        request.POST if request.method == "POST" else None,
        initial=IssuerProfileForm.initial_from(profile)
        or {"legal_name": organisation.name, "country": organisation.country},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda: services.issuer_profile_save(
                organisation=organisation, actor=_user(request), **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Saved. Your receipts will say this."))
        return redirect("receipts:association", slug=slug)
    return render(
        request,
        "receipts/issuer_profile.html",
        {"organisation": organisation, "form": form, "error_summary": error_summary(form)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download a receipt as a PDF (its issuer, its donor, staff and operators)."""
    receipt = get_object_or_404(Receipt.objects.select_related("issuer__organisation"), pk=pk)
    if not permissions.can_read(request.user, receipt):
        raise Http404
    return receipt_response(receipt)


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Say whether a receipt is genuine and still valid (no log-in, no donor's data)."""
    found = selectors.receipt_by_token(token)
    return render(
        request, "receipts/verify.html", {"found": found}, status=404 if found is None else 200
    )


def _statement_response(
    request: HttpRequest, statement: Statement, *, back_url: str, filename: str
) -> HttpResponse:
    """Return a statement as its page, its PDF (?format=pdf) or its CSV (?format=csv)."""
    wanted = request.GET.get("format")
    if wanted == "pdf":
        response = HttpResponse(statement_pdf(statement=statement), "application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    if wanted == "csv":
        header = [_("Goods"), _("Weight (kg)"), _("Value declared by the donor (cents)")]
        rows = [
            [spreadsheet_safe(line.description), str(line.kg), str(line.value_cents)]
            for line in statement.lines
        ]
        rows.append([_("Total"), str(statement.kg), str(statement.value_cents)])
        rows.append([_("Meal equivalents"), str(round(statement.meals)), ""])
        rows += [
            [_("Receipt"), receipt.reference, str(receipt.value_cents)]
            for receipt in statement.receipts
        ]
        return csv_download(f"{filename}.csv", header, rows)
    return render(
        request, "receipts/statement.html", {"statement": statement, "back_url": back_url}
    )


def _years() -> list[int]:
    """Return this year and the four before it: the statements a donor may ask for."""
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 5, -1))


@login_required
@require_GET
def donor(request: HttpRequest, slug: str) -> HttpResponse:
    """List the receipts a donor organisation was given, and its yearly statements."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_see_donations_of(request.user, organisation):
        raise PermissionDenied
    return render(
        request,
        "receipts/donor.html",
        {
            "organisation": organisation,
            "receipts": selectors.receipts_of_donor(organisation=organisation)[:200],
            "years": _years(),
        },
    )


@login_required
@require_GET
def donor_statement(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Show a donor organisation's gifts in kind over one year (page, PDF or CSV)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_see_donations_of(request.user, organisation):
        raise PermissionDenied
    if _year(str(year)) is None:
        raise Http404
    statement = selectors.donor_statement(year=year, organisation=organisation)
    return _statement_response(
        request,
        statement,
        back_url=absolute_url("receipts:donor", language=get_language(), args=[slug]),
        filename=f"statement-{organisation.slug}-{year}",
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """List the receipts a person was given for what they gave in their own name."""
    return render(
        request,
        "receipts/donor.html",
        {
            "organisation": None,
            "receipts": selectors.receipts_of_donor(user=_user(request))[:200],
            "years": _years(),
        },
    )


@login_required
@require_GET
def my_statement(request: HttpRequest, year: int) -> HttpResponse:
    """Show a person's gifts in kind over one year (page, PDF or CSV)."""
    if _year(str(year)) is None:
        raise Http404
    statement = selectors.donor_statement(year=year, user=_user(request))
    return _statement_response(
        request,
        statement,
        back_url=absolute_url("receipts:mine", language=get_language()),
        filename=f"statement-{year}",
    )


@login_required
@require_GET
def operators(request: HttpRequest) -> HttpResponse:
    """List, for operators, the associations with received goods still without a receipt."""
    if not permissions.is_receipts_staff(request.user):
        raise PermissionDenied
    return render(
        request,
        "receipts/operators.html",
        {
            "waiting": selectors.associations_waiting(),
            "latest": Receipt.objects.select_related("issuer__organisation")[:30],
        },
    )
