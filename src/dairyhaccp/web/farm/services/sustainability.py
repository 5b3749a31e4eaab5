"""The sustainability monitor: the initiatives a farm took each year, with evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.ikm import CURRENT_VERSION
from dairyhaccp.web.farm.constants import EARLIEST_DAY
from dairyhaccp.web.farm.models import SustainabilityEntry
from dairyhaccp.web.farm.selectors import lastenboek
from dairyhaccp.web.farm.services import checks
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.farm.services.profile import lock
from dairyhaccp.web.operators.models import Operator


@transaction.atomic
def record_initiatives(
    operator: Operator,
    user: User,
    year: int,
    initiatives: Iterable[str],
    evidence: Mapping[str, str] | None = None,
) -> SustainabilityEntry:
    """Store a new version of the initiatives of `year`; earlier versions stay."""
    lock(operator)
    checks.whole_number(year, "year", EARLIEST_DAY.year, timezone.localdate().year)
    known = [i.id for i in lastenboek().sustainability.initiatives]
    chosen = set()
    for initiative in initiatives:
        if initiative not in known:
            raise FarmInputError("initiatives", _("unknown initiative"))
        chosen.add(initiative)
    notes = {}
    for initiative, note in (evidence or {}).items():
        if initiative not in chosen:
            raise FarmInputError("evidence", _("evidence for an initiative not ticked"))
        note = checks.text(note, f"evidence_{initiative}", 500)
        if note:
            notes[initiative] = note
    latest = (
        SustainabilityEntry.objects.for_operator(operator)
        .filter(year=year)
        .order_by("-version")
        .first()
    )
    return SustainabilityEntry.objects.create(
        operator=operator,
        year=year,
        version=(latest.version + 1) if latest else 1,
        initiatives=[i for i in known if i in chosen],
        evidence=notes,
        lastenboek_version=CURRENT_VERSION,
        recorded_by=user,
    )
