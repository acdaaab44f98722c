"""Moderators over the API: missions waiting for moderation, publishing or sending them back."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user
from entraide.api.missions._common import _mission_or_404, _mission_page
from entraide.api.missions.serializers import MissionPageSerializer, MissionSerializer, errors
from entraide.api.pagination import Pagination
from entraide.api.serializers import ReasonInput
from entraide.missions import selectors, services
from entraide.missions.models import Mission
from entraide.organisations.permissions import is_moderator_anywhere


class ModerationMissionsView(generics.ListAPIView):
    """The missions waiting in the caller's territories (every territory for staff)."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    permission_classes = [IsAuthenticated]
    serializer_class = MissionSerializer

    def get_queryset(self) -> QuerySet[Mission]:  # type: ignore[override]
        """Return the submitted missions, oldest first; 403 for anyone who moderates nothing."""
        if not is_moderator_anywhere(self.request.user):
            raise PermissionDenied(_("Only moderators can do this."))
        return selectors.missions_waiting_for_moderation(current_user(self.request))

    @extend_schema(
        operation_id="moderation_missions",
        responses={200: MissionSerializer(many=True), **errors(401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the missions waiting for moderation."""
        return super().get(request, *args, **kwargs)


class PublishView(ApiView):
    """A moderator of the organisation's territory publishes a submitted mission."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mission_publish",
        request=None,
        responses={200: MissionPageSerializer, **errors(401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Publish the mission; its managers are told by email."""
        mission = _mission_or_404(request.user, public_id)
        mission = services.mission_publish(mission=mission, actor=current_user(request))
        return Response(_mission_page(request.user, mission))


class SendBackView(ApiView):
    """A moderator returns a submitted mission to its draft, with what to change."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mission_send_back",
        request=ReasonInput,
        responses={200: MissionPageSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Send the mission back (the reason is required; the managers read it)."""
        mission = _mission_or_404(request.user, public_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        mission = services.mission_send_back(
            mission=mission, actor=current_user(request), reason=data.validated_data["reason"]
        )
        return Response(_mission_page(request.user, mission))
