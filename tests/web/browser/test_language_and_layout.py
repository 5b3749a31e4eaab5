"""Every main page in Dutch, French and English: no Dutch in the French and English pages, no
rule id, no raw value, no sentence said twice in a row, no horizontal scrolling on a 320 px
phone, and no serious or critical accessibility violation (axe-core)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from dairyhaccp.web.operators.management.commands.load_demo import (
    DEFAULT_DEMO_PASSWORD,
    DEMO_OPERATOR_SLUG,
)

pytestmark = pytest.mark.browser

SLUG = DEMO_OPERATOR_SLUG
MAIN_PAGES = [
    f"/{SLUG}/",
    f"/{SLUG}/records/today/",
    f"/{SLUG}/plan/",
    f"/{SLUG}/records/checks/",
    f"/{SLUG}/records/deviations/",
    f"/{SLUG}/lab/",
    f"/{SLUG}/lots/",
    f"/{SLUG}/lots/?q=-",
    f"/{SLUG}/lots/?untraced=older",
    f"/{SLUG}/labels/",
    f"/{SLUG}/farm/",
    f"/{SLUG}/farm/self-assessment/",
    f"/{SLUG}/farm/audits/new/",
    f"/{SLUG}/lots/recalls/",
    f"/{SLUG}/dossier/",
    f"/{SLUG}/people/",
    f"/{SLUG}/settings/",
    "/accounts/password_change/",
]
LOCALES = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB"}
PHONE = {"width": 320, "height": 640}

# Words that are Dutch and nothing else; names of the demo dairy and its products aside.
DUTCH_WORDS = {
    "het",
    "niet",
    "geen",
    "wordt",
    "worden",
    "moet",
    "moeten",
    "zijn",
    "deze",
    "welke",
    "indien",
    "tijdens",
    "melk",
    "kaas",
    "afwijking",
    "afwijkingen",
    "registratie",
    "registraties",
    "temperatuur",
    "vandaag",
    "opslaan",
    "toevoegen",
    "verwijderen",
    "overzicht",
    "gebruiker",
    "bewaren",
    "nog",
    "ook",
    "naar",
    "wachttijd",
    "productie",
}
NAMES = ("Hoeve Voorbeeld", "Hoevekaas", "Hoeveboter", "Roeryoghurt", "hoeve-voorbeeld")
DUTCH = re.compile(r"\b(" + "|".join(sorted(DUTCH_WORDS)) + r")\b", re.IGNORECASE)
# A rule's id as the data names it ("ccp9-milk", "[ccp9-milk]", "[CCP 9]"); a control's
# displayed name ("CCP 9") is what the guide calls it and may stand on a page.
RULE_ID = re.compile(r"\b(?:ccp|pva)\d+-[a-z]|\[(?:ccp|pva) ?\d+[^\]]*\]", re.IGNORECASE)
# An enum value as the code stores it: lowercase words joined by underscores.
RAW_VALUE = re.compile(r"(?<![\w@/.-])[a-z]+(?:_[a-z0-9]+)+(?![\w@/.-])")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A measured number written with a decimal point, as Python prints it ("4.5 °C", "pH 4.5").
POINT_NUMBER = re.compile(r"\bpH \d+\.\d+\b|\b\d+\.\d+ ?(?:°C|%|kg|min|s|h|l)\b")
# A date as the code writes it rather than as the page's language does.
ISO_DATE = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _page(chromium: Browser, live_server: LiveServer, lang: str, **options: Any) -> Page:
    context = chromium.new_context(
        base_url=live_server.url,
        locale=LOCALES[lang],
        extra_http_headers={"Accept-Language": LOCALES[lang]},
        **options,
    )
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "demo")
    page.fill("input[name=password]", DEFAULT_DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


@pytest.fixture(params=sorted(LOCALES))
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def phone(chromium: Browser, live_server: LiveServer, demo: None, lang: str) -> Iterator[Page]:
    page = _page(chromium, live_server, lang, viewport=PHONE, has_touch=True)
    yield page
    page.context.close()


# The page's text without what it marks as written in another language (a citation of the
# Dutch module, such as the name of one of its tables).
TEXT_IN_PAGE_LANGUAGE = """() => {
  const lang = document.documentElement.lang;
  const other = [...document.body.querySelectorAll("[lang]")].filter(
    (element) => !element.lang.startsWith(lang));
  other.forEach((element) => { element.dataset.display = element.style.display;
                               element.style.display = "none"; });
  const text = document.body.innerText;
  other.forEach((element) => { element.style.display = element.dataset.display; });
  return text;
}"""


# A label's wording as the law wants it printed, quoted beside its translation:
# "'made with raw milk' (bereid met rauwe melk)".
QUOTED_WITH_TRANSLATION = re.compile(r"'[^'\n]{1,80}'\s*\([^()\n]{1,80}\)")


def visible_text(page: Page) -> str:
    text = QUOTED_WITH_TRANSLATION.sub("", str(page.evaluate(TEXT_IN_PAGE_LANGUAGE)))
    for name in NAMES:
        text = text.replace(name, "")
    return text


def doubled_sentences(text: str) -> list[str]:
    """Sentences said twice in a row within one line of the page."""
    doubled = []
    for line in text.splitlines():
        sentences = [s.strip() for s in SENTENCE_END.split(line) if len(s.strip()) >= 15]
        doubled += [a for a, b in itertools.pairwise(sentences) if a == b]
    return doubled


def problems_of(page: Page, lang: str) -> list[str]:
    text = visible_text(page)
    found = []
    if lang != "nl":
        found += [
            f"Dutch word in {text[max(0, m.start() - 40) : m.end() + 20]!r}"
            for m in DUTCH.finditer(text)
        ]
    if lang != "en":
        found += [f"decimal point {m!r}" for m in sorted(set(POINT_NUMBER.findall(text)))]
    found += [f"date as code writes it {m!r}" for m in sorted(set(ISO_DATE.findall(text)))]
    found += [f"rule id {match!r}" for match in sorted(set(RULE_ID.findall(text)))]
    found += [f"raw value {match!r}" for match in sorted(set(RAW_VALUE.findall(text)))]
    found += [f"doubled sentence {sentence!r}" for sentence in doubled_sentences(text)]
    if not page.evaluate(
        "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    ):
        found.append("wider than the screen")
    return found


def test_a_quoted_wording_beside_its_translation_is_a_citation() -> None:
    text = "Mention: 'made with raw milk' (bereid met rauwe melk). Het is niet goed."
    assert DUTCH.findall(QUOTED_WITH_TRANSLATION.sub("", text)) == ["Het", "niet"]


def test_numbers_and_dates_written_as_code_writes_them_are_found() -> None:
    assert POINT_NUMBER.findall("pH 4.5 pH is te hoog; 12.5 °C; 4,5 °C; versie 1.2") == [
        "pH 4.5",
        "12.5 °C",
    ]
    assert ISO_DATE.findall("op 2026-03-01, lot K-260301-1, 1/3/2026") == ["2026-03-01"]


def test_doubled_sentences_are_found() -> None:
    assert doubled_sentences("Wrong password. Wrong password. Try again.") == ["Wrong password."]
    assert doubled_sentences("A first sentence. A second sentence.\nA first sentence.") == []


def test_every_main_page_speaks_the_language_of_the_page_and_fits_a_phone(
    phone: Page, lang: str
) -> None:
    problems = {}
    for path in MAIN_PAGES:
        response = phone.goto(path)
        assert response is not None and response.ok, (path, response and response.status)
        found = problems_of(phone, lang)
        if found:
            problems[path] = found
    assert problems == {}


@pytest.fixture
def desktop(chromium: Browser, live_server: LiveServer, demo: None) -> Iterator[Page]:
    page = _page(chromium, live_server, "en", viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


def test_the_main_pages_have_no_serious_or_critical_accessibility_violation(
    desktop: Page,
) -> None:
    axe = Axe()
    violations = {}
    for path in MAIN_PAGES:
        desktop.goto(path)
        results = axe.run(desktop)
        serious = [
            f"{item['id']}: {item['help']} ({len(item['nodes'])})"
            for item in results.response["violations"]
            if item.get("impact") in ("serious", "critical")
        ]
        if serious:
            violations[path] = serious
    assert violations == {}


LIST_PAGES = [
    f"/{SLUG}/records/deviations/",
    f"/{SLUG}/records/batches/",
    f"/{SLUG}/lab/",
    f"/{SLUG}/lots/",
]


def test_on_a_desktop_the_lists_use_the_width_of_the_screen(desktop: Page) -> None:
    narrow, with_tables = {}, 0
    for path in LIST_PAGES:
        desktop.goto(path)
        if not desktop.locator("main table").count():
            continue  # nothing listed yet: the text keeps its reading width
        with_tables += 1
        width = desktop.evaluate("document.querySelector('main').getBoundingClientRect().width")
        if width < 1000:
            narrow[path] = width
    assert narrow == {}
    assert with_tables >= 3
