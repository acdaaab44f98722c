"""Collection rounds over the API: plan, read with its stops, re-plan, name the driver, cancel."""

from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user, id_or_404
from entraide.api.goods import CHANNEL, _errors, _organisation_or_404
from entraide.api.serializers import ReasonInput
from entraide.goods import permissions, selectors, services
from entraide.goods.models import CollectionRound, Lot, Offer, Pickup
from entraide.organisations.models import Organisation


class StopSerializer(serializers.Serializer):
    """One stop of a round, as the driver's sheet shows it."""

    pickup_id = serializers.IntegerField(source="pk")
    position = serializers.IntegerField(source="round_position")
    eta = serializers.DateTimeField(source="round_eta")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField()
    donor = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    kg_by_category = serializers.SerializerMethodField(
        help_text=_("Accepted kilograms to collect per category code.")
    )

    def _lot(self, stop: Pickup) -> Lot:
        """Return the first lot of the stop: every lot of a stop has the same donor and place."""
        return stop.offers.all()[0].lot

    def get_donor(self, stop: Pickup) -> str:
        """Return the donor's name."""
        return str(self._lot(stop).donor)

    def get_address(self, stop: Pickup) -> str:
        """Return where the goods wait."""
        lot = self._lot(stop)
        return " ".join(part for part in (lot.address, lot.postcode, lot.town) if part)

    def get_lat(self, stop: Pickup) -> float | None:
        """Return the stop's latitude."""
        return self._lot(stop).lat

    def get_lon(self, stop: Pickup) -> float | None:
        """Return the stop's longitude."""
        return self._lot(stop).lon

    def get_kg_by_category(self, stop: Pickup) -> dict[str, int]:
        """Return the accepted kilograms per category, from the prefetched offers."""
        totals: dict[str, int] = {}
        for offer in stop.offers.all():
            code = offer.lot.category.code
            totals[code] = totals.get(code, 0) + offer.kg_accepted
        return totals


class RoundSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    driver = serializers.SerializerMethodField()

    class Meta:
        model = CollectionRound
        fields = [
            "id",
            "organisation",
            "name",
            "day",
            "starts_at",
            "ends_at",
            "vehicle",
            "capacity_kg",
            "distance_km",
            "status",
            "driver",
        ]

    def get_driver(self, collection_round: CollectionRound) -> str | None:
        """Return the driver's name, or None while nobody is named."""
        driver = collection_round.driver
        return driver.get_full_name() or driver.email if driver is not None else None


class RoundDetailSerializer(RoundSerializer):
    stops = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "stops"]

    @extend_schema_field(StopSerializer(many=True))
    def get_stops(self, collection_round: CollectionRound) -> list[dict[str, object]]:
        """Return the stops in route order."""
        return list(StopSerializer(selectors.round_stops(collection_round), many=True).data)


def _round_or_404(request: Request, round_id: str) -> CollectionRound:
    """Return the round the user may see, or raise Http404 (also for a malformed id)."""
    found = (
        CollectionRound.objects.select_related("organisation", "driver")
        .filter(pk=id_or_404(round_id))
        .first()
    )
    if found is None or not permissions.can_see_round(request.user, found):
        raise Http404
    return found


def _offers_or_404(ids: list[int]) -> list[Offer]:
    """Return the offers with these ids, or raise Http404 when one does not exist."""
    offers = list(Offer.objects.filter(pk__in=ids).select_related("lot", "need"))
    if len(offers) != len(set(ids)):
        raise Http404
    return offers


def _detail(collection_round: CollectionRound, *, code: int = status.HTTP_200_OK) -> Response:
    """Return the round with its stops as read again from the database."""
    collection_round.refresh_from_db()
    return Response(RoundDetailSerializer(collection_round).data, status=code)


OFFER_IDS = serializers.ListField(
    child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), min_length=1, max_length=50
)


