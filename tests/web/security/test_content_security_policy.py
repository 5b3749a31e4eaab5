"""Content-Security-Policy: this site's own scripts and styles only, and pages that obey it."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def policy(header: str) -> dict[str, list[str]]:
    """The directives of a Content-Security-Policy header, by name."""
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_pages_allow_only_this_sites_scripts_styles_and_connections(client: Client) -> None:
    response = client.get("/accounts/login/")

    directives = policy(response[CSP])
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "unsafe" not in response[CSP]


def test_the_api_docs_load_swagger_from_this_site_under_the_policy(client: Client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert policy(response[CSP])["script-src"] == ["'self'"]
    page = InlineCodeFinder.scan(response.text)
    assert page.problems == []
    assert "/static/ninja/swagger-ui-bundle.js" in page.scripts
    assert "/static/ninja/swagger-ui.css" in page.stylesheets
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), f"{asset} is not bundled"


def test_htmx_is_told_to_need_no_inline_style_and_no_eval(client: Client) -> None:
    response = client.get("/accounts/login/")

    config = """content='{"includeIndicatorStyles": false, "allowEval": false}'"""
    assert f'<meta name="htmx-config" {config}>' in response.text


class InlineCodeFinder(HTMLParser):
    """Collect what a strict policy blocks: inline scripts, styles, handlers; foreign assets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self._in_inline_script = False

    @classmethod
    def scan(cls, html: str) -> InlineCodeFinder:
        finder = cls()
        finder.feed(html)
        finder.close()
        return finder

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=...>: inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...>: inline style")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>: inline script")
        if tag == "style":
            self.problems.append("<style>: inline style sheet")
        if tag == "script":
            source = attributes.get("src")
            if source:
                self.scripts.append(source)
                self._check_own(tag, source)
            elif attributes.get("type") != "application/json":  # data, never run
                self.problems.append("<script> without src: inline script")
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes.get("href") or "")
            self._check_own(tag, attributes.get("href") or "")
        if tag == "img" and attributes.get("src"):
            self._check_own(tag, attributes["src"] or "")

    def _check_own(self, tag: str, url: str) -> None:
        if urlsplit(url).netloc and not url.startswith("data:"):
            self.problems.append(f"<{tag}> from another site: {url}")


def test_the_finder_catches_what_the_policy_would_block() -> None:
    html = (
        '<script>alert(1)</script><p style="color:red" onclick="x()">'
        '<a href="javascript:void(0)">x</a><style>p{}</style>'
        '<script src="https://cdn.example.org/lib.js"></script>'
        '<button hx-on:click="x()">b</button>'
        '<script type="application/json">{"a": 1}</script>'
    )

    problems = InlineCodeFinder.scan(html).problems

    assert len(problems) == 7, problems


# What the crawl does not open: logging out, switching language, files that are no page.
SKIPPED_PATHS = ("/accounts/logout/", "/i18n/", "/static/", "/admin/")
SKIPPED_ENDINGS = ("/pdf/", ".pdf", ".csv", ".svg", ".json")


def test_no_page_of_the_demo_dairy_has_code_the_policy_blocks(client: Client) -> None:
    # given the demo dairy, seen by its owner
    call_command("load_demo", stdout=_Discard())
    client.force_login(User.objects.get(username="demo"))

    # when every page reachable from the start page is opened
    seen, problems = _crawl(client, "/", limit=100)

    # then none has inline code, and the crawl really went through the app
    assert problems == []
    assert len(seen) > 20
    assert any("/records/" in url for url in seen)
    assert any("/lab/" in url for url in seen)
    assert any("/plan/" in url for url in seen)


def _crawl(client: Client, start: str, limit: int) -> tuple[set[str], list[str]]:
    seen: set[str] = set()
    queue = [start]
    problems: list[str] = []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        assert CSP in response, f"{url} has no {CSP} header"
        finder = _LinkFinder.scan(response.text)
        problems += [f"{url}: {problem}" for problem in finder.problems]
        for link in finder.links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(SKIPPED_PATHS) or parts.path.endswith(SKIPPED_ENDINGS):
                continue
            if path not in seen:
                queue.append(path)
    return seen, problems


class _LinkFinder(InlineCodeFinder):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "mailto:", "tel:")):
            self.links.append(href)


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
