"""Pages of the funds: the public list and page per fund, open data, and the staff's page."""

import csv
import io
from collections.abc import Iterator, Sequence
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from entraide.accounts.models import User
from entraide.core.csv_files import spreadsheet_safe
from entraide.core.numbers import whole_number
from entraide.core.pages import error_summary, run_service
from entraide.core.vocabulary import Channel
from entraide.money import exports, permissions, selectors, services
from entraide.money.forms import ContributionForm
from entraide.money.models import Entry, Fund
from entraide.money.snapshots import canonical


def _before(request: HttpRequest) -> int | None:
    """Return the ?before= entry id of a page of movements (ignored when not a whole number)."""
    return whole_number(request.GET.get("before"))


@require_GET
def funds(request: HttpRequest) -> HttpResponse:
    """The public list of funds with their balances."""
    rows = [(fund, selectors.fund_totals(fund)) for fund in selectors.funds_public()]
    return render(request, "money/funds.html", {"rows": rows})


@require_GET
def fund(request: HttpRequest, slug: str) -> HttpResponse:
    """A fund's public page: balance, rules, and every movement in and out, newest first."""
    found = get_object_or_404(selectors.funds_public(), slug=slug)
    entries, next_key = selectors.fund_movements(found, before=_before(request))
    return render(
        request,
        "money/fund.html",
        {
            "fund": found,
            "totals": selectors.fund_totals(found),
            "movements": [(e, exports.counterparty(e)) for e in entries],
            "next_key": next_key,
            "first_page": request.GET.get("before") is None,
            "can_manage": permissions.can_manage(request.user, found),
        },
    )


@require_GET
def movements_json(request: HttpRequest, slug: str) -> JsonResponse:
    """A page of the fund's movements as open data (JSON), with the key of the next page."""
    found = get_object_or_404(selectors.funds_public(), slug=slug)
    entries, next_key = selectors.fund_movements(found, before=_before(request))
    return JsonResponse(
        {
            "fund": {"name": found.name, "slug": found.slug, "currency": found.account.currency},
            "movements": [exports.movement_row(found, e) for e in entries],
            "next_before": next_key,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def movements_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every movement of the fund as open data (CSV), streamed oldest first."""
    found = get_object_or_404(selectors.funds_public(), slug=slug)

    def lines() -> Iterator[str]:
        yield "\ufeff" + _csv_line(exports.FIELDS)
        entries = (
            Entry.objects.filter(account_id=found.account_id)
            .select_related("transaction", "transaction__contribution")
            .order_by("pk")
        )
        for entry in entries.iterator(chunk_size=2000):
            row = exports.movement_row(found, entry)
            yield _csv_line([row[field] for field in exports.FIELDS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-movements.csv"'
    return response


def _csv_line(values: Sequence[object]) -> str:
    """Return one CSV line; text cells are kept from running as spreadsheet formulas."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([spreadsheet_safe(v) if isinstance(v, str) else v for v in values])
    return buffer.getvalue()


@require_GET
def snapshots_json(request: HttpRequest) -> HttpResponse:
    """Every daily balance snapshot, with its digest and link, for auditors."""
    rows = [
        {
            "day": s.day.isoformat(),
            "previous_digest": s.previous_digest,
            "digest": s.digest,
            "payload": s.payload,
        }
        for s in selectors.snapshots()
    ]
    return HttpResponse(canonical({"snapshots": rows}), content_type="application/json")


@login_required
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, slug: str) -> HttpResponse:
    """The fund staff's page: record a contribution received by bank transfer."""
    found = get_object_or_404(Fund.objects.select_related("account"), slug=slug)
    if not permissions.can_manage(request.user, found):
        raise Http404
    actor = cast(User, request.user)
    form = ContributionForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        form.initial["idempotency_key"] = services.new_idempotency_key()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            form,
            lambda: services.contribution_record(
                fund=found,
                contributor_kind=data["contributor_kind"],
                contributor_name=data["contributor_name"],
                name_is_public=data["name_is_public"],
                amount_cents=data["amount"],
                received_on=data["received_on"],
                bank_reference=data["bank_reference"],
                idempotency_key=data["idempotency_key"],
                actor=actor,
                channel=Channel.WEB,
            ),
        )
        if done is not None:
            messages.success(request, _("Contribution recorded."))
            return redirect("money:staff", slug=found.slug)
    return render(
        request,
        "money/staff.html",
        {
            "fund": found,
            "form": form,
            "error_summary": error_summary(form),
            "totals": selectors.fund_totals(found),
            "contributions": found.contributions.select_related("recorded_by")[:20],
        },
    )
