"""The stored facts a check is judged with, found by indexed lookups.

A control's data says which of its values follow from stored events (milking, pasteurisation,
processing, the starter used before). Only those events are looked up, and only for the batches
and rooms the checks name; never the operator's whole history. Many checks of one operator are
judged with one lookup: the events of all of them are read in a few grouped queries, and each
check judged is remembered, so that a later check of the same run counts it as a registration
stored just before would be counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from django.db.models import Max, Min, QuerySet

from dairyhaccp.guide.loader import load_guide
from dairyhaccp.guide.models import Control
from dairyhaccp.monitoring.history import StarterUse, StoredFacts
from dairyhaccp.web.operators.models import Operator, latest_versions
from dairyhaccp.web.records.constants import RAW_MILK
from dairyhaccp.web.records.models import Batch, BatchSource, Registration, Room

MILKING, PASTEURISATION, PROCESSING, STARTER = (
    "milking",
    "pasteurisation",
    "processing",
    "industrial_starter",
)


class Check(Protocol):
    """What the lookup needs to know of a check: its control and what it was done on."""

    @property
    def control_id(self) -> str: ...
    @property
    def batch(self) -> Batch | None: ...
    @property
    def room(self) -> Room | None: ...


# The guide in force is loaded once per process; what its controls derive is read once too.
@cache
def events_of(control_id: str) -> frozenset[str]:
    """The stored events the values of this control are derived from (none for most)."""
    try:
        control = load_guide().control(control_id)
    except KeyError:
        return frozenset()
    return _events(control)


def _events(control: Control) -> frozenset[str]:
    return frozenset(e for d in control.derived for e in (d.since, d.until) if e != "check")


@cache
def starter_controls() -> frozenset[str]:
    """The controls whose registrations count the processings with home-made starter."""
    return frozenset(c.id for c in load_guide().controls if c.counts_starter_uses)


@cache
def pasteurisation_controls() -> frozenset[str]:
    """The controls whose registration is a batch's pasteurisation."""
    return frozenset(c.id for c in load_guide().controls if c.has_pasteurisation)


