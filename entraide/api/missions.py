"""Missions over the API: the catalogue, managing missions and slots, applications and hours."""

import uuid
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user
from entraide.api.organisations import visible_organisation
from entraide.api.pagination import Pagination
from entraide.api.serializers import ReasonInput
from entraide.help_requests.kinds import Language
from entraide.missions import selectors, services
from entraide.missions.models import Application, Mission, MissionSlot, Theme
from entraide.organisations.models import Organisation
from entraide.organisations.permissions import can_manage_missions
from entraide.organisations.selectors import public_organisation, published_missions

ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: messages by field, or detail and code.")),
    401: OpenApiResponse(description=_("Log in (session or HTTP Basic).")),
    403: OpenApiResponse(description=_("Your role does not allow this.")),
    404: OpenApiResponse(description=_("No such mission, slot or application.")),
    409: OpenApiResponse(description=_("Somebody else changed it first, or no place is left.")),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    return {code: ERRORS[code] for code in codes}


# Output ------------------------------------------------------------------------------------


class OrganisationRefSerializer(serializers.ModelSerializer):
    """The organisation behind a mission, in short."""

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind"]


class SlotSerializer(serializers.ModelSerializer):
    """One time slot of a mission and how many places are left."""

    places_left = serializers.IntegerField()

    class Meta:
        model = MissionSlot
        fields = ["id", "starts_at", "ends_at", "capacity", "accepted_count", "places_left"]


class MissionListSerializer(serializers.ModelSerializer):
    """A mission in the catalogue: when it next happens, places left, distance."""

    theme_label = serializers.CharField(source="get_theme_display")
    organisation = OrganisationRefSerializer()
    next_start = serializers.DateTimeField()
    places_left = serializers.IntegerField()
    distance_km = serializers.FloatField(
        allow_null=True, help_text=_("From the point searched; null for remote missions.")
    )

    class Meta:
        model = Mission
        fields = [
            "public_id",
            "title",
            "theme",
            "theme_label",
            "is_remote",
            "town",
            "country",
            "skills",
            "is_internal",
            "status",
            "organisation",
            "next_start",
            "places_left",
            "distance_km",
        ]


PUBLIC_MISSION_FIELDS = [
    "public_id",
    "title",
    "description",
    "theme",
    "theme_label",
    "is_remote",
    "address",
    "postcode",
    "town",
    "country",
    "lat",
    "lon",
    "skills",
    "languages",
    "min_age",
    "background_check_required",
    "is_internal",
    "status",
    "status_label",
    "organisation",
    "published_at",
    "created_at",
]


class MissionSerializer(serializers.ModelSerializer):
    """A mission as anyone who may see it reads it (practicalities and contact left out)."""

    theme_label = serializers.CharField(source="get_theme_display")
    status_label = serializers.CharField(source="get_status_display")
    organisation = OrganisationRefSerializer()

    class Meta:
        model = Mission
        fields = PUBLIC_MISSION_FIELDS


class MissionPrivateSerializer(MissionSerializer):
    """A mission with its practicalities and contact: for accepted volunteers and managers."""

    class Meta(MissionSerializer.Meta):
        fields = [
            *PUBLIC_MISSION_FIELDS,
            "practical_information",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]


class MissionPageSerializer(serializers.Serializer):
    """A mission with its slots, and what the caller may do with it."""

    mission = MissionPrivateSerializer(
        help_text=_("Practicalities and contact only for accepted volunteers and managers.")
    )
    slots = SlotSerializer(many=True)
    can_manage = serializers.BooleanField()


class MissionRefSerializer(serializers.ModelSerializer):
    """The mission an application is for, in short."""

    organisation = OrganisationRefSerializer()

    class Meta:
        model = Mission
        fields = ["public_id", "title", "is_remote", "town", "status", "organisation"]


