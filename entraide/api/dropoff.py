"""Drop-off points over the API: the public list, one point with its hours, the nearest."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
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
from entraide.dropoff import selectors
from entraide.dropoff.models import DropoffPoint
from entraide.dropoff.nearest import CATEGORY, CLOSED, FULL
from entraide.goods.models import Category

ERRORS = {
    400: error_response(400, _("Invalid input: messages by field, or detail and code.")),
    404: error_response(404, _("No such drop-off point.")),
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
