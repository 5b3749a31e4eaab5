"""Removing records whose keep-until date has passed, and only those, with a log that stays."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from dairyhaccp.web.evidence.chain import evidence_models
from dairyhaccp.web.evidence.models import EvidenceLink, PurgeLog
from dairyhaccp.web.operators.models import Operator

# Sent inside the purge's transaction with `operator` and `tables`, the tables rows left.
records_purged = Signal()


@dataclass
class PurgeKind:
    """One kind of record among those due for removal."""

    table: str
    label: str
    count: int = 0
    first: date | None = None
    last: date | None = None
    kept: int = 0


@dataclass
class PurgePlan:
    operator: Operator
    links: list[EvidenceLink]
    kinds: dict[str, PurgeKind] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.links)


def _labels() -> dict[str, str]:
    return {m._meta.db_table: str(m._meta.verbose_name_plural) for m in evidence_models()}


def expired(operator: Operator, today: date | None = None) -> PurgePlan:
    """What may go: the records whose keep-until date lies before today (the log kept)."""
    today = today or timezone.localdate()
    log_table = PurgeLog._meta.db_table
    links = list(
        EvidenceLink.objects.filter(operator=operator, keep_until__lt=today)
        .exclude(table_name=log_table)
        .order_by("-seq")
    )
    plan = PurgePlan(operator, links)
    labels = _labels()
    for link in links:
        kind = plan.kinds.setdefault(
            link.table_name, PurgeKind(link.table_name, labels.get(link.table_name, ""))
        )
        kind.count += 1
        day = link.made_at.date()
        kind.first = min(kind.first or day, day)
        kind.last = max(kind.last or day, day)
    return plan


def purge(plan: PurgePlan, who: str) -> PurgeLog | None:
    """Remove the records of the plan, newest first; a record another one still refers to is
    kept and counted. The log with the removed links is itself chained and kept."""
    if not plan.links:
        return None
    quoted = connection.ops.quote_name
    removed: list[EvidenceLink] = []
    with transaction.atomic():
        for link in plan.links:
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"DELETE FROM {quoted(link.table_name)} WHERE id = %s", [link.row_id]
                        )
                    EvidenceLink.objects.filter(pk=link.pk).delete()
            except (IntegrityError, DatabaseError):
                plan.kinds[link.table_name].kept += 1
                continue
            removed.append(link)
        if not removed:
            return None
        records_purged.send(
            PurgePlan,
            operator=plan.operator,
            tables=frozenset(link.table_name for link in removed),
        )
        days: dict[str, list[str]] = defaultdict(list)
        for link in removed:
            days[link.table_name].append(link.made_at.date().isoformat())
        summary = [
            {"table": table, "count": len(dates), "first": min(dates), "last": max(dates)}
            for table, dates in sorted(days.items())
        ]
        return PurgeLog.objects.create(
            operator=plan.operator,
            purged_at=timezone.now(),
            purged_by=who,
            summary=summary,
            links=sorted([link.seq, link.link_hash] for link in removed),
        )
