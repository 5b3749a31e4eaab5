"""Filter widgets written in Python are byte for byte what Django's widget templates write."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from dairyhaccp.examples import example_profile
from dairyhaccp.guide.loader import load_guide
from dairyhaccp.plan import build_plan
from dairyhaccp.profile import parse_profile_toml
from dairyhaccp.web.lab.lists import ProductFilter, RawMilkFilter
from dairyhaccp.web.records.lists import BatchFilter, DeviationFilter, RegistrationFilter
from dairyhaccp.web.tables import ListFilterForm
from dairyhaccp.web.widget_html import INPUT_TEMPLATES, PythonWidgetRenderer, widget_html

pytestmark = pytest.mark.django_db

NASTY = "<b>\"Kaas\" & 'melk'</b>"

WIDGETS: list[tuple[forms.Widget, Any]] = [
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"maxlength": 200, "required": True, "disabled": False}), NASTY),
    (forms.TextInput(attrs={"class": mark_safe("a&b"), "title": NASTY}), mark_safe("<i>x</i>")),
    (forms.TextInput(attrs={"data-n": 0, "data-t": (1, 2)}), 12345.5),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), date(2026, 3, 1)),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "1-2-abc<"),
    (forms.HiddenInput(), "verborgen"),
    (forms.NumberInput(attrs={"step": "0.1"}), 4.5),
    (forms.Select(choices=[("", gettext_lazy("All")), ("a", NASTY), ("b", "B")]), "a"),
    (forms.Select(choices=[(1, "een"), (2, "twee")]), 2),
    (forms.Select(choices=[("", "—"), ("Groep", [("x", "X"), ("y", NASTY)])]), "y"),
    (forms.Select(choices=[(mark_safe("<s>"), mark_safe("<s>"))]), "<s>"),
    (forms.Select(choices=[("n", 1234567)]), "n"),
    (forms.SelectMultiple(choices=[("a", "A"), ("b", "B")]), ["a", "b"]),
    (forms.Textarea(), NASTY),
    (forms.CheckboxInput(), True),
    (forms.RadioSelect(choices=[("a", "A")]), "a"),
]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_a_widget_is_written_as_its_template_writes_it(
    widget: forms.Widget, value: Any, language: str
) -> None:
    with translation.override(language):
        expected = widget.render("veld", value, {"id": "id_veld"}, DjangoTemplates())
        written = widget.render("veld", value, {"id": "id_veld"}, PythonWidgetRenderer())

    assert written == expected


@pytest.mark.parametrize("name", sorted(INPUT_TEMPLATES - {"django/forms/widgets/input.html"}))
def test_the_input_templates_written_in_python_only_include_the_input_template(
    name: str,
) -> None:
    source = DjangoTemplates().get_template(name).template.source

    assert source.strip() == '{% include "django/forms/widgets/input.html" %}'


FILTERS: list[type[ListFilterForm]] = [
    RegistrationFilter,
    DeviationFilter,
    BatchFilter,
    RawMilkFilter,
    ProductFilter,
]
FILTER_DATA: list[dict[str, str] | None] = [
    None,
    {"from": "2026-01-01", "to": "2026-02-01", "status": "open", "verdict": "fail"},
    {"from": "abc", "to": "<script>", "product": NASTY, "lot": "L&1", "parameter": "bogus"},
]


def _filter(form_class: type[ListFilterForm], data: dict[str, str] | None, **kwargs: Any) -> Any:
    if form_class is DeviationFilter:
        kwargs["plan"] = build_plan(load_guide(), parse_profile_toml(example_profile("demo")))
    return form_class(data, **kwargs)


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("data", FILTER_DATA)
@pytest.mark.parametrize("form_class", FILTERS)
def test_every_list_filter_is_written_in_python_as_its_templates_write_it(
    form_class: type[ListFilterForm], data: dict[str, str] | None, language: str
) -> None:
    with translation.override(language):
        written = _filter(form_class, data)
        templated = _filter(form_class, data, renderer=DjangoTemplates())

        for field in written:
            widget = field.field.widget
            attrs = field.build_widget_attrs({"id": field.auto_id})
            context = widget.get_context(field.html_name, field.value(), attrs)
            # every widget of a filter is one this module writes, not one left to templates
            assert widget_html(widget.template_name, context) is not None, field.name
            assert str(field) == str(templated[field.name])
