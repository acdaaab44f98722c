"""The OpenAPI schema is valid and its browsable docs load everything from our own server."""

import re

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

EXPECTED_PATHS = {
    "/api/help-requests/",
    "/api/help-requests/{public_id}/",
    "/api/help-requests/{public_id}/take/",
    "/api/help-requests/{public_id}/release/",
    "/api/help-requests/{public_id}/done/",
    "/api/track/{token}/",
    "/api/volunteer/profile/",
    "/api/volunteer/nearby-requests/",
    "/api/volunteer/held-requests/",
    "/api/operators/queue/",
    "/api/operators/lookup/",
    "/api/operators/calls/",
    "/api/operators/help-requests/{public_id}/assign/",
    "/api/operators/help-requests/{public_id}/cancel/",
    "/api/operators/help-requests/{public_id}/confirm/",
    "/api/territories/",
    "/api/organisations/",
    "/api/organisations/{slug}/",
    "/api/organisations/{slug}/verify/",
    "/api/organisations/{slug}/reject/",
    "/api/organisations/{slug}/suspend/",
    "/api/organisations/{slug}/reinstate/",
    "/api/organisations/{slug}/missions/",
    "/api/missions/",
    "/api/missions/slots/{slot_id}/apply/",
    "/api/missions/{public_id}/",
    "/api/missions/{public_id}/slots/",
    "/api/missions/{public_id}/submit/",
    "/api/missions/{public_id}/publish/",
    "/api/missions/{public_id}/send-back/",
    "/api/moderation/missions/",
    "/api/missions/{public_id}/close/",
    "/api/missions/{public_id}/cancel/",
    "/api/missions/{public_id}/applications/",
    "/api/me/applications/",
    "/api/applications/{application_id}/withdraw/",
    "/api/applications/{application_id}/accept/",
    "/api/applications/{application_id}/decline/",
    "/api/applications/{application_id}/participation/",
    "/api/dropoff/nearest/",
    "/api/dropoff/catalogue/",
    "/api/dropoff/collection-slots/",
    "/api/dropoff/collections/",
    "/api/dropoff/collections/{token}/cancel/",
    "/api/dropoff/points/",
    "/api/dropoff/points/{point_id}/",
    "/api/goods/categories/",
    "/api/goods/lots/",
    "/api/goods/lots/{lot_id}/cancel/",
    "/api/goods/lots/{lot_id}/photos/",
    "/api/goods/lots/{lot_id}/photos/{photo_id}/",
    "/api/goods/needs/",
    "/api/goods/offers/",
    "/api/goods/offers/{offer_id}/accept/",
    "/api/goods/offers/{offer_id}/decline/",
    "/api/goods/pickups/",
    "/api/goods/pickups/{pickup_id}/record/",
    "/api/goods/pickups/{pickup_id}/receipt/",
    "/api/goods/rounds/",
    "/api/goods/rounds/{round_id}/",
    "/api/goods/rounds/{round_id}/cancel/",
    "/api/goods/rounds/{round_id}/driver/",
    "/api/goods/rounds/{round_id}/replan/",
    "/api/goods/totals/",
    "/api/funds/",
    "/api/funds/{slug}/",
    "/api/funds/{slug}/movements/",
    "/api/funds/{slug}/contributions/",
    "/api/receipts/",
    "/api/receipts/{receipt_id}/cancel/",
    "/api/receipts/{receipt_id}/pdf/",
}


@pytest.mark.django_db
def test_it_serves_a_valid_openapi_3_schema(anon):
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert set(schema["paths"]) == EXPECTED_PATHS


@pytest.mark.django_db
def test_it_serves_the_schema_as_yaml_by_default(anon):
    response = anon.get("/api/schema/")

    assert response.status_code == 200
    validate(yaml.safe_load(response.content))


@pytest.mark.django_db
def test_it_documents_the_private_fields_only_on_the_private_answers(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]

    assert "requester_phone" not in components["PublicRequest"]["properties"]
    assert "requester_phone" not in components["Tracking"]["properties"]
    assert "requester_phone" in components["ContactRequest"]["properties"]


@pytest.mark.django_db
def test_it_serves_the_docs_page_with_local_assets_only(anon, client):
    response = anon.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    # Swagger UI's start-up script is served by the docs view itself (the CSP forbids inline).
    assert "/api/docs/?script=" in assets
    for asset in assets:
        assert asset.startswith(("/static/", "/api/docs/?script=")), asset
        assert client.get(asset).status_code == 200, asset
    assert "://" not in "".join(assets)


@pytest.mark.django_db
def test_it_documents_the_login_and_role_refusals_of_every_operation_behind_a_login(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if {} in operation.get("security", [{}]):
                continue  # anybody may call it
            assert {"401", "403"} <= set(operation["responses"]), f"{method} {path}"


def test_it_generates_the_schema_without_a_warning(tmp_path):
    # A warning means a documented name points nowhere (an enum moved, a view without types).
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"))


def test_it_documents_415_on_every_operation_that_reads_a_body(anon):
    schema = anon.get("/api/schema/?format=json").json()

    with_body = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    ]
    assert with_body
    assert all("415" in operation["responses"] for _path, _method, operation in with_body)


def test_it_documents_400_on_every_operation_with_query_parameters(anon):
    schema = anon.get("/api/schema/?format=json").json()

    with_query = [
        operation
        for item in schema["paths"].values()
        for operation in item.values()
        if any(p.get("in") == "query" for p in operation.get("parameters", []))
    ]
    assert with_query
    assert all("400" in operation["responses"] for operation in with_query)
