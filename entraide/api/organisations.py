"""Organisations over the API: public list and pages, registration, and moderation."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.accounts.models import User, Viewer
from entraide.api.common import MAX_ID, ApiView, current_user
from entraide.api.pagination import Pagination
from entraide.api.schema import error_response
from entraide.api.serializers import ReasonInput
from entraide.organisations import selectors, services
from entraide.organisations.models import Organisation, Territory
from entraide.organisations.permissions import can_moderate

ERRORS = {
    400: error_response(400, _("Invalid input: messages by field, or detail and code.")),
    401: error_response(401, _("Log in (session or HTTP Basic).")),
    403: error_response(403, _("Your role does not allow this.")),
    404: error_response(404, _("No such organisation.")),
    409: error_response(409, _("Somebody else decided first, or the status forbids it.")),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    return {code: ERRORS[code] for code in codes}


class TerritorySerializer(serializers.ModelSerializer):
    """A territory organisations register in."""

    class Meta:
        model = Territory
        fields = ["id", "name", "country", "time_zone"]


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation as anybody may see it on its public page."""

    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    territory = TerritorySerializer()

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "kind",
            "kind_label",
            "description",
            "website",
            "email",
            "phone",
            "address",
            "postcode",
            "town",
            "country",
            "lat",
            "lon",
            "territory",
            "status",
            "status_label",
            "verified_at",
            "created_at",
        ]


class OrganisationPrivateSerializer(OrganisationSerializer):
    """An organisation as its members and moderators see it: with the moderators' reason."""

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "registration_number", "status_reason"]


