"""Funds over the API: the public funds and their movements, and contributions for fund staff."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user
from entraide.api.schema import error_response
from entraide.core.numbers import whole_number
from entraide.core.vocabulary import Channel
from entraide.money import exports, permissions, selectors, services
from entraide.money.models import MAX_ENTRY_CENTS, Contribution, Fund

CHANNEL = Channel.API
ERRORS = {
    400: error_response(400, _("Invalid input: messages by field, or detail and code.")),
    401: error_response(401, _("Log in (session or HTTP Basic).")),
    403: error_response(403, _("Only this fund's staff can do this.")),
    404: error_response(404, _("No such fund.")),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    return {code: ERRORS[code] for code in codes}


def _fund_or_404(slug: str) -> Fund:
    found = selectors.funds_public().filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


class FundSerializer(serializers.ModelSerializer):
    territory = serializers.CharField(source="territory.name", allow_null=True, default=None)
    currency = serializers.CharField(source="account.currency")
    balance_cents = serializers.SerializerMethodField()
    received_cents = serializers.SerializerMethodField()
    spent_cents = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = [
            "slug",
            "name",
            "purpose",
            "territory",
            "currency",
            "balance_cents",
            "received_cents",
            "spent_cents",
            "cap_cents",
            "cap_window",
            "cap_window_days",
            "eligibility",
            "documents_required",
            "quorum",
            "majority_percent",
            "tie_rule",
        ]

    def _totals(self, fund: Fund) -> dict[str, int]:
        # Three fields read one sum: compute it once per fund.
        cache: dict[int, dict[str, int]] = self.__dict__.setdefault("_totals_cache", {})
        if fund.pk not in cache:
            cache[fund.pk] = selectors.fund_totals(fund)
        return cache[fund.pk]

    def get_balance_cents(self, fund: Fund) -> int:
        """Return the fund's balance in cents."""
        return self._totals(fund)["balance"]

    def get_received_cents(self, fund: Fund) -> int:
        """Return everything the fund received, in cents."""
        return self._totals(fund)["received"]

    def get_spent_cents(self, fund: Fund) -> int:
        """Return everything that went out of the fund, in cents."""
        return self._totals(fund)["spent"]


class MovementSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The entry's id: pass it as ?before= for older."))
    identifier = serializers.CharField()
    kind = serializers.CharField()
    direction = serializers.CharField(help_text=_("in or out"))
    amount_cents = serializers.IntegerField(help_text=_("Signed: + in, − out."))
    currency = serializers.CharField()
    date = serializers.DateField()
    counterparty = serializers.CharField()
    reverses = serializers.CharField(allow_blank=True)
    recorded_at = serializers.DateTimeField()


class MovementPageSerializer(serializers.Serializer):
    results = MovementSerializer(many=True)
    next_before = serializers.IntegerField(allow_null=True)


class MovementQuery(serializers.Serializer):
    before = serializers.CharField(required=False)
    limit = serializers.IntegerField(min_value=1, max_value=200, required=False, default=50)

    def validate_before(self, value: str) -> int:
        """Return the entry id to start before, refusing anything but a whole number."""
        number = whole_number(value)
        if number is None or number < 1:
            raise serializers.ValidationError(_("Give the id of an entry (a whole number)."))
        return number


class FundListView(ApiView):
    """The public funds with their balances and rules."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="funds_list", responses={200: FundSerializer(many=True)})
    def get(self, request: Request) -> Response:
        """Return every public fund."""
        return Response(FundSerializer(selectors.funds_public(), many=True).data)


class FundDetailView(ApiView):
    """One public fund: its balance, what came in and went out, its rules."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="funds_detail", responses={200: FundSerializer, **_errors(404)})
    def get(self, request: Request, slug: str) -> Response:
        """Return the fund."""
        return Response(FundSerializer(_fund_or_404(slug)).data)


class FundMovementsView(ApiView):
    """Every movement in and out of a fund, newest first, paged by key (?before=)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="funds_movements",
        parameters=[
            OpenApiParameter("before", int, required=False),
            OpenApiParameter("limit", int, required=False),
        ],
        responses={200: MovementPageSerializer, **_errors(400, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Return a page of movements and the key of the next page (null on the last)."""
        query = MovementQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        fund = _fund_or_404(slug)
        page, next_before = selectors.fund_movements(
            fund, before=query.validated_data.get("before"), limit=query.validated_data["limit"]
        )
        results = []
        for entry in page:
            row = exports.movement_row(fund, entry)
            results.append(
                {
                    "id": entry.pk,
                    "identifier": row["Identifier"],
                    "kind": row["Transaction Kind"],
                    "direction": row["Direction"],
                    "amount_cents": entry.amount_cents,
                    "currency": row["Currency"],
                    "date": entry.transaction.occurred_on,
                    "counterparty": exports.counterparty(entry),
                    "reverses": row["Reverses"],
                    "recorded_at": entry.transaction.created_at,
                }
            )
        return Response(
            MovementPageSerializer({"results": results, "next_before": next_before}).data
        )


class ContributionSerializer(serializers.ModelSerializer):
    transaction = serializers.IntegerField(source="transaction_id")

    class Meta:
        model = Contribution
        fields = [
            "id",
            "contributor_kind",
            "contributor_name",
            "name_is_public",
            "amount_cents",
            "received_on",
            "bank_reference",
            "transaction",
            "created_at",
        ]


class ContributionInput(serializers.Serializer):
    contributor_kind = serializers.ChoiceField(choices=Contribution.ContributorKind.choices)
    contributor_name = serializers.CharField(max_length=200)
    name_is_public = serializers.BooleanField(required=False, default=False)
    amount_cents = serializers.IntegerField(min_value=1, max_value=MAX_ENTRY_CENTS)
    received_on = serializers.DateField()
    bank_reference = serializers.CharField(max_length=140, required=False, allow_blank=True)
    idempotency_key = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text=_("Send the same key again to retry safely: the contribution is recorded once."),
    )


class FundContributionsView(ApiView):
    """A fund's contributions, and recording one received by bank transfer (fund staff)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="funds_contributions_list",
        responses={200: ContributionSerializer(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Return the fund's last 200 contributions, newest first."""
        fund = _fund_or_404(slug)
        if not permissions.can_manage(request.user, fund):
            raise PermissionDenied(_("Only this fund's staff can do this."))
        return Response(ContributionSerializer(fund.contributions.all()[:200], many=True).data)

    @extend_schema(
        operation_id="funds_contributions_record",
        request=ContributionInput,
        responses={
            201: ContributionSerializer,
            200: OpenApiResponse(
                ContributionSerializer, description=_("Already recorded with this key.")
            ),
            **_errors(400, 401, 403, 404),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        """Record a contribution; the same idempotency key again returns the first one (200)."""
        data = ContributionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fund = _fund_or_404(slug)
        values = data.validated_data
        key = values.get("idempotency_key", "")
        replay = (
            bool(key)
            and fund.contributions.filter(
                transaction__idempotency_scope=services.contribution_scope(fund),
                transaction__idempotency_key=key,
            ).exists()
        )
        contribution = services.contribution_record(
            fund=fund,
            contributor_kind=values["contributor_kind"],
            contributor_name=values["contributor_name"],
            name_is_public=values["name_is_public"],
            amount_cents=values["amount_cents"],
            received_on=values["received_on"],
            bank_reference=values.get("bank_reference", ""),
            idempotency_key=key,
            actor=current_user(request),
            channel=CHANNEL,
        )
        return Response(
            ContributionSerializer(contribution).data,
            status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )
