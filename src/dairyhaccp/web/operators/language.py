"""The language the guide's texts are shown in: the page's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from dairyhaccp.guide.models import Text

GUIDE_LANGUAGES = ("nl", "fr", "en")


def guide_language() -> str:
    """The active language if the guide has texts in it, else Dutch (the guide's own)."""
    code = (get_language() or "nl")[:2]
    return code if code in GUIDE_LANGUAGES else "nl"


def guide_text(value: Text | dict[str, Any] | None) -> str:
    """A guide text (or its stored form) in the page's language."""
    if value is None:
        return ""
    if isinstance(value, dict):
        value = Text.model_validate(value)
    return value.get(guide_language())
