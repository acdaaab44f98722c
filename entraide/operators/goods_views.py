"""Phone parity for goods: an operator offers a lot or asks for goods for a caller."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from entraide.core.pages import error_summary
from entraide.core.vocabulary import Channel
from entraide.goods import selectors
from entraide.goods.forms import LotForm, NeedForm
from entraide.goods.models import Lot, Need
from entraide.goods.views import declare_lot, declare_need
from entraide.operators.views import operator_required
from entraide.organisations.models import Organisation

# A search shows this many organisations: the operator types more of the name otherwise.
SEARCH_SHOWN = 20


@operator_required
def goods_phone(request: HttpRequest) -> HttpResponse:
    """Find the caller's organisation; follow the lots and needs entered by phone and the rounds."""
    query = request.GET.get("q", "").strip()[:100]
    found = []
    if query:
        found = list(
            Organisation.objects.filter(name__icontains=query)
            .exclude(status__in=(Organisation.Status.REJECTED, Organisation.Status.SUSPENDED))
            .order_by("name")[:SEARCH_SHOWN]
        )
    lots, needs = selectors.phone_declared()
    return render(
        request,
        "operators/goods_phone.html",
        {
            "query": query,
            "found": found,
            "lots": lots,
            "needs": needs,
            "rounds": selectors.rounds_coming(since=timezone.localdate()),
        },
    )


def _for_caller(request: HttpRequest, slug: str, *, is_lot: bool) -> HttpResponse:
    """Show or save the lot or need form for the calling organisation (channel phone)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    form: LotForm | NeedForm = (
        LotForm(request.POST or None) if is_lot else NeedForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        saved: Lot | Need | None
        if isinstance(form, LotForm):
            saved = declare_lot(request, form, organisation=organisation, channel=Channel.PHONE)
        else:
            saved = declare_need(request, form, organisation=organisation, channel=Channel.PHONE)
        if saved is not None:
            return redirect("operators:goods_phone")
    return render(
        request,
        "operators/goods_form.html",
        {
            "form": form,
            "organisation": organisation,
            "is_lot": is_lot,
            "error_summary": error_summary(form),
        },
    )


@operator_required
def goods_lot(request: HttpRequest, slug: str) -> HttpResponse:
    """Offer a lot in the name of the calling organisation."""
    return _for_caller(request, slug, is_lot=True)


@operator_required
def goods_need(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for goods in the name of the calling association."""
    return _for_caller(request, slug, is_lot=False)
