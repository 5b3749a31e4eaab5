"""Adding a record to its operator's chain, and checking the chain against what is stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, models, transaction
from django.utils import timezone

from dairyhaccp.guide import load_guide
from dairyhaccp.guide.models import RetentionRule
from dairyhaccp.trace.retention import keep_until, retention_rule
from dairyhaccp.web.evidence.canonical import (
    GENESIS,
    link_hash,
    returned_data,
    returned_is_stored,
    row_hash,
    rows_data,
)
from dairyhaccp.web.evidence.models import ChainHead, EvidenceLink
from dairyhaccp.web.inserts import insert_rows, insert_values
from dairyhaccp.web.operators.models import AppendOnlyError, AppendOnlyModel, Operator

M = TypeVar("M", bound=AppendOnlyModel)


def evidence_models() -> list[type[models.Model]]:
    """Every table whose rows are evidence: the append-only ones and the chain itself."""
    found: list[type[models.Model]] = [
        model
        for model in apps.get_models()
        if issubclass(model, AppendOnlyModel) and not model._meta.proxy
    ]
    return [*found, EvidenceLink]


def _relaxed(operator: Operator) -> bool:
    from dairyhaccp.web.plans.selectors import current_plan_source

    version = current_plan_source(operator)
    return bool(version and version.profile.get("operator", {}).get("relaxations", False))


def _record_date(instance: models.Model, zone: tzinfo) -> date:
    own = getattr(instance, "evidence_date", None)
    moment = own() if callable(own) else None
    if isinstance(moment, datetime):
        return moment.astimezone(zone).date() if timezone.is_aware(moment) else moment.date()
    if isinstance(moment, date):
        return moment
    return timezone.localdate()


def keep_until_for(instance: models.Model, operator: Operator) -> date:
    """How long the record is kept: the module's rule for the operator's regime (6 months with
    the relaxations, 2 years without), from the lot dates the record concerns if it names any."""
    rule = retention_rule(load_guide(), _relaxed(operator))
    return _keep_until(instance, rule, timezone.get_current_timezone())


def _keep_until(instance: models.Model, rule: RetentionRule, zone: tzinfo) -> date:
    lot_dates = getattr(instance, "evidence_lot_dates", None)
    dates = list(lot_dates()) if callable(lot_dates) else []
    return keep_until(_record_date(instance, zone), dates, rule)


def _author(
    instance: models.Model, known: dict[int | None, tuple[int | None, str]]
) -> tuple[int | None, str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is user_model:
            user_id = getattr(instance, field.attname, None)
            if user_id is None:
                continue
            if user_id not in known:
                user = getattr(instance, field.name)
                known[user_id] = (user.pk, user.get_full_name() or user.get_username())
            return known[user_id]
    return None, ""


def append(instance: AppendOnlyModel) -> None:
    """Chain a record just stored; in the caller's transaction, one writer per operator."""
    append_many([instance])


def insert_chained(
    model: type[M],
    objs: Sequence[M],
    using: str,
    fallback: Callable[[Sequence[M]], list[M]],
) -> list[M]:
    """Insert new records in a few statements and chain them. Each row is hashed from what the
    insert returned where that is what a later read gives, else read back."""
    connection = connections[using]
    returned: list[tuple[Any, ...]] | None = [] if returned_is_stored(model, connection) else None
    created = insert_rows(model, objs, using, fallback, returned)
    if any(row.pk is None for row in created):
        raise AppendOnlyError("rows added in bulk must come back with their ids")
    table = model._meta.db_table
    as_stored = {
        (table, row_id): data
        for row_id, data in returned_data(model, connection, returned or []).items()
    }
    append_many(created, as_stored)
    return created


def append_many(
    instances: Sequence[AppendOnlyModel],
    as_stored: Mapping[tuple[str, int], dict[str, Any]] | None = None,
) -> int:
    """Chain records just stored, in their order; one head lock and a few queries per operator
    and table, however many rows. `as_stored`: rows already read as stored, by table and id (the
    others are read back). How many links were made."""
    made = 0
    by_operator: dict[int, list[AppendOnlyModel]] = {}
    for instance in instances:
        by_operator.setdefault(instance.operator_id, []).append(instance)
    with transaction.atomic():
        for group in by_operator.values():
            made += _append_group(group, as_stored or {})
    return made


_LINK_FIELDS = (
    "operator_id",
    "seq",
    "table_name",
    "row_id",
    "row_hash",
    "previous_hash",
    "link_hash",
    "keep_until",
    "made_by_id",
    "made_by_name",
    "made_at",
)


def _append_group(
    instances: list[AppendOnlyModel], as_stored: Mapping[tuple[str, int], dict[str, Any]]
) -> int:
    operator = instances[0].operator
    head, _ = ChainHead.objects.select_for_update().get_or_create(
        operator=operator, defaults={"seq": 0, "head_hash": GENESIS}
    )
    stored: dict[tuple[str, int], dict[str, Any]] = {}
    by_model: dict[type[models.Model], list[int]] = {}
    for instance in instances:
        table = instance._meta.db_table
        known = as_stored.get((table, instance.pk))
        if known is not None:
            stored[(table, instance.pk)] = known
        else:
            by_model.setdefault(type(instance), []).append(instance.pk)
    for model, row_ids in by_model.items():
        for start in range(0, len(row_ids), _READ_AT_ONCE):
            for row_id, data in rows_data(model, row_ids[start : start + _READ_AT_ONCE]).items():
                stored[(model._meta.db_table, row_id)] = data
    rule = retention_rule(load_guide(), _relaxed(operator))
    authors: dict[int | None, tuple[int | None, str]] = {}
    now = timezone.now()
    zone = timezone.get_current_timezone()
    seq, previous = head.seq, head.head_hash
    links: list[tuple[Any, ...]] = []
    for instance in instances:
        table = instance._meta.db_table
        as_kept = stored.get((table, instance.pk))
        if as_kept is None:
            raise LookupError(f"{table} row {instance.pk} is not stored")
        seq += 1
        kept = _keep_until(instance, rule, zone)
        row = row_hash(table, as_kept)
        link = link_hash(previous, seq, table, instance.pk, row, kept.isoformat())
        author_id, author_name = _author(instance, authors)
        link_values = (operator.pk, seq, table, instance.pk, row, previous, link, kept)
        links.append((*link_values, author_id, author_name, now))
        previous = link
    insert_values(EvidenceLink, _LINK_FIELDS, links)
    ChainHead.objects.filter(pk=head.pk).update(seq=seq, head_hash=previous)
    return len(links)


