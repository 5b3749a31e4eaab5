"""Storage of the dairy farm: profile, antibiotics register, self-assessment, audits,
sustainability monitor, notifications, and the sector's aggregate figures.

Every record that is evidence is append-only: a change is a new version with who and when.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dairyhaccp.web.farm.choices import (
    AnswerChoice,
    AuditKind,
    Decision,
    NotificationKind,
    Region,
    Route,
    Species,
)
from dairyhaccp.web.operators.models import AppendOnlyModel, TenantModel
from dairyhaccp.web.records.models import Batch

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _user(verbose_name: StrOrPromise) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
    )


class CertificationBody(TenantModel):
    """Marks an operator as an inspection and certification body that farms may choose;
    the body's members with the auditor role audit the farms that chose it."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("certification body")
        verbose_name_plural = _("certification bodies")
        ordering = ["operator__name"]
        constraints = [
            models.UniqueConstraint(fields=["operator"], name="farm_certificationbody_one"),
        ]

    def __str__(self) -> str:
        return self.operator.name


class FarmProfile(AppendOnlyModel):
    """One version of a farm's profile: herd, equipment, vets, body and buyer; never changed."""

    version = models.PositiveIntegerField(_("version"))
    species = models.CharField(_("species"), max_length=20, choices=Species.choices)
    animals_in_milk = models.PositiveIntegerField(_("animals in milk"))
    sanitel_number = models.CharField(_("Sanitel herd number"), max_length=30)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    milking_equipment = models.CharField(_("milking equipment"), max_length=200, blank=True)
    milking_times = models.JSONField(
        _("milking times"),
        default=list,
        blank=True,
        help_text=_("Local times of the daily milkings; empty for a milking robot."),
    )
    cooling_equipment = models.CharField(_("cooling equipment"), max_length=200, blank=True)
    herd_vet = models.CharField(_("herd veterinarian"), max_length=200, blank=True)
    herd_vet_contract_from = models.DateField(
        _("herd veterinarian's contract since"), null=True, blank=True
    )
    substitute_vet = models.CharField(_("substitute veterinarian"), max_length=200, blank=True)
    substitute_vet_contract_from = models.DateField(
        _("substitute's contract since"), null=True, blank=True
    )
    certification_body = models.ForeignKey(
        CertificationBody,
        verbose_name=_("certification body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="farm_profiles",
    )
    milk_buyer = models.CharField(_("milk buyer"), max_length=200, blank=True)
    changed_by = _user(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("farm profile")
        verbose_name_plural = _("farm profiles")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "version"], name="farm_farmprofile_one_row_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(species__in=Species.values), name="farm_farmprofile_species"
            ),
            models.CheckConstraint(
                condition=models.Q(region__in=Region.values), name="farm_farmprofile_region"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} v{self.version}"


