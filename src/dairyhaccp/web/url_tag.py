"""The `{% url %}` tag of every template (a built-in of the template engine): Django's, with the
addresses it reverses remembered in the process.

Pages link the same few addresses of an operator again and again (the menus, a link per control
or per row), and `reverse` costs about as much as rendering the rest of a short row. An address
depends only on the route's name, its arguments, the URL configuration, the script prefix, the
language and the current application, which together are the key: nothing of a user or a
request's data is kept, and an argument that is not a plain text or number is not remembered.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

# Addresses kept per process: every menu of a few hundred operators, and the rows lately shown.
REMEMBERED_URLS = 4096
_TEXT_TYPES = (str, SafeString)
_PLAIN_TYPES = (*_TEXT_TYPES, int)


@lru_cache(maxsize=REMEMBERED_URLS)
def _reversed(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    urlconf: Any,
    prefix: str,
    language: str | None,
) -> str:
    # `urlconf`, `prefix` and `language` are only part of the key: reverse() reads the thread's.
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def remembered_reverse(context: Context, view_name: str, kwargs: dict[str, str | int]) -> str:
    """`{% url view_name **kwargs %}` in `context`, remembered as the tag remembers it, for
    rows written in Python (not escaped)."""
    return _reversed(
        view_name,
        (),
        tuple(sorted(kwargs.items())),
        _current_app(context),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        get_language(),
    )


def _current_app(context: Context) -> str | None:
    """The current application as Django's tag finds it."""
    request: Any = getattr(context, "request", None)
    try:
        current: str | None = request.current_app
    except AttributeError:
        try:
            current = request.resolver_match.namespace
        except AttributeError:
            current = None
    return current


class RememberedURLNode(URLNode):
    """Django's URL node; an address of plain arguments is reversed once per process."""

    def render(self, context: Context) -> str:
        view_name = self.view_name.resolve(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((key, value.resolve(context)) for key, value in self.kwargs.items()))
        current_app = _current_app(context)
        plain = (
            type(view_name) in _TEXT_TYPES
            and all(type(value) in _PLAIN_TYPES for value in args)
            and all(type(value) in _PLAIN_TYPES for _key, value in kwargs)
            and (current_app is None or type(current_app) in _TEXT_TYPES)
        )
        if not plain:
            rendered: str = super().render(context)
            return rendered
        url = ""
        try:
            url = _reversed(
                view_name,
                args,
                kwargs,
                current_app,
                get_urlconf() or settings.ROOT_URLCONF,
                get_script_prefix(),
                get_language(),
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    """Django's `{% url %}`, same syntax and output."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
