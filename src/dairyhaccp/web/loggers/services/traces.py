"""Pasteuriser traces of a batch: kept as uploaded, read by the core, judged by the equivalence
curve, previewed, then stored with the batch's pasteurisation registration.

The trace's lethality (the core's `judge_pasteuriser_trace`) is the equivalent hold at the
medium's reference temperature. That pair, reference temperature and equivalent hold, is what
the plan's pasteurisation control judges, so the registration is made by the one judge through
the records service, with the plan's own limit. The medium and its reference come from the guide
data: the pasteurisation limit of the plan written for the batch's product kind.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dairyhaccp.loggers import (
    HoldFigures,
    LoggerReadings,
    PasteuriserJudgement,
    SeriesError,
    hold_figures,
    judge_pasteuriser_trace,
)
from dairyhaccp.monitoring import Evaluation
from dairyhaccp.monitoring.duties import product_spec
from dairyhaccp.web.loggers.codec import encode_series
from dairyhaccp.web.loggers.constants import (
    TRACE_MAX_HOURS,
    TRACE_MAX_INTERVAL_S,
)
from dairyhaccp.web.loggers.models import PasteurisationTrace, TraceFile
from dairyhaccp.web.loggers.services.errors import LoggerError
from dairyhaccp.web.loggers.services.files import ReadSettings, kept_upload, parse_text
from dairyhaccp.web.loggers.services.series import moment
from dairyhaccp.web.parameters import local_number
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.selectors import OperatorPlan, operator_plan
from dairyhaccp.web.records.services import (
    RegistrationError,
    RegistrationInput,
    judge_registration,
    record_registration,
)

# The values the pasteurisation control judges: the held temperature and the hold time.
TEMPERATURE = "temperature_c"
HOLD = "hold_s"


@dataclass(frozen=True)
class TraceControl:
    """The plan's pasteurisation control for a batch: its id, the medium and its reference."""

    control_id: str
    medium: str


def _kind(current: OperatorPlan, batch: Batch) -> str | None:
    spec = product_spec(current.plan, batch.product)
    if spec is None:
        return None
    if spec.raw_milk:
        return None
    return spec.kind


def trace_control(current: OperatorPlan, batch: Batch) -> TraceControl:
    """The pasteurisation limit of the plan for the batch's product, from the guide data;
    LoggerError naming the batch when the plan pasteurises nothing of this product."""
    kind = _kind(current, batch)
    if kind is not None:
        for plan_control in current.plan.controls:
            in_plan = {limit.id for limit in plan_control.limits}
            control = current.guide.control(plan_control.id)
            for limit in control.limits:
                if (
                    limit.is_pasteurisation
                    and limit.medium is not None
                    and limit.id in in_plan
                    and kind in limit.products
                ):
                    return TraceControl(control.id, limit.medium)
    raise LoggerError(
        "batch",
        _("the plan has no pasteurisation for the product {product} of this batch").format(
            product=batch.product
        ),
    )


@transaction.atomic
def upload_trace(batch: Batch, user: User, name: str, content: bytes) -> TraceFile:
    """Keep a pasteuriser recorder's export as it came (compressed), before it is read."""
    return TraceFile.objects.create(
        operator_id=batch.operator_id,
        batch=batch,
        uploaded_by=user,
        **kept_upload(name, content, "trace.csv"),
    )


def file_content(file: TraceFile) -> bytes:
    return zlib.decompress(bytes(file.content))


def hold_value(equivalent_s: float) -> float:
    """The equivalent hold as registered: cut (never rounded up) to the parameter's tenth of a
    second, so the registration never holds more than the trace."""
    return math.floor(equivalent_s * 10) / 10


@dataclass(frozen=True, eq=False)
class TracePreview:
    """A trace read and judged, before storing: the core's figures and the one judge's verdict."""

    file: TraceFile
    read: LoggerReadings
    control: TraceControl | None
    judgement: PasteuriserJudgement | None
    hold: HoldFigures | None
    values: dict[str, float]
    evaluation: Evaluation | None
    not_judged: str = ""

    @property
    def measured_at(self) -> datetime:
        """When the run is registered: the end of the hold, else the last reading."""
        first = int(self.read.times[0])
        if self.hold is not None:
            return moment(first + int(self.hold.end_s))
        return moment(int(self.read.times[-1]))


def registration_input(preview: TracePreview, batch: Batch) -> RegistrationInput:
    assert preview.control is not None
    return RegistrationInput(
        control_id=preview.control.control_id,
        values=preview.values,
        batch=batch,
        measured_at=preview.measured_at,
        remark=remark(preview),
    )


def _seconds(value: float) -> str:
    return local_number(round(value, 1))


