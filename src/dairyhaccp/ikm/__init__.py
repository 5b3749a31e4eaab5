"""The dairy farm side: IKM criteria, withdrawal periods of treatments, sector figures."""

from dairyhaccp.ikm.certificate import (
    AuditResult,
    Certificate,
    CertificateStatus,
    certificate_after_audit,
    certificate_status,
    hygiene_blocks_certificate,
)
from dairyhaccp.ikm.inputs import IkmInputError
from dairyhaccp.ikm.loader import CURRENT_VERSION, LastenboekError, load_lastenboek
from dairyhaccp.ikm.models import Criterion, Lastenboek
from dairyhaccp.ikm.readiness import ModuleReadiness, days_covered, readiness
from dairyhaccp.ikm.sector import FarmYear, GroupFigures, SectorTally, sector_figures
from dairyhaccp.ikm.treatment_days import (
    BenchmarkLimits,
    Period,
    TreatmentCourse,
    bd100_from_amount,
    benchmark_limits,
    benchmark_zone,
    treatment_days_per_100,
)
from dairyhaccp.ikm.withdrawal import (
    WithdrawalRequest,
    WithdrawalResult,
    first_milking_at_or_after,
    milk_withdrawal,
    withdrawal_end,
    withheld_until,
)

__all__ = [
    "CURRENT_VERSION",
    "AuditResult",
    "BenchmarkLimits",
    "Certificate",
    "CertificateStatus",
    "Criterion",
    "FarmYear",
    "GroupFigures",
    "IkmInputError",
    "Lastenboek",
    "LastenboekError",
    "ModuleReadiness",
    "Period",
    "SectorTally",
    "TreatmentCourse",
    "WithdrawalRequest",
    "WithdrawalResult",
    "bd100_from_amount",
    "benchmark_limits",
    "benchmark_zone",
    "certificate_after_audit",
    "certificate_status",
    "days_covered",
    "first_milking_at_or_after",
    "hygiene_blocks_certificate",
    "load_lastenboek",
    "milk_withdrawal",
    "readiness",
    "sector_figures",
    "treatment_days_per_100",
    "withdrawal_end",
    "withheld_until",
]
