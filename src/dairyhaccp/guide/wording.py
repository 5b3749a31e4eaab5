"""Frequencies and rules in words, in Dutch, French and English."""

from __future__ import annotations

from typing import Protocol

from dairyhaccp.guide.models import Frequency


class RuleLike(Protocol):
    """Anything with the fields of a limit (the guide's Limit, the plan's PlanLimit)."""

    @property
    def parameter(self) -> str: ...

    @property
    def comparison(self) -> str: ...

    @property
    def value(self) -> float | None: ...

    @property
    def low(self) -> float | None: ...

    @property
    def high(self) -> float | None: ...

    @property
    def unit(self) -> str: ...

    @property
    def value_from(self) -> str | None: ...

    @property
    def at_temperature_c(self) -> float | None: ...

    @property
    def tolerance(self) -> float | None: ...


def describe_rule(rule: RuleLike) -> str:
    """A limit in compact, language-neutral form, e.g. 'temperature_c <= 6 °C'."""
    if rule.comparison == "between":
        text = f"{rule.parameter} {rule.low:g}–{rule.high:g}"
    elif rule.comparison == "is_true":
        text = f"{rule.parameter} = OK"
    elif rule.value is None:
        text = f"{rule.parameter} {rule.comparison} ({rule.value_from})"
    else:
        text = f"{rule.parameter} {rule.comparison} {rule.value:g}"
    if rule.unit not in ("", "bool") and rule.comparison != "is_true":
        text += f" {rule.unit}"
    if rule.at_temperature_c is not None:
        text += f" @ {rule.at_temperature_c:g} °C"
    if rule.tolerance is not None:
        text += f" (+{rule.tolerance:g} short)"
    return text


_EVENTS: dict[str, tuple[str, str, str]] = {
    "production": ("bij elke productie", "à chaque production", "at each production"),
    "delivery": ("bij elke levering", "à chaque livraison", "at each delivery"),
    "collection": ("bij elke ophaling", "à chaque collecte", "at each collection"),
    "use": ("bij elk gebruik", "à chaque utilisation", "at each use"),
    "preparation": ("bij elke bereiding", "à chaque préparation", "at each preparation"),
    "packing": ("bij elke verpakking", "à chaque emballage", "at each packing"),
    "service_start": (
        "bij de start van de bediening",
        "au début du service",
        "at the start of service",
    ),
    "withdrawal_period_end": (
        "na het verlopen van de wachttijd",
        "après le délai d'attente",
        "after the withdrawal period",
    ),
    "doubt": ("bij twijfel", "en cas de doute", "in case of doubt"),
    "deviation": ("bij een afwijking", "en cas d'écart", "at a deviation"),
    "new_method": ("bij een nieuwe werkwijze", "à chaque nouvelle méthode", "at a new method"),
    "gas_change": (
        "bij elke wijziging van de gassamenstelling",
        "à chaque changement de gaz",
        "at each change of gas mixture",
    ),
    "churning": ("voor het karnen", "avant le barattage", "before churning"),
    "milking": ("na elke melkbeurt", "après chaque traite", "after each milking"),
    "ensiling": ("na het inkuilen", "après l'ensilage", "after ensiling"),
    "receipt": ("bij ontvangst", "à la réception", "at receipt"),
}

_PERIODS: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    "day": (("dag", "dagen"), ("jour", "jours"), ("day", "days")),
    "week": (("week", "weken"), ("semaine", "semaines"), ("week", "weeks")),
    "month": (("maand", "maanden"), ("mois", "mois"), ("month", "months")),
    "year": (("jaar", "jaar"), ("an", "ans"), ("year", "years")),
}

_SINGLE: dict[str, tuple[str, str, str]] = {
    "day": ("dagelijks", "quotidien", "daily"),
    "week": ("wekelijks", "hebdomadaire", "weekly"),
    "month": ("maandelijks", "mensuel", "monthly"),
    "year": ("jaarlijks", "annuel", "yearly"),
}

_LANGS = {"nl": 0, "fr": 1, "en": 2}


def describe_frequency(frequency: Frequency, lang: str = "nl") -> str:
    """E.g. 'bij elke productie', 'wekelijks', 'min. 2x per maand', '1x per 3 maanden'."""
    index = _LANGS.get(lang, 0)
    if frequency.event is not None:
        return _EVENTS[frequency.event][index]
    assert frequency.period is not None
    if frequency.times == 1 and frequency.period_count == 1:
        return _SINGLE[frequency.period][index]
    singular, plural = _PERIODS[frequency.period][index]
    every = {0: "per", 1: "par", 2: "per"}[index]
    if frequency.period_count == 1:
        return f"{frequency.times}x {every} {singular}"
    return f"{frequency.times}x {every} {frequency.period_count} {plural}"
