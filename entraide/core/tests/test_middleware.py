"""Input no database column can hold (a NUL) never reaches a lookup."""

import pytest
from django.contrib.auth import SESSION_KEY

from entraide.core.sessions import SessionStore
from entraide.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_forged_session_cookie_is_no_session(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"

    response = client.get("/fr/")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_real_session_still_logs_in(client):
    user = UserFactory.create()
    client.force_login(user)

    response = client.get("/fr/")

    assert response.status_code == 200
    assert int(client.session[SESSION_KEY]) == user.pk


def test_only_keys_of_django_s_alphabet_are_looked_up():
    store = SessionStore()

    assert store._validate_session_key("abcdefgh12345678")
    assert not store._validate_session_key("abcdefgh\x00ijklm")
    assert not store._validate_session_key("ABCDEFGH-ijklmno")


def test_a_nul_in_the_query_string_is_refused_as_json_on_the_api(client):
    response = client.get("/api/missions/?q=%00")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


def test_a_nul_in_the_path_is_not_found(client):
    response = client.get("/fr/help/track/abc%00def/")

    assert response.status_code == 404


def test_a_nul_in_an_api_path_is_not_found_as_json(client):
    response = client.get("/api/help-requests/track/abc%00def/")

    assert response.status_code == 404
    assert response.json()["detail"]
