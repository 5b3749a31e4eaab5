"""Writes of the lab context: results are recorded, corrected or withdrawn as new versions.

Every service checks its input against the operator's current plan and the core's rules before
it stores anything, and owns its transaction. A CSV file is read whole first and stored in one
transaction: a broken file stores nothing. The verdict is judged and stored in the same
transaction, with the guide version: a finished product's per version of its result, a raw-milk
analysis's again over all its results each time one of them changes (see `models`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dairyhaccp.lab.csv_import import parse_raw_milk_csv
from dairyhaccp.lab.dates import EARLIEST_DAY, check_plausible_day, check_sampling_day
from dairyhaccp.lab.evaluation import judge_request
from dairyhaccp.lab.inputs import LabInputError, ProductRequest, lab_request
from dairyhaccp.lab.product_verdict import ProductJudgement
from dairyhaccp.lab.raw_milk_verdict import check_result_value
from dairyhaccp.lab.stored import product_record, raw_milk_record
from dairyhaccp.plan import Plan
from dairyhaccp.web.bounds import moment_problem
from dairyhaccp.web.lab import selectors
from dairyhaccp.web.lab.choices import EntryMethod, VerdictCause
from dairyhaccp.web.lab.models import (
    CsvImport,
    LabRecord,
    ProductResult,
    ProductVerdict,
    RawMilkResult,
    RawMilkVerdict,
    WithdrawalPeriod,
)
from dairyhaccp.web.lab.selectors import (
    milk_parameters,
    plan_or_none,
    product_spec,
    stream_parameters,
)
from dairyhaccp.web.operators.models import Operator

_R = TypeVar("_R", bound=LabRecord)

RAW_MILK_FIELDS = (
    "sampled_on",
    "value",
    "sample_ref",
    "laboratory",
    "lots",
    "left_control",
    "remark",
)
# The longest text each field takes (the columns' lengths; remarks and reasons as elsewhere).
TEXT_LIMITS: dict[str, int] = {
    "sample_ref": 100,
    "laboratory": 200,
    "lots": 500,
    "lot": 100,
    "product_name": 200,
    "animal": 100,
    "remark": 2000,
    "reason": 2000,
}
PRODUCT_FIELDS = (
    "sampled_on",
    "results",
    "lot",
    "laboratory",
    "criterion_override",
    "left_control",
    "remark",
)


@dataclass(frozen=True)
class RawMilkInput:
    """A raw-milk result as a form or the API gives it."""

    species: str
    source: str
    parameter: str
    sampled_on: date
    value: float | str
    sample_ref: str = ""
    laboratory: str = ""
    lots: str = ""
    remark: str = ""
    left_control: bool | None = None


def _lock(operator: Operator) -> None:
    # One lab write of an operator at a time: a verdict is judged over everything stored.
    Operator.objects.select_for_update().filter(pk=operator.pk).first()


def _text(name: str, value: str) -> str:
    """Text without NUL and within its field's length, stripped; ValidationError naming it."""
    if "\x00" in value:
        raise ValidationError(
            {name: _("This text contains a NUL character; remove it.")}, code="nul"
        )
    limit = TEXT_LIMITS[name]
    if len(value) > limit:
        raise ValidationError(
            {name: _("At most {limit} characters.").format(limit=limit)}, code="too_long"
        )
    return value.strip()


def _sampling_day(day: date, since: date | None) -> date:
    """A sampling day from 2000 on, not before the business started and not in the future;
    ValidationError naming the field."""
    try:
        check_sampling_day("sampled_on", day)
    except ValueError:
        if day < EARLIEST_DAY:
            message = _("Give a sampling date from 1 January 2000 on.")
        else:
            message = _("The sampling date lies in the future.")
        raise ValidationError({"sampled_on": message}, code="sampled_on") from None
    problem = moment_problem(day, since)
    if problem:
        raise ValidationError({"sampled_on": capfirst(problem) + "."}, code="sampled_on")
    return day


def _plan(operator: Operator) -> Plan:
    plan = plan_or_none(operator)
    if plan is None:
        raise ValidationError(
            _("Make your HACCP plan first: it says which analyses you need."), code="no_plan"
        )
    return plan