class ApplicationSlotSerializer(serializers.ModelSerializer):
    """The slot an application is for, with its mission."""

    mission = MissionRefSerializer()

    class Meta:
        model = MissionSlot
        fields = ["id", "starts_at", "ends_at", "mission"]


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as the volunteer who made it sees it."""

    status_label = serializers.CharField(source="get_status_display")
    slot = ApplicationSlotSerializer()
    hours = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "status",
            "status_label",
            "message",
            "decline_reason",
            "slot",
            "hours",
            "created_at",
            "decided_at",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_hours(self, application: Application) -> str | None:
        """Return the confirmed hours as a decimal string, or None before confirmation."""
        participation = getattr(application, "participation", None)
        return None if participation is None else str(participation.hours)


class ManagedApplicationSerializer(ApplicationSerializer):
    """An application as the organisation sees it: who applied, their email once accepted."""

    volunteer_name = serializers.SerializerMethodField()
    volunteer_email = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "volunteer_name", "volunteer_email"]

    def get_volunteer_name(self, application: Application) -> str:
        """Return the volunteer's name."""
        volunteer = application.volunteer
        return volunteer.get_full_name() or volunteer.first_name

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_volunteer_email(self, application: Application) -> str | None:
        """Return the volunteer's email once accepted (the organisation needs to reach them)."""
        if application.status != Application.Status.ACCEPTED:
            return None
        return application.volunteer.email


class ParticipationSerializer(serializers.Serializer):
    """Hours an accepted volunteer gave, as confirmed by the organisation."""

    application = serializers.IntegerField(source="application_id")
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    confirmed_at = serializers.DateTimeField()


# Input -------------------------------------------------------------------------------------


class CatalogueInput(serializers.Serializer):
    """Filters of the catalogue, all optional."""

    q = serializers.CharField(max_length=200, required=False, help_text=_("Words to look for."))
    theme = serializers.ChoiceField(choices=Theme.choices, required=False)
    remote = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("true or false; omit for both.")
    )
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)
    radius_km = serializers.FloatField(min_value=0.1, max_value=500, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    skills = serializers.CharField(
        max_length=500, required=False, help_text=_("Separated by commas; any of them matches.")
    )
    organisation = serializers.SlugField(required=False, help_text=_("An organisation's slug."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Require the point and radius together, and dates in order."""
        near = [name for name in ("lat", "lon", "radius_km") if attrs.get(name) is not None]
        if near and len(near) != 3:
            raise serializers.ValidationError(
                {"radius_km": [_("Give lat, lon and radius_km together, or none of them.")]}
            )
        if (
            attrs.get("date_from")
            and attrs.get("date_to")
            and attrs["date_to"] < attrs["date_from"]
        ):
            raise serializers.ValidationError(
                {"date_to": [_("The end date must be on or after the start date.")]}
            )
        return attrs


class MissionInput(serializers.Serializer):
    """A mission's description, place and contact; PATCH sends only what changes."""

    title = serializers.CharField(max_length=160)
    description = serializers.CharField(max_length=10000)
    theme = serializers.ChoiceField(choices=Theme.choices)
    is_remote = serializers.BooleanField(default=False)
    address = serializers.CharField(max_length=200, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=12, allow_blank=True, default="")
    town = serializers.CharField(
        max_length=120, allow_blank=True, default="", help_text=_("Required unless remote.")
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        help_text=_("Two letters; the organisation's country when left out."),
        error_messages={"invalid": _("Enter a two-letter country code, such as BE or FR.")},
    )
    skills = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=30, default=list
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices),
        max_length=len(Language.choices),
        default=list,
    )
    min_age = serializers.IntegerField(min_value=14, max_value=99, allow_null=True, default=None)
    background_check_required = serializers.BooleanField(default=False)
    practical_information = serializers.CharField(max_length=5000, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=120, allow_blank=True, default="")
    # No default: OpenAPI would reject "" as the default of an email field.
    contact_email = serializers.EmailField(allow_blank=True, required=False)
    contact_phone = serializers.CharField(max_length=20, allow_blank=True, default="")
    is_internal = serializers.BooleanField(
        default=False, help_text=_("Seen only by the organisation's members (company-internal).")
    )


class SlotInput(serializers.Serializer):
    """One time slot: start, end and how many volunteers."""

    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=500, default=1)


