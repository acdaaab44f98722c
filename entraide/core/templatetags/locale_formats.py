"""Template filters for amounts and quantities in the active language's conventions."""

from decimal import Decimal

from django import template

from entraide.core.formats import format_hours, format_money, format_number

register = template.Library()


@register.filter
def money(cents: int | None) -> str:
    """Return integer cents as the active language writes euros ("45,00 €")."""
    return format_money(cents)


@register.filter
def quantity(value: Decimal | int | None) -> str:
    """Return a number with the active language's separators ("2,5")."""
    return format_number(value)


@register.filter
def hours(value: Decimal | int | None) -> str:
    """Return a number of hours with its unit ("2,5 h")."""
    return format_hours(value)
