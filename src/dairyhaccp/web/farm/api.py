"""API endpoints of the farm context.

A farm's routes (`/api/farm/...`) act on the token's operator: owner, staff and vet read;
owner, staff and vet enter treatments. Auditors work through their certification body's token
(`/api/farm/body/...`) and reach only the farms that chose that body. The sector's token reads
`/api/farm/sector` and nothing of any farm. Input the services refuse is a 422 whose message
starts with the field at fault.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import override
from ninja import Query, Router, Status
from ninja.errors import HttpError

from dairyhaccp.ikm.withdrawal import local_instant
from dairyhaccp.web.apischema import MAX_OFFSET, MAX_PAGE, error_codes
from dairyhaccp.web.farm import selectors
from dairyhaccp.web.farm.access import auditor_of_body, chosen_body_operator_id
from dairyhaccp.web.farm.constants import (
    DAILY_ROLES,
    EARLIEST_DAY,
    FARMER_ROLES,
    TREATMENT_WRITERS,
)
from dairyhaccp.web.farm.evidence import assessment
from dairyhaccp.web.farm.models import (
    AssessmentAnswer,
    Audit,
    AuditFinding,
    CertificationBody,
    FarmProfile,
    HygieneRating,
    Notification,
    Treatment,
)
from dairyhaccp.web.farm.schemas import (
    AnswerIn,
    AnswerOut,
    AuditIn,
    AuditOut,
    BodyFarmOut,
    CertificateOut,
    CriterionOut,
    FindingOut,
    HygieneIn,
    HygieneOut,
    Lang,
    ModuleOut,
    NotificationIn,
    NotificationOut,
    OpenFindingOut,
    PeriodOut,
    ProfileOut,
    ReasonIn,
    SectorOut,
    SustainabilityOut,
    TreatmentCorrectionIn,
    TreatmentDaysOut,
    TreatmentIn,
    TreatmentOut,
    WithheldOut,
)
from dairyhaccp.web.farm.services import (
    AnswerInput,
    AuditInput,
    FarmInputError,
    FindingInput,
    HygieneInput,
    NotificationInput,
    TreatmentInput,
    answer_criterion,
    correct_treatment,
    follow_up_notification,
    record_audit,
    record_hygiene_score,
    record_notification,
    record_treatment,
    refresh_sector_figures,
    withdraw_treatment,
)
from dairyhaccp.web.operators.auth import api_membership
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Membership, Operator

router = Router(tags=["farm"])


def _refused(error: FarmInputError) -> HttpError:
    return HttpError(422, f"{error.field}: {error.problem}")


def _farm(request: HttpRequest, roles: frozenset[str] = DAILY_ROLES) -> Membership:
    return api_membership(request, *roles)


def _treatment_out(treatment: Treatment, profile: FarmProfile | None) -> TreatmentOut:
    return TreatmentOut(
        id=treatment.pk,
        chain=treatment.chain,
        version=treatment.version,
        withdrawn=treatment.withdrawn,
        correction_reason=treatment.correction_reason,
        animal=treatment.animal,
        is_group=treatment.is_group,
        animals=treatment.animals,
        first_dose_on=treatment.first_dose_on,
        last_dose_at=treatment.last_dose_at,
        indication=treatment.indication,
        product=treatment.product,
        active_substance=treatment.active_substance,
        dose=treatment.dose,
        route=treatment.route,
        prescribing_vet=treatment.prescribing_vet,
        withdrawal_milk_h=treatment.withdrawal_milk_hours,
        withdrawal_meat_days=treatment.withdrawal_meat_days,
        milk_usable_from=treatment.milk_usable_from,
        first_usable_milking=selectors.first_usable_milking(treatment, profile),
        recorded_by=treatment.recorded_by.get_username(),
        recorded_as=treatment.recorded_as,
        recorded_at=treatment.recorded_at,
    )


@router.get(
    "/farm/profile",
    response={200: ProfileOut, **error_codes(404)},
    summary="The farm's current profile",
)
def get_profile(request: HttpRequest) -> ProfileOut:
    profile = selectors.current_profile(_farm(request).operator)
    if profile is None:
        raise HttpError(404, "The farm profile is not filled in yet.")
    return ProfileOut(
        version=profile.version,
        species=profile.species,
        animals_in_milk=profile.animals_in_milk,
        sanitel_number=profile.sanitel_number,
        region=profile.region,
        milking_times=list(profile.milking_times),
        milking_equipment=profile.milking_equipment,
        cooling_equipment=profile.cooling_equipment,
        herd_vet=profile.herd_vet,
        herd_vet_contract_from=profile.herd_vet_contract_from,
        substitute_vet=profile.substitute_vet,
        substitute_vet_contract_from=profile.substitute_vet_contract_from,
        certification_body=str(profile.certification_body) if profile.certification_body else None,
        milk_buyer=profile.milk_buyer,
    )


@router.get(
    "/farm/treatments",
    response=list[TreatmentOut],
    summary="The antibiotics register: the latest version of each treatment, newest first",
)
def list_treatments(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[TreatmentOut]:
    operator = _farm(request).operator
    profile = selectors.current_profile(operator)
    rows = selectors.current_treatments(operator)[offset : offset + limit]
    return [_treatment_out(t, profile) for t in rows]


@router.get("/farm/treatments/{treatment_id}", response=TreatmentOut, summary="A treatment")
def get_treatment(request: HttpRequest, treatment_id: int) -> TreatmentOut:
    operator = _farm(request).operator
    treatment = get_object_or_404(
        Treatment.objects.select_related("recorded_by"), operator=operator, pk=treatment_id
    )
    return _treatment_out(treatment, selectors.current_profile(operator))


def _treatment_input(payload: TreatmentIn) -> TreatmentInput:
    last_dose_at = payload.last_dose_at
    if timezone.is_naive(last_dose_at):
        last_dose_at = local_instant(last_dose_at)
    hours = (
        payload.withdrawal_milk_h
        if payload.withdrawal_milk_h is not None
        else (payload.withdrawal_milk_days or 0) * 24
    )
    return TreatmentInput(
        animal=payload.animal,
        is_group=payload.is_group,
        animals=payload.animals,
        first_dose_on=payload.first_dose_on,
        last_dose_at=last_dose_at,
        indication=payload.indication,
        product=payload.product,
        active_substance=payload.active_substance,
        dose=payload.dose,
        route=payload.route,
        prescribing_vet=payload.prescribing_vet,
        withdrawal_milk_hours=hours,
        withdrawal_meat_days=payload.withdrawal_meat_days,
        remark=payload.remark,
    )


@router.post(
    "/farm/treatments",
    response={201: TreatmentOut},
    summary="Enter a treatment; the end of the milk withdrawal is computed at once",
)
def create_treatment(
    request: HttpRequest, payload: TreatmentIn, lang: Lang = "nl"
) -> Status[TreatmentOut]:
    member = _farm(request, TREATMENT_WRITERS)
    with override(lang):
        try:
            treatment = record_treatment(
                member.operator, member.user, member.role, _treatment_input(payload)
            )
        except FarmInputError as error:
            raise _refused(error) from error
    return Status(201, _treatment_out(treatment, selectors.current_profile(member.operator)))


def _own_treatment(operator: Operator, treatment_id: int) -> Treatment:
    treatment: Treatment = get_object_or_404(
        Treatment.objects.select_related("recorded_by"), operator=operator, pk=treatment_id
    )
    return treatment


@router.get(
    "/farm/treatments/{treatment_id}/versions",
    response=list[TreatmentOut],
    summary="Every version of a treatment, oldest first",
)
def treatment_versions(request: HttpRequest, treatment_id: int) -> list[TreatmentOut]:
    operator = _farm(request).operator
    treatment = _own_treatment(operator, treatment_id)
    profile = selectors.current_profile(operator)
    return [_treatment_out(t, profile) for t in selectors.treatment_versions(treatment)]


@router.post(
    "/farm/treatments/{treatment_id}/correct",
    response={201: TreatmentOut},
    summary="Store a corrected version of the latest version of a treatment, with the reason",
)
def treatment_correct(
    request: HttpRequest, treatment_id: int, payload: TreatmentCorrectionIn, lang: Lang = "nl"
) -> Status[TreatmentOut]:
    member = _farm(request, TREATMENT_WRITERS)
    treatment = _own_treatment(member.operator, treatment_id)
    with override(lang):
        try:
            corrected = correct_treatment(
                treatment, member.user, member.role, _treatment_input(payload), payload.reason
            )
        except FarmInputError as error:
            raise _refused(error) from error
    return Status(201, _treatment_out(corrected, selectors.current_profile(member.operator)))


@router.post(
    "/farm/treatments/{treatment_id}/withdraw",
    response={201: TreatmentOut},
    summary="Withdraw a treatment entered in error: a last version, with the reason",
)
def treatment_withdraw(
    request: HttpRequest, treatment_id: int, payload: ReasonIn, lang: Lang = "nl"
) -> Status[TreatmentOut]:
    member = _farm(request, TREATMENT_WRITERS)
    treatment = _own_treatment(member.operator, treatment_id)
    with override(lang):
        try:
            withdrawn = withdraw_treatment(treatment, member.user, member.role, payload.reason)
        except FarmInputError as error:
            raise _refused(error) from error
    return Status(201, _treatment_out(withdrawn, selectors.current_profile(member.operator)))


@router.get(
    "/farm/treatment-days",
    response={200: TreatmentDaysOut, **error_codes(404)},
    summary="Treatment days per 100 days of a year, per month, quarter or year, and the zone",
)
def treatment_days(
    request: HttpRequest,
    year: int | None = Query(None, ge=EARLIEST_DAY.year, le=9999),
    per: Literal["month", "quarter", "year"] = "month",
) -> TreatmentDaysOut:
    operator = _farm(request).operator
    today = timezone.localdate()
    chosen = year if year is not None else today.year
    if chosen > today.year:
        raise HttpError(422, "year: lies in the future")
    limits = selectors.benchmark_for(chosen)
    figures = selectors.treatment_days(operator, chosen, per, limits)
    if figures is None:
        raise HttpError(404, "The farm profile (animals in milk) is not filled in yet.")
    return TreatmentDaysOut(
        year=chosen,
        per=per,
        periods=[
            PeriodOut(
                first_day=f.period.first_day,
                last_day=f.period.last_day,
                value=f.value,
                zone=f.zone,
            )
            for f in figures
        ],
        p50=limits.attention if limits else None,
        p90=limits.action if limits else None,
    )


@router.get(
    "/farm/withheld",
    response=list[WithheldOut],
    summary="Animals whose milk is withheld now, until when and the first milking to deliver",
)
def withheld(request: HttpRequest) -> list[WithheldOut]:
    operator = _farm(request).operator
    return [
        WithheldOut(animal=w.animal, until=w.until, first_milking=w.first_milking)
        for w in selectors.withheld(operator)
    ]


@router.get(
    "/farm/self-assessment",
    response=list[ModuleOut],
    summary="Readiness per module, and the answer to each criterion",
)
def self_assessment(request: HttpRequest, lang: Lang = "nl") -> list[ModuleOut]:
    operator = _farm(request).operator
    with override(lang):
        modules = assessment(operator)
    return [
        ModuleOut(
            module=group.readiness.module,
            criteria=group.readiness.criteria,
            met=group.readiness.met,
            not_met=group.readiness.not_met,
            not_applicable=group.readiness.not_applicable,
            unanswered=group.readiness.unanswered,
            readiness_pct=group.readiness.readiness_pct,
            ready=group.readiness.ready,
            answers=[
                CriterionOut(
                    criterion=row.criterion.id,
                    answer=row.effective,
                    by_app=row.by_app,
                    evidence=[e.text for e in row.evidence],
                    open_point=row.answer.open_point if row.answer else "",
                    open_point_due=row.answer.open_point_due if row.answer else None,
                )
                for row in group.rows
            ],
        )
        for group in modules
    ]


def _answer_out(answer: AssessmentAnswer) -> AnswerOut:
    return AnswerOut(
        criterion=answer.criterion_id,
        version=answer.version,
        answer=answer.answer,
        evidence_note=answer.evidence_note,
        evidence_link=answer.evidence_link,
        has_file=answer.evidence_file_id is not None,
        open_point=answer.open_point,
        open_point_due=answer.open_point_due,
        answered_by=answer.answered_by.get_username(),
        answered_at=answer.answered_at,
    )


@router.get(
    "/farm/self-assessment/{criterion_id}",
    response=list[AnswerOut],
    summary="Every version of the farmer's answer to one criterion, newest first",
)
def answer_versions(request: HttpRequest, criterion_id: str) -> list[AnswerOut]:
    operator = _farm(request).operator
    try:
        selectors.lastenboek().criterion(criterion_id)
    except KeyError:
        raise HttpError(404, "Not found") from None
    return [
        _answer_out(a)
        for a in selectors.answer_versions(operator, criterion_id).select_related("answered_by")
    ]


@router.post(
    "/farm/self-assessment/{criterion_id}",
    response={201: AnswerOut},
    summary="Answer a criterion: a new version; the earlier ones stay",
)
def answer_create(
    request: HttpRequest, criterion_id: str, payload: AnswerIn, lang: Lang = "nl"
) -> Status[AnswerOut]:
    member = _farm(request, FARMER_ROLES)
    try:
        selectors.lastenboek().criterion(criterion_id)
    except KeyError:
        raise HttpError(404, "Not found") from None
    with override(lang):
        try:
            answer = answer_criterion(
                member.operator,
                member.user,
                AnswerInput(
                    criterion_id=criterion_id,
                    answer=payload.answer,
                    evidence_note=payload.evidence_note,
                    evidence_link=payload.evidence_link,
                    open_point=payload.open_point,
                    open_point_due=payload.open_point_due,
                ),
            )
        except FarmInputError as error:
            raise _refused(error) from error
    return Status(201, _answer_out(answer))


def _audit_out(audit: Audit) -> AuditOut:
    return AuditOut(
        id=audit.pk,
        body=str(audit.body),
        held_on=audit.held_on,
        auditor_name=audit.auditor_name,
        kind=audit.kind,
        decision=audit.decision,
        decided_on=audit.decided_on,
        certificate=audit.certificate,
        valid_from=audit.valid_from,
        expires_on=audit.expires_on,
        next_audit_due=audit.next_audit_due,
        findings=[
            FindingOut(
                criterion=f.criterion_id,
                grade=f.grade,
                description=f.description,
                deadline=f.deadline,
                closed_on=next((c.closed_on for c in f.closures.all()), None),
            )
            for f in audit.findings.all()
        ],
    )


def _certificate_out(operator: Operator) -> CertificateOut:
    now = selectors.certificate_now(operator)
    certificate = now.certificate
    return CertificateOut(
        state=now.status.state,
        days_left=now.status.days_left,
        decision=certificate.decision if certificate else None,
        valid_from=certificate.valid_from if certificate else None,
        expires_on=certificate.expires_on if certificate else None,
        next_audit_due=certificate.next_audit_due if certificate else None,
    )


@router.get("/farm/audits", response=list[AuditOut], summary="The farm's audits")
def list_audits(request: HttpRequest) -> list[AuditOut]:
    operator = _farm(request, DAILY_ROLES).operator
    return [_audit_out(audit) for audit in selectors.audits(operator)]


@router.get("/farm/audits/{audit_id}", response=AuditOut, summary="One audit of the farm")
def get_audit(request: HttpRequest, audit_id: int) -> AuditOut:
    operator = _farm(request).operator
    return _audit_out(get_object_or_404(selectors.audits(operator), pk=audit_id))


@router.get(
    "/farm/findings/open",
    response=list[OpenFindingOut],
    summary="Audit findings not closed yet, by deadline",
)
def open_findings(request: HttpRequest) -> list[OpenFindingOut]:
    operator = _farm(request).operator
    return [_open_finding_out(f) for f in selectors.open_findings(operator)]


def _open_finding_out(finding: AuditFinding) -> OpenFindingOut:
    return OpenFindingOut(
        id=finding.pk,
        audit_id=finding.audit_id,
        criterion=finding.criterion_id,
        grade=finding.grade,
        description=finding.description,
        deadline=finding.deadline,
        closed_on=None,
    )


@router.get("/farm/certificate", response=CertificateOut, summary="The certificate now")
def certificate(request: HttpRequest) -> CertificateOut:
    return _certificate_out(_farm(request).operator)


def _hygiene_out(entry: HygieneRating) -> HygieneOut:
    surroundings = selectors.lastenboek().hygiene_score.surroundings
    blocking = {r.id for r in surroundings.ratings if r.no_certificate}
    return HygieneOut(
        id=entry.pk,
        scored_on=entry.scored_on,
        given_by=entry.given_by,
        rating=entry.rating,
        no_certificate=entry.rating in blocking,
        score=entry.score,
        remark=entry.remark,
        recorded_by=entry.recorded_by.get_username(),
        recorded_at=entry.recorded_at,
    )


@router.get(
    "/farm/hygiene", response=list[HygieneOut], summary="The hygiene scores, the latest first"
)
def hygiene_scores(request: HttpRequest) -> list[HygieneOut]:
    operator = _farm(request).operator
    return [_hygiene_out(e) for e in selectors.hygiene_ratings(operator)]


@router.post(
    "/farm/hygiene",
    response={201: HygieneOut},
    summary="Record a hygiene score as the audit or inspection report gives it",
)
def hygiene_create(
    request: HttpRequest, payload: HygieneIn, lang: Lang = "nl"
) -> Status[HygieneOut]:
    member = _farm(request, FARMER_ROLES)
    return Status(201, _record_hygiene(member.operator, member.user, payload, lang))


def _record_hygiene(farm: Operator, user: User, payload: HygieneIn, lang: Lang) -> HygieneOut:
    with override(lang):
        try:
            entry = record_hygiene_score(
                farm,
                user,
                HygieneInput(
                    scored_on=payload.scored_on,
                    given_by=payload.given_by,
                    rating=payload.rating,
                    score=payload.score,
                    remark=payload.remark,
                ),
            )
        except FarmInputError as error:
            raise _refused(error) from error
    return _hygiene_out(entry)


@router.get(
    "/farm/sustainability",
    response=list[SustainabilityOut],
    summary="The initiatives ticked per year (the latest version of each year)",
)
def sustainability(request: HttpRequest) -> list[SustainabilityOut]:
    operator = _farm(request).operator
    return [
        SustainabilityOut(
            year=entry.year,
            version=entry.version,
            initiatives=list(entry.initiatives),
            evidence=dict(entry.evidence),
            recorded_by=entry.recorded_by.get_username(),
            recorded_at=entry.recorded_at,
        )
        for entry in selectors.sustainability_entries(operator).values()
    ]


def _notification_out(notification: Notification) -> NotificationOut:
    return NotificationOut(
        id=notification.pk,
        chain=notification.chain,
        version=notification.version,
        kind=notification.kind,
        occurred_on=notification.occurred_on,
        notified_on=notification.notified_on,
        notified_to=notification.notified_to,
        description=notification.description,
        follow_up=notification.follow_up,
        closed=notification.closed,
        recorded_by=notification.recorded_by.get_username(),
        recorded_at=notification.recorded_at,
    )


def _notification_input(payload: NotificationIn) -> NotificationInput:
    return NotificationInput(
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        notified_on=payload.notified_on,
        notified_to=payload.notified_to,
        description=payload.description,
        follow_up=payload.follow_up,
        closed=payload.closed,
    )


@router.get(
    "/farm/notifications",
    response=list[NotificationOut],
    summary="The farm's notifications (latest version of each), newest first",
)
def notifications(request: HttpRequest) -> list[NotificationOut]:
    operator = _farm(request).operator
    return [_notification_out(n) for n in selectors.current_notifications(operator)]


@router.get(
    "/farm/notifications/{notification_id}",
    response=list[NotificationOut],
    summary="Every version of a notification, oldest first",
)
def notification_versions(request: HttpRequest, notification_id: int) -> list[NotificationOut]:
    operator = _farm(request).operator
    notification = get_object_or_404(Notification, operator=operator, pk=notification_id)
    return [_notification_out(n) for n in selectors.notification_versions(notification)]


@router.post(
    "/farm/notifications",
    response={201: NotificationOut},
    summary="Record a notification the farm made",
)
def notification_create(
    request: HttpRequest, payload: NotificationIn, lang: Lang = "nl"
) -> Status[NotificationOut]:
    member = _farm(request, FARMER_ROLES)
    with override(lang):
        try:
            notification = record_notification(
                member.operator, member.user, _notification_input(payload)
            )
        except FarmInputError as error:
            raise _refused(error) from error
    return Status(201, _notification_out(notification))


@router.post(
    "/farm/notifications/{notification_id}/follow-up",
    response={201: NotificationOut},
    summary="A new version of the latest version of a notification (its follow-up)",
)
def notification_follow_up(
    request: HttpRequest, notification_id: int, payload: NotificationIn, lang: Lang = "nl"
) -> Status[NotificationOut]:
    member = _farm(request, FARMER_ROLES)
    notification = get_object_or_404(Notification, operator=member.operator, pk=notification_id)
    with override(lang):
        try:
            version = follow_up_notification(
                notification, member.user, _notification_input(payload)
            )
        except FarmInputError as error:
            raise _refused(error) from error
    return Status(201, _notification_out(version))


# A certification body's token: the farms that chose the body, and their audits.


def _body(request: HttpRequest) -> tuple[Membership, CertificationBody]:
    member = api_membership(request, Role.AUDITOR)
    body = selectors.body_of(member.operator)
    if body is None:
        raise HttpError(403, "The token's operator is not a certification body.")
    return member, body


def _body_farm(member: Membership, body: CertificationBody, slug: str) -> Operator:
    farm = Operator.objects.filter(slug=slug).first()
    chosen = chosen_body_operator_id(farm) if farm is not None else None
    if farm is None or chosen != body.operator_id or not auditor_of_body(member.user, chosen):
        raise HttpError(404, "Not found")
    return farm


@router.get(
    "/farm/body/farms", response=list[BodyFarmOut], summary="The farms that chose this body"
)
def body_farms(request: HttpRequest) -> list[BodyFarmOut]:
    _member, body = _body(request)
    return [
        BodyFarmOut(
            slug=farm.slug,
            name=farm.name,
            sanitel_number=profile.sanitel_number,
            certificate=_certificate_out(farm),
        )
        for farm, profile in selectors.farms_of_body(body)
    ]


@router.get(
    "/farm/body/farms/{slug}/audits",
    response=list[AuditOut],
    summary="The audits of a farm that chose this body",
)
def body_farm_audits(request: HttpRequest, slug: str) -> list[AuditOut]:
    member, body = _body(request)
    farm = _body_farm(member, body, slug)
    return [_audit_out(audit) for audit in selectors.audits(farm)]


@router.get(
    "/farm/body/farms/{slug}/hygiene",
    response=list[HygieneOut],
    summary="The hygiene scores of a farm that chose this body, the latest first",
)
def body_farm_hygiene(request: HttpRequest, slug: str) -> list[HygieneOut]:
    member, body = _body(request)
    farm = _body_farm(member, body, slug)
    return [_hygiene_out(e) for e in selectors.hygiene_ratings(farm)]


@router.post(
    "/farm/body/farms/{slug}/hygiene",
    response={201: HygieneOut},
    summary="Record the hygiene score of a farm that chose this body, as the audit gave it",
)
def body_farm_hygiene_create(
    request: HttpRequest, slug: str, payload: HygieneIn, lang: Lang = "nl"
) -> Status[HygieneOut]:
    member, body = _body(request)
    farm = _body_farm(member, body, slug)
    return Status(201, _record_hygiene(farm, member.user, payload, lang))


@router.post(
    "/farm/body/farms/{slug}/audits",
    response={201: AuditOut},
    summary="Record an audit of a farm that chose this body, with its findings and decision",
)
def body_farm_audit_create(request: HttpRequest, slug: str, payload: AuditIn) -> Status[AuditOut]:
    member, body = _body(request)
    farm = _body_farm(member, body, slug)
    try:
        audit = record_audit(
            farm,
            member.user,
            AuditInput(
                body=body,
                held_on=payload.held_on,
                auditor_name=payload.auditor_name,
                kind=payload.kind,
                decision=payload.decision,
                decided_on=payload.decided_on,
                unannounced_audit_refused=payload.unannounced_audit_refused,
                remark=payload.remark,
                findings=tuple(
                    FindingInput(
                        criterion_id=f.criterion,
                        grade=f.grade,
                        description=f.description,
                        deadline=f.deadline,
                    )
                    for f in payload.findings
                ),
            ),
        )
    except FarmInputError as error:
        raise _refused(error) from error
    return Status(201, _audit_out(selectors.audits(farm).get(pk=audit.pk)))


# The sector's token: aggregates only.


@router.get("/farm/sector", response=SectorOut, summary="The sector's figures (aggregates only)")
def sector(request: HttpRequest) -> SectorOut:
    member = api_membership(request, Role.SECTOR)
    snapshot = selectors.latest_snapshot(member.operator) or refresh_sector_figures(member.operator)
    return SectorOut(
        computed_at=snapshot.computed_at, farms=snapshot.farms, figures=snapshot.figures
    )
