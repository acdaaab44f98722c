"""Goods over the API: lots, needs, offers and their answers, pickups, and the totals."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user, id_or_404
from entraide.api.schema import error_response
from entraide.api.serializers import PositionInput, ReasonInput
from entraide.core.vocabulary import Channel
from entraide.goods import permissions, selectors, services
from entraide.goods.models import (
    Category,
    DeclineReason,
    Lot,
    Need,
    Offer,
    Pickup,
    PickupMode,
    Unit,
    WeightBand,
)
from entraide.organisations.models import Organisation

CHANNEL = Channel.API
ERRORS = {
    400: error_response(400, _("Invalid input: messages by field, or detail and code.")),
    401: error_response(401, _("Log in (session or HTTP Basic).")),
    403: error_response(403, _("Your role does not allow this.")),
    404: error_response(404, _("No such lot, need, offer, pickup or organisation.")),
    409: error_response(409, _("Somebody else changed it first, or its status forbids it.")),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    return {code: ERRORS[code] for code in codes}


def _row_or_404(model: type[Any], pk: str) -> Any:
    """Return the row with this id, or raise Http404 (also for a malformed id)."""
    found = model.objects.filter(pk=id_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def _organisation_or_404(slug: str) -> Organisation:
    """Return the organisation with this slug, or raise Http404."""
    found = Organisation.objects.select_related("territory").filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def _category_or_400(code: str) -> Category:
    """Return the active category with this code, or raise a field error."""
    found = Category.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise serializers.ValidationError({"category": [_("No such category.")]})
    return found


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Category
        fields = ["code", "name", "is_food", "needs_cold", "meal_factor_per_kg", "co2_kg_per_kg"]


class LotSerializer(serializers.ModelSerializer):
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    donor = serializers.SerializerMethodField()

    class Meta:
        model = Lot
        fields = [
            "id",
            "category",
            "donor",
            "description",
            "quantity",
            "unit",
            "weight_kg",
            "weight_estimated",
            "kg_open",
            "use_by",
            "best_before",
            "cold_chain",
            "divisible",
            "town",
            "status",
        ]

    def get_donor(self, lot: Lot) -> str:
        """Return the donor organisation's name, or "" for a person (kept private)."""
        return lot.donor_organisation.name if lot.donor_organisation is not None else ""


class NearLotSerializer(serializers.Serializer):
    lot = LotSerializer()
    distance_km = serializers.FloatField()


class NeedSerializer(serializers.ModelSerializer):
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Need
        fields = [
            "id",
            "organisation",
            "category",
            "description",
            "kg",
            "kg_open",
            "by_date",
            "radius_km",
            "cold_storage",
            "town",
            "status",
        ]


class OfferSerializer(serializers.ModelSerializer):
    lot = LotSerializer()
    need_id = serializers.IntegerField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "lot",
            "need_id",
            "kg_proposed",
            "kg_accepted",
            "distance_km",
            "status",
            "decline_reason",
            "expires_at",
        ]


class PickupSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    offer_ids = serializers.SerializerMethodField()

    class Meta:
        model = Pickup
        fields = [
            "id",
            "organisation",
            "mode",
            "status",
            "starts_at",
            "ends_at",
            "reason",
            "offer_ids",
            "transport_request_id",
        ]

    def get_offer_ids(self, pickup: Pickup) -> list[int]:
        """Return the offers collected in this pickup."""
        return list(pickup.offers.values_list("pk", flat=True))


