"""Template helpers of the volunteers app."""

from django import template

from entraide.core.vocabulary import Language

register = template.Library()
_LANGUAGE_LABELS = dict(Language.choices)


@register.filter
def language_label(code: str) -> str:
    """Return the translated name of a language code (the code itself when unknown)."""
    return str(_LANGUAGE_LABELS.get(code, code))
