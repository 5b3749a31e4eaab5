"""Evidence the app fills in itself from the records it holds, and the self-assessment with it.

A criterion whose evidence names one of the app's record kinds (`record_kinds.yaml`) gets a
sentence built from those records ("tank cooling registered 212 of 214 days"). Where the
records show the criterion met, that is the app's answer until the farmer answers; the
farmer's own answer always comes first. Readiness per module is the core's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dairyhaccp.ikm import (
    Criterion,
    ModuleReadiness,
    days_covered,
    hygiene_blocks_certificate,
    readiness,
)
from dairyhaccp.ikm.models import Module
from dairyhaccp.ikm.readiness import PRECONDITIONS
from dairyhaccp.monitoring.schedule import local_day_bounds
from dairyhaccp.web import compiled
from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.choices import AnswerChoice
from dairyhaccp.web.farm.constants import EVIDENCE_WINDOW
from dairyhaccp.web.farm.models import AssessmentAnswer
from dairyhaccp.web.operators.language import guide_language
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.choices import RoomKind
from dairyhaccp.web.records.models import Registration
from dairyhaccp.web.records.selectors import current_registrations, rooms


@dataclass(frozen=True)
class AppEvidence:
    """What the app's own records show for one record kind, and whether they show it met."""

    record: str
    text: str
    shows_met: bool
    url: str = ""
    shows_not_met: bool = False


