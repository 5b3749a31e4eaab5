"""Template tags shared by every page; loaded with `{% load dairyhaccp %}`."""

from __future__ import annotations

from django import template
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
def optional_static(path: str) -> str:
    """The URL of a static file, or "" when it is missing (e.g. a vendored file not installed).

    With the manifest storage of production a missing file would otherwise be a server error.
    """
    try:
        return static(path)
    except ValueError:
        return ""
