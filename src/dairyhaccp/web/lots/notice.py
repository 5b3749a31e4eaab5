"""The counter notice of a recall in a language of its own (nl, fr, en), from its data file."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

NOTICE_FILE = Path(__file__).parent / "data" / "counter_notice.yaml"
LANGUAGES = ("nl", "fr", "en")
KEYS = (
    "title",
    "intro",
    "product",
    "lot",
    "best_before",
    "use_by",
    "sold",
    "problem",
    "advice",
    "contact",
    "date",
)


@functools.cache
def _texts() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load(NOTICE_FILE.read_text(encoding="utf-8"))
    texts = {key: raw[key] for key in KEYS}
    for key, by_language in texts.items():
        missing = [lang for lang in LANGUAGES if not by_language.get(lang)]
        if missing:
            raise ValueError(f"{NOTICE_FILE}: {key} lacks {', '.join(missing)}")
    return texts


def notice_texts(lang: str, operator: str) -> dict[str, str]:
    """The notice's texts in `lang` (nl, fr or en), with the operator's name filled in."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang: one of {', '.join(LANGUAGES)}")
    return {
        key: by_language[lang].replace("{operator}", operator)
        for key, by_language in _texts().items()
    }
