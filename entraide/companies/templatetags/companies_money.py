"""Template filters for company money: integer cents shown as euros."""

from django import template

from entraide.companies.selectors import cents_as_euros

register = template.Library()


@register.filter
def euros(cents: int | None) -> str:
    """Return cents as euros with two decimals ("12.35")."""
    return cents_as_euros(cents or 0)
