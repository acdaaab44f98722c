"""What the missions API reads and writes: output and input serializers, documented errors."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from entraide.api.schema import error_response
from entraide.core.vocabulary import Language
from entraide.missions.models import Application, Mission, MissionSlot, Theme
from entraide.organisations.models import Organisation

ERRORS = {
    400: error_response(400, _("Invalid input: messages by field, or detail and code.")),
    401: error_response(401, _("Log in (session or HTTP Basic).")),
    403: error_response(403, _("Your role does not allow this.")),
    404: error_response(404, _("No such mission, slot or application.")),
    409: error_response(409, _("Somebody else changed it first, or no place is left.")),
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
    places_left = serializers.IntegerField(
        help_text=_("Places left on the next slot that has room (0: every slot is full).")
    )
    next_open_start = serializers.DateTimeField(
        allow_null=True, help_text=_("Start of the next slot that has room; null if none.")
    )
    my_status = serializers.CharField(
        help_text=_(
            "The caller's own application on an upcoming slot: accepted, waitlisted, "
            "pending, or empty."
        )
    )
    distance_km = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "From the point searched; null for remote missions or when the position is "
            "only the town's."
        ),
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
            "next_open_start",
            "my_status",
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
    """Hours given, as a decimal string such as "2.50" (more than 0, at most the slot's length)."""

    hours = serializers.CharField(max_length=10, help_text=_('A decimal string, such as "2.5".'))