class OrganisationRegisterInput(serializers.Serializer):
    """What a person sends to register an organisation (they become its administrator)."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    territory = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.all(), help_text=_("Id of a territory from /api/territories/.")
    )
    town = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000, allow_blank=True, default="")
    website = serializers.URLField(max_length=200, allow_blank=True, default="")
    # No default: OpenAPI would reject "" as the default of an email field.
    email = serializers.EmailField(allow_blank=True, required=False)
    phone = serializers.CharField(max_length=30, allow_blank=True, default="")
    registration_number = serializers.CharField(max_length=40, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=12, allow_blank=True, default="")
    country = serializers.RegexField(
        r"^([A-Za-z]{2})?$",
        allow_blank=True,
        default="",
        error_messages={"invalid": _("Enter a two-letter country code, such as BE or FR.")},
    )


def visible_organisation(user: Viewer, slug: str) -> Organisation:
    """Return the organisation if the caller may see it (verified, or theirs), else raise 404."""
    organisation = selectors.public_organisation(slug)
    if organisation is None:
        raise Http404
    if organisation.can_publish or sees_private(user, organisation):
        return organisation
    raise Http404


def sees_private(user: Viewer, organisation: Organisation) -> bool:
    """Return True for the organisation's members, its territory's moderators and staff."""
    return selectors.member_role(user, organisation) is not None or can_moderate(user, organisation)


def organisation_data(user: Viewer, organisation: Organisation) -> dict[str, Any]:
    """Return the organisation as the caller may see it."""
    if sees_private(user, organisation):
        return OrganisationPrivateSerializer(organisation).data
    return OrganisationSerializer(organisation).data


class TerritoryListView(generics.ListAPIView):
    """The territories an organisation can register in."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    permission_classes = [AllowAny]
    serializer_class = TerritorySerializer

    def get_queryset(self) -> QuerySet[Territory]:  # type: ignore[override]
        """Return every territory by name."""
        return selectors.territories()

    @extend_schema(
        operation_id="territory_list",
        responses={200: TerritorySerializer(many=True), **errors(401)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the territories."""
        return super().get(request, *args, **kwargs)


class OrganisationFilters(serializers.Serializer):
    """Filters of the list of organisations, both optional."""

    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    territory = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text=_("A territory's id.")
    )


class OrganisationListView(generics.ListAPIView):
    """Verified organisations (anyone), and registration of a new one (logged in)."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    serializer_class = OrganisationSerializer

    def get_permissions(self) -> list[BasePermission]:  # type: ignore[override]
        """Let anybody read the list; registering needs an account."""
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return [AllowAny()]

    def get_queryset(self) -> QuerySet[Organisation]:  # type: ignore[override]
        """Return the verified organisations, optionally of one kind or territory."""
        filters = OrganisationFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = selectors.verified_organisations()
        if "kind" in filters.validated_data:
            queryset = queryset.filter(kind=filters.validated_data["kind"])
        if "territory" in filters.validated_data:
            queryset = queryset.filter(territory_id=filters.validated_data["territory"])
        return queryset

    @extend_schema(
        operation_id="organisation_list",
        parameters=[OrganisationFilters],
        responses={200: OrganisationSerializer(many=True), **errors(400, 401)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List verified organisations by name (filters: kind, territory id)."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="organisation_register",
        request=OrganisationRegisterInput,
        responses={201: OrganisationPrivateSerializer, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Register an organisation; it waits for a moderator of its territory."""
        data = OrganisationRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_register(
            user=current_user(request), **data.validated_data
        )
        return Response(
            OrganisationPrivateSerializer(organisation).data, status=status.HTTP_201_CREATED
        )


class OrganisationDetailView(ApiView):
    """One organisation: public once verified, else only for its members and moderators."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="organisation_retrieve",
        responses={200: OrganisationPrivateSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """Return the organisation (with the moderators' reason for members and moderators)."""
        organisation = visible_organisation(request.user, slug)
        return Response(organisation_data(request.user, organisation))


class ModerationView(ApiView):
    """Base of the moderators' decisions on an organisation."""

    permission_classes = [IsAuthenticated]

    def decide(self, organisation: Organisation, moderator: User, reason: str) -> Organisation:
        """Call the service of this decision."""
        raise NotImplementedError

    def post(self, request: Request, slug: str) -> Response:
        """Apply the decision; the service refuses anyone but the territory's moderators."""
        organisation = visible_organisation(request.user, slug)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = self.decide(
            organisation, current_user(request), data.validated_data["reason"]
        )
        return Response(OrganisationPrivateSerializer(organisation).data)


MODERATION_RESPONSES = {200: OrganisationPrivateSerializer, **errors(400, 401, 403, 404, 409)}


class VerifyView(ModerationView):
    """A moderator verifies a pending organisation."""

    @extend_schema(operation_id="organisation_verify", request=None, responses=MODERATION_RESPONSES)
    def post(self, request: Request, slug: str) -> Response:
        """Verify the organisation: its page becomes public and it may publish missions."""
        return super().post(request, slug)

    def decide(self, organisation: Organisation, moderator: User, reason: str) -> Organisation:
        """Verify."""
        return services.organisation_verify(organisation=organisation, moderator=moderator)


class RejectView(ModerationView):
    """A moderator refuses a pending organisation, with a reason."""

    @extend_schema(
        operation_id="organisation_reject", request=ReasonInput, responses=MODERATION_RESPONSES
    )
    def post(self, request: Request, slug: str) -> Response:
        """Reject the organisation; the reason is required and emailed to its administrators."""
        return super().post(request, slug)

    def decide(self, organisation: Organisation, moderator: User, reason: str) -> Organisation:
        """Reject."""
        return services.organisation_reject(
            organisation=organisation, moderator=moderator, reason=reason
        )


class SuspendView(ModerationView):
    """A moderator suspends a verified organisation, with a reason."""

    @extend_schema(
        operation_id="organisation_suspend", request=ReasonInput, responses=MODERATION_RESPONSES
    )
    def post(self, request: Request, slug: str) -> Response:
        """Suspend the organisation: its page and missions are hidden until reinstated."""
        return super().post(request, slug)

    def decide(self, organisation: Organisation, moderator: User, reason: str) -> Organisation:
        """Suspend."""
        return services.organisation_suspend(
            organisation=organisation, moderator=moderator, reason=reason
        )


class ReinstateView(ModerationView):
    """A moderator lifts a suspension or reopens a rejection."""

    @extend_schema(
        operation_id="organisation_reinstate", request=ReasonInput, responses=MODERATION_RESPONSES
    )
    def post(self, request: Request, slug: str) -> Response:
        """Reinstate: a suspended organisation is verified again, a rejected one pending."""
        return super().post(request, slug)

    def decide(self, organisation: Organisation, moderator: User, reason: str) -> Organisation:
        """Reinstate."""
        return services.organisation_reinstate(
            organisation=organisation, moderator=moderator, reason=reason
        )
