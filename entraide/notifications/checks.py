"""Start-up checks: every registered email kind can be rendered, and its digest exists."""

from typing import Any

from django.core.checks import CheckMessage, Error
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from entraide.notifications import registry


def check_email_kinds(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Return an error for each kind whose templates or digest kind are missing."""
    errors: list[CheckMessage] = []
    for email_kind in registry.kinds():
        for ending in ("_subject.txt", ".txt"):
            name = f"{email_kind.template_base}{ending}"
            try:
                get_template(name)
            except TemplateDoesNotExist:
                errors.append(
                    Error(
                        f"The email kind {email_kind.name!r} has no template {name}.",
                        hint="Add it to the templates folder of the app that registers the kind.",
                        id="notifications.E001",
                    )
                )
        digest = email_kind.digest
        if digest is not None and digest.kind not in {k.name for k in registry.kinds()}:
            errors.append(
                Error(
                    f"The email kind {email_kind.name!r} waits for the digest {digest.kind!r}, "
                    "which no app registered.",
                    id="notifications.E002",
                )
            )
    chosen = registry.preferences()
    if chosen is not None:
        values = {value for value, _label in chosen.choices()}
        missing = {registry.IMMEDIATE, registry.DIGEST, registry.NONE} - values
        if missing:
            errors.append(
                Error(
                    f"The email preferences lack the choices {sorted(missing)}.",
                    id="notifications.E003",
                )
            )
    return errors