class ApplyInput(serializers.Serializer):
    """A few words from the volunteer to the organisation."""

    message = serializers.CharField(max_length=2000, allow_blank=True, default="")


class HoursInput(serializers.Serializer):
    """Hours given, as a decimal string such as "2.50" (more than 0, at most 24)."""

    hours = serializers.CharField(max_length=10, help_text=_('A decimal string, such as "2.5".'))


# Look-ups ----------------------------------------------------------------------------------


def _mission_or_404(user: Any, public_id: str) -> Mission:
    """Return the mission if the caller may see it, else raise Http404 (also for a bad id)."""
    try:
        parsed = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404 from exc
    mission = selectors.mission_by_public_id(parsed)
    if mission is None or not selectors.can_see(mission, user):
        raise Http404
    return mission


def _managed_mission(user: Any, public_id: str) -> Mission:
    """Return the mission if the caller manages it; 403 if they only see it, else 404."""
    mission = _mission_or_404(user, public_id)
    if not can_manage_missions(user, mission.organisation):
        raise PermissionDenied(_("Only the organisation's mission managers can do this."))
    return mission


def _application_or_404(application_id: str) -> Application:
    """Return the application with this id, with its slot and mission, or raise Http404."""
    if not str(application_id).isdigit():
        raise Http404
    application = (
        Application.objects.select_related(
            "volunteer", "slot", "slot__mission", "slot__mission__organisation__territory"
        )
        .filter(pk=int(application_id))
        .first()
    )
    if application is None:
        raise Http404
    return application


def _managed_application(user: Any, application_id: str) -> Application:
    """Return the application if the caller manages its mission; others never learn it exists."""
    application = _application_or_404(application_id)
    if not can_manage_missions(user, application.slot.mission.organisation):
        raise Http404
    return application


def _mission_page(user: Any, mission: Mission) -> dict[str, Any]:
    """Return a mission with its slots as the caller may see them."""
    manages = can_manage_missions(user, mission.organisation)
    private = manages or selectors.is_accepted_on(mission, user)
    mission_data = (MissionPrivateSerializer if private else MissionSerializer)(mission).data
    slots = selectors.mission_slots(mission, upcoming_only=not manages)
    return {
        "mission": mission_data,
        "slots": SlotSerializer(slots, many=True).data,
        "can_manage": manages,
    }


# Views -------------------------------------------------------------------------------------


class MissionCatalogueView(ApiView):
    """Published missions with upcoming slots that the caller may see, soonest first."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="mission_list",
        parameters=[CatalogueInput],
        responses={200: MissionListSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        """Search the catalogue (paginated with limit and offset)."""
        data = CatalogueInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        organisation = None
        if values.get("organisation"):
            organisation = public_organisation(values["organisation"])
            if organisation is None:
                raise serializers.ValidationError(
                    {"organisation": [_("No organisation has this address.")]}
                )
        filters = selectors.CatalogueFilters(
            text=values.get("q", ""),
            theme=values.get("theme", ""),
            remote=values.get("remote"),
            lat=values.get("lat"),
            lon=values.get("lon"),
            radius_km=values.get("radius_km"),
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
            skills=tuple(s.strip() for s in values.get("skills", "").split(",") if s.strip()),
            organisation=organisation,
        )
        missions = selectors.missions_catalogue(viewer=request.user, filters=filters)
        paginator = Pagination()
        page = paginator.paginate_queryset(missions, request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(MissionListSerializer(page, many=True).data)


class MissionDetailView(ApiView):
    """One mission: read it (anyone who may see it), change it (its managers)."""

    permission_classes = [AllowAny]

    def get_permissions(self):  # type: ignore[override]
        """Let anybody read; changing needs an account."""
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="mission_retrieve", responses={200: MissionPageSerializer, **errors(404)}
    )
    def get(self, request: Request, public_id: str) -> Response:
        """Return the mission and its slots (every slot for managers, upcoming ones otherwise)."""
        return Response(_mission_page(request.user, _mission_or_404(request.user, public_id)))

    @extend_schema(
        operation_id="mission_update",
        request=MissionInput(partial=True),
        responses={200: MissionPageSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, public_id: str) -> Response:
        """Change some of the mission's fields while it is open."""
        mission = _managed_mission(request.user, public_id)
        data = MissionInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        mission = services.mission_update(
            mission=mission, actor=current_user(request), **data.validated_data
        )
        return Response(_mission_page(request.user, mission))


