"""Typed models of the IKM lastenboek data: modules, criteria, rules, each with its sources."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from dairyhaccp.guide.models import Frozen

Confidence = Literal["confirmed", "secondary", "reading"]
CriterionKind = Literal["legal", "sector"]
EvidenceKind = Literal["document", "register", "observation", "app_record"]
Answer = Literal["met", "not_met", "not_applicable"]
RecurrenceEvent = Literal["treatment", "milking", "visit", "audit"]
RecurrencePeriod = Literal["day", "week", "month", "year"]

_ID = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"
_CRITERION_ID_RE = re.compile(rf"^[A-Z]-{_ID}$")
_SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class Text(Frozen):
    """A text in Dutch, French and English, German where written (QMK)."""

    nl: str = Field(min_length=1)
    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)
    de: str | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to Dutch."""
        value = getattr(self, lang, None) if lang in ("nl", "fr", "en", "de") else None
        return value if isinstance(value, str) and value else self.nl


class PublicSource(Frozen):
    """A public page or legal text a rule rests on, and how firmly it says so.

    confirmed: the page states it; secondary: a secondary page (blog, press) states it;
    reading: this project's reading or inference, to check before relying on it.
    """

    url: str | None = None
    regulation: str | None = None
    confidence: Confidence = "confirmed"
    note: str | None = None

    @model_validator(mode="after")
    def _names_something(self) -> PublicSource:
        if not self.url and not self.regulation:
            raise ValueError("a source needs a url or a regulation")
        if self.url and not self.url.startswith(("http://", "https://")):
            raise ValueError(f"source url {self.url!r} is not an http(s) address")
        return self


Sources = list[PublicSource]


class Identified(Frozen):
    """A model with a lower-case id (a-z, 0-9, _)."""

    id: str

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG_RE.match(value):
            raise ValueError(f"{value!r} is not a lower-case id (a-z, 0-9, _)")
        return value


class Module(Identified):
    """One of the eight modules of the lastenboek."""

    letter: str = Field(pattern=r"^[A-Z]$")
    order: int = Field(ge=1)
    name: Text
    sources: Sources = Field(min_length=1)


class RecordKind(Identified):
    """A kind of record the app itself holds and can show as evidence."""

    text: Text


class Evidence(Frozen):
    """How a criterion is shown to be met; `record` names the app's record kind."""

    kind: EvidenceKind
    record: str | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _record_for_app_records(self) -> Evidence:
        if (self.kind == "app_record") != (self.record is not None):
            raise ValueError("`record` is given for evidence of kind app_record, and only then")
        return self


_EVERY_RE = re.compile(
    r"^(?P<times>\d+) per (?:(?P<count>\d+) )?(?P<period>day|week|month|year)s?$"
)
_PERIOD_WORDS: dict[str, tuple[RecurrencePeriod, int]] = {
    "daily": ("day", 1),
    "weekly": ("week", 1),
    "monthly": ("month", 1),
    "yearly": ("year", 1),
}


class Recurrence(Frozen):
    """How often a criterion is to be done: at each event, or a number of times per period."""

    text: str
    event: RecurrenceEvent | None = None
    times: int = Field(default=1, ge=1)
    period: RecurrencePeriod | None = None
    period_count: int = Field(default=1, ge=1)

    @classmethod
    def parse(cls, text: str) -> Recurrence:
        """'daily', 'yearly', '1 per 4 months', 'each treatment', ..."""
        raw = text.strip().lower()
        if raw in _PERIOD_WORDS:
            period, count = _PERIOD_WORDS[raw]
            return cls(text=raw, period=period, period_count=count)
        if match := _EVERY_RE.match(raw):
            return cls.model_validate(
                {
                    "text": raw,
                    "times": int(match["times"]),
                    "period": match["period"],
                    "period_count": int(match["count"] or 1),
                }
            )
        if raw.startswith("each "):
            return cls.model_validate({"text": raw, "event": raw.removeprefix("each ")})
        raise ValueError(
            f"{text!r} is not 'each <event>', a period word or '<n> per [<k>] <period>'"
        )

    @model_validator(mode="after")
    def _event_or_period(self) -> Recurrence:
        if (self.event is None) == (self.period is None):
            raise ValueError("a recurrence has either an event or a period")
        return self


class Retention(Frozen):
    """How long a record is kept."""

    years: int = Field(ge=1)


class Grade(Frozen):
    """The scheme's own grading letter of a criterion, where published."""

    letter: str = Field(pattern=r"^[A-Z]$")
    source: PublicSource


class KnockOut(Frozen):
    """A criterion whose failure alone decides the certificate."""

    consequence: Literal["no_certificate"]
    since_version: str
    source: PublicSource


