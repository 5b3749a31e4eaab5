"""The daily self-check: measurements judged against the operator's plan."""

from dairyhaccp.monitoring.evaluate import (
    Evaluation,
    EvaluationSettings,
    Finding,
    FindingCode,
    Verdict,
    evaluate,
)
from dairyhaccp.monitoring.measurement import Measurement, MeasurementError, measurement_from_dict

__all__ = [
    "Evaluation",
    "EvaluationSettings",
    "Finding",
    "FindingCode",
    "Measurement",
    "MeasurementError",
    "Verdict",
    "evaluate",
    "measurement_from_dict",
]
