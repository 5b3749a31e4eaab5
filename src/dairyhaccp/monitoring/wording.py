"""Findings in words, in Dutch, French and English (for the CLI, e-mails and the web)."""

from __future__ import annotations

from dairyhaccp.monitoring.evaluate import Finding, FindingCode

PARAMETER_NAMES: dict[str, tuple[str, str, str]] = {
    "temperature_c": ("temperatuur", "température", "temperature"),
    "hold_s": ("houdtijd", "temps de maintien", "hold time"),
    "elapsed_min": ("verstreken tijd", "temps écoulé", "elapsed time"),
    "ph": ("pH", "pH", "pH"),
    "relative_humidity_pct": ("relatieve vochtigheid", "humidité relative", "relative humidity"),
    "baume": ("pekelsterkte", "concentration de la saumure", "brine strength"),
    "residual_o2_pct": ("restzuurstof", "oxygène résiduel", "residual oxygen"),
    "co2_deviation_pct": ("afwijking CO2", "écart de CO2", "CO2 deviation"),
    "storage_h": ("bewaartijd", "durée de stockage", "storage time"),
    "processed_after_min": (
        "verwerkt na het melken",
        "transformé après la traite",
        "processed after milking",
    ),
    "visual_ok": ("visuele controle", "contrôle visuel", "visual check"),
    "taste_ok": ("smaak", "goût", "taste"),
    "salt_on_bottom": ("zout op de bodem", "sel au fond", "salt on the bottom"),
    "silage_ph": ("pH kuilvoeder", "pH de l'ensilage", "silage pH"),
    "grain_size_cm": ("korrelgrootte", "taille des grains", "curd grain size"),
    "productions_since_industrial_starter": (
        "verwerkingen sinds industrieel zuursel",
        "fabrications depuis le dernier ferment industriel",
        "productions since industrial starter",
    ),
}

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
}


def _in_words(required: str, index: int) -> str:
    """'>= 37' becomes 'minstens 37' (or 'au moins 37', 'at least 37')."""
    operator, _, rest = required.partition(" ")
    words = _COMPARISON_WORDS.get(operator)
    return f"{words[index]} {rest}" if words and rest else required


def _with_unit(value: str, unit: str) -> str:
    return value if unit in ("", "bool") else f"{value} {unit}"


def describe_finding(finding: Finding, lang: str = "nl") -> str:
    """One finding as a sentence, naming the measured and the required value."""
    index = _LANGS.get(lang, 0)
    name = PARAMETER_NAMES.get(finding.parameter, (finding.parameter,) * 3)[index]
    measured = (
        str(finding.measured)
        if isinstance(finding.measured, bool)
        else _with_unit(f"{finding.measured:g}", finding.unit)
    )
    if finding.code in (FindingCode.SHORT_FLUCTUATION, FindingCode.FLUCTUATION_TOO_LONG):
        required = _with_unit(finding.required.partition(" ")[2], finding.unit)
    else:
        required = _in_words(_with_unit(finding.required, finding.unit), index)
    # A yes/no check names what it checks: the limit's own text where it is known.
    subject = finding.limit_text.get(lang) if finding.limit_text.nl else name
    sentence = _TEMPLATES[finding.code][index].format(
        name=name, measured=measured, required=required, subject=subject
    )
    return f"{sentence} [{finding.limit_id}]"
