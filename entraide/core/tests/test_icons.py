"""The icon tag renders the local sprite's symbols, decorative or labelled."""

import re
from pathlib import Path

from django.template import Context, Template

SPRITE = Path(__file__).resolve().parents[1] / "static" / "core" / "icons.svg"


def render(source: str, **context: object) -> str:
    """Render a template snippet that loads the icon tag."""
    return Template("{% load icons %}" + source).render(Context(context))


def test_it_hides_a_decorative_icon_from_screen_readers() -> None:
    html = render('{% icon "phone" %}')
    assert 'aria-hidden="true"' in html
    assert 'focusable="false"' in html
    assert 'href="/static/core/icons.svg#icon-phone"' in html
    assert "role=" not in html


def test_it_names_an_icon_that_carries_meaning() -> None:
    html = render('{% icon "warning" label=status %}', status="Urgent & late")
    assert 'role="img"' in html
    assert 'aria-label="Urgent &amp; late"' in html
    assert "aria-hidden" not in html


def test_it_adds_extra_classes() -> None:
    assert 'class="icon icon-check big"' in render('{% icon "check" css_class="big" %}')


def test_it_has_every_icon_the_templates_use() -> None:
    symbols = set(re.findall(r'<symbol id="icon-([a-z-]+)"', SPRITE.read_text()))
    root = SPRITE.parents[3]
    used = set()
    for path in root.glob("*/templates/**/*.html"):
        used |= set(re.findall(r'{% icon "([a-z-]+)"', path.read_text()))
    required = {
        "help",
        "mission",
        "volunteer",
        "organisation",
        "company",
        "phone",
        "map-pin",
        "clock",
        "calendar",
        "check",
        "cross",
        "warning",
        "info",
        "search",
        "filter",
        "sort",
        "menu",
        "user",
        "logout",
        "money",
        "box",
        "bed",
        "chart",
        "download",
        "edit",
    }
    assert required <= symbols
    assert used <= symbols, f"missing symbols: {sorted(used - symbols)}"