class RoundPlanInput(serializers.Serializer):
    organisation = serializers.CharField(max_length=80)
    offer_ids = OFFER_IDS
    starts_at = serializers.DateTimeField(help_text=_("When the vehicle leaves."))
    ends_at = serializers.DateTimeField(help_text=_("When it must be back."))
    name = serializers.CharField(max_length=120, allow_blank=True, default="")
    vehicle = serializers.CharField(max_length=120, allow_blank=True, default="")
    capacity_kg = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        default=None,
    )


class RoundListView(ApiView):
    """An association's rounds, or the rounds the user drives; plan a new one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_round_list",
        parameters=[
            OpenApiParameter(
                "organisation",
                str,
                required=False,
                description=_("The association's slug; without it, the rounds you drive."),
            )
        ],
        responses={200: RoundSerializer(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        """Return the latest rounds first."""
        slug = request.query_params.get("organisation")
        if slug is None:
            rounds = selectors.rounds_driven_by(current_user(request))
        else:
            organisation = _organisation_or_404(slug[:80])
            if not permissions.can_act_for(request.user, organisation):
                raise PermissionDenied(_("Only the organisation's members can see this."))
            rounds = selectors.rounds_of(organisation)
        return Response(RoundSerializer(rounds[:100], many=True).data)

    @extend_schema(
        operation_id="goods_round_plan",
        request=RoundPlanInput,
        responses={201: RoundDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        """Plan a round of accepted offers: one stop per donor, in route order."""
        data = RoundPlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = _organisation_or_404(values.pop("organisation"))
        offers = _offers_or_404(values.pop("offer_ids"))
        collection_round = services.round_plan(
            organisation=organisation,
            offers=offers,
            actor=current_user(request),
            channel=CHANNEL,
            **values,
        )
        return _detail(collection_round, code=status.HTTP_201_CREATED)


class RoundDetailView(ApiView):
    """One round with its stops in route order (record each stop with the pickup endpoint)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_round_detail",
        responses={200: RoundDetailSerializer, **_errors(401, 403, 404)},
    )
    def get(self, request: Request, round_id: str) -> Response:
        """Return the round: its planners, staff, operators and its driver see it."""
        return Response(RoundDetailSerializer(_round_or_404(request, round_id)).data)


class RoundOffersInput(serializers.Serializer):
    offer_ids = OFFER_IDS


class RoundReplanView(ApiView):
    """Order a planned round again with these offers (its own and new ones)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_round_replan",
        request=RoundOffersInput,
        responses={200: RoundDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, round_id: str) -> Response:
        """Re-plan the round; an offer left out goes back to plan."""
        data = RoundOffersInput(data=request.data)
        data.is_valid(raise_exception=True)
        collection_round = services.round_replan(
            collection_round=_round_or_404(request, round_id),
            offers=_offers_or_404(data.validated_data["offer_ids"]),
            actor=current_user(request),
            channel=CHANNEL,
        )
        return _detail(collection_round)


class RoundDriverInput(serializers.Serializer):
    email = serializers.EmailField(help_text=_("The driver's account email."))


class RoundDriverView(ApiView):
    """Name who drives the round: they see it and record its stops."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_round_assign_driver",
        request=RoundDriverInput,
        responses={200: RoundDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, round_id: str) -> Response:
        """Name the driver by the email of their account."""
        data = RoundDriverInput(data=request.data)
        data.is_valid(raise_exception=True)
        collection_round = services.round_assign_driver(
            collection_round=_round_or_404(request, round_id),
            email=data.validated_data["email"],
            actor=current_user(request),
            channel=CHANNEL,
        )
        return _detail(collection_round)


class RoundCancelView(ApiView):
    """Cancel a round not started yet: its goods go back to plan."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="goods_round_cancel",
        request=ReasonInput,
        responses={200: RoundDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, round_id: str) -> Response:
        """Cancel the round; the reason is required."""
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        collection_round = services.round_cancel(
            collection_round=_round_or_404(request, round_id),
            actor=current_user(request),
            channel=CHANNEL,
            reason=data.validated_data["reason"],
        )
        return _detail(collection_round)
