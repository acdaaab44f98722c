"""The API's parsers: how deep, how large and what they refuse, with a clear message."""

import io
from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from entraide.api.parsers import (
    MAX_DEPTH,
    JSONParser,
    MultiPartParser,
    UnreadableBody,
    nesting_exceeds,
)
from entraide.help_requests.models import HelpRequest

URL = "/api/help-requests/"


def parse(body: bytes, encoding: str = "utf-8") -> Any:
    """Return what the project's JSON parser reads from a body."""
    return JSONParser().parse(io.BytesIO(body), parser_context={"encoding": encoding})


def nested(depth: int) -> str:
    """Return a JSON value that nests objects and arrays depth levels deep."""
    opening = "".join('{"a": [' if level % 2 == 0 else "" for level in range(depth))
    return opening + "1" + "".join("]}" for _ in range(depth // 2 + depth % 2))


def test_it_reads_a_body_as_deep_as_the_limit():
    assert nesting_exceeds("[" * MAX_DEPTH + "]" * MAX_DEPTH, MAX_DEPTH) is False
    assert parse(("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode()) is not None


def test_it_refuses_one_level_more():
    with pytest.raises(UnreadableBody) as refused:
        parse(("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)).encode())

    assert refused.value.get_codes() == "too_deep"


def test_it_counts_objects_and_arrays_alike():
    assert nesting_exceeds(nested(MAX_DEPTH), MAX_DEPTH) is False
    assert nesting_exceeds(nested(MAX_DEPTH + 2), MAX_DEPTH) is True


def test_it_does_not_count_brackets_inside_strings():
    text = '{"details": "' + "[{" * 1000 + '\\" [[[ \\\\", "languages": ["fr"]}'

    assert nesting_exceeds(text, MAX_DEPTH) is False
    assert parse(text.encode())["languages"] == ["fr"]


def test_it_sees_brackets_after_an_escaped_backslash():
    text = '["\\\\"' + ", [" * MAX_DEPTH + "]" * MAX_DEPTH + "]"

    assert nesting_exceeds(text, MAX_DEPTH) is True


def test_it_reads_many_brackets_side_by_side():
    assert parse(("[" + ", ".join(["[]"] * 10_000) + "]").encode()) == [[]] * 10_000


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "not_json"),
        (b'{"lat": NaN}', "not_json"),
        (b'{"lat": -Infinity}', "not_json"),
        (b"\xff\xfe{}", "not_text"),
    ],
)
def test_it_refuses_what_is_not_json(body, code):
    with pytest.raises(UnreadableBody) as refused:
        parse(body)

    assert refused.value.get_codes() == code


def test_it_says_where_the_json_breaks():
    with pytest.raises(UnreadableBody) as refused:
        parse(b'{\n  "kind": groceries}')

    assert str(refused.value.detail) == "The body is not valid JSON (line 2, column 11)."


@pytest.mark.django_db
def test_it_answers_413_to_a_multipart_body_over_the_limit(anon):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = anon.post(URL, {"details": "x" * 2000}, format="multipart")

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_it_answers_413_to_a_form_over_the_limit(anon):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = anon.post(
            URL, "details=" + "x" * 2000, content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart"])
def test_it_answers_400_to_too_many_form_fields(anon, content_type):
    fields = {f"field{n}": "1" for n in range(20)}
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10):
        if content_type == "multipart":
            response = anon.post(URL, fields, format="multipart")
        else:
            body = "&".join(f"{k}={v}" for k, v in fields.items())
            response = anon.post(URL, body, content_type=content_type)

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_fields"
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_it_answers_400_to_broken_multipart_data(anon):
    response = anon.post(URL, b"garbage", content_type="multipart/form-data")

    assert response.status_code == 400
    assert response.json()["code"] == "not_multipart"


@pytest.mark.django_db
def test_it_still_reads_a_multipart_body(anon):
    response = anon.post(URL, {"kind": "groceries"}, format="multipart")

    assert response.status_code == 400
    assert "requester_name" in response.json()


def test_a_content_length_that_is_not_a_number_is_read_as_no_body():
    request = RequestFactory().post(
        "/api/help-requests/",
        data=b'--x\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmeal\r\n--x--\r\n',
        content_type="multipart/form-data; boundary=x",
    )
    body = request.body
    request.META["CONTENT_LENGTH"] = "many"

    parsed = MultiPartParser().parse(
        io.BytesIO(body),
        "multipart/form-data; boundary=x",
        {"request": request, "encoding": "utf-8"},
    )

    # As Django reads it: a length that is not a number is no body (then the view's 400s).
    assert not parsed.data