class Criterion(Frozen):
    """One checkpoint of the lastenboek, in this project's words, with its sources.

    `kind` is None where no source says whether the law requires it (a `note` then says so).
    """

    id: str
    module: str | None = None
    scheme_ref: str | None = None
    text: Text
    kind: CriterionKind | None
    grade: Grade | None = None
    evidence: list[Evidence] = Field(min_length=1)
    how_often: Recurrence | None = None
    keep_for: Retention | None = None
    since_version: str | None = None
    knock_out: KnockOut | None = None
    note: Text | None = None
    sources: Sources = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _CRITERION_ID_RE.match(value):
            raise ValueError(f"{value!r} is not '<module letter>-<words-with-hyphens>'")
        return value

    @field_validator("how_often", mode="before")
    @classmethod
    def _parse_recurrence(cls, value: object) -> object:
        return Recurrence.parse(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _unsourced_kind_is_explained(self) -> Criterion:
        if self.kind is None and self.note is None:
            raise ValueError(f"criterion {self.id}: without a kind, a note says why")
        return self


class SurroundingsRating(Frozen):
    """One rating the auditor gives the hygiene of the farm's surroundings."""

    id: str
    text: Text
    no_certificate: bool = False
    sources: Sources = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG_RE.match(value):
            raise ValueError(f"rating id {value!r} is not a lower-case slug")
        return value


class SurroundingsHygiene(Frozen):
    """The ratings of the knock-out criterion on the hygiene of the surroundings."""

    criterion: str
    ratings: list[SurroundingsRating] = Field(min_length=2)
    note: Text

    @model_validator(mode="after")
    def _ratings(self) -> SurroundingsHygiene:
        ids = [r.id for r in self.ratings]
        if len(set(ids)) != len(ids):
            raise ValueError("surroundings ratings: ids are unique")
        if not any(r.no_certificate for r in self.ratings):
            raise ValueError("surroundings ratings: one of them gives no certificate")
        if all(r.no_certificate for r in self.ratings):
            raise ValueError("surroundings ratings: one of them still gives a certificate")
        return self

    def rating(self, rating_id: str) -> SurroundingsRating:
        """The rating with this id (KeyError if there is none)."""
        for rating in self.ratings:
            if rating.id == rating_id:
                return rating
        raise KeyError(rating_id)


class HygieneScore(Frozen):
    """The points the auditor scores for the hygiene of the farm (module H), and the ratings of
    the hygiene of its surroundings."""

    points: list[str] = Field(min_length=1)
    scale: str | None = None
    pass_threshold: float | None = None
    note: Text
    sources: Sources = Field(min_length=1)
    surroundings: SurroundingsHygiene


class CertificateValidity(Frozen):
    """How long a certificate runs for one outcome of the certification decision."""

    outcome: Literal["standard", "short"]
    months: int = Field(ge=1)
    text: Text
    sources: Sources = Field(min_length=1)


class CertificateLoss(Frozen):
    """An event that ends the certificate whatever the audit found."""

    event: Literal["unannounced_audit_refused"]
    text: Text
    sources: Sources = Field(min_length=1)


class CertificateRules(Frozen):
    """Audit interval and certificate validity; the rule choosing the outcome is not public."""

    audit_interval_months: int = Field(ge=1)
    audit_interval_sources: Sources = Field(min_length=1)
    validity: list[CertificateValidity] = Field(min_length=1)
    losses: list[CertificateLoss] = Field(default_factory=list)
    decision_note: Text

    def months_for(self, outcome: str) -> int:
        for rule in self.validity:
            if rule.outcome == outcome:
                return rule.months
        raise KeyError(outcome)


class TreatmentDayMethod(Frozen):
    """One way of computing treatment days per 100 days (BD100)."""

    id: Literal["register_count", "amount_dddabel"]
    formula: str
    text: Text
    sources: Sources = Field(min_length=1)


class Benchmark(Frozen):
    """Zones against the distribution of all farms: green, yellow, red."""

    attention_percentile: float = Field(gt=0, lt=100)
    action_percentile: float = Field(gt=0, lt=100)
    percentile_method: Literal["linear"]
    boundaries: Text
    text: Text
    sources: Sources = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Benchmark:
        if self.attention_percentile >= self.action_percentile:
            raise ValueError("the attention percentile lies below the action percentile")
        return self


class TreatmentDays(Frozen):
    """Treatment-day figures (BD100) and their benchmark."""

    unit: Text
    methods: list[TreatmentDayMethod] = Field(min_length=1)
    benchmark: Benchmark
    note: Text


class PrivacyRule(Frozen):
    """The smallest group of farms whose figures may be shown."""

    min_farms: int = Field(ge=2)
    basis: str


class Theme(Identified):
    """A theme of the sustainability monitor."""

    name: Text
    sources: Sources = Field(min_length=1)


class PublishedUptake(Frozen):
    """A published share of farms taking an initiative."""

    year: int
    percent: float = Field(ge=0, le=100)
    scope: str | None = None
    source: PublicSource


class Initiative(Identified):
    """A voluntary initiative of the sustainability monitor."""

    theme: str
    text: Text
    options: list[Text] = Field(default_factory=list)
    since_year: int | None = None
    published_uptake: list[PublishedUptake] = Field(default_factory=list)
    note: Text | None = None
    sources: Sources = Field(min_length=1)


class PublishedAverage(Frozen):
    """A published mean number of initiatives per farm."""

    year: int
    mean_initiatives: float = Field(gt=0)
    of_initiatives: int | None = None
    note: str | None = None
    source: PublicSource


class SustainabilityMonitor(Frozen):
    """The sustainability monitor: themes, the initiatives readable in public sources."""

    checklist_version: str
    published_initiative_counts: dict[int, int]
    themes: list[Theme] = Field(min_length=1)
    initiatives: list[Initiative] = Field(min_length=1)
    published_averages: list[PublishedAverage] = Field(default_factory=list)
    note: Text
    sources: Sources = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> SustainabilityMonitor:
        themes = [t.id for t in self.themes]
        if len(set(themes)) != len(themes):
            raise ValueError("duplicate theme ids")
        ids = [i.id for i in self.initiatives]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate initiative ids {duplicates}")
        for initiative in self.initiatives:
            if initiative.theme not in themes:
                raise ValueError(f"initiative {initiative.id}: unknown theme {initiative.theme!r}")
        return self


class Meta(Frozen):
    """Identification of one version of the lastenboek data."""

    id: str
    version: str
    in_force_from: date
    owner: str
    status: Literal["working_paraphrase", "official"]
    title: Text
    criteria_in_official_text: int | None = None
    criteria_count_source: PublicSource | None = None
    note: Text
    left_out: list[str] = Field(default_factory=list)
    sources: Sources = Field(min_length=1)


class Lastenboek(Frozen):
    """One version of the IKM/QFL/QMK lastenboek and the rules around it, validated."""

    meta: Meta
    modules: list[Module]
    record_kinds: list[RecordKind]
    preconditions: list[Criterion]
    criteria: list[Criterion]
    hygiene_score: HygieneScore
    certificate: CertificateRules
    treatment_days: TreatmentDays
    privacy: PrivacyRule
    sustainability: SustainabilityMonitor

    @model_validator(mode="after")
    def _cross_references(self) -> Lastenboek:
        letters = {m.letter: m.id for m in self.modules}
        if len(letters) != len(self.modules) or len({m.id for m in self.modules}) != len(letters):
            raise ValueError("module ids and letters are unique")
        all_criteria = [*self.preconditions, *self.criteria]
        ids = [c.id for c in all_criteria]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate criterion ids {duplicates}")
        for criterion in self.preconditions:
            if criterion.module is not None or not criterion.id.startswith("P-"):
                raise ValueError(f"precondition {criterion.id}: no module, an id 'P-...'")
        for criterion in self.criteria:
            if criterion.module not in letters.values():
                raise ValueError(f"criterion {criterion.id}: unknown module {criterion.module!r}")
            if letters.get(criterion.id[0]) != criterion.module:
                raise ValueError(f"criterion {criterion.id}: id letter is not its module's")
        record_kinds = {r.id for r in self.record_kinds}
        for criterion in all_criteria:
            for evidence in criterion.evidence:
                if evidence.record is not None and evidence.record not in record_kinds:
                    raise ValueError(f"criterion {criterion.id}: unknown record {evidence.record}")
        by_id = {c.id: c for c in self.criteria}
        for point in self.hygiene_score.points:
            if point not in by_id or by_id[point].module != letters.get("H"):
                raise ValueError(f"hygiene score point {point!r} is not a criterion of module H")
        surroundings = by_id.get(self.hygiene_score.surroundings.criterion)
        if surroundings is None or surroundings.knock_out is None:
            raise ValueError("the surroundings ratings belong to a knock-out criterion")
        outcomes = [v.outcome for v in self.certificate.validity]
        if len(set(outcomes)) != len(outcomes):
            raise ValueError("one validity per certificate outcome")
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion or precondition with this id (KeyError if there is none)."""
        for criterion in (*self.preconditions, *self.criteria):
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)

    def criteria_of(self, module_id: str) -> list[Criterion]:
        """The criteria of one module, in file order."""
        return [c for c in self.criteria if c.module == module_id]
