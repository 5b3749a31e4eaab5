"""Every template's `{% url %}` writes what Django's tag writes, from addresses remembered per
process under everything they depend on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.template import Context, Engine, engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, get_script_prefix, set_script_prefix

from dairyhaccp.web.url_tag import RememberedURLNode

pytestmark = pytest.mark.django_db

# Django's own tag, for comparison: an engine without the project's built-ins.
DJANGO = Engine()


def _site(source: str, context: dict[str, Any], request: Any = None) -> str:
    rendered: str = engines["django"].from_string(source).render(context, request)
    return rendered


def _django(source: str, context: dict[str, Any]) -> str:
    return DJANGO.from_string(source).render(Context(context))


@pytest.fixture
def script_prefix() -> Iterator[None]:
    before = get_script_prefix()
    yield
    set_script_prefix(before)


def test_every_template_of_the_site_uses_the_remembering_tag() -> None:
    template = engines["django"].from_string("{% url 'login' %}")

    assert isinstance(template.template.nodelist[0], RememberedURLNode)


@pytest.mark.parametrize(
    ("source", "context"),
    [
        ("{% url 'login' %}", {}),
        ("{% url 'records:today' operator_slug=slug %}", {"slug": "de-wei"}),
        ("{% url 'records:deviation' operator_slug='de-wei' deviation_id=n %}", {"n": 7}),
        ("{% url 'records:deviation' operator_slug='de-wei' deviation_id=n %}", {"n": "7"}),
        ("{% url 'records:history' 'de-wei' 'ccp-3' %}", {}),
        ("{% url 'records:today' operator_slug=slug as link %}[{{ link }}]", {"slug": "x"}),
        ("{% url 'no-such-page' as link %}[{{ link }}]", {}),
    ],
)
def test_the_tag_writes_what_djangos_tag_writes(source: str, context: dict[str, Any]) -> None:
    first = _site(source, context)
    again = _site(source, context)

    assert first == again == _django(source, context)


def test_an_address_that_does_not_exist_is_still_an_error() -> None:
    with pytest.raises(NoReverseMatch):
        _site("{% url 'records:today' %}", {})


def test_each_operator_gets_its_own_addresses() -> None:
    source = "{% url 'records:today' operator_slug=slug %}"

    assert _site(source, {"slug": "de-wei"}) == "/de-wei/records/today/"
    assert _site(source, {"slug": "ander"}) == "/ander/records/today/"
    assert _site(source, {"slug": "de-wei"}) == "/de-wei/records/today/"


def test_an_address_follows_the_script_prefix(script_prefix: None) -> None:
    source = "{% url 'records:today' operator_slug='de-wei' %}"
    assert _site(source, {}) == "/de-wei/records/today/"

    set_script_prefix("/haccp/")

    assert _site(source, {}) == "/haccp/de-wei/records/today/"


def test_an_address_follows_the_current_application_of_the_request() -> None:
    request = RequestFactory().get("/")
    request.current_app = "admin"
    source = "{% url 'admin:index' %}"

    assert _site(source, {}, request) == _django(source, {}) == "/admin/"


class _Named:
    """An argument equal to every other: only its text tells them apart."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Named)

    def __hash__(self) -> int:
        return 0


def test_an_argument_that_is_not_plain_text_or_a_number_is_never_remembered() -> None:
    source = "{% url 'records:today' operator_slug=slug %}"

    assert _site(source, {"slug": _Named("de-wei")}) == "/de-wei/records/today/"
    assert _site(source, {"slug": _Named("ander")}) == "/ander/records/today/"
