"""Temperature loggers and pasteuriser recorders: reading files, judging series."""

from __future__ import annotations

from dairyhaccp.loggers.arrays import sort_readings
from dairyhaccp.loggers.columns import LAYOUTS, ColumnMapping, Layout
from dairyhaccp.loggers.errors import FileProblem, LoggerFileError, SeriesError
from dairyhaccp.loggers.excursions import (
    Excursion,
    ExcursionLimits,
    Excursions,
    ExcursionVerdict,
    Gap,
    Gaps,
    SeriesJudgement,
    SeriesVerdict,
    find_excursions,
    judge_day,
    judge_days,
    judge_series,
)
from dairyhaccp.loggers.localtime import DEFAULT_ZONE, day_window
from dairyhaccp.loggers.pasteuriser import (
    HoldFigures,
    PasteuriserJudgement,
    hold_figures,
    judge_pasteuriser_trace,
)
from dairyhaccp.loggers.read import (
    FileNotice,
    LoggerReadings,
    decode_logger_bytes,
    read_logger_file,
)

__all__ = [
    "DEFAULT_ZONE",
    "LAYOUTS",
    "ColumnMapping",
    "Excursion",
    "ExcursionLimits",
    "ExcursionVerdict",
    "Excursions",
    "FileNotice",
    "FileProblem",
    "Gap",
    "Gaps",
    "HoldFigures",
    "Layout",
    "LoggerFileError",
    "LoggerReadings",
    "PasteuriserJudgement",
    "SeriesError",
    "SeriesJudgement",
    "SeriesVerdict",
    "day_window",
    "decode_logger_bytes",
    "find_excursions",
    "hold_figures",
    "judge_day",
    "judge_days",
    "judge_pasteuriser_trace",
    "judge_series",
    "read_logger_file",
    "sort_readings",
]