def _checked_raw_milk(plan: Plan, data: RawMilkInput, since: date | None) -> dict[str, Any]:
    """The stored fields of a raw-milk result, or ValidationError naming the field."""
    parameters = stream_parameters(plan, data.species, data.source)
    if not parameters:
        raise ValidationError(
            {"stream": _("Your plan has no analyses for this milk.")}, code="stream"
        )
    if data.parameter not in parameters:
        raise ValidationError(
            {"parameter": _("Your plan does not analyse this milk for that parameter.")},
            code="parameter",
        )
    sampled_on = _sampling_day(data.sampled_on, since)
    try:
        value = check_result_value(data.parameter, data.value, "value")
    except ValueError:
        raise ValidationError(
            {"value": _("Give a count above 0, or the outcome that fits this parameter.")},
            code="value",
        ) from None
    if data.left_control is not None and not isinstance(data.left_control, bool):
        raise ValidationError({"left_control": _("Answer yes, no or I do not know.")})
    return {
        "species": data.species,
        "source": data.source,
        "parameter": data.parameter,
        "sampled_on": sampled_on,
        "count": value if isinstance(value, float) else None,
        "outcome": value if isinstance(value, str) else "",
        "sample_ref": _text("sample_ref", data.sample_ref),
        "laboratory": _text("laboratory", data.laboratory),
        "lots": _text("lots", data.lots),
        "left_control": data.left_control,
        "remark": _text("remark", data.remark),
    }


def _store_raw_milk_verdicts(
    operator: Operator,
    plan: Plan,
    species: str,
    source: str,
    parameter: str,
    cause: str,
    result: RawMilkResult | None = None,
    csv_import: CsvImport | None = None,
) -> list[RawMilkVerdict]:
    """Judge the analyses of `parameter` of one milk source over their results as they now
    stand, keeping what the last stored verdict judged of unchanged months and results."""
    stream = selectors.find_stream(plan, species, source)
    if stream is None:
        return []
    guide = selectors.judging_guide()
    stored = []
    for row in stream.rows:
        if row.parameter != parameter:
            continue
        earlier = selectors.stored_raw_milk_judgement(
            selectors.latest_raw_milk_verdict(operator, stream, row)
        )
        try:
            judgement = selectors.judge_row(operator, plan, stream, row, guide, earlier)
        except ValueError:
            raise ValidationError(
                {"parameter": _("The guide in force cannot judge this analysis of your plan.")},
                code="not_judged",
            ) from None
        stored.append(
            RawMilkVerdict.objects.create(
                operator=operator,
                species=species,
                source=source,
                analysis=row.id,
                parameter=parameter,
                verdict=judgement.verdict.value if judgement else "",
                stop_use=judgement.stop_use if judgement else False,
                notify_favv=judgement.notify_favv if judgement else False,
                judgement=raw_milk_record(judgement) if judgement else None,
                guide_version=judgement.guide_version if judgement else guide.meta.version,
                cause=cause,
                result=result,
                csv_import=csv_import,
            )
        )
    return stored


@transaction.atomic
def record_raw_milk_result(
    operator: Operator,
    user: User,
    data: RawMilkInput,
    method: str = EntryMethod.FORM,
) -> RawMilkResult:
    """Store a new raw-milk result after checking it against the operator's plan, and the
    verdict of its analysis as judged now."""
    _lock(operator)
    plan = _plan(operator)
    fields = _checked_raw_milk(plan, data, operator.active_since)
    result = RawMilkResult.objects.create(
        operator=operator, recorded_by=user, method=method, **fields
    )
    _store_raw_milk_verdicts(
        operator,
        plan,
        result.species,
        result.source,
        result.parameter,
        VerdictCause.RECORDED,
        result=result,
    )
    return result


def _next_version(model: type[_R], operator: Operator, entry: uuid.UUID) -> tuple[_R, int]:
    """The latest version of `entry` (locked) and the next version number."""
    versions = model.objects.for_operator(operator).select_for_update().filter(entry=entry)
    latest = versions.order_by("-version").first()
    if latest is None:
        raise ValidationError(_("There is no such result."), code="missing")
    if latest.withdrawn:
        raise ValidationError(
            _("This result was withdrawn; it cannot be changed."), code="withdrawn"
        )
    number = versions.aggregate(top=Max("version"))["top"]
    return latest, number + 1


def _reason(reason: str) -> str:
    cleaned = _text("reason", reason)
    if len(cleaned) < 5:
        raise ValidationError(
            {"reason": _("Say why the result changes (at least 5 characters).")}, code="reason"
        )
    return cleaned


@transaction.atomic
def correct_raw_milk_result(
    operator: Operator, user: User, entry: uuid.UUID, data: RawMilkInput, reason: str
) -> RawMilkResult:
    """Store a corrected version of a raw-milk result, with who, when and why, and the verdict
    of its analysis judged again."""
    why = _reason(reason)
    _lock(operator)
    latest, version = _next_version(RawMilkResult, operator, entry)
    plan = _plan(operator)
    fields = _checked_raw_milk(plan, data, operator.active_since)
    corrected = RawMilkResult.objects.create(
        operator=operator,
        entry=entry,
        version=version,
        recorded_by=user,
        reason=why,
        method=EntryMethod.FORM,
        csv_import=latest.csv_import,
        **fields,
    )
    keys = {(latest.species, latest.source, latest.parameter)}
    keys.add((corrected.species, corrected.source, corrected.parameter))
    for species, source, parameter in sorted(keys):
        _store_raw_milk_verdicts(
            operator, plan, species, source, parameter, VerdictCause.CORRECTED, result=corrected
        )
    return corrected


