"""Output serializers shared by several API modules: what each role may see of a request."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from entraide.accounts.models import User
from entraide.core.vocabulary import HelpKind, Language
from entraide.help_requests.kinds import Urgency
from entraide.help_requests.models import (
    ACTIVE_STATUSES,
    HelpRequest,
    HelpRequestEvent,
    Status,
)
from entraide.operators.models import Call

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class PositionInput(serializers.Serializer):
    """An optional position (a pin moved on a map) that wins over the address typed."""

    lat = serializers.FloatField(min_value=-90, max_value=90, allow_null=True, default=None)
    lon = serializers.FloatField(min_value=-180, max_value=180, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Refuse half a position: latitude and longitude come together or not at all."""
        if (attrs.get("lat") is None) != (attrs.get("lon") is None):
            raise serializers.ValidationError(
                {"lon": [_("Give both latitude and longitude, or neither.")]}
            )
        return attrs


class HistoryEventSerializer(serializers.ModelSerializer):
    """One step of a request's life as the requester may see it (no names, no reasons)."""

    event = serializers.CharField(source="kind")
    event_label = serializers.CharField(source="get_kind_display")
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = HelpRequestEvent
        fields = ["event", "event_label", "to_status", "at"]


class FullHistoryEventSerializer(HistoryEventSerializer):
    """One step of a request's life as operators see it: who, through which channel, why."""

    actor = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequestEvent
        fields = [*HistoryEventSerializer.Meta.fields, "from_status", "actor", "channel", "reason"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: HelpRequestEvent) -> str | None:
        """Return the name of who caused the event, if a person did."""
        return str(event.actor) if event.actor is not None else None


class TrackingSerializer(serializers.ModelSerializer):
    """What a requester sees through their private tracking link."""

    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    can_cancel = serializers.SerializerMethodField()
    can_confirm = serializers.SerializerMethodField()
    history = HistoryEventSerializer(source="events", many=True)

    class Meta:
        model = HelpRequest
        fields = [
            "reference",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "town",
            "created_at",
            "taken_at",
            "done_at",
            "confirmed_at",
            "closed_at",
            "expires_at",
            "can_cancel",
            "can_confirm",
            "history",
        ]

    def get_can_cancel(self, help_request: HelpRequest) -> bool:
        """Return True while the request can still be cancelled."""
        return help_request.status in ACTIVE_STATUSES

    def get_can_confirm(self, help_request: HelpRequest) -> bool:
        """Return True once a volunteer took the request and until it is confirmed."""
        return (
            help_request.status in (Status.TAKEN, Status.DONE) and help_request.confirmed_at is None
        )


class CreatedSerializer(serializers.ModelSerializer):
    """The answer to a new request: its reference and the private tracking link."""

    track_url = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = ["public_id", "reference", "status", "tracking_token", "track_url", "created_at"]

    def get_track_url(self, help_request: HelpRequest) -> str:
        """Return the absolute URL of the API tracking endpoint."""
        path = reverse("api:track", kwargs={"token": help_request.tracking_token})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DistanceBandSerializer(serializers.Serializer):
    """A band of distances, such as 1–3 km: the most a volunteer learns before taking."""

    min_km = serializers.IntegerField(help_text=_("From this many km (inclusive)."))
    max_km = serializers.IntegerField(
        allow_null=True, help_text=_("Up to this many km (exclusive); null: no upper end.")
    )
    # Declared fields leave the class, so this does not replace Field.label at run time.
    label = serializers.CharField(help_text=_("The band in words, in your language."))  # type: ignore[assignment]


class PublicRequestSerializer(serializers.Serializer):
    """An open request as any volunteer sees it: rounded position, no contact details."""

    public_id = serializers.UUIDField(source="help_request.public_id")
    reference = serializers.CharField(source="help_request.reference")
    kind = serializers.ChoiceField(source="help_request.kind", choices=HelpKind.choices)
    kind_label = serializers.CharField(source="help_request.get_kind_display")
    urgency = serializers.ChoiceField(source="help_request.urgency", choices=Urgency.choices)
    details = serializers.CharField(
        source="help_request.public_details",
        help_text=_("The free text, with phone numbers and email addresses hidden."),
    )
    needed_on = serializers.DateField(source="help_request.needed_on", allow_null=True)
    when_note = serializers.CharField(source="help_request.public_when_note")
    languages = serializers.ListField(
        source="help_request.languages", child=serializers.ChoiceField(Language.choices)
    )
    town = serializers.CharField(source="help_request.town")
    status = serializers.ChoiceField(source="help_request.status", choices=Status.choices)
    lat = serializers.FloatField(
        source="public_lat", help_text=_("Latitude rounded to the public precision.")
    )
    lon = serializers.FloatField(
        source="public_lon", help_text=_("Longitude rounded to the public precision.")
    )
    distance_band = DistanceBandSerializer(
        allow_null=True,
        help_text=_(
            "How far the request's rounded public position is from your home, as a band "
            "(never the exact distance); null when you have not said where you live."
        ),
    )
    was_offered = serializers.BooleanField()
    speaks_language = serializers.BooleanField()
    matches_kind = serializers.BooleanField()
    created_at = serializers.DateTimeField(source="help_request.created_at")


class PersonSerializer(serializers.ModelSerializer):
    """A volunteer as operators and the requester's helper see them."""

    name = serializers.CharField(source="__str__")

    class Meta:
        model = User
        fields = ["id", "name", "email", "phone"]


class ContactRequestSerializer(serializers.ModelSerializer):
    """A request with the requester's contact details: for its holder and operators only."""

    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    taken_by = PersonSerializer(allow_null=True)

    class Meta:
        model = HelpRequest
        fields = [
            "public_id",
            "reference",
            "kind",
            "kind_label",
            "urgency",
            "status",
            "status_label",
            "details",
            "needed_on",
            "when_note",
            "languages",
            "requester_name",
            "requester_phone",
            "requester_email",
            "requester_language",
            "address",
            "postcode",
            "town",
            "country",
            "lat",
            "lon",
            "location_precision",
            "channel",
            "taken_by",
            "taken_at",
            "done_at",
            "done_report",
            "confirmed_at",
            "closed_at",
            "escalated_at",
            "wave",
            "expires_at",
            "created_at",
        ]


class FullRequestSerializer(ContactRequestSerializer):
    """A request in full: the contact details, and for operators and staff its history."""

    # Not required: the volunteer who holds the request gets the same answer without it.
    history = FullHistoryEventSerializer(
        source="events", many=True, required=False, help_text=_("Only for operators and staff.")
    )

    class Meta(ContactRequestSerializer.Meta):
        fields = [*ContactRequestSerializer.Meta.fields, "history"]


class StatusSerializer(serializers.ModelSerializer):
    """Only where a request stands: for answers to people who no longer hold it."""

    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = HelpRequest
        fields = ["public_id", "reference", "status", "status_label"]


class CallSerializer(serializers.ModelSerializer):
    """A call logged on the phone line."""

    operator = serializers.CharField(source="operator.__str__")
    help_request = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "direction",
            "phone",
            "outcome",
            "language",
            "note",
            "operator",
            "help_request",
            "created_at",
        ]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_help_request(self, call: Call) -> Any:
        """Return the public id of the request the call was about, if any."""
        return call.help_request.public_id if call.help_request else None


class ReasonInput(serializers.Serializer):
    """A free-text reason or note, optional."""

    reason = serializers.CharField(max_length=500, allow_blank=True, default="")