class Treatment(AppendOnlyModel):
    """One version of one treatment in the antibiotics register; never changed.

    A correction is a new row in the same `chain` pointing at the version it corrects, with the
    reason; a treatment entered in error is withdrawn by a version with `withdrawn` set. The end
    of the milk withdrawal is computed by the core when the version is stored.
    """

    chain = models.UUIDField(_("treatment"), default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    withdrawn = models.BooleanField(_("withdrawn (entered in error)"), default=False)
    animal = models.CharField(_("ear tag or group"), max_length=60)
    is_group = models.BooleanField(_("a group of animals"), default=False)
    animals = models.PositiveIntegerField(_("number of animals treated"), default=1)
    first_dose_on = models.DateField(_("first administration on"))
    last_dose_at = models.DateTimeField(_("last administration at"))
    indication = models.CharField(_("indication"), max_length=200)
    product = models.CharField(_("product"), max_length=200)
    active_substance = models.CharField(_("active substance"), max_length=200)
    dose = models.CharField(_("dose"), max_length=100)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    prescribing_vet = models.CharField(_("prescribing veterinarian"), max_length=200)
    withdrawal_milk_hours = models.DecimalField(
        _("milk withdrawal period (hours)"), max_digits=8, decimal_places=2
    )
    withdrawal_meat_days = models.PositiveIntegerField(_("meat withdrawal period (days)"))
    milk_usable_from = models.DateTimeField(_("milk usable from"), db_index=True)
    remark = models.TextField(_("remark"), blank=True)
    recorded_by = _user(_("entered by"))
    recorded_as = models.CharField(_("entered as"), max_length=20)
    recorded_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")
        ordering = ["-last_dose_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "version"], name="farm_treatment_one_row_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(route__in=Route.values), name="farm_treatment_route"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.animal} {self.last_dose_at:%Y-%m-%d %H:%M} v{self.version}"


class MilkKeptApart(AppendOnlyModel):
    """The confirmation, recorded with a milking during a milk withdrawal, that the milk of the
    withheld animals was kept apart from the batch; never changed."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("milking"), on_delete=models.PROTECT, related_name="+"
    )
    animals = models.JSONField(
        _("withheld animals"), default=list, help_text=_("Each animal and until when.")
    )
    confirmed_by = _user(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("withheld milk kept apart")
        verbose_name_plural = _("withheld milk kept apart")
        ordering = ["-confirmed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.batch}: {len(self.animals)}"


class EvidenceFile(AppendOnlyModel):
    """A file or photo kept as evidence, stored in the database and served to members only."""

    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("kind of file"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("content"))
    uploaded_by = _user(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class AssessmentAnswer(AppendOnlyModel):
    """One version of the farmer's answer to one criterion of the lastenboek; never changed."""

    criterion_id = models.CharField(_("criterion"), max_length=80, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    answer = models.CharField(_("answer"), max_length=20, choices=AnswerChoice.choices)
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    evidence_file = models.ForeignKey(
        EvidenceFile,
        verbose_name=_("evidence file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    open_point = models.TextField(_("open point"), blank=True)
    open_point_due = models.DateField(_("open point due on"), null=True, blank=True)
    lastenboek_version = models.CharField(_("lastenboek version"), max_length=40)
    answered_by = _user(_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        ordering = ["criterion_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "criterion_id", "version"],
                name="farm_assessmentanswer_one_row_per_version",
            ),
            models.CheckConstraint(
                condition=models.Q(answer__in=AnswerChoice.values),
                name="farm_assessmentanswer_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id} v{self.version}: {self.answer}"


class Audit(AppendOnlyModel):
    """An audit of the farm and the certification decision after it, with the certificate the
    core computed from that decision; never changed."""

    body = models.ForeignKey(
        CertificationBody,
        verbose_name=_("certification body"),
        on_delete=models.PROTECT,
        related_name="audits",
    )
    held_on = models.DateField(_("held on"))
    auditor_name = models.CharField(_("auditor"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AuditKind.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    decided_on = models.DateField(_("decided on"))
    unannounced_audit_refused = models.BooleanField(_("unannounced audit refused"), default=False)
    remark = models.TextField(_("remark"), blank=True)
    certificate = models.CharField(_("certificate given"), max_length=20, choices=Decision.choices)
    valid_from = models.DateField(_("certificate valid from"), null=True, blank=True)
    expires_on = models.DateField(_("certificate ends on"), null=True, blank=True, db_index=True)
    next_audit_due = models.DateField(_("next audit due"), null=True, blank=True)
    no_certificate_because = models.JSONField(_("no certificate because of"), default=list)
    lastenboek_version = models.CharField(_("lastenboek version"), max_length=40)
    recorded_by = _user(_("entered by"))
    recorded_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AuditKind.values), name="farm_audit_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=Decision.values), name="farm_audit_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.held_on}"


class AuditFinding(AppendOnlyModel):
    """A criterion found not met at an audit, with the grade given and the deadline."""

    audit = models.ForeignKey(
        Audit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="findings"
    )
    criterion_id = models.CharField(_("criterion"), max_length=80, db_index=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    description = models.TextField(_("what was found"), blank=True)
    deadline = models.DateField(_("to be closed by"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["audit", "criterion_id", "pk"]

    def __str__(self) -> str:
        return f"{self.audit}: {self.criterion_id}"


class FindingClosure(AppendOnlyModel):
    """The evidence that closes an audit finding, with who and when."""

    finding = models.ForeignKey(
        AuditFinding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="closures"
    )
    evidence_note = models.TextField(_("evidence"))
    evidence_link = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    evidence_file = models.ForeignKey(
        EvidenceFile,
        verbose_name=_("evidence file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closures",
    )
    closed_on = models.DateField(_("closed on"))
    closed_by = _user(_("closed by"))
    closed_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("closure of a finding")
        verbose_name_plural = _("closures of findings")
        ordering = ["closed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.finding} closed {self.closed_on}"


class HygieneRating(AppendOnlyModel):
    """The hygiene score of the farm and the rating of its surroundings as an audit or an
    inspection gave them; never changed. The ratings are the lastenboek data's."""

    scored_on = models.DateField(_("scored on"), db_index=True)
    given_by = models.CharField(_("given by"), max_length=200)
    rating = models.CharField(_("hygiene of the surroundings"), max_length=30)
    score = models.CharField(_("hygiene score as the report gives it"), max_length=40, blank=True)
    remark = models.TextField(_("remark"), blank=True)
    lastenboek_version = models.CharField(_("lastenboek version"), max_length=40)
    recorded_by = _user(_("entered by"))
    recorded_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("hygiene score")
        verbose_name_plural = _("hygiene scores")
        ordering = ["-scored_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.operator} {self.scored_on}: {self.rating}"


class SustainabilityEntry(AppendOnlyModel):
    """One version of the initiatives a farm took in one year, with evidence; never changed."""

    year = models.PositiveIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"))
    initiatives = models.JSONField(_("initiatives"), default=list)
    evidence = models.JSONField(_("evidence per initiative"), default=dict)
    lastenboek_version = models.CharField(_("lastenboek version"), max_length=40)
    recorded_by = _user(_("entered by"))
    recorded_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("sustainability entry")
        verbose_name_plural = _("sustainability entries")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "year", "version"],
                name="farm_sustainabilityentry_one_row_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.year} v{self.version}"


class Notification(AppendOnlyModel):
    """One version of a notification the farm made (duty to notify), with its follow-up."""

    chain = models.UUIDField(_("notification"), default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    kind = models.CharField(_("what"), max_length=30, choices=NotificationKind.choices)
    occurred_on = models.DateField(_("found on"))
    notified_on = models.DateField(_("notified on"))
    notified_to = models.CharField(_("notified to"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    closed = models.BooleanField(_("followed up and closed"), default=False)
    recorded_by = _user(_("entered by"))
    recorded_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-notified_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "version"], name="farm_notification_one_row_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="farm_notification_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.notified_on}"


class FarmReminder(TenantModel):
    """A reminder e-mailed to the farm's owners: what, about which record, how many days ahead,
    when and to whom. Each is sent once."""

    kind = models.CharField(_("reminder"), max_length=20)
    ref = models.CharField(_("about"), max_length=40)
    lead_days = models.IntegerField(_("days ahead"))
    due_on = models.DateField(_("due on"))
    sent_on = models.DateField(_("sent on"))
    sent_to = models.TextField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "kind", "ref", "lead_days"], name="farm_farmreminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.kind} {self.ref} -{self.lead_days}"


class SectorSnapshot(AppendOnlyModel):
    """Aggregate figures of all farms, computed by the core at one moment for the sector
    organisation (the operator); holds no figure of a single farm or of a group too small."""

    computed_at = models.DateTimeField(_("computed at"), default=timezone.now, db_index=True)
    farms = models.PositiveIntegerField(_("farms"))
    figures = models.JSONField(_("figures"))
    lastenboek_version = models.CharField(_("lastenboek version"), max_length=40)

    class Meta:
        verbose_name = _("sector figures")
        verbose_name_plural = _("sector figures")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.operator} {self.computed_at:%Y-%m-%d %H:%M}"
