"""Drop-off points over the API: the public list, one point with its hours, the nearest; and
the free home collection: the item catalogue, the slots of a postcode, booking, cancelling."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, id_or_404
from entraide.api.schema import error_response
from entraide.core.vocabulary import Channel
from entraide.dropoff import collection_selectors, collection_services, selectors
from entraide.dropoff.models import (
    MAX_ITEM_QUANTITY,
    CatalogueItem,
    CollectionBooking,
    CollectionSlot,
    DropoffPoint,
)
from entraide.dropoff.nearest import CATEGORY, CLOSED, FULL
from entraide.goods.models import Category

ERRORS = {
    400: error_response(400, _("Invalid input: messages by field, or detail and code.")),
    404: error_response(404, _("No such drop-off point.")),
    409: error_response(409, _("The slot has just been filled, or the booking already ended.")),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    return {code: ERRORS[code] for code in codes}


class RangeSerializer(serializers.Serializer):
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    ranges = RangeSerializer(many=True)
    is_exception = serializers.BooleanField()
    is_closed = serializers.BooleanField()


class PointSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    categories: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    time_zone = serializers.CharField(source="territory.time_zone", read_only=True)
    has_room = serializers.BooleanField(read_only=True)
    open_now = serializers.SerializerMethodField()

    class Meta:
        model = DropoffPoint
        fields = [
            "id",
            "name",
            "organisation",
            "address",
            "postcode",
            "town",
            "country",
            "lat",
            "lon",
            "time_zone",
            "categories",
            "step_free",
            "accessibility_notes",
            "fill_level",
            "has_room",
            "status",
            "closed_reason",
            "closed_until",
            "open_now",
        ]

    def get_open_now(self, point: DropoffPoint) -> bool:
        """Return whether the point takes donations now (its hours and closures)."""
        return point.is_open_at(self.context["now"])


class PointDetailSerializer(PointSerializer):
    week = serializers.SerializerMethodField()

    class Meta(PointSerializer.Meta):
        fields = [*PointSerializer.Meta.fields, "week"]

    @extend_schema_field(DaySerializer(many=True))
    def get_week(self, point: DropoffPoint) -> list[dict[str, object]]:
        """Return the seven days from the point's local today with their ranges."""
        days = selectors.point_week(point, self.context["now"])
        return DaySerializer(days, many=True).data  # type: ignore[return-value]


class ListInput(serializers.Serializer):
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class PointListView(ApiView):
    """Every drop-off point (public, as the open-data exports)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="dropoff_point_list",
        parameters=[OpenApiParameter("category", str, required=False)],
        responses={200: PointSerializer(many=True), **_errors(400)},
    )
    def get(self, request: Request) -> Response:
        """Return the points, those that take a category if one is given."""
        data = ListInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        points = selectors.points_public()
        code = data.validated_data["category"]
        if code:
            if not Category.objects.filter(code=code, is_active=True).exists():
                raise serializers.ValidationError({"category": [_("No such category.")]})
            points = points.filter(categories__code=code)
        context = {"now": timezone.now()}
        return Response(PointSerializer(points, many=True, context=context).data)


class PointDetailView(ApiView):
    """One drop-off point with its hours for the seven days from today."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="dropoff_point_detail",
        responses={200: PointDetailSerializer, **_errors(404)},
    )
    def get(self, request: Request, point_id: str) -> Response:
        """Return the point, whether it is open now, and its week of hours."""
        point = selectors.points_public().filter(pk=id_or_404(point_id)).first()
        if point is None:
            raise Http404
        context = {"now": timezone.now()}
        return Response(PointDetailSerializer(point, context=context).data)


