"""Writes of the farm context; each service owns its transaction."""

from __future__ import annotations

from dairyhaccp.web.farm.services.assessment import (
    AnswerInput,
    answer_criterion,
    store_evidence_file,
)
from dairyhaccp.web.farm.services.audits import (
    AuditInput,
    ClosureInput,
    FindingInput,
    close_finding,
    record_audit,
)
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.farm.services.hygiene import HygieneInput, record_hygiene_score
from dairyhaccp.web.farm.services.milk import (
    check_milking,
    check_raw_milk_inputs,
    confirm_kept_apart,
    record_kept_apart,
    unconfirmed_at_milking,
    withheld_at_milking,
)
from dairyhaccp.web.farm.services.notifications import (
    NotificationInput,
    follow_up_notification,
    record_notification,
)
from dairyhaccp.web.farm.services.profile import (
    ProfileInput,
    register_certification_body,
    save_profile,
)
from dairyhaccp.web.farm.services.sector import compute_sector_figures, refresh_sector_figures
from dairyhaccp.web.farm.services.sustainability import record_initiatives
from dairyhaccp.web.farm.services.treatments import (
    TreatmentInput,
    correct_treatment,
    record_treatment,
    withdraw_treatment,
)

__all__ = [
    "AnswerInput",
    "AuditInput",
    "ClosureInput",
    "FarmInputError",
    "FindingInput",
    "HygieneInput",
    "NotificationInput",
    "ProfileInput",
    "TreatmentInput",
    "answer_criterion",
    "check_milking",
    "check_raw_milk_inputs",
    "close_finding",
    "compute_sector_figures",
    "confirm_kept_apart",
    "correct_treatment",
    "follow_up_notification",
    "record_audit",
    "record_hygiene_score",
    "record_initiatives",
    "record_kept_apart",
    "record_notification",
    "record_treatment",
    "refresh_sector_figures",
    "register_certification_body",
    "save_profile",
    "store_evidence_file",
    "unconfirmed_at_milking",
    "withdraw_treatment",
    "withheld_at_milking",
]
