"""place_from_input: one door for typed addresses, checking the postcode's format and region."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from entraide.core.places import gazetteer, place_from_input, postcode_region, validate_postcode


def errors_of(**fields: str) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        place_from_input(**fields)
    return caught.value.message_dict


@pytest.fixture
def dutch_gazetteer():
    """Let the gazetteer answer for the Netherlands too (it knows Belgium and France in tests)."""
    gazetteer.cache_clear()
    with override_settings(GEOCODER_COUNTRIES=["BE", "FR", "NL"]):
        yield
    gazetteer.cache_clear()


@pytest.mark.parametrize(
    ("postcode", "town", "country", "lat"),
    [
        ("75011", "Paris", "FR", 48.85),
        ("13001", "Marseille", "FR", 43.30),
        ("1000", "Bruxelles", "BE", 50.85),
        ("1050", "Ixelles", "BE", 50.83),
        ("9000", "Gent", "BE", 51.05),
        ("4000", "Liège", "", 50.63),
        ("", "Namur", "BE", 50.47),
    ],
)
def test_it_finds_a_valid_french_or_belgian_address(postcode, town, country, lat):
    place = place_from_input(address="1 rue Haute", postcode=postcode, town=town, country=country)

    assert place.lat == pytest.approx(lat, abs=0.05)


def test_it_finds_a_valid_dutch_address(dutch_gazetteer):
    place = place_from_input(postcode="1012 ab", town="Amsterdam", country="NL")

    assert place.country == "NL"
    assert place.lat == pytest.approx(52.37, abs=0.05)


def test_it_refuses_a_belgian_postcode_of_five_digits():
    assert errors_of(postcode="99999", town="Bruxelles", country="BE") == {
        "postcode": ["A Belgian postcode has 4 digits, from 1000 to 9992."]
    }


def test_it_refuses_letters_for_a_french_postcode():
    assert errors_of(postcode="ABCDE", town="Paris", country="FR") == {
        "postcode": ["A French postcode has 5 digits, for example 75011."]
    }


def test_it_applies_the_rules_of_the_country_found_when_none_was_given():
    assert "postcode" in errors_of(postcode="99999", town="Bruxelles")
    assert "postcode" in errors_of(postcode="ABCDE", town="Paris")


def test_it_says_so_in_french():
    with translation.override("fr"):
        belgian = errors_of(postcode="99999", town="Bruxelles", country="BE")
        french = errors_of(postcode="ABCDE", town="Paris", country="FR")

    assert belgian == {"postcode": ["Un code postal belge a 4 chiffres, de 1000 à 9992."]}
    assert french == {"postcode": ["Un code postal français a 5 chiffres, par exemple 75011."]}


@pytest.mark.parametrize(
    ("postcode", "country"),
    [
        ("0999", "BE"),
        ("9999", "BE"),
        ("123", "BE"),
        ("1000A", "BE"),
        ("7501", "FR"),
        ("00100", "FR"),
        ("96000", "FR"),
        ("1012", "NL"),
        ("0123 AB", "NL"),
        ("1012 A1", "NL"),
        ("123", "LU"),
        ("L-12345", "LU"),
        ("1011", "DE"),
    ],
)
def test_it_refuses_a_postcode_in_the_wrong_format(postcode, country):
    with pytest.raises(ValidationError) as caught:
        validate_postcode(postcode, country)

    assert list(caught.value.message_dict) == ["postcode"]


@pytest.mark.parametrize(
    ("postcode", "country"),
    [
        ("1000", "BE"),
        ("9992", "BE"),
        ("20000", "FR"),
        ("97400", "FR"),
        ("1012 AB", "NL"),
        ("1012ab", "NL"),
        ("1111", "LU"),
        ("L-1111", "LU"),
        ("", "BE"),
        ("SW1A 1AA", "GB"),  # no rule for this country: kept as typed
    ],
)
def test_it_accepts_a_postcode_in_its_country_format(postcode, country):
    validate_postcode(postcode, country)


def test_it_refuses_a_postcode_from_another_region_than_the_town():
    assert list(errors_of(postcode="9000", town="Bruxelles", country="BE")) == ["postcode"]
    assert list(errors_of(postcode="13001", town="Paris", country="FR")) == ["postcode"]
    with translation.override("fr"):
        message = errors_of(postcode="13001", town="Paris", country="FR")["postcode"][0]
    assert "Paris" in message
    assert "code postal" in message


def test_it_picks_the_town_of_that_name_in_the_postcodes_region():
    drome = place_from_input(postcode="26000", town="Valence", country="FR")
    tarn_et_garonne = place_from_input(postcode="82400", town="Valence", country="FR")

    assert drome.lat == pytest.approx(44.93, abs=0.05)
    assert tarn_et_garonne.lat == pytest.approx(44.11, abs=0.05)


def test_it_reports_the_postcode_and_the_town_at_once():
    errors = errors_of(postcode="ABC", town="Nowhereville", country="BE")

    assert set(errors) == {"postcode", "town"}


@pytest.mark.parametrize(
    ("postcode", "country", "region"),
    [
        ("1000", "BE", "BRU"),
        ("1299", "BE", "BRU"),
        ("1300", "BE", "WAL"),
        ("1500", "BE", "VLG"),
        ("3999", "BE", "VLG"),
        ("4000", "BE", "WAL"),
        ("7999", "BE", "WAL"),
        ("8000", "BE", "VLG"),
        ("75011", "FR", "11"),
        ("20000", "FR", "94"),
        ("97400", "FR", None),
        ("1012 AB", "NL", None),
    ],
)
def test_it_knows_the_region_of_a_postcode(postcode, country, region):
    assert postcode_region(postcode, country) == region
