"""The volunteer's side of the API: profile, nearby requests, requests held."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user
from entraide.api.pagination import Pagination
from entraide.api.permissions import IsVerifiedVolunteer, IsVolunteer
from entraide.api.schema import error_response
from entraide.api.serializers import ContactRequestSerializer, PublicRequestSerializer
from entraide.core.phones import display_phone
from entraide.core.vocabulary import Channel, HelpKind, Language
from entraide.help_requests.models import HelpRequest
from entraide.volunteers import selectors, services
from entraide.volunteers.models import ALWAYS_AVAILABLE, NotificationMode, VolunteerProfile


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented login and role refusals."""
    described = {
        401: _("Log in (session or HTTP Basic)."),
        403: _("Your role does not allow this."),
    }
    return {code: error_response(code, described[code]) for code in codes}


class VolunteerProfileSerializer(serializers.ModelSerializer):
    """A volunteer's profile as they read it back (only they and operators see the phone)."""

    phone = serializers.CharField(
        source="user.phone", help_text=_("In E.164 form; empty when not given.")
    )
    phone_display = serializers.SerializerMethodField(
        help_text=_("The phone number in international format, for reading aloud.")
    )

    class Meta:
        model = VolunteerProfile
        fields = [
            "town",
            "postcode",
            "country",
            "lat",
            "lon",
            "radius_km",
            "languages",
            "kinds",
            "availability",
            "max_open_requests",
            "is_paused",
            "paused_until",
            "notification_mode",
            "phone",
            "phone_display",
        ]

    def get_phone_display(self, profile: VolunteerProfile) -> str:
        """Return the phone number grouped for reading aloud."""
        return display_phone(profile.user.phone)


class VolunteerProfileInput(serializers.Serializer):
    """A whole profile: fields left out take their default, a town without a pin is geocoded."""

    town = serializers.CharField(max_length=120, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=12, allow_blank=True, default="")
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        default="BE",
        error_messages={"invalid": _("Enter a two-letter country code, such as BE or FR.")},
    )
    lat = serializers.FloatField(min_value=-90, max_value=90, allow_null=True, default=None)
    lon = serializers.FloatField(min_value=-180, max_value=180, allow_null=True, default=None)
    radius_km = serializers.IntegerField(min_value=1, max_value=100, default=3)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), max_length=len(Language.choices)
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=HelpKind.choices),
        max_length=len(HelpKind.choices),
        default=list,
        help_text=_("Empty means any kind."),
    )
    availability = serializers.IntegerField(
        min_value=0,
        max_value=ALWAYS_AVAILABLE,
        default=ALWAYS_AVAILABLE,
        help_text=_("One bit per weekday and period (morning, afternoon, evening)."),
    )
    max_open_requests = serializers.IntegerField(min_value=1, max_value=20, default=2)
    is_paused = serializers.BooleanField(default=False)
    paused_until = serializers.DateField(allow_null=True, default=None)
    notification_mode = serializers.ChoiceField(
        choices=NotificationMode.choices, default=NotificationMode.IMMEDIATE
    )
    phone = serializers.CharField(
        max_length=30,
        allow_blank=True,
        required=False,
        help_text=_(
            "Seen only by you and the phone line's operators. Left out: unchanged; "
            "empty: removed. Read the national way of the profile's country."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        """Refuse half a position: latitude and longitude come together or not at all."""
        if (attrs.get("lat") is None) != (attrs.get("lon") is None):
            raise serializers.ValidationError(
                {"lon": [_("Give both latitude and longitude, or neither.")]}
            )
        return attrs


class VolunteerProfileView(ApiView):
    """Read or replace the logged-in volunteer's profile."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="volunteer_profile_retrieve",
        responses={
            200: VolunteerProfileSerializer,
            **errors(401, 403),
            404: error_response(404, _("You have no volunteer profile yet.")),
        },
    )
    def get(self, request: Request) -> Response:
        """Return the profile (404 until the user has made one)."""
        profile = selectors.profile_of(current_user(request))
        if profile is None:
            raise Http404(_("You have no volunteer profile yet."))
        return Response(VolunteerProfileSerializer(profile).data)

    @extend_schema(
        operation_id="volunteer_profile_update",
        request=VolunteerProfileInput,
        responses={
            200: VolunteerProfileSerializer,
            400: error_response(400, _("Invalid input: messages by field.")),
            **errors(401, 403),
        },
    )
    def put(self, request: Request) -> Response:
        """Create or replace the profile; any logged-in user may become a volunteer."""
        data = VolunteerProfileInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = current_user(request)
        profile = services.volunteer_profile_update(
            user=user, actor=user, channel=Channel.API, **data.validated_data
        )
        return Response(VolunteerProfileSerializer(profile).data)


class NearbyRequestsView(generics.ListAPIView):
    """Open requests near the volunteer's home, with rounded positions and no contact details."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    permission_classes = [IsVerifiedVolunteer]
    serializer_class = PublicRequestSerializer

    def get_queryset(self) -> list[selectors.NearbyRequest]:  # type: ignore[override]
        """Return the nearby open requests, most urgent first."""
        profile = selectors.profile_of(current_user(self.request))
        return selectors.open_requests_near_volunteer(profile) if profile else []

    @extend_schema(
        operation_id="volunteer_nearby_requests",
        responses={200: PublicRequestSerializer(many=True), **errors(401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List nearby open requests."""
        return super().get(request, *args, **kwargs)


class HeldRequestsView(generics.ListAPIView):
    """The requests the volunteer holds now, with the requesters' contact details."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    permission_classes = [IsVolunteer]
    serializer_class = ContactRequestSerializer

    def get_queryset(self) -> QuerySet[HelpRequest]:  # type: ignore[override]
        """Return only the requests this volunteer holds."""
        return selectors.requests_held_by(current_user(self.request)).select_related("taken_by")

    @extend_schema(
        operation_id="volunteer_held_requests",
        responses={200: ContactRequestSerializer(many=True), **errors(401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the requests held by the volunteer."""
        return super().get(request, *args, **kwargs)
