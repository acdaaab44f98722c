"""Help requests over the API: create, track, and the volunteer's take / release / done."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.api.common import ApiView, current_user, help_request_or_404
from entraide.api.permissions import (
    IsVerifiedVolunteer,
    IsVolunteer,
    is_operator,
    sees_contact_details,
)
from entraide.api.schema import error_response
from entraide.api.serializers import (
    ContactRequestSerializer,
    CreatedSerializer,
    FullRequestSerializer,
    PositionInput,
    ReasonInput,
    StatusSerializer,
    TrackingSerializer,
)
from entraide.api.throttles import HelpRequestCreateThrottle
from entraide.core.vocabulary import Channel, Language
from entraide.help_requests import services
from entraide.help_requests.kinds import KIND_NOT_REQUESTED, REQUESTED_KINDS, Urgency
from entraide.help_requests.models import HelpRequest
from entraide.help_requests.selectors import help_request_by_token

CHANNEL = Channel.API
ERRORS = {
    400: error_response(400, _("Invalid input: messages by field, or detail and code.")),
    401: error_response(401, _("Log in (session or HTTP Basic).")),
    403: error_response(403, _("Your role does not allow this.")),
    404: error_response(404, _("No such request.")),
    409: error_response(409, _("Somebody else changed the request first.")),
    429: error_response(429, _("Too many requests from you: wait a while and try again.")),
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    return {code: ERRORS[code] for code in codes}


class HelpRequestCreateInput(PositionInput):
    """What a requester (or an operator for them) sends to ask for help."""

    kind = serializers.ChoiceField(
        choices=REQUESTED_KINDS, error_messages={"invalid_choice": KIND_NOT_REQUESTED}
    )
    requester_name = serializers.CharField(max_length=120)
    town = serializers.CharField(max_length=120)
    consent = serializers.BooleanField(
        default=False,
        help_text=_("The requester agrees that nearby volunteers see the request."),
    )
    details = serializers.CharField(max_length=2000, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.TODAY)
    needed_on = serializers.DateField(allow_null=True, default=None)
    when_note = serializers.CharField(max_length=200, allow_blank=True, default="")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices),
        max_length=len(Language.choices),
        default=list,
    )
    requester_phone = serializers.CharField(max_length=30, allow_blank=True, default="")
    # No default: OpenAPI would reject "" as the default of an email field, and the
    # service already treats a missing address as none.
    requester_email = serializers.EmailField(allow_blank=True, required=False)
    requester_language = serializers.ChoiceField(
        choices=settings.LANGUAGES, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=200, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=12, allow_blank=True, default="")
    country = serializers.RegexField(
        r"^([A-Za-z]{2})?$",
        allow_blank=True,
        default="",
        error_messages={"invalid": _("Enter a two-letter country code, such as BE or FR.")},
    )


class HelpRequestCreateView(ApiView):
    """Ask for help; no account needed."""

    permission_classes = [AllowAny]
    throttle_classes = [HelpRequestCreateThrottle]

    @extend_schema(
        operation_id="help_request_create",
        request=HelpRequestCreateInput,
        responses={201: CreatedSerializer, **_errors(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        """Create a request and return its reference and private tracking token."""
        data = HelpRequestCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        actor = current_user(request) if request.user.is_authenticated else None
        help_request = services.help_request_create(
            **data.validated_data, channel=CHANNEL, actor=actor
        )
        output = CreatedSerializer(help_request, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class TrackActionInput(serializers.Serializer):
    """What a requester can do from their tracking link."""

    action = serializers.ChoiceField(choices=[("cancel", _("Cancel")), ("confirm", _("Confirm"))])
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")


def _tracked_or_404(token: str) -> HelpRequest:
    """Return the request behind a tracking token, or raise Http404."""
    found = help_request_by_token(token)
    if found is None:
        raise Http404
    return found


class TrackView(ApiView):
    """A requester follows their request with the private token, without an account."""

    # The token is the credential: no session, hence no CSRF check for this endpoint.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="track_retrieve", responses={200: TrackingSerializer, **_errors(404)}
    )
    def get(self, request: Request, token: str) -> Response:
        """Return the status and public history of the request."""
        return Response(TrackingSerializer(_tracked_or_404(token)).data)

    @extend_schema(
        operation_id="track_action",
        request=TrackActionInput,
        responses={200: TrackingSerializer, **_errors(400, 404, 409)},
    )
    def post(self, request: Request, token: str) -> Response:
        """Cancel the request, or confirm that the help was received."""
        help_request = _tracked_or_404(token)
        data = TrackActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data["reason"]
        if data.validated_data["action"] == "cancel":
            services.help_request_cancel(help_request=help_request, channel=CHANNEL, reason=reason)
        else:
            services.help_request_confirm(help_request=help_request, channel=CHANNEL, note=reason)
        return Response(TrackingSerializer(help_request).data)


class HelpRequestDetailView(ApiView):
    """A request in full: for operators, staff, and the volunteer who holds it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="help_request_retrieve",
        responses={200: FullRequestSerializer, **_errors(401, 403, 404)},
    )
    def get(self, request: Request, public_id: str) -> Response:
        """Return every detail of the request (history only for operators)."""
        help_request = help_request_or_404(public_id)
        if is_operator(request.user):
            return Response(FullRequestSerializer(help_request).data)
        if sees_contact_details(request.user, help_request):
            return Response(ContactRequestSerializer(help_request).data)
        raise PermissionDenied(_("Only the volunteer who took this request can see its details."))


class TakeView(ApiView):
    """A volunteer takes an open request."""

    permission_classes = [IsVerifiedVolunteer]

    @extend_schema(
        operation_id="help_request_take",
        request=None,
        responses={200: ContactRequestSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Take the request; answer 409 when somebody else was faster."""
        help_request = services.help_request_take(
            help_request=help_request_or_404(public_id),
            volunteer=current_user(request),
            channel=CHANNEL,
        )
        return Response(ContactRequestSerializer(help_request).data)


class ReleaseView(ApiView):
    """The volunteer who holds a request gives it back."""

    permission_classes = [IsVolunteer]

    @extend_schema(
        operation_id="help_request_release",
        request=ReasonInput,
        responses={200: StatusSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Give the request back so that another volunteer can take it."""
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        help_request = services.help_request_release(
            help_request=help_request_or_404(public_id),
            volunteer=current_user(request),
            reason=data.validated_data["reason"],
            channel=CHANNEL,
        )
        return Response(StatusSerializer(help_request).data)


class DoneInput(serializers.Serializer):
    """What the volunteer did, in a few words."""

    report = serializers.CharField(max_length=2000, allow_blank=True, default="")


class DoneView(ApiView):
    """The holder (or an operator) records that the help was given."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="help_request_done",
        request=DoneInput,
        responses={200: ContactRequestSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Mark the request done (its holder or an operator); the requester is asked to confirm."""
        data = DoneInput(data=request.data)
        data.is_valid(raise_exception=True)
        help_request = services.help_request_mark_done(
            help_request=help_request_or_404(public_id),
            actor=current_user(request),
            report=data.validated_data["report"],
            channel=CHANNEL,
        )
        return Response(ContactRequestSerializer(help_request).data)
