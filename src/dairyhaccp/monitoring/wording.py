"""Findings in words, in Dutch, French and English (for the CLI, e-mails and the web)."""

from __future__ import annotations

from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring.evaluate import Finding, FindingCode, Requirement


def parameter_name(parameter: str, lang: str) -> str:
    """The name of a measured quantity in `lang`, from the guide's parameter data."""
    try:
        return load_guide().parameter(parameter).label.get(lang)
    except KeyError:
        return parameter


_TEMPLATES: dict[FindingCode, tuple[str, str, str]] = {
    FindingCode.BELOW_MINIMUM: (
        "{name} {measured} is te laag: vereist {required}",
        "{name} {measured} : valeur trop basse, requis {required}",
        "{name} {measured} is too low: required {required}",
    ),
    FindingCode.ABOVE_MAXIMUM: (
        "{name} {measured} is te hoog: vereist {required}",
        "{name} {measured} : valeur trop élevée, requis {required}",
        "{name} {measured} is too high: required {required}",
    ),
    FindingCode.OUTSIDE_RANGE: (
        "{name} {measured} ligt buiten {required}",
        "{name} {measured} : valeur hors de {required}",
        "{name} {measured} is outside {required}",
    ),
    FindingCode.NOT_OK: (
        "niet in orde: {subject}",
        "non conforme : {subject}",
        "not OK: {subject}",
    ),
    FindingCode.HOLD_TOO_SHORT: (
        "houdtijd {measured} is te kort: vereist {required} bij deze temperatuur",
        "temps de maintien {measured} trop court : requis {required} à cette température",
        "hold time {measured} is too short: {required} required at this temperature",
    ),
    FindingCode.TEMPERATURE_NOT_VALIDATED: (
        "temperatuur {measured} ligt onder de tabel: pasteurisatie niet gevalideerd ({required})",
        "température {measured} sous le tableau : pasteurisation non validée ({required})",
        "temperature {measured} is below the table: pasteurisation not validated ({required})",
    ),
    FindingCode.SHORT_FLUCTUATION: (
        "{name} {measured} ligt boven {required}: een korte opwaartse schommeling is toegelaten;"
        " noteer de oorzaak",
        "{name} {measured} au-dessus de {required} : une courte fluctuation est admise ;"
        " notez la cause",
        "{name} {measured} is above {required}: a short upward fluctuation is allowed;"
        " record the cause",
    ),
    FindingCode.FLUCTUATION_TOO_LONG: (
        "{name} {measured} ligt boven {required} en de schommeling duurde te lang",
        "{name} {measured} au-dessus de {required} et la fluctuation a duré trop longtemps",
        "{name} {measured} is above {required} and the fluctuation lasted too long",
    ),
}

_LANGS = {"nl": 0, "fr": 1, "en": 2}

_COMPARISON_WORDS: dict[str, tuple[str, str, str]] = {
    ">=": ("minstens", "au moins", "at least"),
    "<=": ("hoogstens", "au plus", "at most"),
    ">": ("meer dan", "plus de", "more than"),
    "<": ("minder dan", "moins de", "less than"),
    "==": ("gelijk aan", "égal à", "equal to"),
}
# Units that the name of the quantity already says, or that a yes/no value has not.
SILENT_UNITS = ("", "bool", "pH", "count")


def number(value: float, lang: str) -> str:
    """A number as the language writes it: a decimal comma in Dutch and French."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang in ("nl", "fr") else text


def _with_unit(value: str, unit: str) -> str:
    return value if unit in SILENT_UNITS else f"{value} {unit}"


def requirement_in_words(requirement: Requirement, unit: str, lang: str) -> str:
    """'at least 37 s', 'between 19 and 20 °Bé', 'OK' in the language asked."""
    index = _LANGS.get(lang, 0)
    if requirement.comparison == "is_true":
        return "OK"
    if requirement.comparison == "between":
        assert requirement.low is not None and requirement.high is not None
        low, high = number(requirement.low, lang), number(requirement.high, lang)
        return _with_unit(("{}–{}", "{}–{}", "{}–{}")[index].format(low, high), unit)
    assert requirement.bound is not None
    words = _COMPARISON_WORDS[requirement.comparison][index]
    return f"{words} {_with_unit(number(requirement.bound, lang), unit)}"


def describe_finding(finding: Finding, lang: str = "nl") -> str:
    """One finding as a sentence, naming the measured and the required value."""
    index = _LANGS.get(lang, 0)
    name = parameter_name(finding.parameter, lang)
    measured = (
        (
            "OK" if finding.measured else "niet OK",
            "OK" if finding.measured else "non OK",
            "OK" if finding.measured else "not OK",
        )[index]
        if isinstance(finding.measured, bool)
        else _with_unit(number(float(finding.measured), lang), finding.unit)
    )
    if finding.code in (FindingCode.SHORT_FLUCTUATION, FindingCode.FLUCTUATION_TOO_LONG):
        assert finding.requirement.bound is not None
        required = _with_unit(number(finding.requirement.bound, lang), finding.unit)
    else:
        required = requirement_in_words(finding.requirement, finding.unit, lang)
    # A yes/no check names what it checks: the limit's own text where it is known.
    subject = finding.limit_text.get(lang) if finding.limit_text.nl else name
    return _TEMPLATES[finding.code][index].format(
        name=name, measured=measured, required=required, subject=subject
    )
