"""API endpoints of the lab context: results in, verdicts out, and what is due.

The token belongs to one operator: every lookup is narrowed to it. Reading needs any
membership; writing needs owner or staff. Input the services refuse is a 422 whose message
starts with the field at fault. Verdicts are the `dairyhaccp lab evaluate` output as stored when
judged, with the guide version; `verdict_now` shows where the guide in force now says otherwise.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dairyhaccp.guide.wording import describe_frequency
from dairyhaccp.lab.export import product_judgement_data, raw_milk_judgement_data
from dairyhaccp.web.apischema import MAX_OFFSET, MAX_PAGE, error_codes
from dairyhaccp.web.lab import selectors
from dairyhaccp.web.lab.choices import EntryMethod
from dairyhaccp.web.lab.models import ProductResult, RawMilkResult, StoredVerdict
from dairyhaccp.web.lab.schemas import (
    DueOut,
    ProductResultIn,
    ProductResultOut,
    RawMilkResultIn,
    RawMilkResultOut,
    RawMilkVerdictOut,
)
from dairyhaccp.web.lab.services import (
    ProductInput,
    RawMilkInput,
    record_product_result,
    record_raw_milk_result,
)
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.operators.choices import WRITING_ROLES
from dairyhaccp.web.operators.models import Operator

router = Router(tags=["lab"])

Lang = Literal["nl", "fr", "en"]


def _refused(error: ValidationError) -> HttpError:
    if hasattr(error, "error_dict"):
        field, problems = next(iter(error.message_dict.items()))
        return HttpError(422, f"{field}: {problems[0]}")
    return HttpError(422, "; ".join(error.messages))


def _operator(request: HttpRequest) -> Operator:
    return api_membership(request).operator


def _raw_out(result: RawMilkResult) -> dict[str, Any]:
    """A `RawMilkResultOut`, for the response schema to check once."""
    return {
        "entry": result.entry,
        "version": result.version,
        "species": result.species,
        "source": result.source,
        "parameter": result.parameter,
        "sampled_on": result.sampled_on,
        "value": result.value,
        "sample_ref": result.sample_ref,
        "laboratory": result.laboratory,
        "lots": result.lots,
        "left_control": result.left_control,
        "remark": result.remark,
        "method": result.method,
        "recorded_by": result.recorded_by.get_username(),
        "recorded_at": result.recorded_at,
    }


def _stored_facts(stored: StoredVerdict | None, is_stored: bool) -> dict[str, Any]:
    """Whether the verdict shown is stored, with which guide version and when it was judged."""
    if stored is None or not is_stored:
        return {"stored": False, "guide_version": None, "judged_at": None}
    return {"stored": True, "guide_version": stored.guide_version, "judged_at": stored.judged_at}


def _product_out(result: ProductResult, lang: str) -> dict[str, Any]:
    """A `ProductResultOut`, for the response schema to check once."""
    verdict = selectors.product_verdict(result)
    return {
        "entry": result.entry,
        "version": result.version,
        "product_name": result.product_name,
        "parameter": result.parameter,
        "sampled_on": result.sampled_on,
        "results": result.results,
        "lot": result.lot,
        "laboratory": result.laboratory,
        "left_control": result.left_control,
        "remark": result.remark,
        "method": result.method,
        "recorded_by": result.recorded_by.get_username(),
        "recorded_at": result.recorded_at,
        "verdict": product_judgement_data(verdict.judgement, lang) if verdict.judgement else None,
        "verdict_now": product_judgement_data(verdict.now, lang) if verdict.now else None,
        **_stored_facts(verdict.stored, verdict.is_stored),
    }


@router.post(
    "/lab/raw-milk/results",
    response={201: RawMilkResultOut},
    summary="Record a raw-milk result, checked against the operator's plan (table 5.1)",
)
def create_raw_milk_result(
    request: HttpRequest, payload: RawMilkResultIn
) -> Status[RawMilkResultOut]:
    membership = api_membership(request, *WRITING_ROLES)
    data = RawMilkInput(**payload.dict())
    try:
        result = record_raw_milk_result(
            membership.operator, membership.user, data, method=EntryMethod.API
        )
    except ValidationError as error:
        raise _refused(error) from error
    return Status(201, RawMilkResultOut(**_raw_out(result)))


@router.get(
    "/lab/raw-milk/results",
    response=list[RawMilkResultOut],
    summary="Raw-milk results as they stand, oldest first, a page at a time",
)
def list_raw_milk_results(
    request: HttpRequest,
    species: str | None = None,
    source: str | None = None,
    parameter: str | None = None,
    limit: int = Query(MAX_PAGE, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, Any]]:
    results = selectors.raw_milk_results(_operator(request), species, source, parameter)
    page = results.select_related("recorded_by")[offset : offset + limit]
    return [_raw_out(result) for result in page]


@router.get(
    "/lab/raw-milk/verdicts",
    response={200: list[RawMilkVerdictOut], **error_codes(404)},
    summary="The verdict on every raw-milk analysis of the plan, per milk source",
)
def raw_milk_verdicts(request: HttpRequest, lang: Lang = "nl") -> list[RawMilkVerdictOut]:
    operator = _operator(request)
    plan = selectors.plan_or_none(operator)
    if plan is None:
        raise HttpError(404, "This operator has no plan yet.")
    return [
        RawMilkVerdictOut(
            species=verdict.stream.species,
            source=verdict.stream.source,
            analysis=verdict.row.id,
            parameter=verdict.row.parameter,
            verdict=raw_milk_judgement_data(verdict.judgement, lang) if verdict.judgement else None,
            verdict_now=raw_milk_judgement_data(verdict.now, lang) if verdict.now else None,
            **_stored_facts(verdict.stored, verdict.is_stored),
        )
        for verdict in selectors.all_raw_milk_verdicts(operator, plan)
    ]


@router.post(
    "/lab/products/results",
    response={201: ProductResultOut},
    summary="Record a finished product's results; the verdict of table 5.2 comes back",
)
def create_product_result(
    request: HttpRequest, payload: ProductResultIn, lang: Lang = "nl"
) -> Status[ProductResultOut]:
    membership = api_membership(request, *WRITING_ROLES)
    data = ProductInput(
        product_name=payload.product_name,
        parameter=payload.parameter,
        sampled_on=payload.sampled_on,
        results=payload.results,
        lot=payload.lot,
        laboratory=payload.laboratory,
        criterion_override=(
            payload.criterion.model_dump(exclude_unset=True) if payload.criterion else None
        ),
        left_control=payload.left_control,
        remark=payload.remark,
    )
    try:
        result = record_product_result(
            membership.operator, membership.user, data, method=EntryMethod.API
        )
    except ValidationError as error:
        raise _refused(error) from error
    return Status(201, ProductResultOut(**_product_out(result, lang)))


@router.get(
    "/lab/products/results",
    response=list[ProductResultOut],
    summary="Finished-product results as they stand, newest first, with their verdicts, a page at"
    " a time",
)
def list_product_results(
    request: HttpRequest,
    lang: Lang = "nl",
    limit: int = Query(MAX_PAGE, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, Any]]:
    results = selectors.product_results(_operator(request)).select_related("recorded_by")
    return [_product_out(result, lang) for result in results[offset : offset + limit]]


@router.get(
    "/lab/products/results/{entry}",
    response=ProductResultOut,
    summary="One finished-product result with its verdict",
)
def get_product_result(
    request: HttpRequest, entry: uuid.UUID, lang: Lang = "nl"
) -> ProductResultOut:
    result = selectors.product_results(_operator(request)).filter(entry=entry).first()
    if result is None:
        raise HttpError(404, "No such result.")
    return ProductResultOut(**_product_out(result, lang))


@router.get(
    "/lab/due",
    response={200: list[DueOut], **error_codes(404)},
    summary="Analyses due, overdue or done now",
)
def due(request: HttpRequest, lang: Lang = "nl") -> list[DueOut]:
    operator = _operator(request)
    plan = selectors.plan_or_none(operator)
    if plan is None:
        raise HttpError(404, "This operator has no plan yet.")
    overview = selectors.due_analyses(operator, plan, timezone.now())
    rows = [
        DueOut(
            kind="raw_milk",
            key=item.key,
            parameter=item.parameter,
            target=stream.key,
            frequency=describe_frequency(item.frequency, lang),
            status=item.item.status.value if item.item else None,
            deadline=item.item.deadline if item.item else None,
        )
        for stream, item in overview.raw_milk
    ]
    rows += [
        DueOut(
            kind="after_withdrawal_period",
            key=item.key,
            parameter="antibiotic_residues",
            target=f"{period.species}:{period.animal}",
            frequency=describe_frequency(item.frequency, lang),
            status=item.status.value,
            deadline=item.deadline,
        )
        for period, item in overview.withdrawals
    ]
    rows += [
        DueOut(
            kind="product",
            key=item.key,
            parameter=item.parameter,
            target=family.family,
            frequency=describe_frequency(item.frequency, lang),
            status=item.item.status.value if item.item else None,
            deadline=item.item.deadline if item.item else None,
            planned_product=item.planned_product,
        )
        for family, item in overview.products
    ]
    return rows