class NearestInput(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    town = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    country = serializers.ChoiceField(choices=["FR", "BE"], required=False, default="FR")
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    limit = serializers.IntegerField(min_value=1, max_value=10, required=False, default=3)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Require a whole position or a town."""
        has_position = attrs.get("lat") is not None and attrs.get("lon") is not None
        if (attrs.get("lat") is None) != (attrs.get("lon") is None):
            raise serializers.ValidationError(
                {"lon": [_("Give both latitude and longitude, or neither.")]}
            )
        if not has_position and not attrs["town"].strip():
            raise serializers.ValidationError(
                {"town": [_("Give your town (and postcode), or use your location.")]}
            )
        return attrs


class NearestItemSerializer(serializers.Serializer):
    point = PointSerializer()
    distance_km = serializers.FloatField()
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=[CLOSED, FULL, CATEGORY]),
        help_text=_("Why the point cannot take the donation now (empty when it can)."),
    )


class NearestSerializer(serializers.Serializer):
    found = NearestItemSerializer(many=True)
    skipped = NearestItemSerializer(many=True)
    radius_km = serializers.FloatField()


class NearestView(ApiView):
    """The nearest points open now with room for a category, and why closer ones were skipped."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="dropoff_nearest",
        parameters=[NearestInput],
        responses={200: NearestSerializer, **_errors(400)},
    )
    def get(self, request: Request) -> Response:
        """Return the nearest suitable points from a position or a town (and postcode)."""
        data = NearestInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        category = None
        if values["category"]:
            category = Category.objects.filter(code=values["category"], is_active=True).first()
            if category is None:
                raise serializers.ValidationError({"category": [_("No such category.")]})
        try:
            lat, lon = selectors.donor_position(
                lat=values.get("lat"),
                lon=values.get("lon"),
                address=values["address"],
                postcode=values["postcode"],
                town=values["town"],
                country=values["country"],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        now = timezone.now()
        answer = selectors.nearest_points(
            lat=lat, lon=lon, category=category, moment=now, limit=values["limit"]
        )
        return Response(NearestSerializer(answer, context={"now": now}).data)


class CatalogueItemSerializer(serializers.ModelSerializer):
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    name = serializers.CharField(read_only=True, help_text=_("In the caller's language."))

    class Meta:
        model = CatalogueItem
        fields = ["code", "name", "category", "volume_m3"]


class CatalogueView(ApiView):
    """The typical objects donors give, with their volumes (to estimate a donation)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="dropoff_catalogue", responses={200: CatalogueItemSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        """Return the catalogue's items in its order."""
        items = collection_selectors.catalogue_items()
        return Response(CatalogueItemSerializer(items, many=True).data)


class CollectionSlotsInput(serializers.Serializer):
    postcode = serializers.CharField(max_length=12)
    country = serializers.ChoiceField(choices=["FR", "BE"], required=False, default="FR")


class CollectionSlotSerializer(serializers.ModelSerializer):
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = CollectionSlot
        fields = ["id", "starts_at", "ends_at", "places_left"]

    def get_places_left(self, slot: CollectionSlot) -> int:
        """Return how many more collections the slot takes."""
        return int(slot.capacity - getattr(slot, "booked", 0))


class CollectionSlotsSerializer(serializers.Serializer):
    territory = serializers.CharField(source="territory.name")
    time_zone = serializers.CharField(source="territory.time_zone")
    threshold_m3 = serializers.DecimalField(max_digits=5, decimal_places=2)
    min_notice_hours = serializers.IntegerField()
    max_days_ahead = serializers.IntegerField()
    categories = serializers.ListField(
        child=serializers.CharField(), help_text=_("The codes of the categories collected.")
    )
    slots = CollectionSlotSerializer(many=True)


class SlotsView(ApiView):
    """The home-collection rule of a postcode and its slots a donor may book now."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="dropoff_collection_slots",
        parameters=[CollectionSlotsInput],
        responses={200: CollectionSlotsSerializer, **_errors(400)},
    )
    def get(self, request: Request) -> Response:
        """Return the rule serving the postcode and its slots with room (400: none serves it)."""
        data = CollectionSlotsInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        rule = collection_selectors.rule_for(values["postcode"], values["country"])
        if rule is None:
            raise serializers.ValidationError(
                {"postcode": [_("We do not collect at home in this postcode.")]}
            )
        answer = {
            "territory": rule.territory,
            "threshold_m3": rule.threshold_m3,
            "min_notice_hours": rule.min_notice_hours,
            "max_days_ahead": rule.max_days_ahead,
            "categories": sorted(c.code for c in rule.categories.all()),
            "slots": collection_selectors.available_slots(rule, timezone.now()),
        }
        return Response(CollectionSlotsSerializer(answer).data)


class CollectionBookingInput(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    items = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_ITEM_QUANTITY),
        required=False,
        default=dict,
        help_text=_('How many of each catalogue item, by code, e.g. {"sofa": 1}.'),
    )
    volume_m3 = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The volume, when known: it replaces the items' total."),
    )
    address = serializers.CharField(max_length=200)
    postcode = serializers.CharField(max_length=12)
    town = serializers.CharField(max_length=120)
    country = serializers.ChoiceField(choices=["FR", "BE"], required=False, default="FR")
    name = serializers.CharField(max_length=120)
    email = serializers.EmailField(
        required=False, help_text=_("Needed without an account: the confirmation goes there.")
    )
    phone = serializers.CharField(max_length=20)
    floor = serializers.IntegerField(min_value=-5, max_value=60, required=False, default=0)
    has_lift = serializers.BooleanField(required=False, default=False)
    parking = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    access_notes = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )

    def validate_items(self, value: dict[str, int]) -> dict[str, int]:
        """Refuse a code the catalogue does not have."""
        known = set(collection_selectors.catalogue_items().values_list("code", flat=True))
        unknown = sorted(set(value) - known)
        if unknown:
            raise serializers.ValidationError(
                _("No such item: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return value


class CollectionBookingSerializer(serializers.ModelSerializer):
    slot = CollectionSlotSerializer(read_only=True)

    class Meta:
        model = CollectionBooking
        fields = [
            "token",
            "status",
            "slot",
            "address",
            "postcode",
            "town",
            "volume_m3",
            "items",
            "floor",
            "has_lift",
            "parking",
            "access_notes",
            "name",
            "phone",
            "email",
        ]


class BookingCreateView(ApiView):
    """Book a free home collection (logged in, or with an email and a phone)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="dropoff_collection_book",
        request=CollectionBookingInput,
        responses={201: CollectionBookingSerializer, **_errors(400, 409)},
    )
    def post(self, request: Request) -> Response:
        """Book the slot for the donation; the token is the booking's private link."""
        data = CollectionBookingInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        donor = request.user if request.user.is_authenticated else None
        booking = collection_services.booking_create(
            slot_id=values["slot"],
            estimate=collection_selectors.estimate(values["items"], values["volume_m3"]),
            **{field: values.get(field, "") for field in collection_services.CONTACT_FIELDS},
            language=get_language() or "fr",
            donor=donor,  # type: ignore[arg-type]
            actor=donor,  # type: ignore[arg-type]
            channel=Channel.API,
        )
        return Response(CollectionBookingSerializer(booking).data, status=201)


class BookingCancelView(ApiView):
    """Cancel a booked home collection with its private token."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="dropoff_collection_cancel",
        request=None,
        responses={200: CollectionBookingSerializer, **_errors(404, 409)},
    )
    def post(self, request: Request, token: str) -> Response:
        """Cancel the booking: its place goes back to the slot."""
        booking = CollectionBooking.objects.filter(token=token).first()
        if booking is None:
            raise Http404
        actor = request.user if request.user.is_authenticated else None
        booking = collection_services.booking_cancel(
            booking=booking,
            by_token=True,
            actor=actor,  # type: ignore[arg-type]
            channel=Channel.API,
        )
        return Response(CollectionBookingSerializer(booking).data)
