"""Gift receipts over the API: an association's receipts, issuing one for a pickup, cancelling
one, and its PDF."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user, id_or_404
from entraide.api.schema import error_response
from entraide.api.serializers import ReasonInput
from entraide.core.vocabulary import Channel
from entraide.goods.models import Pickup
from entraide.organisations.models import Organisation
from entraide.receipts import permissions, selectors, services
from entraide.receipts.models import Receipt
from entraide.receipts.pdf import receipt_response

CHANNEL = Channel.API
ERRORS = {
    400: error_response(400, _("Invalid input: messages by field, or detail and code.")),
    401: error_response(401, _("Log in (session or HTTP Basic).")),
    403: error_response(403, _("Your role does not allow this.")),
    404: error_response(404, _("No such receipt, pickup or organisation.")),
    409: error_response(409, _("Somebody else changed it first, or its status forbids it.")),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    return {code: ERRORS[code] for code in codes}


def _receipt_or_404(request: Request, receipt_id: str) -> Receipt:
    """Return a receipt the user may read, or raise Http404 (also for one of somebody else)."""
    found = (
        Receipt.objects.select_related("issuer__organisation")
        .filter(pk=id_or_404(receipt_id))
        .first()
    )
    if found is None or not permissions.can_read(request.user, found):
        raise Http404
    return found


class ReceiptLineSerializer(serializers.Serializer):
    description = serializers.CharField()
    kg = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    value_cents = serializers.IntegerField()


class ReceiptSerializer(serializers.ModelSerializer):
    reference = serializers.CharField()
    is_cancelled = serializers.BooleanField()
    lines = ReceiptLineSerializer(many=True)
    replaces = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = [
            "id",
            "reference",
            "year",
            "number",
            "issuer_name",
            "regime",
            "donor_kind",
            "donor_name",
            "nature",
            "gift_date",
            "value_cents",
            "source_kind",
            "source_id",
            "issued_at",
            "is_cancelled",
            "cancelled_at",
            "cancel_reason",
            "replaces",
            "lines",
        ]

    def get_replaces(self, receipt: Receipt) -> str | None:
        """Return the number of the cancelled receipt this one replaces, if any."""
        return receipt.replaces.reference if receipt.replaces is not None else None


class ReceiptListQuery(serializers.Serializer):
    organisation = serializers.CharField(max_length=80)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class IssueInput(serializers.Serializer):
    pickup = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class ReceiptListView(ApiView):
    """The receipts an association issued, and issuing one for a received pickup."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="receipts_list",
        parameters=[
            OpenApiParameter("organisation", str, required=True),
            OpenApiParameter("year", int, required=False),
        ],
        responses={200: ReceiptSerializer(many=True), **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        """Return the association's receipts, newest number first (200 at most)."""
        data = ReceiptListQuery(data=request.query_params)
        data.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(slug=data.validated_data["organisation"]).first()
        if organisation is None:
            raise Http404
        if not permissions.can_issue(request.user, organisation):
            raise PermissionDenied(_("Only the association's administrators can see this."))
        receipts = selectors.receipts_of_issuer(
            organisation, year=data.validated_data.get("year")
        ).prefetch_related("lines")[:200]
        return Response(ReceiptSerializer(receipts, many=True).data)

    @extend_schema(
        operation_id="receipts_issue",
        request=IssueInput,
        responses={201: ReceiptSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        """Issue the receipt of a received pickup (one live receipt per pickup)."""
        data = IssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        pickup = (
            Pickup.objects.select_related("organisation")
            .filter(pk=data.validated_data["pickup"])
            .first()
        )
        if pickup is None:
            raise Http404
        receipt = services.receipt_issue_for_pickup(
            pickup=pickup, actor=current_user(request), channel=CHANNEL
        )
        return Response(ReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)


class ReceiptCancelView(ApiView):
    """The association cancels a mistaken receipt; it keeps its number."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="receipts_cancel",
        request=ReasonInput,
        responses={200: ReceiptSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, receipt_id: str) -> Response:
        """Cancel the receipt with a reason (required)."""
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = services.receipt_cancel(
            receipt=_receipt_or_404(request, receipt_id),
            reason=data.validated_data["reason"],
            actor=current_user(request),
            channel=CHANNEL,
        )
        return Response(ReceiptSerializer(receipt).data)


class ReceiptPdfView(ApiView):
    """A receipt as a PDF, for its issuer, its donor, staff and operators."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="receipts_pdf",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **_errors(401, 403, 404)},
    )
    def get(self, request: Request, receipt_id: str) -> HttpResponse:
        """Return the receipt's PDF in the request's language."""
        return receipt_response(_receipt_or_404(request, receipt_id))
