"""Links for emails and other messages read outside the site: absolute, in the reader's language."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute_url(
    name: str,
    *,
    language: str | None,
    args: Sequence[Any] = (),
    kwargs: dict[str, Any] | None = None,
) -> str:
    """Return the full URL of a named page, with its path in `language` (default: the site's)."""
    # Paths are translated, so the link must be reversed in the reader's language.
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, args=args, kwargs=kwargs)
