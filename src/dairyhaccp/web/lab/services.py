"""Writes of the lab context: results are recorded, corrected or withdrawn as new versions.

Every service checks its input against the operator's current plan and the core's rules before
it stores anything, and owns its transaction. A CSV file is read whole first and stored in one
transaction: a broken file stores nothing.
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
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.lab.csv_import import parse_raw_milk_csv
from dairyhaccp.lab.evaluation import judge_request
from dairyhaccp.lab.inputs import LabInputError, ProductRequest, lab_request
from dairyhaccp.lab.raw_milk_verdict import check_result_value
from dairyhaccp.plan import Plan
from dairyhaccp.web.lab.choices import EntryMethod
from dairyhaccp.web.lab.models import (
    CsvImport,
    LabRecord,
    ProductResult,
    RawMilkResult,
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

RAW_MILK_FIELDS = ("sampled_on", "value", "sample_ref", "laboratory", "lots", "remark")
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


def _plan(operator: Operator) -> Plan:
    plan = plan_or_none(operator)
    if plan is None:
        raise ValidationError(
            _("Make your HACCP plan first: it says which analyses you need."), code="no_plan"
        )
    return plan


def _checked_raw_milk(plan: Plan, data: RawMilkInput) -> dict[str, Any]:
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
    if data.sampled_on > timezone.localdate():
        raise ValidationError({"sampled_on": _("The sampling date lies in the future.")})
    try:
        value = check_result_value(data.parameter, data.value, "value")
    except ValueError:
        raise ValidationError(
            {"value": _("Give a count above 0, or the outcome that fits this parameter.")},
            code="value",
        ) from None
    return {
        "species": data.species,
        "source": data.source,
        "parameter": data.parameter,
        "sampled_on": data.sampled_on,
        "count": value if isinstance(value, float) else None,
        "outcome": value if isinstance(value, str) else "",
        "sample_ref": data.sample_ref.strip(),
        "laboratory": data.laboratory.strip(),
        "lots": data.lots.strip(),
        "remark": data.remark.strip(),
    }


@transaction.atomic
def record_raw_milk_result(
    operator: Operator,
    user: User,
    data: RawMilkInput,
    method: str = EntryMethod.FORM,
) -> RawMilkResult:
    """Store a new raw-milk result after checking it against the operator's plan."""
    fields = _checked_raw_milk(_plan(operator), data)
    return RawMilkResult.objects.create(
        operator=operator, recorded_by=user, method=method, **fields
    )


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
    cleaned = reason.strip()
    if len(cleaned) < 5:
        raise ValidationError(
            {"reason": _("Say why the result changes (at least 5 characters).")}, code="reason"
        )
    return cleaned


@transaction.atomic
def correct_raw_milk_result(
    operator: Operator, user: User, entry: uuid.UUID, data: RawMilkInput, reason: str
) -> RawMilkResult:
    """Store a corrected version of a raw-milk result, with who, when and why."""
    why = _reason(reason)
    latest, version = _next_version(RawMilkResult, operator, entry)
    fields = _checked_raw_milk(_plan(operator), data)
    return RawMilkResult.objects.create(
        operator=operator,
        entry=entry,
        version=version,
        recorded_by=user,
        reason=why,
        method=EntryMethod.FORM,
        csv_import=latest.csv_import,
        **fields,
    )


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
    """Take a raw-milk result out (a wrong entry) as a new, withdrawing version."""
    return _withdraw(RawMilkResult, operator, user, entry, reason)


@transaction.atomic
def import_raw_milk_csv(
    operator: Operator, user: User, species: str, source: str, file_name: str, text: str
) -> CsvImport:
    """Import every result of a lab's CSV file for one milk source, or nothing.

    Raises CsvImportError (every problem found) or ValidationError; nothing is stored then.
    """
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
            checked.append(_checked_raw_milk(plan, data))
        except ValidationError as exc:
            message = "; ".join(str(m) for m in exc.messages)
            raise ValidationError(
                _("Line {line}: {problem}").format(line=row.line, problem=message)
            ) from exc
    batch = CsvImport.objects.create(
        operator=operator,
        species=species,
        source=source,
        file_name=file_name[:255],
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
    return batch


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


def _checked_product(plan: Plan, data: ProductInput) -> dict[str, Any]:
    """The stored fields of a product result, judged once by the core to refuse what it cannot."""
    spec = product_spec(plan, data.product_name)
    if spec is None:
        raise ValidationError({"product_name": _("This product is not in your plan.")})
    if data.sampled_on > timezone.localdate():
        raise ValidationError({"sampled_on": _("The sampling date lies in the future.")})
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
        judge_request(load_guide(), request)
    except LabInputError as exc:
        field = exc.field.split(".")[0].split("[")[0]
        key = {"criterion": "criterion_override", "product": "product_name"}.get(field, field)
        if key not in PRODUCT_MESSAGES:
            key = "parameter"
        raise ValidationError({key: PRODUCT_MESSAGES[key]()}, code=exc.field) from None
    assert isinstance(request, ProductRequest)
    return {
        "product_name": data.product_name,
        "product": line["product"],
        "parameter": data.parameter,
        "sampled_on": data.sampled_on,
        "results": list(request.results),
        "lot": data.lot.strip(),
        "laboratory": data.laboratory.strip(),
        "criterion_override": data.criterion_override or None,
        "left_control": data.left_control,
        "remark": data.remark.strip(),
    }


@transaction.atomic
def record_product_result(
    operator: Operator, user: User, data: ProductInput, method: str = EntryMethod.FORM
) -> ProductResult:
    """Store a finished product's results after checking them against the plan and table 5.2."""
    fields = _checked_product(_plan(operator), data)
    return ProductResult.objects.create(
        operator=operator, recorded_by=user, method=method, **fields
    )


@transaction.atomic
def correct_product_result(
    operator: Operator, user: User, entry: uuid.UUID, data: ProductInput, reason: str
) -> ProductResult:
    """Store a corrected version of a finished product's results, with who, when and why."""
    why = _reason(reason)
    _latest, version = _next_version(ProductResult, operator, entry)
    fields = _checked_product(_plan(operator), data)
    return ProductResult.objects.create(
        operator=operator, entry=entry, version=version, recorded_by=user, reason=why, **fields
    )


@transaction.atomic
def withdraw_product_result(
    operator: Operator, user: User, entry: uuid.UUID, reason: str
) -> ProductResult:
    """Take a finished product's result out as a new, withdrawing version."""
    return _withdraw(ProductResult, operator, user, entry, reason)


@transaction.atomic
def record_withdrawal_period(
    operator: Operator, user: User, species: str, animal: str, ends_on: date, remark: str = ""
) -> WithdrawalPeriod:
    """Note when a treated animal's withdrawal period ends: an antibiotic test becomes due."""
    plan = _plan(operator)
    if "antibiotic_residues" not in milk_parameters(plan, species):
        raise ValidationError({"species": _("Your plan has no antibiotic analyses for this milk.")})
    if not animal.strip():
        raise ValidationError({"animal": _("Name or number the animal.")})
    return WithdrawalPeriod.objects.create(
        operator=operator,
        recorded_by=user,
        species=species,
        animal=animal.strip(),
        ends_on=ends_on,
        remark=remark.strip(),
    )