def remark(preview: TracePreview) -> str:
    """The registration's remark: the file, the trace's lethality, its hold."""
    judgement = preview.judgement
    assert judgement is not None
    parts = [
        _(
            "Pasteuriser trace {file}: {count} readings; lethality {equivalent} s at "
            "{reference} °C (reference {required} s)."
        ).format(
            file=preview.file.file_name,
            count=len(preview.read.times),
            equivalent=_seconds(judgement.equivalent_s),
            reference=local_number(judgement.reference_temperature_c),
            required=_seconds(judgement.required_s),
        )
    ]
    hold = preview.hold
    if hold is None:
        parts.append(
            _("The trace never reached {reference} °C; its peak was {peak} °C.").format(
                reference=local_number(judgement.reference_temperature_c),
                peak=local_number(round(judgement.peak_c, 2)),
            )
        )
    else:
        parts.append(
            _("Hold {hold} s, lowest {minimum} °C, {below} s below {reference} °C.").format(
                hold=_seconds(hold.duration_s),
                minimum=local_number(round(hold.minimum_c, 2)),
                below=_seconds(hold.seconds_below),
                reference=local_number(judgement.reference_temperature_c),
            )
        )
    if judgement.gaps:
        parts.append(
            ngettext(
                "{count} gap without readings adds no lethality.",
                "{count} gaps without readings add no lethality.",
                len(judgement.gaps),
            ).format(count=len(judgement.gaps))
        )
    return " ".join(parts)


def preview_trace(
    file: TraceFile, settings: ReadSettings, now: datetime | None = None
) -> TracePreview:
    """The trace read, its lethality, and the verdict the one judge gives it; nothing stored."""
    now = now or timezone.now()
    read = parse_text(file_content(file), settings, now)
    if read.times.size < 2:
        raise LoggerError("file", _("a trace needs at least two readings"))
    if int(read.times[-1] - read.times[0]) > TRACE_MAX_HOURS * 3600:
        raise LoggerError(
            "file",
            _("the trace lasts more than {hours} hours; export one pasteurisation run").format(
                hours=TRACE_MAX_HOURS
            ),
        )
    batch = file.batch
    current = operator_plan(batch.operator)
    if current is None:
        not_judged = _("there is no HACCP plan yet: make the plan first")
        return TracePreview(file, read, None, None, None, {}, None, not_judged)
    try:
        control = trace_control(current, batch)
    except LoggerError as error:
        return TracePreview(file, read, None, None, None, {}, None, error.problem)
    try:
        judgement = judge_pasteuriser_trace(
            read.times,
            read.temperatures_c,
            current.guide.pasteurisation,
            control.medium,
            max_interval_s=TRACE_MAX_INTERVAL_S,
        )
        hold = hold_figures(
            read.times,
            read.temperatures_c,
            judgement.reference_temperature_c,
            max_interval_s=TRACE_MAX_INTERVAL_S,
        )
    except SeriesError as error:
        raise LoggerError(error.field, error.problem) from None
    most = current.guide.parameter(HOLD).max
    equivalent = hold_value(judgement.equivalent_s)
    values = {
        TEMPERATURE: judgement.reference_temperature_c,
        HOLD: equivalent if most is None else min(equivalent, most),
    }
    preview = TracePreview(file, read, control, judgement, hold, values, None)
    try:
        evaluation = judge_registration(batch.operator, registration_input(preview, batch))
    except RegistrationError as error:
        return TracePreview(file, read, control, judgement, hold, values, None, error.problem)
    return TracePreview(file, read, control, judgement, hold, values, evaluation)


@transaction.atomic
def store_trace(
    file: TraceFile, settings: ReadSettings, user: User, now: datetime | None = None
) -> PasteurisationTrace:
    """Store the trace and make it the batch's pasteurisation registration (one judge)."""
    batch = Batch.objects.select_for_update().get(pk=file.batch_id)
    if PasteurisationTrace.objects.filter(batch=batch, file__sha256=file.sha256).exists():
        raise LoggerError("file", _("this file is stored for this batch already"))
    preview = preview_trace(file, settings, now)
    judgement, control = preview.judgement, preview.control
    if judgement is None or control is None:
        raise LoggerError("batch", preview.not_judged)
    registration, problem = None, ""
    try:
        registration = record_registration(
            batch.operator, user, registration_input(preview, batch)
        ).registration
    except RegistrationError as error:
        problem = error.problem
    read, hold = preview.read, preview.hold
    return PasteurisationTrace.objects.create(
        operator_id=batch.operator_id,
        file=file,
        batch=batch,
        data=encode_series(read.times, read.temperatures_c),
        readings=int(read.times.size),
        first_at=moment(int(read.times[0])),
        last_at=moment(int(read.times[-1])),
        control_id=control.control_id,
        medium=control.medium,
        outcome=judgement.code.value,
        reference_c=judgement.reference_temperature_c,
        required_s=judgement.required_s,
        z_value=judgement.z_value,
        equivalent_s=judgement.equivalent_s,
        peak_c=judgement.peak_c,
        hold_s=hold.duration_s if hold is not None else 0.0,
        hold_minimum_c=hold.minimum_c if hold is not None else None,
        seconds_below=hold.seconds_below if hold is not None else None,
        max_interval_s=float(TRACE_MAX_INTERVAL_S),
        gaps=[{"start_s": start, "end_s": end} for start, end in judgement.gaps],
        registration=registration,
        problem=problem,
        stored_by=user,
    )