def _withdraw(model: type[_R], operator: Operator, user: User, entry: uuid.UUID, reason: str) -> _R:
    why = _reason(reason)
    latest, version = _next_version(model, operator, entry)
    copy: dict[str, Any] = {
        field.name: getattr(latest, field.name)
        for field in model._meta.concrete_fields
        if field.name not in ("id", "version", "withdrawn", "recorded_by", "recorded_at", "reason")
    }
    copy.update(version=version, withdrawn=True, recorded_by=user, reason=why)
    withdrawing = model(**copy)
    withdrawing.save()
    return withdrawing


@transaction.atomic
def withdraw_raw_milk_result(
    operator: Operator, user: User, entry: uuid.UUID, reason: str
) -> RawMilkResult:
    """Take a raw-milk result out (a wrong entry) as a new, withdrawing version; the verdict of
    its analysis is judged again without it."""
    _lock(operator)
    withdrawing = _withdraw(RawMilkResult, operator, user, entry, reason)
    plan = plan_or_none(operator)
    if plan is not None:
        _store_raw_milk_verdicts(
            operator,
            plan,
            withdrawing.species,
            withdrawing.source,
            withdrawing.parameter,
            VerdictCause.WITHDRAWN,
            result=withdrawing,
        )
    return withdrawing


@transaction.atomic
def import_raw_milk_csv(
    operator: Operator, user: User, species: str, source: str, file_name: str, text: str
) -> CsvImport:
    """Import every result of a lab's CSV file for one milk source, or nothing.

    Raises CsvImportError (every problem found) or ValidationError; nothing is stored then.
    """
    _lock(operator)
    plan = _plan(operator)
    allowed = stream_parameters(plan, species, source)
    if not allowed:
        raise ValidationError({"stream": _("Your plan has no analyses for this milk.")})
    rows = parse_raw_milk_csv(text, allowed_parameters=allowed)
    checked = []
    for row in rows:
        data = RawMilkInput(
            species, source, row.parameter, row.day, row.value, row.sample, remark=row.remark
        )
        try:
            checked.append(_checked_raw_milk(plan, data, operator.active_since))
        except ValidationError as exc:
            field = next(iter(exc.message_dict)) if hasattr(exc, "error_dict") else ""
            message = "; ".join(str(m) for m in exc.messages)
            column = _CSV_COLUMNS.get(field)
            if column is None:
                problem = _("Line {line}: {problem}").format(line=row.line, problem=message)
            else:
                problem = _("Line {line}, column “{column}”: {problem}").format(
                    line=row.line, column=column, problem=message
                )
            raise ValidationError(problem, code=field or "line") from exc
    batch = CsvImport.objects.create(
        operator=operator,
        species=species,
        source=source,
        file_name=file_name.replace("\x00", "")[:255],
        result_count=len(checked),
        imported_by=user,
    )
    for fields in checked:
        RawMilkResult.objects.create(
            operator=operator,
            recorded_by=user,
            method=EntryMethod.CSV,
            csv_import=batch,
            **fields,
        )
    for parameter in dict.fromkeys(fields["parameter"] for fields in checked):
        _store_raw_milk_verdicts(
            operator, plan, species, source, parameter, VerdictCause.IMPORTED, csv_import=batch
        )
    return batch


# The CSV column a stored field comes from, to name it in a refusal.
_CSV_COLUMNS = {"sampled_on": "date", "value": "value", "sample_ref": "sample", "remark": "remark"}


# Why the core refused a product result, per form field (called when needed: translated then).
PRODUCT_MESSAGES: dict[str, Callable[[], str]] = {
    "results": lambda: _(
        "These results do not fit the criterion: counts for a count criterion, + or − for "
        "absence in 25 g, and no more sub-samples than n."
    ),
    "criterion_override": lambda: _(
        "This own sampling plan is not possible: n at least 1, c at most n, M not below m."
    ),
    "parameter": lambda: _(
        "Table 5.2 has no criterion for this parameter of this product; give your own "
        "sampling plan to judge it anyway."
    ),
    "product_name": lambda: _("This product cannot be judged against table 5.2."),
}


@dataclass(frozen=True)
class ProductInput:
    """A finished-product result as a form or the API gives it."""

    product_name: str
    parameter: str
    sampled_on: date
    results: list[float] | list[str]
    lot: str = ""
    laboratory: str = ""
    criterion_override: dict[str, Any] | None = None
    left_control: bool | None = None
    remark: str = ""


