"""The self-assessment against the lastenboek, and the evidence files kept with it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from dairyhaccp.ikm import CURRENT_VERSION
from dairyhaccp.web.farm.choices import AnswerChoice
from dairyhaccp.web.farm.constants import MAX_EVIDENCE_BYTES
from dairyhaccp.web.farm.models import AssessmentAnswer, EvidenceFile
from dairyhaccp.web.farm.selectors import lastenboek
from dairyhaccp.web.farm.services import checks
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.farm.services.profile import lock
from dairyhaccp.web.operators.models import Operator

# What an evidence file may be, told by its first bytes (a photo or a scanned document).
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (8, b"WEBP", "image/webp"),
    (4, b"ftypheic", "image/heic"),
    (4, b"ftypheix", "image/heic"),
    (4, b"ftypmif1", "image/heif"),
)


def sniff(data: bytes) -> str | None:
    """The content type of a PDF, PNG, JPEG, WebP or HEIC file, or None for anything else."""
    for offset, signature, content_type in _SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            if content_type == "image/webp" and not data.startswith(b"RIFF"):
                continue
            return content_type
    return None


@transaction.atomic
def store_evidence_file(operator: Operator, user: User, name: str, data: bytes) -> EvidenceFile:
    """Keep an uploaded photo or PDF as evidence of `operator`."""
    if not data:
        raise FarmInputError("evidence_file", _("the file is empty"))
    if len(data) > MAX_EVIDENCE_BYTES:
        raise FarmInputError(
            "evidence_file",
            _("larger than {size} MB").format(size=MAX_EVIDENCE_BYTES // (1024 * 1024)),
        )
    content_type = sniff(data)
    if content_type is None:
        raise FarmInputError("evidence_file", _("only a photo (JPEG, PNG, WebP, HEIC) or a PDF"))
    base = PureWindowsPath(PurePosixPath(name).name).name or "evidence"
    return EvidenceFile.objects.create(
        operator=operator,
        name=checks.text(base, "evidence_file", 200, required=True)[-200:],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by=user,
    )


@dataclass(frozen=True)
class AnswerInput:
    """The farmer's answer to one criterion, with evidence and an open point."""

    criterion_id: str
    answer: str
    evidence_note: str = ""
    evidence_link: str = ""
    evidence_file: EvidenceFile | None = None
    open_point: str = ""
    open_point_due: date | None = None


@transaction.atomic
def answer_criterion(operator: Operator, user: User, data: AnswerInput) -> AssessmentAnswer:
    """Store a new version of the answer to one criterion; earlier versions stay."""
    lock(operator)
    book = lastenboek()
    try:
        book.criterion(data.criterion_id)
    except KeyError:
        raise FarmInputError("criterion", _("not a criterion of the lastenboek")) from None
    if data.answer not in AnswerChoice.values:
        raise FarmInputError("answer", _("choose met, not met or not applicable"))
    evidence_file = data.evidence_file
    if evidence_file is not None and evidence_file.operator_id != operator.pk:
        raise FarmInputError("evidence_file", _("not found"))
    open_point = checks.text(data.open_point, "open_point", 2000)
    due = checks.deadline(data.open_point_due, "open_point_due")
    if due is not None and not open_point:
        raise FarmInputError("open_point", _("say what is still to be done by that day"))
    latest = (
        AssessmentAnswer.objects.for_operator(operator)
        .filter(criterion_id=data.criterion_id)
        .order_by("-version")
        .first()
    )
    return AssessmentAnswer.objects.create(
        operator=operator,
        criterion_id=data.criterion_id,
        version=(latest.version + 1) if latest else 1,
        answer=data.answer,
        evidence_note=checks.text(data.evidence_note, "evidence_note", 2000),
        evidence_link=checks.link(data.evidence_link, "evidence_link"),
        evidence_file=evidence_file,
        open_point=open_point,
        open_point_due=due,
        lastenboek_version=CURRENT_VERSION,
        answered_by=user,
    )
