"""Missions over the API: applying, withdrawing, deciding on applications and hours."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user, id_or_404
from entraide.api.missions._common import (
    _application_or_404,
    _managed_application,
    _managed_mission,
)
from entraide.api.missions.serializers import (
    ApplicationSerializer,
    ApplyInput,
    HoursInput,
    ManagedApplicationSerializer,
    ParticipationSerializer,
    errors,
)
from entraide.api.pagination import Pagination
from entraide.api.serializers import ReasonInput
from entraide.core.vocabulary import Channel
from entraide.missions import selectors, services
from entraide.missions.models import Application, MissionSlot


class MissionApplicationsView(generics.ListAPIView):
    """Every application to a mission, for its managers."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]
    serializer_class = ManagedApplicationSerializer

    def get_queryset(self) -> QuerySet[Application]:  # type: ignore[override]
        """Return the mission's applications by slot (403 or 404 for anyone else)."""
        mission = _managed_mission(self.request.user, self.kwargs["public_id"])
        return selectors.applications_of_mission(mission).select_related(
            "slot__mission__organisation"
        )

    @extend_schema(
        operation_id="mission_applications",
        responses={200: ManagedApplicationSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the mission's applications."""
        return super().get(request, *args, **kwargs)


class ApplyView(ApiView):
    """A volunteer applies to one slot of a mission."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mission_slot_apply",
        request=ApplyInput,
        responses={201: ApplicationSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, slot_id: str) -> Response:
        """Apply; on a full slot the application goes on the waiting list."""
        slot = (
            MissionSlot.objects.select_related("mission", "mission__organisation")
            .filter(pk=id_or_404(slot_id))
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

    def get_queryset(self) -> QuerySet[Application]:  # type: ignore[override]
        """Return only the caller's applications."""
        return selectors.my_applications(current_user(self.request))

    @extend_schema(
        operation_id="my_applications",
        responses={200: ApplicationSerializer(many=True), **errors(401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List my applications."""
        return super().get(request, *args, **kwargs)


class WithdrawView(ApiView):
    """A volunteer withdraws their own application."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="application_withdraw",
        request=None,
        responses={200: ApplicationSerializer, **errors(400, 401, 403, 404, 409)},
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
        responses={200: ManagedApplicationSerializer, **errors(400, 401, 403, 404, 409)},
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
        responses={200: ManagedApplicationSerializer, **errors(400, 401, 403, 404, 409)},
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
        responses={200: ParticipationSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, application_id: str) -> Response:
        """Confirm or correct this volunteer's hours (once the slot started, at most its length)."""
        application = _managed_application(request.user, application_id)
        data = HoursInput(data=request.data)
        data.is_valid(raise_exception=True)
        participation = services.participation_confirm(
            application=application,
            hours=data.validated_data["hours"],
            actor=current_user(request),
            channel=Channel.API,
        )
        return Response(ParticipationSerializer(participation).data)
