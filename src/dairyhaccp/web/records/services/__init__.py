"""Writes of the records context; each service owns its transaction."""

from __future__ import annotations

from dairyhaccp.web.records.services.bulk import (
    BulkItem,
    BulkRecorded,
    BulkRefusedError,
    ItemProblem,
    judge_registrations,
    record_registrations,
)
from dairyhaccp.web.records.services.deviations import (
    close_deviation,
    lots_concerned,
    open_deviation,
    open_deviations,
    record_corrective_actions,
    record_deviation_progress,
    record_notification,
)
from dairyhaccp.web.records.services.errors import RegistrationError
from dairyhaccp.web.records.services.registrations import (
    Recorded,
    RegistrationInput,
    correct_registration,
    judge_registration,
    plan_tasks,
    record_registration,
    record_task,
)
from dairyhaccp.web.records.services.setup import (
    create_batch,
    create_room,
    product_choices,
    update_room,
)
from dairyhaccp.web.records.services.summary import SummarySent, send_daily_summary

__all__ = [
    "BulkItem",
    "BulkRecorded",
    "BulkRefusedError",
    "ItemProblem",
    "Recorded",
    "RegistrationError",
    "RegistrationInput",
    "SummarySent",
    "close_deviation",
    "correct_registration",
    "create_batch",
    "create_room",
    "judge_registration",
    "judge_registrations",
    "lots_concerned",
    "open_deviation",
    "open_deviations",
    "plan_tasks",
    "product_choices",
    "record_corrective_actions",
    "record_deviation_progress",
    "record_notification",
    "record_registration",
    "record_registrations",
    "record_task",
    "send_daily_summary",
    "update_room",
]
