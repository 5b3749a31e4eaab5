"""Audits, their findings, the evidence that closes them, and the certificate they give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from dairyhaccp.ikm import CURRENT_VERSION, AuditResult, certificate_after_audit
from dairyhaccp.web.farm.choices import AuditKind, Decision
from dairyhaccp.web.farm.models import (
    Audit,
    AuditFinding,
    CertificationBody,
    EvidenceFile,
    FindingClosure,
)
from dairyhaccp.web.farm.selectors import lastenboek
from dairyhaccp.web.farm.services import checks
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.farm.services.hygiene import check_certificate_allowed
from dairyhaccp.web.operators.models import Operator

MAX_FINDINGS = 200


@dataclass(frozen=True)
class FindingInput:
    """A criterion not met at the audit, the grade given and the deadline to close it."""

    criterion_id: str
    grade: str = ""
    description: str = ""
    deadline: date | None = None


@dataclass(frozen=True)
class AuditInput:
    """An audit and the certification decision taken after it."""

    body: CertificationBody
    held_on: date
    auditor_name: str
    kind: str
    decision: str
    decided_on: date
    unannounced_audit_refused: bool = False
    remark: str = ""
    findings: tuple[FindingInput, ...] = ()


def _findings(findings: tuple[FindingInput, ...]) -> list[FindingInput]:
    book = lastenboek()
    if len(findings) > MAX_FINDINGS:
        raise FarmInputError("findings", _("too many findings"))
    seen: set[str] = set()
    checked = []
    for index, finding in enumerate(findings):
        name = f"findings[{index}]"
        try:
            book.criterion(finding.criterion_id)
        except KeyError:
            raise FarmInputError(name, _("not a criterion of the lastenboek")) from None
        if finding.criterion_id in seen:
            raise FarmInputError(name, _("this criterion is listed twice"))
        seen.add(finding.criterion_id)
        checked.append(
            FindingInput(
                criterion_id=finding.criterion_id,
                grade=checks.text(finding.grade, f"{name}.grade", 10),
                description=checks.text(finding.description, f"{name}.description", 2000),
                deadline=checks.deadline(finding.deadline, f"{name}.deadline"),
            )
        )
    return checked


@transaction.atomic
def record_audit(operator: Operator, user: User, data: AuditInput) -> Audit:
    """Store an audit with its findings and the certificate the core gives for its decision."""
    if not CertificationBody.objects.filter(pk=data.body.pk).exists():
        raise FarmInputError("body", _("not found"))
    if data.kind not in AuditKind.values:
        raise FarmInputError("kind", _("unknown kind of audit"))
    if data.decision not in Decision.values:
        raise FarmInputError("decision", _("unknown decision"))
    held_on = checks.past_day(data.held_on, "held_on")
    decided_on = checks.past_day(data.decided_on, "decided_on")
    if decided_on < held_on:
        raise FarmInputError("decided_on", _("lies before the audit"))
    if data.unannounced_audit_refused and data.kind != AuditKind.UNANNOUNCED:
        raise FarmInputError("unannounced_audit_refused", _("only an unannounced audit is refused"))
    findings = _findings(data.findings)
    certificate = certificate_after_audit(
        AuditResult(
            decided_on=decided_on,
            decision=data.decision,  # type: ignore[arg-type]  # checked against Decision above
            failed_criteria=frozenset(f.criterion_id for f in findings),
            unannounced_audit_refused=data.unannounced_audit_refused,
        ),
        lastenboek(),
    )
    if certificate.decision != "none":
        check_certificate_allowed(operator, decided_on)
    audit = Audit.objects.create(
        operator=operator,
        body=data.body,
        held_on=held_on,
        auditor_name=checks.text(data.auditor_name, "auditor_name", 200, required=True),
        kind=data.kind,
        decision=data.decision,
        decided_on=decided_on,
        unannounced_audit_refused=data.unannounced_audit_refused,
        remark=checks.text(data.remark, "remark", 2000),
        certificate=certificate.decision,
        valid_from=certificate.valid_from,
        expires_on=certificate.expires_on,
        next_audit_due=certificate.next_audit_due,
        no_certificate_because=list(certificate.reasons),
        lastenboek_version=CURRENT_VERSION,
        recorded_by=user,
    )
    AuditFinding.objects.bulk_create(
        [
            AuditFinding(
                operator=operator,
                audit=audit,
                criterion_id=f.criterion_id,
                grade=f.grade,
                description=f.description,
                deadline=f.deadline,
            )
            for f in findings
        ]
    )
    return audit


@dataclass(frozen=True)
class ClosureInput:
    """The evidence that a finding has been put right."""

    evidence_note: str
    closed_on: date
    evidence_link: str = ""
    evidence_file: EvidenceFile | None = None


@transaction.atomic
def close_finding(finding: AuditFinding, user: User, data: ClosureInput) -> FindingClosure:
    """Close an audit finding with its evidence; a closed finding is not closed again."""
    AuditFinding.objects.select_for_update().filter(pk=finding.pk).first()
    if finding.closures.exists():
        raise FarmInputError("finding", _("this finding is already closed"))
    if data.evidence_file is not None and data.evidence_file.operator_id != finding.operator_id:
        raise FarmInputError("evidence_file", _("not found"))
    closed_on = checks.past_day(data.closed_on, "closed_on")
    if closed_on < finding.audit.held_on:
        raise FarmInputError("closed_on", _("lies before the audit"))
    return FindingClosure.objects.create(
        operator=finding.operator,
        finding=finding,
        evidence_note=checks.text(data.evidence_note, "evidence_note", 2000, required=True),
        evidence_link=checks.link(data.evidence_link, "evidence_link"),
        evidence_file=data.evidence_file,
        closed_on=closed_on,
        closed_by=user,
    )