def _day(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _antibiotics_register(operator: Operator, today: date) -> AppEvidence:
    since = today - EVIDENCE_WINDOW
    since_start = local_day_bounds(since)[0]
    treatments = selectors.register(operator).filter(last_dose_at__gte=since_start)
    summary = treatments.aggregate(count=Count("pk"), last=Max("last_dose_at"))
    count = summary["count"]
    url = reverse("farm:treatments", kwargs={"operator_slug": operator.slug})
    if not count:
        return AppEvidence(
            "antibiotics_register",
            _("No treatment in the register in the last 12 months."),
            False,
            url,
        )
    text = ngettext(
        "{count} treatment in the register in the last 12 months, the last on {day}.",
        "{count} treatments in the register in the last 12 months, the last on {day}.",
        count,
    ).format(count=count, day=_day(timezone.localdate(summary["last"])))
    return AppEvidence("antibiotics_register", text, True, url)


def _tank_cooling(operator: Operator, today: date) -> AppEvidence:
    """The days of the last 12 months with a tank registration, counted from the first one
    when the farm began within them; only those months' registrations are read."""
    # The tanks first, so that their registrations are a range of the (operator, room, moment)
    # index per tank.
    # The queries are kept compiled by what they are made of (the tanks, the window's start).
    tanks = tuple(
        pk
        for (pk,) in compiled.rows(
            ("milk tanks", operator.pk),
            lambda: (
                rooms(operator, active_only=False)
                .filter(kind=RoomKind.MILK_TANK)
                .order_by()
                .values_list("pk")
            ),
        )
    )
    window_first_day = today - EVIDENCE_WINDOW + timedelta(days=1)
    window_start = local_day_bounds(window_first_day)[0]

    def tank(**moments: datetime) -> QuerySet[Registration]:
        return (
            current_registrations(operator)
            .filter(room_id__in=tanks, task_id="", **moments)
            .order_by()
        )

    zone = timezone.get_current_timezone()
    days = {
        moment.astimezone(zone).date()
        for (moment,) in compiled.rows(
            ("tank registrations", operator.pk, tanks, window_start),
            lambda: tank(measured_at__gte=window_start).values_list("measured_at"),
        )
    }
    earlier = compiled.rows(
        ("a tank registration before", operator.pk, tanks, window_start),
        lambda: tank(measured_at__lt=window_start).values_list("pk")[:1],
    )
    if earlier:
        first_day = window_first_day
    elif days:
        first_day = min(*days, today)  # a clock minutes ahead may have passed midnight
    else:
        return AppEvidence("tank_cooling", _("No tank cooling registered in the app."), False)
    covered, in_all = days_covered(days, first_day, today)
    text = ngettext(
        "Tank cooling registered {covered} of {days} day ({first} to {last}).",
        "Tank cooling registered {covered} of {days} days ({first} to {last}).",
        in_all,
    ).format(covered=covered, days=in_all, first=_day(first_day), last=_day(today))
    return AppEvidence("tank_cooling", text, covered == in_all)


def _vet_contracts(operator: Operator, today: date) -> AppEvidence:
    profile = selectors.current_profile(operator)
    url = reverse("farm:profile", kwargs={"operator_slug": operator.slug})
    if profile is None or not (profile.herd_vet or profile.substitute_vet):
        return AppEvidence(
            "vet_contracts", _("No veterinarian named in the farm profile."), False, url
        )
    parts = []
    for role, name, since in (
        (_("Herd veterinarian"), profile.herd_vet, profile.herd_vet_contract_from),
        (_("Substitute"), profile.substitute_vet, profile.substitute_vet_contract_from),
    ):
        if not name:
            parts.append(_("{role}: not named").format(role=role))
        elif since is None:
            parts.append(_("{role}: {name}, no contract date").format(role=role, name=name))
        else:
            parts.append(
                _("{role}: {name}, contract since {day}").format(
                    role=role, name=name, day=_day(since)
                )
            )
    complete = all(
        (
            profile.herd_vet,
            profile.herd_vet_contract_from,
            profile.substitute_vet,
            profile.substitute_vet_contract_from,
        )
    )
    return AppEvidence("vet_contracts", "; ".join(parts) + ".", complete, url)


def _notifications(operator: Operator, today: date) -> AppEvidence:
    notifications = selectors.current_notifications(operator)
    count = notifications.count()
    url = reverse("farm:notifications", kwargs={"operator_slug": operator.slug})
    if not count:
        return AppEvidence("notifications", _("No notification recorded in the app."), False, url)
    last = notifications.first()
    assert last is not None
    text = ngettext(
        "{count} notification recorded, the last on {day}.",
        "{count} notifications recorded, the last on {day}.",
        count,
    ).format(count=count, day=_day(last.notified_on))
    # Whether every event that had to be notified was notified, the records cannot tell.
    return AppEvidence("notifications", text, False, url)


def _sustainability(operator: Operator, today: date) -> AppEvidence:
    entries = selectors.sustainability_entries(operator)
    url = reverse("farm:sustainability", kwargs={"operator_slug": operator.slug})
    recent = [year for year in entries if year >= today.year - 1]
    if not recent:
        return AppEvidence(
            "sustainability_monitor", _("No initiatives ticked for this or last year."), False, url
        )
    year = max(recent)
    count = len(entries[year].initiatives)
    text = ngettext(
        "{count} initiative ticked for {year}.", "{count} initiatives ticked for {year}.", count
    ).format(count=count, year=year)
    return AppEvidence("sustainability_monitor", text, True, url)


def _hygiene_score(operator: Operator, today: date) -> AppEvidence:
    latest = selectors.latest_hygiene(operator, today)
    url = reverse("farm:hygiene", kwargs={"operator_slug": operator.slug})
    if latest is None:
        return AppEvidence("hygiene_score", _("No hygiene score recorded in the app."), False, url)
    book = selectors.lastenboek()
    rating = book.hygiene_score.surroundings.rating(latest.rating)
    text = _("Surroundings rated {rating} on {day} by {given_by}.").format(
        rating=rating.text.get(guide_language()).lower(),
        day=_day(latest.scored_on),
        given_by=latest.given_by,
    )
    if latest.score:
        text += " " + _("Hygiene score: {score}.").format(score=latest.score)
    blocks = hygiene_blocks_certificate(book, latest.rating)
    return AppEvidence("hygiene_score", text, not blocks, url, shows_not_met=blocks)


_GATHERERS: dict[str, Callable[[Operator, date], AppEvidence]] = {
    "antibiotics_register": _antibiotics_register,
    "tank_cooling": _tank_cooling,
    "vet_contracts": _vet_contracts,
    "notifications": _notifications,
    "sustainability_monitor": _sustainability,
    "hygiene_score": _hygiene_score,
}


def app_evidence(operator: Operator, records: set[str], today: date) -> dict[str, AppEvidence]:
    """The evidence of each record kind in `records` the app knows how to gather."""
    return {
        record: _GATHERERS[record](operator, today) for record in records if record in _GATHERERS
    }


def _records_of(criterion: Criterion) -> list[str]:
    return [e.record for e in criterion.evidence if e.kind == "app_record" and e.record]


@dataclass(frozen=True)
class CriterionRow:
    """A criterion with the farmer's answer, the answer that counts, and the app's evidence."""

    criterion: Criterion
    answer: AssessmentAnswer | None
    effective: str | None
    by_app: bool
    evidence: list[AppEvidence] = field(default_factory=list)


@dataclass(frozen=True)
class ModuleRows:
    """One module (None for the preconditions), its readiness, and its criteria."""

    module: Module | None
    readiness: ModuleReadiness
    rows: list[CriterionRow]


def assessment(operator: Operator, today: date | None = None) -> list[ModuleRows]:
    """The self-assessment: every criterion by module, with readiness (core: readiness)."""
    today = today or timezone.localdate()
    book = selectors.lastenboek()
    answers = selectors.latest_answers(operator)
    criteria = [*book.preconditions, *book.criteria]
    gathered = app_evidence(
        operator, {record for c in criteria for record in _records_of(c)}, today
    )
    rows: dict[str, CriterionRow] = {}
    for criterion in criteria:
        evidence = [gathered[r] for r in _records_of(criterion) if r in gathered]
        answer = answers.get(criterion.id)
        not_met = answer is None and any(e.shows_not_met for e in evidence)
        by_app = answer is None and (not_met or any(e.shows_met for e in evidence))
        if answer is not None:
            effective: str | None = answer.answer
        elif not_met:
            effective = AnswerChoice.NOT_MET.value
        else:
            effective = AnswerChoice.MET.value if by_app else None
        rows[criterion.id] = CriterionRow(criterion, answer, effective, by_app, evidence)
    effective_answers = {cid: row.effective for cid, row in rows.items() if row.effective}
    modules = {m.id: m for m in book.modules}
    result = []
    for module_readiness in readiness(book, effective_answers):
        if module_readiness.module == PRECONDITIONS:
            module, members = None, book.preconditions
        else:
            module, members = (
                modules[module_readiness.module],
                book.criteria_of(module_readiness.module),
            )
        result.append(ModuleRows(module, module_readiness, [rows[c.id] for c in members]))
    return result


def criterion_row(operator: Operator, criterion_id: str) -> CriterionRow | None:
    """The row of one criterion, or None when the lastenboek has no such criterion."""
    for module in assessment(operator):
        for row in module.rows:
            if row.criterion.id == criterion_id:
                return row
    return None
