"""Amounts and quantities typed and shown in the reader's language (French, Dutch, English)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from entraide.core.formats import (
    format_hours,
    format_money,
    format_number,
    parse_amount,
    parse_cents,
)
from entraide.core.forms import LocalisedDecimalField

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("language", "cents", "shown"),
    [
        ("fr", 4500, f"45,00{NBSP}€"),
        ("nl", 4500, f"€{NBSP}45,00"),
        ("en", 4500, "€45.00"),
        ("fr", 123456789, f"1{NNBSP}234{NNBSP}567,89{NBSP}€"),
        ("nl", 123456789, f"€{NBSP}1.234.567,89"),
        ("en", 123456789, "€1,234,567.89"),
        ("fr", None, f"0,00{NBSP}€"),
    ],
)
def test_it_shows_money_the_locales_way(language, cents, shown):
    assert format_money(cents, language=language) == shown


@pytest.mark.parametrize(
    ("language", "value", "number", "hours"),
    [
        ("fr", Decimal("2.50"), "2,5", "2,5 h"),
        ("nl", Decimal("2.50"), "2,5", "2,5 u"),
        ("en", Decimal("2.50"), "2.5", "2.5 h"),
        ("fr", Decimal("3.00"), "3", "3 h"),
        ("en", Decimal("1500"), "1,500", "1,500 h"),
    ],
)
def test_it_shows_quantities_the_locales_way(language, value, number, hours):
    assert format_number(value, language=language) == number
    with translation.override(language):
        assert format_hours(value) == hours


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("10,50", Decimal("10.50")),
        ("10.50", Decimal("10.50")),
        ("10", Decimal("10")),
        (" 7,5 ", Decimal("7.5")),
        ("1 000,50", Decimal("1000.50")),
        (f"1{NNBSP}000,50", Decimal("1000.50")),
        ("1.000,50", Decimal("1000.50")),
        ("1,000.50", Decimal("1000.50")),
        ("12,00 €", Decimal("12.00")),
        ("€ 12.00", Decimal("12.00")),
        ("", None),
        ("   ", None),
    ],
)
def test_it_reads_amounts_with_a_comma_or_a_point(language, typed, amount):
    assert parse_amount(typed, language=language) == amount


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize(
    "typed", ["10,5,0", "10.5.0", "ten", "10,", ",50", "-5", "1e3", "1,0000.5", "٣", "²", "10€50"]
)
def test_it_refuses_what_is_not_an_amount_with_a_clear_message(language, typed):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        parse_amount(typed)
    example = "10.50" if language == "en" else "10,50"
    assert refused.value.messages == [
        {
            "fr": f"Saisissez un nombre comme {example}.",
            "nl": f"Vul een getal in zoals {example}.",
            "en": f"Enter a number such as {example}.",
        }[language]
    ]


def test_it_reads_groups_of_thousands_the_locales_way():
    # "1.000" is a thousand in Dutch, where the point groups thousands; elsewhere it has
    # too many decimals for money.
    assert parse_amount("1.000", language="nl") == Decimal("1000")
    assert parse_amount("1,000", language="en") == Decimal("1000")
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        parse_amount("1.000", language="fr")
    assert refused.value.messages == ["Indiquez au plus 2 chiffres après la virgule."]


def test_it_turns_euros_into_exact_cents():
    assert parse_cents("0,07", language="fr") == 7
    assert parse_cents("19,99", language="fr") == 1999
    assert parse_cents("", language="fr") is None


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_form_field_accepts_the_decimal_comma_and_refuses_three_decimals(language):
    field = LocalisedDecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    with translation.override(language):
        assert field.clean("10,50") == Decimal("10.50")
        assert field.clean("10.50") == Decimal("10.50")
        with pytest.raises(ValidationError):
            field.clean("10,5055")
        with pytest.raises(ValidationError):
            field.clean("0")


def test_the_template_filters_follow_the_active_language():
    template = Template(
        "{% load locale_formats %}{{ cents|money }} · {{ h|hours }} · {{ n|quantity }}"
    )
    context = Context({"cents": 1500, "h": Decimal("3.00"), "n": Decimal("2.50")})
    with translation.override("fr"):
        assert template.render(context) == f"15,00{NBSP}€ · 3 h · 2,5"
    with translation.override("en"):
        assert template.render(context) == "€15.00 · 3 h · 2.5"
