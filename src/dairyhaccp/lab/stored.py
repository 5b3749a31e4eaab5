"""Lab judgements as JSON data to store, and back, exactly as they were judged.

A stored verdict is evidence: it is read back as the judgement it was, not judged again. The
record holds every part of the judgement (the guide's row or criterion it was judged against,
the single results, the months, the findings), with `format` for later changes of its shape.
Reading a record whose shape this version no longer knows raises StoredRecordError.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from dairyhaccp.guide.models import Criterion, ListeriaBarriers, ProductFamily, RawMilkAnalysis
from dairyhaccp.lab.actions import Action
from dairyhaccp.lab.findings import Finding, FindingCode
from dairyhaccp.lab.listeria import ListeriaChoice, ListeriaLimit, ListeriaReason
from dairyhaccp.lab.notification import NotificationDecision, NotificationDuty
from dairyhaccp.lab.product_verdict import ProductJudgement
from dairyhaccp.lab.raw_milk import RawMilkStatus, RollingStatus, WindowMonth
from dairyhaccp.lab.raw_milk_verdict import (
    JudgingBasis,
    MilkOrigin,
    MonthResult,
    MonthStatus,
    RawMilkJudgement,
    RawMilkVerdict,
    SingleResult,
)
from dairyhaccp.lab.sampling import SamplingVerdict, Verdict
from dairyhaccp.profile import ProductSpec

RECORD_FORMAT = 1


class StoredRecordError(ValueError):
    """A stored judgement this version cannot read back."""


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code.value,
        "measured": finding.measured,
        "required": finding.required,
        "positions": list(finding.positions),
        "values": list(finding.values),
    }


def _finding_from(data: dict[str, Any]) -> Finding:
    return Finding(
        FindingCode(data["code"]),
        data["measured"],
        data["required"],
        tuple(data["positions"]),
        tuple(data["values"]),
    )


def _notification(decision: NotificationDecision) -> dict[str, Any]:
    return {
        "duty": decision.duty.value,
        "notification": decision.notification,
        "laboratories": list(decision.laboratories),
        "laboratory_unknown": decision.laboratory_unknown,
    }


def _notification_from(data: dict[str, Any]) -> NotificationDecision:
    return NotificationDecision(
        NotificationDuty(data["duty"]),
        data["notification"],
        tuple(data["laboratories"]),
        data["laboratory_unknown"],
    )


# --- finished products ------------------------------------------------------------------------


def _listeria(choice: ListeriaChoice | None) -> dict[str, Any] | None:
    if choice is None:
        return None
    return {
        "limit": choice.limit.value,
        "reason": choice.reason.value,
        "reasons": [reason.value for reason in choice.reasons],
        "growth_possible": choice.growth_possible,
        "barriers": choice.barriers.model_dump(mode="json"),
    }


def _listeria_from(data: dict[str, Any] | None) -> ListeriaChoice | None:
    if data is None:
        return None
    return ListeriaChoice(
        ListeriaLimit(data["limit"]),
        ListeriaReason(data["reason"]),
        tuple(ListeriaReason(reason) for reason in data["reasons"]),
        data["growth_possible"],
        ListeriaBarriers.model_validate(data["barriers"]),
    )


def _sampling(sampling: SamplingVerdict) -> dict[str, Any]:
    return {
        "verdict": sampling.verdict.value,
        "n": sampling.n,
        "c": sampling.c,
        "m": sampling.m,
        "M": sampling.M,
        "results_count": sampling.results_count,
        "findings": [_finding(finding) for finding in sampling.findings],
    }


def _sampling_from(data: dict[str, Any]) -> SamplingVerdict:
    return SamplingVerdict(
        Verdict(data["verdict"]),
        data["n"],
        data["c"],
        data["m"],
        data["M"],
        data["results_count"],
        tuple(_finding_from(finding) for finding in data["findings"]),
    )


def product_record(judgement: ProductJudgement) -> dict[str, Any]:
    """The judgement of a finished product's results as JSON data."""
    return {
        "format": RECORD_FORMAT,
        "product": judgement.product.model_dump(mode="json"),
        "parameter": judgement.parameter,
        "family": judgement.family.model_dump(mode="json"),
        "family_by_group": judgement.family_by_group,
        "criterion": judgement.criterion.model_dump(mode="json"),
        "overridden": judgement.overridden,
        "listeria": _listeria(judgement.listeria),
        "sampling": _sampling(judgement.sampling),
        "left_control": judgement.left_control,
        "notify_favv": judgement.notify_favv,
        "enterotoxin_test_due": judgement.enterotoxin_test_due,
        "actions": [action.value for action in judgement.actions],
        "guide_version": judgement.guide_version,
    }


