"""Template filters of the dossier: numbers with the separators of the page's language."""

from __future__ import annotations

from django import template

from dairyhaccp.web.dossier.sections.common import number

register = template.Library()


@register.filter
def num(value: float | int | None) -> str:
    """A number as the page's language writes it ("" for none): 7.300 in Dutch, 7,300 in
    English, 4,5 in Dutch and French."""
    if value is None or isinstance(value, bool):
        return ""
    return number(value)
