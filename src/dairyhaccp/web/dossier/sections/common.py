"""Words every section of the dossier shares, in the active language."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.plan.models import Plan
from dairyhaccp.web.operators.language import guide_text
from dairyhaccp.web.plans.labels import MEDIUM_LABELS, PRODUCT_KIND_LABELS

COMPARISONS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}


def person(user: AbstractBaseUser | None) -> str:
    """A member as the dossier names them: their full name, else their username."""
    if user is None:
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


def number(value: float | int) -> str:
    """A number as short as it is exact, with the separators of the active language."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    text = f"{value:.6g}"
    decimals = len(text.partition(".")[2]) if "e" not in text else 6
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def control_title(plans: list[Plan], control_id: str) -> str:
    """'CCP 9 · Pasteurisation' from the newest plan that has the control, else the guide."""
    for plan in reversed(plans):
        try:
            return f"{control_id} · {guide_text(plan.control(control_id).title)}"
        except KeyError:
            continue
    try:
        return f"{control_id} · {guide_text(load_guide().control(control_id).title)}"
    except KeyError:
        return control_id


def hygiene_title(plans: list[Plan], task_id: str) -> str:
    """The text of a hygiene task of the plan, or a plain word when it is unknown."""
    for plan in reversed(plans):
        for task in plan.hygiene:
            if task.id == task_id:
                return guide_text(task.text)
    return _("Hygiene task")


def product_words(product: str) -> str:
    """A registration's product as people say it: raw milk, cream for butter, a product kind in
    words; a product of the plan by its own name."""
    for labels in (MEDIUM_LABELS, PRODUCT_KIND_LABELS):
        if product in labels:
            return str(labels[product])
    return product


def unique(texts: list[str]) -> list[str]:
    """The texts without repeats, in their order (several limits may word the same finding)."""
    return list(dict.fromkeys(text for text in texts if text))
