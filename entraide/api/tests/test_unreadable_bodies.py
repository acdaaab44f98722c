"""Every operation that reads a body refuses one too deep, too large or not JSON, never a 500.

The operations come from the OpenAPI schema, so a new endpoint is covered the day it is added.
One person may reach every parser: staff, operator, volunteer and mission manager at once.
"""

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from entraide.api.parsers import BodyTooLarge, JSONParser, UnreadableBody
from entraide.goods.models import Pickup
from entraide.goods.tests.factories import OfferFactory
from entraide.missions.tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    MissionFactory,
    MissionSlotFactory,
    OrganisationFactory,
)
from entraide.testing.factories import HelpRequestFactory, UserFactory, VolunteerProfileFactory

# Dutch is neither the site's default (French) nor the source language (English).
LANGUAGE = "nl"


def _operations_with_a_body() -> list[tuple[str, str]]:
    """Return (method, path) of every operation whose schema declares a request body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    )


OPERATIONS = _operations_with_a_body()


def _too_deep() -> bytes:
    return b"[" * 100_000


def _too_large() -> bytes:
    return b'{"reason": "' + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'


def _not_json() -> bytes:
    return b'{"reason": "unfinished'


BODIES = {"too_deep": _too_deep, "too_large": _too_large, "not_json": _not_json}


def expected_detail(kind: str, body: bytes, language: str = LANGUAGE) -> tuple[int, str]:
    """Return the status and the message the API should answer to this body."""
    with translation.override(language):
        if kind == "too_large":
            return 413, str(BodyTooLarge().detail)
        with pytest.raises(UnreadableBody) as refused:
            JSONParser().parse(io.BytesIO(body), parser_context={})
        return 400, str(refused.value.detail)


@pytest.fixture
def world(db) -> dict[str, Any]:
    """Return a person allowed past every permission, and the objects the paths name."""
    person = UserFactory.create(is_staff=True, is_superuser=True, is_operator=True)
    VolunteerProfileFactory.create(user=person)
    organisation = OrganisationFactory.create()
    MembershipFactory.create(organisation=organisation, user=person)
    mission = MissionFactory.create(organisation=organisation)
    slot = MissionSlotFactory.create(mission=mission)
    application = ApplicationFactory.create(slot=slot)
    help_request = HelpRequestFactory.create()
    offer = OfferFactory.create(
        lot__donor_organisation=organisation, need__organisation=organisation
    )
    pickup = Pickup.objects.create(
        organisation=offer.need.organisation,
        mode="self",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    return {
        "person": person,
        "ids": {
            "help-requests": help_request.public_id,
            "missions": mission.public_id,
            "slot_id": slot.pk,
            "application_id": application.pk,
            "slug": organisation.slug,
            "token": help_request.tracking_token,
            "lot_id": offer.lot_id,
            "offer_id": offer.pk,
            "pickup_id": pickup.pk,
            # The body is read before the receipt is looked up: no receipt is needed.
            "receipt_id": 1,
            "round_id": 1,
        },
    }


def url_of(path: str, ids: dict[str, Any]) -> str:
    """Fill in a schema path's parameters with the world's ids."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "public_id":
            # /api/missions/{public_id}/ names a mission, the other public ids are requests.
            return str(ids["missions" if path.startswith("/api/missions/") else "help-requests"])
        return str(ids[name])

    return re.sub(r"\{(\w+)\}", value, path)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Return every row of every table, to show that nothing was written."""
    return {model._meta.label: list(model._default_manager.values()) for model in apps.get_models()}


@pytest.mark.django_db
def test_it_documents_the_refusals_on_every_operation_that_reads_a_body(anon):
    schema = anon.get("/api/schema/?format=json").json()

    with_body = {
        (method, path): operation["responses"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    }
    assert sorted(with_body) == OPERATIONS
    assert ("post", "/api/help-requests/") in with_body
    assert all({"400", "413", "415"} <= set(answers) for answers in with_body.values())
    too_large = with_body["post", "/api/help-requests/"]["413"]
    assert too_large["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(BODIES))
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_it_refuses_an_unreadable_body_on_every_operation(world, method, path, kind):
    body = BODIES[kind]()
    status, detail = expected_detail(kind, body)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world["person"])
    before = snapshot()

    response = getattr(client, method)(
        url_of(path, world["ids"]),
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=LANGUAGE,
    )

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail, "code": kind}
    assert snapshot() == before


@pytest.mark.parametrize("kind", sorted(BODIES))
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_it_translates_the_refusals(kind, language):
    body = BODIES[kind]()
    # Before the colon: the sentence itself, not the size or position formatted into it.
    translated = expected_detail(kind, body, language)[1].split(":")[0]

    assert translated != expected_detail(kind, body, "en")[1].split(":")[0]
