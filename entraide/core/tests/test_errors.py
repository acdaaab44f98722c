"""The shared check of a decision's reason."""

import pytest
from django.core.exceptions import ValidationError

from entraide.core.errors import clean_reason


def test_it_strips_a_reason_and_accepts_an_optional_empty_one() -> None:
    assert clean_reason("  Too far away \n", missing="Say why") == "Too far away"
    assert clean_reason(None, missing=None) == ""


@pytest.mark.parametrize(
    ("reason", "missing", "too_long", "message"),
    [
        ("   ", "Say why", None, "Say why"),
        ("x" * 501, "Say why", None, "Use at most 500 characters."),
        ("x" * 501, None, "Keep it short", "Keep it short"),
    ],
)
def test_it_words_the_reason_field_error(reason, missing, too_long, message) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_reason(reason, missing=missing, too_long=too_long)
    assert caught.value.message_dict == {"reason": [message]}
