"""Whole numbers from people and URLs: digits only, bounded, never an exception."""

import pytest

from entraide.core.numbers import whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), ("007", 7), ("0", 0), ("9" * 18, int("9" * 18))],
)
def test_it_reads_ascii_whole_numbers(text, expected):
    assert whole_number(text) == expected


@pytest.mark.parametrize(
    "text", [None, "", " 42", "4 2", "4.2", "²", "٤٢", "+4", "-4", "9" * 19, "1" * 5000, "4\x00"]
)
def test_it_refuses_anything_else(text):
    assert whole_number(text) is None


def test_it_reads_a_negative_number_only_when_asked():
    assert whole_number("-30", negative=True) == -30
    assert whole_number("-", negative=True) is None
    assert whole_number("5", max_digits=0) is None
