"""Phone numbers and email addresses in free text are hidden from those who may not see them."""

import pytest

from entraide.core.phones import hide_contact_details

HIDDEN = "[hidden until a volunteer takes the request]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on 0470 12 34 56 please", f"Call me on {HIDDEN} please"),
        ("GSM: +32 470 12.34.56, or 02/512 34 56", f"GSM: {HIDDEN}, or {HIDDEN}"),
        ("Mon fils: 06 12 34 56 78 (France)", f"Mon fils: {HIDDEN} (France)"),
        ("Write to marie.dupont+aide@example.org.", f"Write to {HIDDEN}."),
        ("", ""),
    ],
)
def test_it_hides_phone_numbers_and_email_addresses(text: str, expected: str) -> None:
    assert hide_contact_details(text, "BE") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bread, 2 x 500 g of rice, 1 l of milk",
        "Before 12/03/2026, at 14:30, near 1000 Bruxelles",
        "Pharmacy prescription number 12345",
        "Bus 71 then tram 94",
    ],
)
def test_it_leaves_everything_else_alone(text: str) -> None:
    assert hide_contact_details(text, "BE") == text
