"""Template filters of the operators' console."""

from django import template

from entraide.core.phones import display_phone
from entraide.core.vocabulary import Language

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """Show an E.164 number grouped for reading aloud."""
    return display_phone(value or "")


@register.filter
def language_names(codes: list[str] | None) -> str:
    """Show language codes as their names, in the page's language."""
    names = dict(Language.choices)
    return ", ".join(str(names.get(code, code)) for code in codes or [])
