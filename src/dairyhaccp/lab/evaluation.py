"""One entry point for a lab request: check it, judge it, return the verdict as data."""

from __future__ import annotations

from typing import Any

from dairyhaccp.guide.models import Guide
from dairyhaccp.lab.export import product_judgement_data, raw_milk_judgement_data
from dairyhaccp.lab.inputs import LabInputError, ProductRequest, RawMilkRequest, lab_request
from dairyhaccp.lab.product_verdict import ProductJudgement, judge_product
from dairyhaccp.lab.raw_milk_verdict import RawMilkJudgement, judge_raw_milk


def _as_input_error(error: ValueError) -> LabInputError:
    field, _, problem = str(error).partition(": ")
    if not problem:
        return LabInputError("input", str(error))
    # The sampling plan's functions call the results "values".
    if field == "values" or field.startswith("values["):
        field = "results" + field.removeprefix("values")
    return LabInputError(field, problem)


def judge_request(
    guide: Guide, request: RawMilkRequest | ProductRequest
) -> RawMilkJudgement | ProductJudgement:
    """Judge a checked request; LabInputError names the field the guide cannot judge."""
    try:
        if isinstance(request, RawMilkRequest):
            return judge_raw_milk(
                guide, request.origin, request.parameter, request.results, as_of=request.as_of
            )
        return judge_product(
            guide,
            request.product,
            request.parameter,
            request.results,
            override=request.override,
            left_control=request.left_control,
        )
    except LabInputError:
        raise
    except ValueError as exc:
        raise _as_input_error(exc) from exc


def evaluate_lab_data(guide: Guide, data: Any, lang: str = "nl") -> dict[str, Any]:
    """The verdict on one decoded JSON line; LabInputError when it cannot be judged."""
    request = lab_request(data)
    judgement = judge_request(guide, request)
    if isinstance(judgement, RawMilkJudgement):
        output = raw_milk_judgement_data(judgement, lang)
    else:
        output = product_judgement_data(judgement, lang)
    return output if request.id is None else {"id": request.id, **output}
