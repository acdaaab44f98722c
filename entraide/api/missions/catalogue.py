"""Missions over the API: the catalogue and one mission's page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user
from entraide.api.missions._common import _mission_or_404, _mission_page
from entraide.api.missions.serializers import (
    CatalogueInput,
    MissionInput,
    MissionListSerializer,
    MissionPageSerializer,
    errors,
)
from entraide.api.pagination import Pagination
from entraide.missions import selectors, services
from entraide.organisations.selectors import public_organisation


class MissionCatalogueView(ApiView):
    """Published missions with upcoming slots that the caller may see, soonest first."""

    # Declared so that the schema documents the page around the list, not a bare list.
    pagination_class = Pagination
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="mission_list",
        parameters=[CatalogueInput],
        responses={200: MissionListSerializer(many=True), **errors(400, 401)},
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
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(missions, request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(MissionListSerializer(page, many=True).data)


class MissionDetailView(ApiView):
    """One mission: read it (anyone who may see it), change it (its managers)."""

    permission_classes = [AllowAny]

    def get_permissions(self) -> list[BasePermission]:  # type: ignore[override]
        """Let anybody read; changing needs an account."""
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="mission_retrieve", responses={200: MissionPageSerializer, **errors(401, 404)}
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
        """Change some of the mission's fields while it is open (its managers only)."""
        mission = _mission_or_404(request.user, public_id)
        data = MissionInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        mission = services.mission_update(
            mission=mission, actor=current_user(request), **data.validated_data
        )
        return Response(_mission_page(request.user, mission))
