"""The daily self-check: measurements judged against the operator's plan by one judge."""

from dairyhaccp.monitoring.evaluate import (
    Evaluation,
    EvaluationSettings,
    Finding,
    FindingCode,
    LimitCheck,
    Requirement,
    Verdict,
    check,
)
from dairyhaccp.monitoring.measurement import Measurement, MeasurementError, measurement_from_dict

__all__ = [
    "Evaluation",
    "EvaluationSettings",
    "Finding",
    "FindingCode",
    "LimitCheck",
    "Measurement",
    "MeasurementError",
    "Requirement",
    "Verdict",
    "check",
    "measurement_from_dict",
]