# Rows read back per query (below SQLite's limit of bound parameters).
_READ_AT_ONCE = 900


@dataclass(frozen=True)
class Break:
    """The first place where the chain and the stored records disagree."""

    seq: int | None
    table: str
    row_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"link {self.seq}" if self.seq is not None else "outside the chain"
        return f"{where}: {self.table} row {self.row_id}: {self.problem}"


@dataclass(frozen=True)
class Verification:
    operator: Operator
    links: int
    head_hash: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _links(operator: Operator) -> Iterator[EvidenceLink]:
    return EvidenceLink.objects.filter(operator=operator).order_by("seq").iterator(chunk_size=2000)


def _purged(operator: Operator) -> dict[int, str]:
    """The links removed with their records after their keep-until date, by number."""
    from dairyhaccp.web.evidence.models import PurgeLog

    purged: dict[int, str] = {}
    for links in PurgeLog.objects.filter(operator=operator).values_list("links", flat=True):
        purged.update({int(seq): str(link) for seq, link in links})
    return purged


def verify(operator: Operator) -> Verification:
    """Recompute every link from the rows as stored; name the first that does not hold.

    Links removed by a purge (their records past their keep-until date) are taken from the
    purge log, so that the links after them still verify."""
    previous = GENESIS
    expected_seq = 1
    chained: dict[str, set[int]] = {}
    count = 0
    purged = _purged(operator)
    models_by_table = {m._meta.db_table: m for m in evidence_models()}
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for item in _links(operator):
        if (item.table_name, item.row_id) not in rows:
            rows = _rows_ahead(operator, item.seq, models_by_table)
        count += 1
        table, row_id = item.table_name, item.row_id
        found = Break(item.seq, table, row_id, "")
        while expected_seq < item.seq and expected_seq in purged:
            previous = purged[expected_seq]
            expected_seq += 1
        if item.seq != expected_seq:
            return Verification(operator, count, previous, _with(found, "a link is missing"))
        if item.previous_hash != previous:
            return Verification(operator, count, previous, _with(found, "the chain was re-linked"))
        data = rows.get((table, row_id))
        if data is None:
            return Verification(operator, count, previous, _with(found, "the record is gone"))
        if row_hash(table, data) != item.row_hash:
            return Verification(operator, count, previous, _with(found, "the record was changed"))
        recomputed = link_hash(
            previous, item.seq, table, row_id, item.row_hash, item.keep_until.isoformat()
        )
        if recomputed != item.link_hash:
            return Verification(operator, count, previous, _with(found, "the link was changed"))
        chained.setdefault(table, set()).add(row_id)
        previous = item.link_hash
        expected_seq += 1
    while expected_seq in purged:
        previous = purged[expected_seq]
        expected_seq += 1
    head = ChainHead.objects.filter(operator=operator).first()
    if head is not None and (head.seq != expected_seq - 1 or head.head_hash != previous):
        problem = "the chain ends before its head: links were removed"
        return Verification(operator, count, previous, Break(head.seq, "", None, problem))
    outside = _unchained(operator, chained)
    return Verification(operator, count, previous, outside)


_AHEAD = 2000


def _rows_ahead(
    operator: Operator, seq: int, models_by_table: dict[str, type[models.Model]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """The stored rows of the next links from `seq` on, one query per table."""
    ids: dict[str, list[int]] = {}
    links = EvidenceLink.objects.filter(operator=operator, seq__gte=seq).order_by("seq")
    for table, row_id in links.values_list("table_name", "row_id")[:_AHEAD]:
        ids.setdefault(table, []).append(row_id)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for table, row_ids in ids.items():
        model = models_by_table.get(table)
        if model is None:
            continue
        for row_id, data in rows_data(model, row_ids).items():
            rows[(table, row_id)] = data
    return rows


def _with(found: Break, problem: str) -> Break:
    return Break(found.seq, found.table, found.row_id, problem)


def _unchained(operator: Operator, chained: dict[str, set[int]]) -> Break | None:
    existing = set(connection.introspection.table_names())
    for model in evidence_models():
        if model is EvidenceLink or model._meta.db_table not in existing:
            continue
        table = model._meta.db_table
        known = chained.get(table, set())
        rows = model._base_manager.filter(operator=operator).values_list("pk", flat=True)
        for row_id in rows.iterator(chunk_size=5000):
            if row_id not in known:
                return Break(None, table, row_id, "a record that is not in the chain")
    return None


def author_name(instance: models.Model) -> str | None:
    """Who made a record, as they were named when they made it."""
    link = (
        EvidenceLink.objects.filter(table_name=instance._meta.db_table, row_id=instance.pk)
        .values_list("made_by_name", flat=True)
        .first()
    )
    return link