def product_from_record(data: Any) -> ProductJudgement:
    """The judgement a record holds; StoredRecordError when its shape is not known."""
    try:
        _check_format(data)
        return ProductJudgement(
            product=ProductSpec.model_validate(data["product"]),
            parameter=data["parameter"],
            family=ProductFamily.model_validate(data["family"]),
            family_by_group=data["family_by_group"],
            criterion=Criterion.model_validate(data["criterion"]),
            overridden=data["overridden"],
            listeria=_listeria_from(data["listeria"]),
            sampling=_sampling_from(data["sampling"]),
            left_control=data["left_control"],
            notify_favv=data["notify_favv"],
            enterotoxin_test_due=data["enterotoxin_test_due"],
            actions=tuple(Action(action) for action in data["actions"]),
            guide_version=data["guide_version"],
        )
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise StoredRecordError(f"stored product judgement: {exc}") from exc


# --- raw milk ---------------------------------------------------------------------------------


def _rolling(status: RollingStatus | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "parameter": status.parameter,
        "as_of": status.as_of.isoformat(),
        "norm": status.norm,
        "status": status.status.value,
        "geometric_mean": status.geometric_mean,
        "sample_count": status.sample_count,
        "months": [
            {"start": m.start.isoformat(), "end": m.end.isoformat(), "samples": m.samples}
            for m in status.months
        ],
        "findings": [_finding(finding) for finding in status.findings],
    }


def _rolling_from(data: dict[str, Any] | None) -> RollingStatus | None:
    if data is None:
        return None
    return RollingStatus(
        parameter=data["parameter"],
        as_of=date.fromisoformat(data["as_of"]),
        norm=data["norm"],
        status=RawMilkStatus(data["status"]),
        geometric_mean=data["geometric_mean"],
        sample_count=data["sample_count"],
        months=tuple(
            WindowMonth(date.fromisoformat(m["start"]), date.fromisoformat(m["end"]), m["samples"])
            for m in data["months"]
        ),
        findings=tuple(_finding_from(finding) for finding in data["findings"]),
    )


def _month(month: MonthResult) -> dict[str, Any]:
    return {
        "month": month.month.isoformat(),
        "status": month.status.value,
        "results": month.results,
        "on_too_few_samples": month.on_too_few_samples,
        "rolling": _rolling(month.rolling),
        "consecutive_unfavourable": month.consecutive_unfavourable,
        "stop_use": month.stop_use,
        "inputs": [[day.isoformat(), value] for day, value in month.inputs],
        "judged_with": month.judged_with,
    }


def _month_from(data: dict[str, Any]) -> MonthResult:
    rolling = _rolling_from(data["rolling"])
    if rolling is None:
        raise StoredRecordError("a month without its rolling mean")
    return MonthResult(
        month=date.fromisoformat(data["month"]),
        status=MonthStatus(data["status"]),
        results=data["results"],
        on_too_few_samples=data["on_too_few_samples"],
        rolling=rolling,
        consecutive_unfavourable=data["consecutive_unfavourable"],
        stop_use=data["stop_use"],
        inputs=tuple((date.fromisoformat(day), value) for day, value in data["inputs"]),
        judged_with=data["judged_with"],
    )


