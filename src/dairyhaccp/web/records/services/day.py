"""The day in the dairy: lot codes from the owner's pattern, today's production started in
one tap, and a day's checks confirmed "all in order" (relaxations)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.monitoring.agenda import Duty
from dairyhaccp.monitoring.schedule import BRUSSELS, local_day_bounds
from dairyhaccp.trace.lot_codes import (
    DEFAULT_PATTERN,
    LotPatternError,
    PatternProblem,
    check_pattern,
    free_lot_code,
    is_product_code,
    lot_code,
    product_codes,
)
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.models import Batch, DayConfirmation, LotCodeSettings
from dairyhaccp.web.records.services.errors import RegistrationError
from dairyhaccp.web.records.services.registrations import _lock
from dairyhaccp.web.records.services.setup import create_batch, product_choices


def pattern_problem(error: LotPatternError) -> str:
    """What is wrong with a pattern, in the reader's language."""
    messages = {
        PatternProblem.EMPTY: _("give a pattern"),
        PatternProblem.UNKNOWN_PLACEHOLDER: _("{placeholder} is not a known placeholder"),
        PatternProblem.UNCLOSED_BRACE: _("a brace is not closed: {placeholder}"),
        PatternProblem.CHARACTER: _("“{placeholder}” is not allowed: use letters, digits, - _ . /"),
        PatternProblem.NO_COUNTER: _("add {n} (or {nn}, {nnn}) so that batches of a day differ"),
        PatternProblem.TOO_LONG: _("the lot codes would be longer than {placeholder} characters"),
    }
    return messages[error.problem].replace("{placeholder}", error.detail)


@dataclass(frozen=True)
class LotCodeRule:
    """The pattern in force and the code of each product."""

    pattern: str
    codes: dict[str, str]


def lot_code_rule(operator: Operator) -> LotCodeRule:
    stored = LotCodeSettings.objects.filter(operator=operator).first()
    labels = product_choices(operator)
    if stored is None:
        return LotCodeRule(DEFAULT_PATTERN, product_codes(labels))
    chosen = {k: str(v) for k, v in stored.product_codes.items()}
    return LotCodeRule(stored.pattern, product_codes(labels, chosen))


@transaction.atomic
def save_lot_code_rule(
    operator: Operator, user: User, pattern: str, codes: dict[str, str]
) -> LotCodeRule:
    """Store the owner's pattern and product codes; RegistrationError names the field."""
    labels = product_choices(operator)
    chosen: dict[str, str] = {}
    for label in labels:
        code = (codes.get(label) or "").strip().upper()
        if code and not is_product_code(code):
            raise RegistrationError(
                f"code_{labels.index(label)}", _("use 1 to 10 capital letters or digits")
            )
        if code:
            chosen[label] = code
    full = product_codes(labels, chosen)
    if len(set(full.values())) < len(full):
        twice = next(c for c in full.values() if list(full.values()).count(c) > 1)
        raise RegistrationError(
            "pattern", _("two products have the code {code}").format(code=twice)
        )
    try:
        pattern = check_pattern(pattern, full.values())
    except LotPatternError as error:
        raise RegistrationError("pattern", pattern_problem(error)) from error
    LotCodeSettings.objects.update_or_create(
        operator=operator,
        defaults={
            "pattern": pattern,
            "product_codes": chosen,
            "changed_at": timezone.now(),
            "changed_by": user,
        },
    )
    return LotCodeRule(pattern, full)


def next_lot_code(operator: Operator, product: str, moment: datetime) -> str:
    """The code the next batch of `product` started at `moment` gets."""
    rule = lot_code_rule(operator)
    if product not in rule.codes:
        raise RegistrationError("product", _("not a product of the plan"))
    day = moment.astimezone(BRUSSELS).date()
    start, end = local_day_bounds(day)
    made = Batch.objects.filter(
        operator=operator, product=product, started_at__gte=start, started_at__lt=end
    ).count()
    try:
        parts = check_pattern(rule.pattern, rule.codes.values())
        candidates = [
            lot_code(parts, rule.codes[product], day, n) for n in range(made + 1, made + 51)
        ]
        taken = Batch.objects.filter(operator=operator, lot_code__in=candidates).values_list(
            "lot_code", flat=True
        )
        code, _n = free_lot_code(parts, rule.codes[product], day, made + 1, taken)
    except LotPatternError as error:
        raise RegistrationError("pattern", pattern_problem(error)) from error
    return code


@transaction.atomic
def start_production(
    operator: Operator,
    user: User,
    product: str,
    moment: datetime | None = None,
    milk: Batch | None = None,
) -> Batch:
    """Start a batch of `product` now, its lot code made from the owner's pattern, made from
    `milk` when the caller chose it (the lots context decides which milking may be used)."""
    _lock(operator)
    moment = moment or timezone.now()
    code = next_lot_code(operator, product, moment)
    try:
        return create_batch(
            operator,
            user,
            code,
            product,
            started_at=moment,
            made_from=[milk] if milk is not None else (),
        )
    except IntegrityError as exc:  # pragma: no cover - the operator lock keeps codes apart
        raise RegistrationError("lot_code", _("this lot code exists already")) from exc


def confirmable(duties: Sequence[Duty]) -> list[Duty]:
    """The duties a day's confirmation covers: those still to do by the end of the day."""
    return [d for d in duties if d.status.value != "done"]


@transaction.atomic
def confirm_day(operator: Operator, user: User, now: datetime | None = None) -> DayConfirmation:
    """Record that the checks still open for today were done and all in order.

    Only with the relaxations (only non-conformities are registered); without them every
    check must be registered and RegistrationError refuses."""
    _lock(operator)
    now = now or timezone.now()
    current = selectors.operator_plan(operator)
    if current is None:
        raise RegistrationError("plan", _("this business has no plan yet"))
    agenda = selectors.agenda(operator, current.plan, now)
    if not agenda.relaxed:
        raise RegistrationError(
            "confirmation", _("without the relaxations every check must be registered")
        )
    duties = confirmable([*agenda.section("overdue"), *agenda.section("today")])
    if not duties:
        raise RegistrationError("confirmation", _("nothing is left to confirm today"))
    return DayConfirmation.objects.create(
        operator=operator,
        day=agenda.day,
        duties=[
            {
                "key": d.key,
                "control": d.control_id or "",
                "target_kind": d.target_kind.value,
                "target": d.target_key or "",
                "target_name": d.target_name,
            }
            for d in duties
        ],
        confirmed_by=user,
        confirmed_at=now,
    )