class CategoryListView(ApiView):
    """The shared catalogue of goods categories."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="goods_category_list",
        responses={200: CategorySerializer(many=True), **_errors(401)},
    )
    def get(self, request: Request) -> Response:
        """Return the active categories."""
        return Response(CategorySerializer(Category.objects.filter(is_active=True), many=True).data)


class WindowInput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class PlaceInput(PositionInput):
    address = serializers.CharField(max_length=200, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=12, allow_blank=True, default="")
    town = serializers.CharField(max_length=120, allow_blank=True, default="")
    country = serializers.RegexField(r"^([A-Za-z]{2})?$", allow_blank=True, default="")


class LotDeclareInput(PlaceInput):
    category = serializers.CharField(max_length=40)
    donor_organisation = serializers.CharField(
        max_length=80,
        allow_blank=True,
        default="",
        help_text=_("The slug of the organisation that gives; empty: you give in your name."),
    )
    weight_kg = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, allow_null=True, default=None
    )
    weight_band = serializers.ChoiceField(choices=WeightBand.choices, allow_blank=True, default="")
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, allow_null=True, default=None
    )
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.KG)
    use_by = serializers.DateField(allow_null=True, default=None)
    best_before = serializers.DateField(allow_null=True, default=None)
    cold_chain = serializers.BooleanField(default=False)
    divisible = serializers.BooleanField(default=True)
    description = serializers.CharField(max_length=200, allow_blank=True, default="")
    windows = serializers.ListField(child=WindowInput(), min_length=1, max_length=10)


class LotListView(ApiView):
    """Lots still on offer near a place, and declaring a new one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_lot_list",
        parameters=[
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("lon", float, required=True),
            OpenApiParameter("radius_km", float, required=False),
            OpenApiParameter("category", str, required=False),
        ],
        responses={200: NearLotSerializer(many=True), **_errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        """Return the open lots within radius_km (10 by default, 100 at most), nearest first."""
        data = NearInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        category = _category_or_400(values["category"]) if values["category"] else None
        near = selectors.lots_near(
            lat=values["lat"], lon=values["lon"], radius_km=values["radius_km"], category=category
        )
        rows = [
            {"lot": item.row, "distance_km": round(item.distance_km or 0.0, 1)} for item in near
        ]
        return Response(NearLotSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="goods_lot_declare",
        request=LotDeclareInput,
        responses={201: LotSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        """Offer a lot (for your organisation, or in your own name)."""
        data = LotDeclareInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        slug = values.pop("donor_organisation")
        windows = [(w["starts_at"], w["ends_at"]) for w in values.pop("windows")]
        lot = services.lot_declare(
            actor=current_user(request),
            channel=CHANNEL,
            category=_category_or_400(values.pop("category")),
            donor_organisation=_organisation_or_404(slug) if slug else None,
            windows=windows,
            **values,
        )
        return Response(LotSerializer(lot).data, status=status.HTTP_201_CREATED)


class NearInput(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    radius_km = serializers.FloatField(min_value=0.1, max_value=100, default=10)
    category = serializers.CharField(max_length=40, allow_blank=True, default="")


class LotCancelView(ApiView):
    """The donor withdraws a lot."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_lot_cancel",
        request=ReasonInput,
        responses={200: LotSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, lot_id: str) -> Response:
        """Cancel the lot; refused once an association accepted part of it."""
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        lot = services.lot_cancel(
            lot=_row_or_404(Lot, lot_id),
            actor=current_user(request),
            channel=CHANNEL,
            reason=data.validated_data["reason"],
        )
        return Response(LotSerializer(lot).data)


class OrganisationQuery(serializers.Serializer):
    organisation = serializers.CharField(max_length=80)


def _acting_organisation(request: Request) -> Organisation:
    """Return the ?organisation= the user acts for, or refuse (400, 404, 403)."""
    data = OrganisationQuery(data=request.query_params)
    data.is_valid(raise_exception=True)
    organisation = _organisation_or_404(data.validated_data["organisation"])
    if not permissions.can_act_for(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's members can see this."))
    return organisation


ORGANISATION_PARAMETER = OpenApiParameter("organisation", str, required=True)


class NeedDeclareInput(PlaceInput):
    organisation = serializers.CharField(max_length=80)
    category = serializers.CharField(max_length=40)
    kg = serializers.IntegerField(min_value=1, max_value=100_000)
    by_date = serializers.DateField()
    radius_km = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0)
    cold_storage = serializers.BooleanField(default=False)
    description = serializers.CharField(max_length=200, allow_blank=True, default="")


class NeedListView(ApiView):
    """An organisation's needs, and declaring a new one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_need_list",
        parameters=[ORGANISATION_PARAMETER],
        responses={200: NeedSerializer(many=True), **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        """Return the organisation's needs, open ones first."""
        needs = selectors.needs_of(_acting_organisation(request))[:200]
        return Response(NeedSerializer(needs, many=True).data)

    @extend_schema(
        operation_id="goods_need_declare",
        request=NeedDeclareInput,
        responses={201: NeedSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        """Ask for goods for an association (at its address unless another is given)."""
        data = NeedDeclareInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        need = services.need_declare(
            organisation=_organisation_or_404(values.pop("organisation")),
            category=_category_or_400(values.pop("category")),
            actor=current_user(request),
            channel=CHANNEL,
            **values,
        )
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class OfferListView(ApiView):
    """The offers an association has still to answer."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_offer_list",
        parameters=[ORGANISATION_PARAMETER],
        responses={200: OfferSerializer(many=True), **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        """Return the waiting offers, the soonest to expire first."""
        offers = selectors.offers_waiting_for(_acting_organisation(request))[:200]
        return Response(OfferSerializer(offers, many=True).data)


class AcceptInput(serializers.Serializer):
    kg = serializers.IntegerField(
        min_value=1,
        max_value=100_000,
        allow_null=True,
        default=None,
        help_text=_("Kilograms accepted; empty: all that is offered."),
    )


class OfferAcceptView(ApiView):
    """An association accepts an offer, in full or in part."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_offer_accept",
        request=AcceptInput,
        responses={200: OfferSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, offer_id: str) -> Response:
        """Accept the offer; 409 when another association took these kilograms first."""
        data = AcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.offer_accept(
            offer=_row_or_404(Offer, offer_id),
            actor=current_user(request),
            channel=CHANNEL,
            kg=data.validated_data["kg"],
        )
        return Response(OfferSerializer(offer).data)


class DeclineInput(serializers.Serializer):
    # Named as in the offer's answer, so that the schema has one enum of reasons.
    decline_reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class OfferDeclineView(ApiView):
    """An association declines an offer, with a reason."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_offer_decline",
        request=DeclineInput,
        responses={200: OfferSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, offer_id: str) -> Response:
        """Decline the offer; its kilograms go to the next association."""
        data = DeclineInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.offer_decline(
            offer=_row_or_404(Offer, offer_id),
            actor=current_user(request),
            channel=CHANNEL,
            reason=data.validated_data["decline_reason"],
            note=data.validated_data["note"],
        )
        return Response(OfferSerializer(offer).data)


class PickupPlanInput(serializers.Serializer):
    offer_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=50,
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=PickupMode.choices)


class PickupPlanView(ApiView):
    """An association plans when accepted offers are collected (or asks for a driver)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_pickup_plan",
        request=PickupPlanInput,
        responses={201: PickupSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        """Plan the pickup; mode "driver" asks nearby volunteers for a transport."""
        data = PickupPlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        ids = values.pop("offer_ids")
        offers = list(Offer.objects.filter(pk__in=ids).select_related("lot", "need"))
        if len(offers) != len(set(ids)):
            raise Http404
        pickup = services.pickup_plan(
            offers=offers, actor=current_user(request), channel=CHANNEL, **values
        )
        return Response(PickupSerializer(pickup).data, status=status.HTTP_201_CREATED)


class PickupRecordInput(serializers.Serializer):
    collected = serializers.DictField(
        child=serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0),
        help_text=_('Weighed kilograms per category code, e.g. {"bakery": 12.5}.'),
    )
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")


class PickupRecordView(ApiView):
    """The collector records what was actually taken."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_pickup_record",
        request=PickupRecordInput,
        responses={200: PickupSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pickup_id: str) -> Response:
        """Record the weighed kilograms; less than accepted needs a reason."""
        data = PickupRecordInput(data=request.data)
        data.is_valid(raise_exception=True)
        pickup = services.pickup_record(
            pickup=_row_or_404(Pickup, pickup_id),
            actor=current_user(request),
            channel=CHANNEL,
            **data.validated_data,
        )
        return Response(PickupSerializer(pickup).data)


class PickupReceiptView(ApiView):
    """The receiving association confirms what arrived."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_pickup_confirm_receipt",
        request=None,
        responses={200: PickupSerializer, **_errors(401, 403, 404, 409)},
    )
    def post(self, request: Request, pickup_id: str) -> Response:
        """Confirm receipt: the goods now count in the meals and the CO₂ avoided."""
        pickup = services.pickup_confirm_receipt(
            pickup=_row_or_404(Pickup, pickup_id), actor=current_user(request), channel=CHANNEL
        )
        return Response(PickupSerializer(pickup).data)


class TotalsInput(serializers.Serializer):
    by = serializers.ChoiceField(choices=[(g, g) for g in selectors.GROUPS], default="category")
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)
    organisation = serializers.CharField(max_length=80, allow_blank=True, default="")


class TotalSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(source="label")
    kg = serializers.DecimalField(max_digits=14, decimal_places=2)
    kg_by_category = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2)
    )
    meals = serializers.DecimalField(max_digits=16, decimal_places=0)
    co2_kg = serializers.DecimalField(max_digits=16, decimal_places=1)


class TotalsView(ApiView):
    """Received goods counted: kg per category, meal equivalents and CO₂ avoided."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_totals",
        parameters=[TotalsInput],
        responses={200: TotalSerializer(many=True), **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        """Return the totals of one organisation (its members), or of all (staff, operators)."""
        data = TotalsInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        slug = values.pop("organisation")
        organisation = _organisation_or_404(slug) if slug else None
        if organisation is None and not permissions.is_goods_staff(request.user):
            raise PermissionDenied(_("Name your organisation: only staff see every total."))
        if organisation is not None and not permissions.can_act_for(request.user, organisation):
            raise PermissionDenied(_("Only the organisation's members can see this."))
        rows = selectors.goods_totals(organisation=organisation, **values)
        return Response(TotalSerializer(rows, many=True).data)
