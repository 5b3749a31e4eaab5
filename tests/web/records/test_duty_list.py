"""The list of duties of the today page, written in Python: the same page as the template it
replaced, escaped, in the user's language, with links only for those who may register."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from dairyhaccp.web.records.presentation import DutyRow

pytestmark = pytest.mark.django_db

# records/_duties.html as it was, before the list was written in Python.
TEMPLATE = (
    '{% load i18n records_format %}<ul class="duties">\n'
    "  {% for duty in duties %}\n"
    "    <li>\n"
    '      {% if can_write %}<a class="duty duty-{{ duty.status }}" href="{{ duty.url }}">'
    '{% else %}<div class="duty duty-{{ duty.status }}">{% endif %}\n'
    '        <span class="duty-title">{{ duty.control }} · {{ duty.target }}</span>\n'
    "        <span>{{ duty.title }}</span>\n"
    '        <span class="duty-meta"><span class="duty-status">{{ duty.status_label }}</span>'
    '{% if duty.deadline and duty.status != "done" %} · {% blocktranslate with '
    "deadline=duty.deadline|short_moment %}before {{ deadline }}{% endblocktranslate %}"
    "{% endif %}</span>\n"
    "      {% if can_write %}</a>{% else %}</div>{% endif %}\n"
    "    </li>\n"
    "  {% endfor %}\n"
    "</ul>"
)


def _duties() -> list[DutyRow]:
    deadline = timezone.make_aware(datetime(2026, 3, 2, 23, 30))
    return [
        DutyRow(
            "Temperatuur <koelcel>",
            "CCP 3",
            "Koelcel & co",
            "overdue",
            "Te laat",
            deadline,
            "dagelijks",
            "/hoeve/records/register/ccp-3/?room=4&from=today",
        ),
        DutyRow("Pekelbad", "PVA 14", "Kelder", "done", "Gedaan", deadline, "wekelijks", "/x/"),
        DutyRow("Reiniging", "", "Bedrijf", "due", "Te doen", None, "", "/y/?a=1&b=2"),
    ]


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("can_write", [True, False])
def test_the_list_is_the_page_the_template_made(language: str, can_write: bool) -> None:
    context = {"duties": _duties(), "can_write": can_write}
    with translation.override(language), timezone.override("Europe/Brussels"):
        written = Template("{% load records_format %}{% duty_list duties %}").render(
            Context(context)
        )
        templated = Template(TEMPLATE).render(Context(context))

    assert _same(written) == _same(templated)
    assert "Temperatuur &lt;koelcel&gt;" in written and "Koelcel &amp; co" in written
    assert ("?room=4&amp;from=today" in written) is can_write
    assert written.count("<li>") == 3
