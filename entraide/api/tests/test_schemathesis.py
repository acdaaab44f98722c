"""Property tests: every answer of the API, to anybody, is documented in its OpenAPI schema.

Schemathesis reads the schema drf-spectacular serves, generates requests from it and calls
the Django app in-process through WSGI, once anonymously and once as each demo persona.
"""

import base64
from io import StringIO

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from entraide.config.wsgi import application
from entraide.demo.data import DOMAIN, PASSWORD
from entraide.goods.models import CollectionRound
from entraide.help_requests.models import HelpRequest
from entraide.missions.models import Application, Mission, MissionSlot
from entraide.organisations.models import Organisation

pytestmark = pytest.mark.schema

# The demo's log-ins, one per role (None: no credentials at all).
PERSONAS = {
    "anonymous": None,
    "staff": "admin",
    "operator": "operateur",
    "moderator": "moderateur",
    "volunteer": "camille",
    "association admin": "asso",
    "company admin": "entreprise",
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def in_process(demo, db):
    """Let WSGI requests share the test's connection, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Serving the schema reads no database, so it can be loaded while tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def _real_values(path: str, name: str) -> list[str]:
    """Return the ids of demo objects a path parameter can name, so calls reach past 404."""
    if name == "token":
        return list(HelpRequest.objects.values_list("tracking_token", flat=True))
    if name == "slug":
        return list(Organisation.objects.values_list("slug", flat=True))
    if name == "slot_id":
        return [str(pk) for pk in MissionSlot.objects.values_list("pk", flat=True)]
    if name == "application_id":
        return [str(pk) for pk in Application.objects.values_list("pk", flat=True)]
    if name == "round_id":
        return [str(pk) for pk in CollectionRound.objects.values_list("pk", flat=True)]
    model = Mission if path.startswith("/api/missions/") else HelpRequest
    return [str(public_id) for public_id in model.objects.values_list("public_id", flat=True)]


def _authorization(persona: str) -> dict[str, str]:
    """Return the HTTP Basic header of a demo persona (none for anonymous)."""
    local = PERSONAS[persona]
    if local is None:
        return {}
    token = base64.b64encode(f"{local}@{DOMAIN}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.mark.parametrize("persona", list(PERSONAS))
@schema.parametrize()
@schema.given(data=st.data())
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_it_answers_as_documented(in_process, case, persona, data):
    for name, generated in (case.path_parameters or {}).items():
        choices = sorted(_real_values(case.path, name))
        case.path_parameters[name] = data.draw(st.sampled_from([generated, *choices]), label=name)
    case.call_and_validate(headers=_authorization(persona), checks=CHECKS)
