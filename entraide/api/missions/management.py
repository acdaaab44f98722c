"""Missions over the API: an organisation's missions, creating them, slots and decisions."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user
from entraide.api.missions._common import _mission_or_404, _mission_page
from entraide.api.missions.serializers import (
    MissionInput,
    MissionPageSerializer,
    MissionSerializer,
    SlotInput,
    SlotSerializer,
    errors,
)
from entraide.api.organisations import visible_organisation
from entraide.api.pagination import Pagination
from entraide.api.serializers import ReasonInput
from entraide.missions import selectors, services
from entraide.organisations.permissions import can_manage_missions
from entraide.organisations.selectors import published_missions


class OrganisationMissionsView(ApiView):
    """An organisation's missions: all of them for its managers, the published ones otherwise."""

    # Declared so that the schema documents the page around the list, not a bare list.
    pagination_class = Pagination

    def get_permissions(self) -> list[BasePermission]:  # type: ignore[override]
        """Let anybody read; creating needs an account."""
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="organisation_missions",
        responses={200: MissionSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """List the organisation's missions (drafts included for its managers)."""
        organisation = visible_organisation(request.user, slug)
        if can_manage_missions(request.user, organisation):
            missions = selectors.missions_of_organisation(organisation)
        else:
            missions = published_missions(organisation)
        paginator = self.pagination_class()
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
        mission = _mission_or_404(request.user, public_id)
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
        mission = _mission_or_404(request.user, public_id)
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
        mission = _mission_or_404(request.user, public_id)
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
        mission = _mission_or_404(request.user, public_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        mission = services.mission_cancel(
            mission=mission, actor=current_user(request), reason=data.validated_data["reason"]
        )
        return Response(_mission_page(request.user, mission))
