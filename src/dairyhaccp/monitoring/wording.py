"""Findings in words, in Dutch, French and English (for the CLI, e-mails and the web)."""

from __future__ import annotations

from dairyhaccp.guide import load_guide
from dairyhaccp.monitoring.evaluate import Finding, FindingCode, Requirement
from dairyhaccp.plan.models import PlanLimit


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


def unit_after_number(unit: str) -> str:
    """What follows a number to say its unit: ' °C', or nothing for a silent unit."""
    return _with_unit("", unit)


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
    head, tail = sentence_around_measured(finding, lang)
    return head if tail is None else head + measured_in_words(finding, lang) + tail


_NOT_OK = {"nl": "niet OK", "fr": "non OK", "en": "not OK"}


def measured_in_words(finding: Finding, lang: str) -> str:
    """The measured value of a finding as its sentence says it: '8,5 °C', 'niet OK'."""
    measured = finding.measured
    if isinstance(measured, bool):
        return "OK" if measured else _NOT_OK.get(lang, _NOT_OK["nl"])
    return _with_unit(number(float(measured), lang), finding.unit)


_MEASURED_SLOT = "\x00measured\x00"
_SENTENCES_KEPT = 4096
_sentences: dict[tuple[object, ...], tuple[str, str | None, object]] = {}


def sentence_around_measured(finding: Finding, lang: str) -> tuple[str, str | None]:
    """The finding's sentence before and after the measured value (None: it names no value),
    made once per limit, requirement and language."""
    limit_text = finding.limit_text
    requirement = finding.requirement
    key = (
        finding.code,
        finding.parameter,
        requirement.parts(),
        finding.unit,
        id(limit_text),
        lang,
    )
    kept = _sentences.get(key)
    if kept is not None and kept[2] is limit_text:
        return kept[0], kept[1]
    index = _LANGS.get(lang, 0)
    name = parameter_name(finding.parameter, lang)
    if finding.code in (FindingCode.SHORT_FLUCTUATION, FindingCode.FLUCTUATION_TOO_LONG):
        assert finding.requirement.bound is not None
        required = _with_unit(number(finding.requirement.bound, lang), finding.unit)
    else:
        required = requirement_in_words(finding.requirement, finding.unit, lang)
    # A yes/no check names what it checks: the limit's own text where it is known.
    subject = limit_text.get(lang) if limit_text.nl else name
    sentence = _TEMPLATES[finding.code][index].format(
        name=name, measured=_MEASURED_SLOT, required=required, subject=subject
    )
    head, slot, tail = sentence.partition(_MEASURED_SLOT)
    pieces = (head, tail if slot else None)
    if len(_sentences) >= _SENTENCES_KEPT:
        _sentences.clear()
    _sentences[key] = (*pieces, limit_text)
    return pieces


# Words for a plan's limits: "at most 6 °C", "within 2 h of milking", "at least 15 s at 72 °C".
_LIMIT_WORDS: dict[str, tuple[str, str, str]] = {
    "between": ("tussen {low} en {high}", "entre {low} et {high}", "between {low} and {high}"),
    "in_order": ("in orde", "conforme", "in order"),
    "none": ("niet aangetoond", "non détecté", "not detected"),
    "at": ("bij {temperature}", "à {temperature}", "at {temperature}"),
    "tolerance": (
        "een korte stijging tot {tolerance} hoger is toegelaten",
        "une courte hausse jusqu'à {tolerance} de plus est admise",
        "a short rise of up to {tolerance} more is allowed",
    ),
    "storage_category": (
        "hoogstens de bewaartemperatuur van de categorie van het product",
        "au plus la température de conservation de la catégorie du produit",
        "at most the storage temperature of the product's category",
    ),
    "product_norm": (
        "hoogstens de eigen norm van het product",
        "au plus la norme propre du produit",
        "at most the product's own norm",
    ),
}
_WITHIN: dict[str, tuple[str, str, str]] = {
    "milking": (
        "binnen {duration} na het melken",
        "dans les {duration} suivant la traite",
        "within {duration} of milking",
    ),
    "pasteurisation": (
        "binnen {duration} na de pasteurisatie",
        "dans les {duration} suivant la pasteurisation",
        "within {duration} of pasteurisation",
    ),
}
_MINUTES_PER_HOUR = 60


def _amount(value: float, unit: str, lang: str) -> str:
    """A value with its unit; whole hours given in minutes are said in hours."""
    if unit == "min" and value >= _MINUTES_PER_HOUR and value % _MINUTES_PER_HOUR == 0:
        return f"{number(value / _MINUTES_PER_HOUR, lang)} h"
    return _with_unit(number(value, lang), unit)


def limit_requirement_words(
    limit: PlanLimit,
    lang: str,
    since: str | None = None,
    value: float | None = None,
    low: float | None = None,
    high: float | None = None,
) -> str:
    """What a limit requires, without the name of the quantity: 'at most 6 °C', 'between 2 and
    4 °C', 'within 2 h of milking'. `value`, `low` and `high` replace the limit's own figures
    (to word the guide's value of a changed limit)."""
    index = _LANGS.get(lang, 0)
    value = limit.value if value is None else value
    low = limit.low if low is None else low
    high = limit.high if high is None else high
    unit = limit.unit
    if limit.comparison == "is_true":
        return _LIMIT_WORDS["in_order"][index]
    if limit.comparison == "between" and low is not None and high is not None:
        text = _LIMIT_WORDS["between"][index].format(
            low=number(low, lang), high=_amount(high, unit, lang)
        )
    elif value is None:
        text = _LIMIT_WORDS.get(limit.value_from or "", _LIMIT_WORDS["product_norm"])[index]
    elif limit.comparison == "==" and value == 0 and unit == "count":
        text = _LIMIT_WORDS["none"][index]
    elif limit.comparison == "<=" and since in _WITHIN:
        text = _WITHIN[since][index].format(duration=_amount(value, unit, lang))
    else:
        words = _COMPARISON_WORDS[limit.comparison][index]
        text = f"{words} {_amount(value, unit, lang)}"
    if limit.at_temperature_c is not None:
        temperature = f"{number(limit.at_temperature_c, lang)} °C"
        text += " " + _LIMIT_WORDS["at"][index].format(temperature=temperature)
    if limit.tolerance is not None:
        tolerance = _with_unit(number(limit.tolerance, lang), unit)
        text += "; " + _LIMIT_WORDS["tolerance"][index].format(tolerance=tolerance)
    return text


def limit_in_words(limit: PlanLimit, lang: str, since: str | None = None) -> str:
    """A limit as a phrase in `lang`, naming the quantity unless the time says it: 'temperature
    at most 6 °C', 'hold time at least 15 s at 71,7 °C', 'within 2 h of milking'. `since` is
    the event a duration counts from (the control's derived values), if any."""
    requirement = limit_requirement_words(limit, lang, since)
    if since in _WITHIN and limit.comparison == "<=" and limit.value is not None:
        return requirement
    return f"{parameter_name(limit.parameter, lang)} {requirement}"
