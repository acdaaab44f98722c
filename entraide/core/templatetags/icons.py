"""The `{% icon %}` tag: one symbol of the local SVG sprite, core/static/core/icons.svg."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "", css_class: str = "") -> SafeString:
    """Render the sprite's symbol `name`: decorative unless a label gives it a meaning."""
    href = f"{static('core/icons.svg')}#icon-{name}"
    classes = f"icon icon-{name} {css_class}".strip()
    if label:
        # A meaningful icon is an image with a name; screen readers read the label.
        return format_html(
            '<svg class="{}" role="img" aria-label="{}" focusable="false">'
            '<use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>',
        classes,
        href,
    )
