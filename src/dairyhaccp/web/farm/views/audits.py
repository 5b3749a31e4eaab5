"""Audits of the farm: the certificate, findings per criterion and the evidence that closes them."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.access import farm_view
from dairyhaccp.web.farm.constants import AUDIT_WRITERS, FARM_ROLES
from dairyhaccp.web.farm.forms import AuditForm, ClosureForm, FindingFormSet, add_error
from dairyhaccp.web.farm.models import AuditFinding, CertificationBody
from dairyhaccp.web.farm.services import (
    AuditInput,
    ClosureInput,
    FarmInputError,
    FindingInput,
    close_finding,
    record_audit,
    store_evidence_file,
)
from dairyhaccp.web.farm.views.common import certificate_state, may, text
from dairyhaccp.web.operators.access import OperatorRequest, get_for_operator_or_404
from dairyhaccp.web.operators.choices import Role


def _criteria() -> list[tuple[str, str]]:
    book = selectors.lastenboek()
    return [(c.id, text(c.text)[:120]) for c in (*book.preconditions, *book.criteria)]


def _bodies(request: OperatorRequest) -> QuerySet[CertificationBody]:
    """The bodies an audit may name: an auditor records for the farm's chosen body only."""
    bodies = selectors.certification_bodies()
    if request.membership.role == Role.AUDITOR:
        profile = selectors.current_profile(request.operator)
        if profile is None or profile.certification_body_id is None:
            return bodies.none()
        return bodies.filter(pk=profile.certification_body_id)
    return bodies


@farm_view(FARM_ROLES)
def audit_list(request: OperatorRequest) -> HttpResponse:
    """The certificate now and every audit, the latest decision first."""
    certificate = selectors.certificate_now(request.operator)
    return render(
        request,
        "farm/audits.html",
        {
            "operator": request.operator,
            "audits": selectors.audits(request.operator),
            "certificate": certificate,
            "certificate_state": certificate_state(certificate.status),
            "may_record": may(request, AUDIT_WRITERS),
            "decision_note": text(selectors.lastenboek().certificate.decision_note),
        },
    )


@farm_view(AUDIT_WRITERS)
def audit_new(request: OperatorRequest) -> HttpResponseBase:
    """Record an audit, its findings and the certification decision."""
    bodies = _bodies(request)
    profile = selectors.current_profile(request.operator)
    initial = {"body": profile.certification_body_id if profile else None}
    form = AuditForm(request.POST or None, initial=initial, bodies=bodies)
    criteria = _criteria()
    findings = FindingFormSet(
        request.POST or None, prefix="findings", form_kwargs={"criteria": criteria}
    )
    if request.method == "POST" and form.is_valid() and findings.is_valid():
        data = form.cleaned_data
        chosen = [
            FindingInput(
                criterion_id=f["criterion"],
                grade=f.get("grade", ""),
                description=f.get("description", ""),
                deadline=f.get("deadline"),
            )
            for f in findings.cleaned_data
            if f.get("criterion")
        ]
        try:
            audit = record_audit(
                request.operator,
                request.user,
                AuditInput(
                    body=data["body"],
                    held_on=data["held_on"],
                    auditor_name=data["auditor_name"],
                    kind=data["kind"],
                    decision=data["decision"],
                    decided_on=data["decided_on"],
                    unannounced_audit_refused=data["unannounced_audit_refused"],
                    remark=data["remark"],
                    findings=tuple(chosen),
                ),
            )
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Audit recorded."))
            return redirect("farm:audit", operator_slug=request.operator.slug, audit_id=audit.pk)
    return render(
        request,
        "farm/audit_form.html",
        {"operator": request.operator, "form": form, "findings": findings},
    )


@farm_view(FARM_ROLES)
def audit_detail(request: OperatorRequest, audit_id: int) -> HttpResponse:
    """An audit with its certificate and findings, each with its closing evidence."""
    audit = get_for_operator_or_404(
        selectors.audits(request.operator), request.operator, pk=audit_id
    )
    book = selectors.lastenboek()
    findings = [
        (finding, text(book.criterion(finding.criterion_id).text), list(finding.closures.all()))
        for finding in audit.findings.all()
    ]
    reasons = [
        text(book.criterion(reason).text)
        if reason != "unannounced_audit_refused"
        else _("The unannounced audit was refused.")
        for reason in audit.no_certificate_because
    ]
    return render(
        request,
        "farm/audit.html",
        {
            "operator": request.operator,
            "audit": audit,
            "findings": findings,
            "reasons": reasons,
            "today": timezone.localdate(),
            "may_close": may(request, AUDIT_WRITERS),
        },
    )


@farm_view(AUDIT_WRITERS)
def finding_close(request: OperatorRequest, finding_id: int) -> HttpResponseBase:
    """Close a finding with the evidence that it was put right."""
    finding = get_for_operator_or_404(
        AuditFinding.objects.select_related("audit"), request.operator, pk=finding_id
    )
    form = ClosureForm(
        request.POST or None,
        request.FILES or None,
        initial={"closed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # no file kept without the closure it evidences
                upload = data.get("evidence_file")
                stored = (
                    store_evidence_file(request.operator, request.user, upload.name, upload.read())
                    if upload
                    else None
                )
                close_finding(
                    finding,
                    request.user,
                    ClosureInput(
                        evidence_note=data["evidence_note"],
                        evidence_link=data["evidence_link"],
                        evidence_file=stored,
                        closed_on=data["closed_on"],
                    ),
                )
        except FarmInputError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Finding closed."))
            return redirect(
                "farm:audit", operator_slug=request.operator.slug, audit_id=finding.audit_id
            )
    return render(
        request,
        "farm/finding_close.html",
        {
            "operator": request.operator,
            "finding": finding,
            "criterion_text": text(selectors.lastenboek().criterion(finding.criterion_id).text),
            "form": form,
        },
    )