def raw_milk_record(judgement: RawMilkJudgement) -> dict[str, Any]:
    """The judgement of one raw-milk row as JSON data."""
    origin = judgement.origin
    return {
        "format": RECORD_FORMAT,
        "row": judgement.row.model_dump(mode="json"),
        "origin": {"species": origin.species, "source": origin.source, "use": origin.use},
        "as_of": judgement.as_of.isoformat(),
        "verdict": judgement.verdict.value,
        "verdict_day": judgement.verdict_day.isoformat(),
        "basis": judgement.basis.value if judgement.basis else None,
        "geometric_mean": judgement.geometric_mean,
        "geometric_mean_status": (
            judgement.geometric_mean_status.value if judgement.geometric_mean_status else None
        ),
        "rolling": _rolling(judgement.rolling),
        "consecutive_unfavourable_months": judgement.consecutive_unfavourable_months,
        "stop_use": judgement.stop_use,
        "notify_favv": judgement.notify_favv,
        "actions": [action.value for action in judgement.actions],
        "singles": [
            {
                "day": single.day.isoformat(),
                "value": single.value,
                "conform": single.conform,
                "ref": single.ref,
                "judged_with": single.judged_with,
            }
            for single in judgement.singles
        ],
        "timeline": [_month(month) for month in judgement.timeline],
        "on_too_few_samples": judgement.on_too_few_samples,
        "detected_last_12_months": judgement.detected_last_12_months,
        "linked_lots": list(judgement.linked_lots),
        "notification": _notification(judgement.notification),
        "guide_version": judgement.guide_version,
    }


def raw_milk_from_record(data: Any) -> RawMilkJudgement:
    """The judgement a record holds; StoredRecordError when its shape is not known."""
    try:
        _check_format(data)
        origin = data["origin"]
        status = data["geometric_mean_status"]
        return RawMilkJudgement(
            row=RawMilkAnalysis.model_validate(data["row"]),
            origin=MilkOrigin(origin["species"], origin["source"], origin["use"]),
            as_of=date.fromisoformat(data["as_of"]),
            verdict=RawMilkVerdict(data["verdict"]),
            verdict_day=date.fromisoformat(data["verdict_day"]),
            basis=JudgingBasis(data["basis"]) if data["basis"] else None,
            geometric_mean=data["geometric_mean"],
            geometric_mean_status=RawMilkStatus(status) if status else None,
            rolling=_rolling_from(data["rolling"]),
            consecutive_unfavourable_months=data["consecutive_unfavourable_months"],
            stop_use=data["stop_use"],
            notify_favv=data["notify_favv"],
            actions=tuple(Action(action) for action in data["actions"]),
            singles=tuple(
                SingleResult(
                    date.fromisoformat(s["day"]),
                    s["value"],
                    s["conform"],
                    s["ref"],
                    s["judged_with"],
                )
                for s in data["singles"]
            ),
            timeline=tuple(_month_from(month) for month in data["timeline"]),
            on_too_few_samples=data["on_too_few_samples"],
            detected_last_12_months=data["detected_last_12_months"],
            linked_lots=tuple(data["linked_lots"]),
            notification=_notification_from(data["notification"]),
            guide_version=data["guide_version"],
        )
    except StoredRecordError:
        raise
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise StoredRecordError(f"stored raw-milk judgement: {exc}") from exc


def _check_format(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
        raise StoredRecordError("unknown record format")


# --- comparing a stored judgement with one made now ---------------------------------------------


def raw_milk_outcome(judgement: RawMilkJudgement) -> tuple[object, ...]:
    """What a raw-milk verdict tells the operator: verdict, norm, run, stop, notification and
    actions (the lots it lists are facts of the records, not of the guide)."""
    return (
        judgement.verdict,
        judgement.row.norm.value,
        judgement.consecutive_unfavourable_months,
        judgement.stop_use,
        judgement.notification.duty,
        judgement.actions,
    )


def same_raw_milk_outcome(stored: RawMilkJudgement, now: RawMilkJudgement) -> bool:
    """Whether judging now tells the operator the same as the stored verdict."""
    return raw_milk_outcome(stored) == raw_milk_outcome(now)


def product_outcome(judgement: ProductJudgement) -> tuple[object, ...]:
    """What a finished product's verdict tells: verdict, criterion, notification and actions."""
    criterion = judgement.criterion
    return (
        judgement.verdict,
        criterion.id,
        criterion.type,
        criterion.n,
        criterion.c,
        criterion.m,
        criterion.M,
        judgement.notify_favv,
        judgement.actions,
    )


def same_product_outcome(stored: ProductJudgement, now: ProductJudgement) -> bool:
    """Whether judging now tells the operator the same as the stored verdict."""
    return product_outcome(stored) == product_outcome(now)
