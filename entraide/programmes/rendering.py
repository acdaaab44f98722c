"""Day emails from a frozen version: the member's language, else the programme's default."""

import re
from dataclasses import dataclass

from entraide.programmes.models import ProgrammeVersion

# The only placeholders a day's text may use; anything else in double braces is an error.
PLACEHOLDERS = ("first_name", "call_link", "chat_link", "report_link")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class RenderError(ValueError):
    """A day's text cannot be rendered in one language (missing, or a bad placeholder)."""


def render_text(text: str, values: dict[str, str]) -> str:
    """Replace the known placeholders of `text`; raise RenderError for anything else."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise RenderError(f"unknown placeholder {{{{ {name} }}}}")
        return values.get(name, "")

    rendered = _PLACEHOLDER.sub(replace, text)
    if "{{" in rendered or "}}" in rendered:
        raise RenderError("unbalanced braces")
    return rendered


@dataclass(frozen=True)
class RenderedDay:
    """A day's email as a member receives it, with the language it was rendered in."""

    number: int
    language: str
    subject: str
    body: str
    action: str
    # Why the member's own language could not be used ("" when it was).
    problem: str = ""


def render_in(
    version: ProgrammeVersion, number: int, language: str, values: dict[str, str]
) -> RenderedDay:
    """Render day `number` in `language`; raise RenderError when that is impossible."""
    day = version.day(number)
    texts = (day or {}).get(language) or {}
    subject, body = texts.get("subject", "").strip(), texts.get("body", "").strip()
    if not subject or not body:
        raise RenderError(f"no {language} text for this day")
    return RenderedDay(
        number=number,
        language=language,
        subject=render_text(subject, values),
        body=render_text(body, values),
        action=render_text(texts.get("action", ""), values),
    )


def render_day(
    version: ProgrammeVersion, number: int, language: str, values: dict[str, str]
) -> RenderedDay:
    """Render a day for a member, falling back to the default language (the problem kept)."""
    try:
        return render_in(version, number, language, values)
    except RenderError as exc:
        default = version.content.get("default_language", "fr")
        fallback = render_in(version, number, default, values)
        return RenderedDay(
            number=fallback.number,
            language=fallback.language,
            subject=fallback.subject,
            body=fallback.body,
            action=fallback.action,
            problem=str(exc),
        )