def _checked_product(
    plan: Plan, data: ProductInput, since: date | None
) -> tuple[dict[str, Any], ProductJudgement]:
    """The stored fields of a product result and its verdict, judged by the core with the guide
    in force; ValidationError naming the field the core cannot judge."""
    spec = product_spec(plan, data.product_name)
    if spec is None:
        raise ValidationError({"product_name": _("This product is not in your plan.")})
    sampled_on = _sampling_day(data.sampled_on, since)
    line: dict[str, Any] = {
        "product": spec.model_dump(mode="json", exclude={"name", "packaging", "brined"}),
        "parameter": data.parameter,
        "results": list(data.results),
    }
    if data.criterion_override:
        line["criterion"] = data.criterion_override
    if data.left_control is not None:
        line["left_control"] = data.left_control
    try:
        request = lab_request(line)
        judgement = judge_request(selectors.judging_guide(), request)
    except LabInputError as exc:
        field = exc.field.split(".")[0].split("[")[0]
        key = {"criterion": "criterion_override", "product": "product_name"}.get(field, field)
        if key not in PRODUCT_MESSAGES:
            key = "parameter"
        raise ValidationError({key: PRODUCT_MESSAGES[key]()}, code=exc.field) from None
    assert isinstance(request, ProductRequest) and isinstance(judgement, ProductJudgement)
    fields = {
        "product_name": data.product_name,
        "product": line["product"],
        "parameter": data.parameter,
        "sampled_on": sampled_on,
        "results": list(request.results),
        "lot": _text("lot", data.lot),
        "laboratory": _text("laboratory", data.laboratory),
        "criterion_override": data.criterion_override or None,
        "left_control": data.left_control,
        "remark": _text("remark", data.remark),
    }
    return fields, judgement


def _store_product_verdict(
    operator: Operator, result: ProductResult, judgement: ProductJudgement, cause: str
) -> ProductVerdict:
    return ProductVerdict.objects.create(
        operator=operator,
        result=result,
        verdict=judgement.verdict.value,
        criterion_type=judgement.type,
        notify_favv=judgement.notify_favv,
        judgement=product_record(judgement),
        guide_version=judgement.guide_version,
        cause=cause,
    )


@transaction.atomic
def record_product_result(
    operator: Operator, user: User, data: ProductInput, method: str = EntryMethod.FORM
) -> ProductResult:
    """Store a finished product's results after checking them against the plan and table 5.2,
    with the verdict as judged now."""
    fields, judgement = _checked_product(_plan(operator), data, operator.active_since)
    result = ProductResult.objects.create(
        operator=operator, recorded_by=user, method=method, **fields
    )
    _store_product_verdict(operator, result, judgement, VerdictCause.RECORDED)
    return result


@transaction.atomic
def correct_product_result(
    operator: Operator, user: User, entry: uuid.UUID, data: ProductInput, reason: str
) -> ProductResult:
    """Store a corrected version of a finished product's results, with who, when and why, and
    its verdict."""
    why = _reason(reason)
    _latest, version = _next_version(ProductResult, operator, entry)
    fields, judgement = _checked_product(_plan(operator), data, operator.active_since)
    result = ProductResult.objects.create(
        operator=operator, entry=entry, version=version, recorded_by=user, reason=why, **fields
    )
    _store_product_verdict(operator, result, judgement, VerdictCause.CORRECTED)
    return result


@transaction.atomic
def withdraw_product_result(
    operator: Operator, user: User, entry: uuid.UUID, reason: str
) -> ProductResult:
    """Take a finished product's result out as a new, withdrawing version (without a verdict)."""
    return _withdraw(ProductResult, operator, user, entry, reason)


@transaction.atomic
def record_withdrawal_period(
    operator: Operator, user: User, species: str, animal: str, ends_on: date, remark: str = ""
) -> WithdrawalPeriod:
    """Note when a treated animal's withdrawal period ends: an antibiotic test becomes due."""
    plan = _plan(operator)
    if "antibiotic_residues" not in milk_parameters(plan, species):
        raise ValidationError({"species": _("Your plan has no antibiotic analyses for this milk.")})
    name = _text("animal", animal)
    if not name:
        raise ValidationError({"animal": _("Name or number the animal.")})
    try:
        check_plausible_day("ends_on", ends_on)
    except ValueError:
        raise ValidationError(
            {"ends_on": _("Give a plausible date, from 1 January 2000 on.")}
        ) from None
    return WithdrawalPeriod.objects.create(
        operator=operator,
        recorded_by=user,
        species=species,
        animal=name,
        ends_on=ends_on,
        remark=_text("remark", remark),
    )
