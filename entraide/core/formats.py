"""Amounts and quantities read and shown the reader's way: "10,50" in, "45,00 €" out.

One place for the locale's conventions (through Babel's CLDR data), so that every page, email
and form agrees: French and Dutch write a decimal comma, English a point; the groups of
thousands are a narrow space in French, a point in Dutch, a comma in English. Money is
Decimal or integer cents here, never float.
"""

import re
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, get_group_symbol
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

CURRENCY = "EUR"
CENT = Decimal("0.01")
# Every kind of space people (or their spreadsheet) put between groups of thousands.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f']")
_CURRENCY_SIGNS = ("€", "EUR", "eur")


def _locale(language: str | None = None) -> Locale:
    """Return Babel's locale for a language code (the active one by default)."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).replace("-", "_")
    try:
        return Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(settings.LANGUAGE_CODE)


def format_money(cents: int | None, *, language: str | None = None) -> str:
    """Return an amount in cents as the locale writes euros ("45,00 €", "€ 45,00", "€45.00")."""
    amount = Decimal(cents or 0) / 100
    return format_currency(amount, CURRENCY, locale=_locale(language))


def format_number(value: Decimal | int | None, *, language: str | None = None) -> str:
    """Return a quantity with the locale's separators and no useless zeros ("3", "2,5")."""
    return format_decimal(Decimal(value or 0).normalize(), locale=_locale(language))


def format_hours(value: Decimal | int | None, *, language: str | None = None) -> str:
    """Return a number of hours the locale's way, with its unit ("3 h", "2,5 h")."""
    return _("%(hours)s h") % {"hours": format_number(value, language=language)}


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, code="invalid")


def parse_amount(
    text: str | None, *, language: str | None = None, decimal_places: int = 2
) -> Decimal | None:
    """Return the number typed in `text` as a Decimal, or None when it is blank.

    A comma or a point may end the whole part ("10,50" and "10.50" in every language);
    groups of three digits may be set apart with spaces, or with the locale's own separator
    ("1.000,50" in Dutch, "1,000.50" in English). Anything else is a ValidationError.
    """
    if text is None:
        return None
    cleaned = _SPACES.sub("", str(text))
    for sign in _CURRENCY_SIGNS:
        cleaned = cleaned.removeprefix(sign).removesuffix(sign)
    if not cleaned:
        return None
    example = format_decimal(Decimal("10.50"), format="0.00", locale=_locale(language))
    if not re.fullmatch(r"[0-9][0-9.,]*", cleaned) or cleaned[-1] in ".,":
        raise _invalid(_("Enter a number such as %(example)s.") % {"example": example})
    whole, fraction = cleaned, ""
    last = max(cleaned.rfind(","), cleaned.rfind("."))
    group = get_group_symbol(locale=_locale(language))
    if last >= 0:
        tail = cleaned[last + 1 :]
        separator = cleaned[last]
        # Three digits after the locale's own grouping sign are thousands ("1.000" in Dutch).
        if not (len(tail) == 3 and separator == group):
            whole, fraction = cleaned[:last], tail
            if separator in whole:
                raise _invalid(_("Enter a number such as %(example)s.") % {"example": example})
    groups = re.split(r"[.,]", whole)
    if len(groups) > 1 and (
        len(set(re.findall(r"[.,]", whole))) > 1
        or not 1 <= len(groups[0]) <= 3
        or any(len(g) != 3 for g in groups[1:])
    ):
        raise _invalid(_("Enter a number such as %(example)s.") % {"example": example})
    if len(fraction) > decimal_places:
        raise _invalid(
            _("Give at most %(count)s digits after the decimal separator.")
            % {"count": decimal_places}
        )
    try:
        return Decimal("".join(groups) + ("." + fraction if fraction else ""))
    except InvalidOperation as exc:  # unreachable with the checks above; never a 500
        raise _invalid(_("Enter a number such as %(example)s.") % {"example": example}) from exc


def parse_cents(text: str | None, *, language: str | None = None) -> int | None:
    """Return an amount of euros typed in `text` in whole cents (None when blank)."""
    amount = parse_amount(text, language=language, decimal_places=2)
    return None if amount is None else int((amount / CENT).to_integral_value())