def current(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    return latest_versions(queryset)


class FactLookup:
    """The stored facts of the checks of one operator, looked up once and kept current."""

    def __init__(self, operator: Operator, *, except_chain: Any = None) -> None:
        self.operator = operator
        self.except_chain = except_chain
        self._sources_milked: dict[int, datetime | None] = {}
        self._room_milked: dict[int, datetime | None] = {}
        self._processed: dict[int, datetime | None] = {}
        self._pasteurised: dict[int, datetime | None] = {}
        # Starter uses known from `_uses_from` (None: nothing read yet) up to `_uses_until`.
        self._uses: list[StarterUse] = []
        self._uses_from: datetime | None = None
        self._uses_until: datetime | None = None
        self._judged_uses: list[StarterUse] = []

    # --- reading many at once ---------------------------------------------------------------

    def preload(self, checks: Sequence[Check], moments: Sequence[datetime]) -> None:
        """Read the events the checks need in a few grouped queries (moments: when each was
        measured, in the same order)."""
        needs: dict[str, list[int]] = {}
        starter_moments: list[datetime] = []
        for check, moment in zip(checks, moments, strict=True):
            events = events_of(check.control_id)
            batch, room = check.batch, check.room
            if MILKING in events:
                if batch is not None and batch.product != RAW_MILK:
                    needs.setdefault("sources", []).append(batch.pk)
                elif batch is None and room is not None:
                    needs.setdefault("rooms", []).append(room.pk)
            if PROCESSING in events and batch is not None and batch.product == RAW_MILK:
                needs.setdefault("processed", []).append(batch.pk)
            if PASTEURISATION in events and batch is not None:
                needs.setdefault("pasteurised", []).append(batch.pk)
            if STARTER in events:
                starter_moments.append(moment)
        self._load_sources(needs.get("sources", []))
        self._load_rooms(needs.get("rooms", []))
        self._load_processed(needs.get("processed", []))
        self._load_pasteurised(needs.get("pasteurised", []))
        if starter_moments:
            self._load_uses(min(starter_moments), max(starter_moments))

    def _load_sources(self, batch_ids: Iterable[int]) -> None:
        wanted = set(batch_ids) - set(self._sources_milked)
        if not wanted:
            return
        found = {
            row["from_batch_id"]: row["first"]
            for row in BatchSource.objects.filter(
                operator=self.operator, from_batch_id__in=wanted, to_batch__product=RAW_MILK
            )
            .values("from_batch_id")
            .annotate(first=Min("to_batch__started_at"))
        }
        self._sources_milked.update({pk: found.get(pk) for pk in wanted})

    def _load_rooms(self, room_ids: Iterable[int]) -> None:
        wanted = set(room_ids) - set(self._room_milked)
        if not wanted:
            return
        found = dict(
            Batch.objects.filter(
                operator=self.operator,
                room_id__in=wanted,
                product=RAW_MILK,
                destroyed_at__isnull=True,
                used_in__isnull=True,
            )
            .values("room_id")
            .annotate(first=Min("started_at"))
            .values_list("room_id", "first")
        )
        self._room_milked.update({pk: found.get(pk) for pk in wanted})

    def _load_processed(self, batch_ids: Iterable[int]) -> None:
        wanted = set(batch_ids) - set(self._processed)
        if not wanted:
            return
        found = {
            row["to_batch_id"]: row["first"]
            for row in BatchSource.objects.filter(operator=self.operator, to_batch_id__in=wanted)
            .values("to_batch_id")
            .annotate(first=Min("from_batch__started_at"))
        }
        self._processed.update({pk: found.get(pk) for pk in wanted})

    def _load_pasteurised(self, batch_ids: Iterable[int]) -> None:
        wanted = set(batch_ids) - set(self._pasteurised)
        if not wanted:
            return
        rows = current(
            Registration.objects.filter(
                operator=self.operator,
                batch_id__in=wanted,
                control_id__in=pasteurisation_controls(),
            )
        )
        if self.except_chain is not None:
            rows = rows.exclude(chain=self.except_chain)
        found = dict(
            rows.values("batch_id")
            .annotate(last=Max("measured_at"))
            .values_list("batch_id", "last")
        )
        self._pasteurised.update({pk: found.get(pk) for pk in wanted})

    def _load_uses(self, earliest: datetime, latest: datetime) -> None:
        """The starter uses from the last industrial one at or before `earliest` to `latest`:
        all that the count of home-made uses in a row can depend on in that span."""
        if (
            self._uses_from is not None
            and self._uses_until is not None
            and self._uses_until >= latest
            and self._starts_with_industrial_before(earliest)
        ):
            return
        rows = current(
            Registration.objects.filter(
                operator=self.operator,
                control_id__in=starter_controls(),
                industrial_starter__isnull=False,
                measured_at__lte=latest,
            )
        )
        if self.except_chain is not None:
            rows = rows.exclude(chain=self.except_chain)
        last_industrial = (
            rows.filter(industrial_starter=True, measured_at__lte=earliest)
            .order_by("-measured_at")
            .values_list("measured_at", flat=True)
            .first()
        )
        if last_industrial is not None:
            rows = rows.filter(measured_at__gte=last_industrial)
        self._uses = [
            StarterUse(at, bool(industrial))
            for at, industrial in rows.values_list("measured_at", "industrial_starter")
        ]
        self._uses_from = last_industrial or datetime.min.replace(tzinfo=latest.tzinfo)
        self._uses_until = latest

    def _starts_with_industrial_before(self, moment: datetime) -> bool:
        assert self._uses_from is not None
        if self._uses_from == datetime.min.replace(tzinfo=self._uses_from.tzinfo):
            return True  # every stored use was read
        return self._uses_from <= moment

    # --- one check ------------------------------------------------------------------------------

    def facts(
        self, check: Check, measured_at: datetime, industrial_starter: bool | None
    ) -> StoredFacts:
        """The stored facts this check's control derives values from, at `measured_at`."""
        events = events_of(check.control_id)
        batch, room = check.batch, check.room
        return StoredFacts(
            measured_at=measured_at,
            milked_at=self._milked_at(batch, room) if MILKING in events else None,
            processed_at=self._processed_at(batch) if PROCESSING in events else None,
            pasteurised_at=self._pasteurised_at(batch) if PASTEURISATION in events else None,
            starter_uses=self._starter_uses(measured_at) if STARTER in events else (),
            industrial_starter=industrial_starter,
        )

    def _milked_at(self, batch: Batch | None, room: Room | None) -> datetime | None:
        if batch is not None:
            if batch.product == RAW_MILK:
                return batch.started_at
            self._load_sources([batch.pk])
            return self._sources_milked[batch.pk]
        if room is not None:
            self._load_rooms([room.pk])
            return self._room_milked[room.pk]
        return None

    def _processed_at(self, batch: Batch | None) -> datetime | None:
        if batch is None or batch.product != RAW_MILK:
            return None
        self._load_processed([batch.pk])
        return self._processed[batch.pk]

    def _pasteurised_at(self, batch: Batch | None) -> datetime | None:
        if batch is None:
            return None
        self._load_pasteurised([batch.pk])
        return self._pasteurised[batch.pk]

    def _starter_uses(self, measured_at: datetime) -> tuple[StarterUse, ...]:
        self._load_uses(measured_at, measured_at)
        every = [*self._uses, *self._judged_uses]
        return tuple(use for use in every if use.at <= measured_at)

    # --- what a run judged ----------------------------------------------------------------------

    def remember(
        self, check: Check, measured_at: datetime, industrial_starter: bool | None
    ) -> None:
        """Count a check just judged as stored, for the checks judged after it in the run."""
        batch = check.batch
        if batch is not None and check.control_id in pasteurisation_controls():
            known = self._pasteurised.get(batch.pk)
            if batch.pk not in self._pasteurised:
                self._load_pasteurised([batch.pk])
                known = self._pasteurised[batch.pk]
            self._pasteurised[batch.pk] = measured_at if known is None else max(known, measured_at)
        if industrial_starter is not None and check.control_id in starter_controls():
            self._judged_uses.append(StarterUse(measured_at, industrial_starter))
