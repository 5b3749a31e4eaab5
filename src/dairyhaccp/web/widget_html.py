"""The input and select widgets of every form written in Python, byte for byte as Django's
widget templates write them (the site's `FORM_RENDERER`).

Every list page renders its filter form; through the template engine a select of the plan's
controls alone cost about as much as the rest of an empty page's Python, the lot pick lists
of a production form ten times that, and the criteria of an audit's findings twenty times. A
widget this module does not know, or a value it could not write exactly as the templates do,
goes to the templates.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe

_WIDGETS = "django/forms/widgets/"
# The templates that only include input.html.
INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{kind}.html"
    for kind in ("input", "text", "date", "number", "email", "url", "search", "hidden")
)
SELECT_TEMPLATE = f"{_WIDGETS}select.html"
OPTION_TEMPLATE = f"{_WIDGETS}select_option.html"


class UnwritableValueError(Exception):
    """A value the templates would write in a way this module does not copy."""


def _escaped(text: str) -> str:
    """Django's `conditional_escape` of a text, without its wrapper for lazy arguments."""
    own = getattr(text, "__html__", None)
    return str(own()) if own is not None else html.escape(text)


def _plain(value: object) -> str:
    """`{{ value }}` for a text; anything else (numbers are localised) is left to templates."""
    if not isinstance(value, str | Promise):
        raise UnwritableValueError
    return _escaped(str(value))


def _formatted(value: object) -> str:
    """`{{ value|stringformat:'s' }}`."""
    if callable(value):
        raise UnwritableValueError
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031  # the filter's own formatting
    except (ValueError, TypeError):
        text = ""
    return _escaped(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_plain(name)}" if value is True else f' {_plain(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{_plain(widget["type"])}" name="{_plain(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _option(option: Mapping[str, Any]) -> str:
    if option["template_name"] != OPTION_TEMPLATE:
        raise UnwritableValueError
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_plain(option['label'])}</option>"
    )


def _select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{_plain(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_plain(group_name)}">')
        # The option template ends in a newline, kept where it is included.
        parts.extend(f"\n  {_option(option)}\n" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def widget_html(template_name: str, context: Mapping[str, Any]) -> str | None:
    """The HTML `template_name` gives for a widget's context, None when left to templates."""
    try:
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name == SELECT_TEMPLATE:
            return _select(context["widget"])
    except UnwritableValueError:
        return None
    return None


class PythonWidgetRenderer(BaseRenderer):
    """The site's form renderer, with the inputs and selects written in Python and the other
    widgets left to Django's templates."""

    templates = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        return self.templates.get_template(template_name)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        html = widget_html(template_name, context)
        if html is None:
            rendered: str = self.templates.render(template_name, context, request)
            return rendered
        return html