class OrganisationMissionsView(ApiView):
    """An organisation's missions: all of them for its managers, the published ones otherwise."""

    def get_permissions(self):  # type: ignore[override]
        """Let anybody read; creating needs an account."""
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="organisation_missions",
        responses={200: MissionSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """List the organisation's missions (drafts included for its managers)."""
        organisation = visible_organisation(request.user, slug)
        if can_manage_missions(request.user, organisation):
            missions = selectors.missions_of_organisation(organisation)
        else:
            missions = published_missions(organisation)
        paginator = Pagination()
        page = paginator.paginate_queryset(missions, request, view=self)
        return paginator.get_paginated_response(MissionSerializer(page, many=True).data)

    @extend_schema(
        operation_id="mission_create",
        request=MissionInput,
        responses={201: MissionPageSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Create a draft mission; add slots, then submit it."""
        organisation = visible_organisation(request.user, slug)
        if not can_manage_missions(request.user, organisation):
            raise PermissionDenied(_("Only the organisation's mission managers can do this."))
        data = MissionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {"country": organisation.country, **data.validated_data}
        mission = services.mission_create(
            organisation=organisation, actor=current_user(request), **fields
        )
        return Response(_mission_page(request.user, mission), status=status.HTTP_201_CREATED)


class SlotCreateView(ApiView):
    """A manager adds a time slot to a mission."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mission_slot_create",
        request=SlotInput,
        responses={201: SlotSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Add one slot (it must start in the future and end after it starts)."""
        mission = _managed_mission(request.user, public_id)
        data = SlotInput(data=request.data)
        data.is_valid(raise_exception=True)
        slot = services.slot_add(
            mission=mission, actor=current_user(request), **data.validated_data
        )
        return Response(SlotSerializer(slot).data, status=status.HTTP_201_CREATED)


class SubmitView(ApiView):
    """A manager submits a draft: published at once for a verified organisation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mission_submit",
        request=None,
        responses={200: MissionPageSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Submit the mission (it needs at least one slot)."""
        mission = _managed_mission(request.user, public_id)
        mission = services.mission_submit(mission=mission, actor=current_user(request))
        return Response(_mission_page(request.user, mission))


class CloseView(ApiView):
    """A manager stops taking applications; accepted volunteers keep their place."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mission_close",
        request=ReasonInput,
        responses={200: MissionPageSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Close the mission; waiting applicants are told, with the optional reason."""
        mission = _managed_mission(request.user, public_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        mission = services.mission_close(
            mission=mission, actor=current_user(request), reason=data.validated_data["reason"]
        )
        return Response(_mission_page(request.user, mission))


class CancelView(ApiView):
    """A manager cancels a mission: every applicant of an upcoming slot is told why."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mission_cancel",
        request=ReasonInput,
        responses={200: MissionPageSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Cancel the mission (the reason is required)."""
        mission = _managed_mission(request.user, public_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        mission = services.mission_cancel(
            mission=mission, actor=current_user(request), reason=data.validated_data["reason"]
        )
        return Response(_mission_page(request.user, mission))


class MissionApplicationsView(generics.ListAPIView):
    """Every application to a mission, for its managers."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]
    serializer_class = ManagedApplicationSerializer

    def get_queryset(self):  # type: ignore[override]
        """Return the mission's applications by slot (403 or 404 for anyone else)."""
        mission = _managed_mission(self.request.user, self.kwargs["public_id"])
        return selectors.applications_of_mission(mission).select_related(
            "slot__mission__organisation"
        )

    @extend_schema(
        operation_id="mission_applications",
        responses={200: ManagedApplicationSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        """List the mission's applications."""
        return super().get(request, *args, **kwargs)


class ApplyView(ApiView):
    """A volunteer applies to one slot of a mission."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mission_slot_apply",
        request=ApplyInput,
        responses={201: ApplicationSerializer, **errors(400, 401, 404)},
    )
    def post(self, request: Request, slot_id: str) -> Response:
        """Apply; on a full slot the application goes on the waiting list."""
        if not str(slot_id).isdigit():
            raise Http404
        slot = (
            MissionSlot.objects.select_related("mission", "mission__organisation")
            .filter(pk=int(slot_id))
            .first()
        )
        if slot is None or not selectors.can_see(slot.mission, request.user):
            raise Http404
        data = ApplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_submit(
            slot=slot, volunteer=current_user(request), message=data.validated_data["message"]
        )
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class MyApplicationsView(generics.ListAPIView):
    """The logged-in volunteer's applications, latest slots first."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationSerializer

    def get_queryset(self):  # type: ignore[override]
        """Return only the caller's applications."""
        return selectors.my_applications(current_user(self.request))

    @extend_schema(operation_id="my_applications")
    def get(self, request: Request, *args, **kwargs) -> Response:
        """List my applications."""
        return super().get(request, *args, **kwargs)


class WithdrawView(ApiView):
    """A volunteer withdraws their own application."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="application_withdraw",
        request=None,
        responses={200: ApplicationSerializer, **errors(400, 401, 404, 409)},
    )
    def post(self, request: Request, application_id: str) -> Response:
        """Withdraw; a freed place goes to the first volunteer on the waiting list."""
        application = _application_or_404(application_id)
        if application.volunteer_id != request.user.pk:
            raise Http404
        application = services.application_withdraw(
            application=application, volunteer=current_user(request)
        )
        return Response(ApplicationSerializer(application).data)


class AcceptView(ApiView):
    """A manager gives a volunteer a place."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="application_accept",
        request=None,
        responses={200: ManagedApplicationSerializer, **errors(400, 401, 404, 409)},
    )
    def post(self, request: Request, application_id: str) -> Response:
        """Accept the application; 409 when the slot has no place left."""
        application = _managed_application(request.user, application_id)
        application = services.application_accept(
            application=application, actor=current_user(request)
        )
        return Response(ManagedApplicationSerializer(application).data)


class DeclineView(ApiView):
    """A manager declines an application, telling the volunteer why."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="application_decline",
        request=ReasonInput,
        responses={200: ManagedApplicationSerializer, **errors(400, 401, 404, 409)},
    )
    def post(self, request: Request, application_id: str) -> Response:
        """Decline the application (the reason is required)."""
        application = _managed_application(request.user, application_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_decline(
            application=application,
            actor=current_user(request),
            reason=data.validated_data["reason"],
        )
        return Response(ManagedApplicationSerializer(application).data)


class ParticipationView(ApiView):
    """A manager confirms (or corrects) the hours an accepted volunteer gave."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="application_participation",
        request=HoursInput,
        responses={200: ParticipationSerializer, **errors(400, 401, 404)},
    )
    def post(self, request: Request, application_id: str) -> Response:
        """Confirm the hours once the slot has started."""
        application = _managed_application(request.user, application_id)
        data = HoursInput(data=request.data)
        data.is_valid(raise_exception=True)
        participation = services.participation_confirm(
            application=application, hours=data.validated_data["hours"], actor=current_user(request)
        )
        return Response(ParticipationSerializer(participation).data)
