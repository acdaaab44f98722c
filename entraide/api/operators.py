"""The phone line over the API: queue, caller look-up, assign, cancel, confirm, log a call."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.accounts.models import User
from entraide.api.common import MAX_ID, ApiView, current_user, help_request_or_404
from entraide.api.pagination import Pagination
from entraide.api.permissions import IsOperator
from entraide.api.schema import error_response
from entraide.api.serializers import CallSerializer, ContactRequestSerializer, ReasonInput
from entraide.core.vocabulary import Channel, Language
from entraide.help_requests import services
from entraide.help_requests.models import HelpRequest
from entraide.operators import selectors
from entraide.operators import services as operator_services
from entraide.operators.models import Call, Callback

CHANNEL = Channel.API


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Return the documented error responses for these status codes."""
    described = {
        400: _("Invalid input: messages by field, or detail and code."),
        401: _("Log in (session or HTTP Basic)."),
        403: _("Only operators of the phone line can do this."),
        404: _("No such request."),
        409: _("Somebody else changed the request first."),
    }
    return {code: error_response(code, described[code]) for code in codes}


class QueueView(generics.ListAPIView):
    """Requests nobody has taken yet, most urgent first, then oldest first."""

    authentication_classes = ApiView.authentication_classes
    pagination_class = Pagination
    permission_classes = [IsOperator]
    serializer_class = ContactRequestSerializer

    def get_queryset(self) -> QuerySet[HelpRequest]:  # type: ignore[override]
        """Return the operators' queue."""
        return selectors.queue_requests().select_related("taken_by")

    @extend_schema(
        operation_id="operators_queue",
        responses={200: ContactRequestSerializer(many=True), **_errors(401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the queue."""
        return super().get(request, *args, **kwargs)


class CallbackSerializer(serializers.ModelSerializer):
    """A call-back still to be made."""

    help_request = serializers.SerializerMethodField()

    class Meta:
        model = Callback
        fields = ["id", "phone", "due_at", "note", "help_request"]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_help_request(self, callback: Callback) -> uuid.UUID | None:
        """Return the public id of the request the call-back is about, if any."""
        return callback.help_request.public_id if callback.help_request else None


class LookupSerializer(serializers.Serializer):
    """Everything the line knows about one phone number."""

    phone = serializers.CharField()
    is_known = serializers.BooleanField()
    requests = ContactRequestSerializer(many=True)
    calls = CallSerializer(many=True)
    callbacks = CallbackSerializer(many=True)


class LookupView(ApiView):
    """Find a caller's earlier requests, calls and call-backs by phone number."""

    permission_classes = [IsOperator]

    @extend_schema(
        operation_id="operators_lookup",
        parameters=[
            OpenApiParameter(
                "phone", str, required=True, description=_("The number, however it is typed.")
            )
        ],
        responses={200: LookupSerializer, **_errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        """Return the caller's history."""
        phone = request.query_params.get("phone", "").strip()
        if not phone:
            raise ValidationError({"phone": [_("Enter the caller's phone number.")]})
        try:
            history = selectors.caller_lookup(phone=phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
        return Response(LookupSerializer(history).data)


class AssignInput(serializers.Serializer):
    """The volunteer the operator reached, by id or by email."""

    volunteer_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    volunteer_email = serializers.EmailField(required=False)
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")
    over_limit = serializers.BooleanField(
        default=False,
        help_text=_(
            "Assign even if the volunteer already holds their maximum of open requests "
            "(they agreed to take one more)."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        """Find the volunteer; refuse when none or both identifiers are given."""
        if ("volunteer_id" in attrs) == ("volunteer_email" in attrs):
            raise serializers.ValidationError(
                {"volunteer_id": [_("Give the volunteer's id or email address (one of them).")]}
            )
        if "volunteer_id" in attrs:
            field, found = "volunteer_id", User.objects.filter(pk=attrs["volunteer_id"]).first()
        else:
            field = "volunteer_email"
            found = User.objects.filter(email__iexact=attrs["volunteer_email"]).first()
        if found is None:
            raise serializers.ValidationError({field: [_("No volunteer has this account.")]})
        attrs["volunteer"] = found
        return attrs


class AssignView(ApiView):
    """Give an open request to a volunteer the operator reached by hand."""

    permission_classes = [IsOperator]

    @extend_schema(
        operation_id="operators_assign",
        request=AssignInput,
        responses={200: ContactRequestSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Assign the request."""
        help_request = help_request_or_404(public_id)
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        help_request = services.help_request_assign(
            help_request=help_request,
            volunteer=data.validated_data["volunteer"],
            actor=current_user(request),
            channel=CHANNEL,
            reason=data.validated_data["reason"],
            over_limit=data.validated_data["over_limit"],
        )
        return Response(ContactRequestSerializer(help_request).data)


class CancelView(ApiView):
    """Cancel a request for the caller."""

    permission_classes = [IsOperator]

    @extend_schema(
        operation_id="operators_cancel",
        request=ReasonInput,
        responses={200: ContactRequestSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Cancel the request; a volunteer who held it is told."""
        help_request = help_request_or_404(public_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        help_request = services.help_request_cancel(
            help_request=help_request,
            channel=CHANNEL,
            reason=data.validated_data["reason"],
            actor=current_user(request),
        )
        return Response(ContactRequestSerializer(help_request).data)


class ConfirmView(ApiView):
    """Record the caller's confirmation that the help was received."""

    permission_classes = [IsOperator]

    @extend_schema(
        operation_id="operators_confirm",
        request=ReasonInput,
        responses={200: ContactRequestSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        """Confirm the request."""
        help_request = help_request_or_404(public_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        help_request = services.help_request_confirm(
            help_request=help_request,
            channel=CHANNEL,
            actor=current_user(request),
            note=data.validated_data["reason"],
        )
        return Response(ContactRequestSerializer(help_request).data)


class CallInput(serializers.Serializer):
    """One phone call and what came of it."""

    direction = serializers.ChoiceField(choices=Call.Direction.choices)
    phone = serializers.CharField(max_length=30)
    outcome = serializers.ChoiceField(choices=Call.Outcome.choices)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=Language.choices, allow_blank=True, default="")
    help_request = serializers.UUIDField(
        allow_null=True, default=None, help_text=_("Public id of the request the call was about.")
    )

    def validate_help_request(self, value: uuid.UUID | None) -> HelpRequest | None:
        """Return the request with this public id."""
        if value is None:
            return None
        found = HelpRequest.objects.filter(public_id=value).first()
        if found is None:
            raise serializers.ValidationError(_("No request has this reference."))
        return found


class CallLogView(ApiView):
    """Log a phone call (the service refuses anyone but operators)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="operators_call_log",
        request=CallInput,
        responses={201: CallSerializer, **_errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        """Record the call."""
        data = CallInput(data=request.data)
        data.is_valid(raise_exception=True)
        call = operator_services.call_log(operator=current_user(request), **data.validated_data)
        return Response(CallSerializer(call).data, status=status.HTTP_201_CREATED)
