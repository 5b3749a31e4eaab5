"""Importing registrations from a CSV file: a preview of every verdict, then all stored or none.

The preview judges the file as storing it would (the bulk run's code, in the file's order) and
stores nothing; storing judges it again, so what is stored is judged with what is stored then.
Each line's idempotency key is made from the file's content and the line: the same file stored
twice is refused the second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from dairyhaccp.monitoring import Evaluation
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Batch, Room
from dairyhaccp.web.records.registration_csv import CsvProblem, CsvRow, read_registrations
from dairyhaccp.web.records.services.bulk import (
    BulkItem,
    BulkRecorded,
    BulkRefusedError,
    ItemProblem,
    judge_registrations,
    record_registrations,
)
from dairyhaccp.web.records.services.errors import RegistrationError
from dairyhaccp.web.records.services.registrations import RegistrationInput


@dataclass(frozen=True)
class PreviewLine:
    """One line of the file: what it registers and its verdict, or why it cannot be stored."""

    row: CsvRow
    data: RegistrationInput | None
    evaluation: Evaluation | None
    field: str = ""
    problem: str = ""


@dataclass(frozen=True)
class ImportPreview:
    """The file judged line by line; `storable` when every line can be stored."""

    lines: tuple[PreviewLine, ...]
    problems: tuple[CsvProblem, ...]
    digest: str

    @property
    def storable(self) -> bool:
        return (
            bool(self.lines)
            and not self.problems
            and all(line.problem == "" for line in self.lines)
        )


class ImportRefusedError(Exception):
    """The file cannot be stored; `problems` say where."""

    def __init__(self, problems: Sequence[CsvProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = tuple(problems)


def _targets(
    operator: Operator, rows: Sequence[CsvRow]
) -> tuple[dict[str, Room], dict[str, Batch]]:
    rooms = {
        room.name: room
        for room in Room.objects.for_operator(operator).filter(name__in={r.room for r in rows})
    }
    batches = {
        batch.lot_code: batch
        for batch in Batch.objects.for_operator(operator).filter(lot_code__in={r.lot for r in rows})
    }
    return rooms, batches


def _inputs(
    operator: Operator, rows: Sequence[CsvRow]
) -> list[tuple[RegistrationInput | None, CsvProblem | None]]:
    rooms, batches = _targets(operator, rows)
    found: list[tuple[RegistrationInput | None, CsvProblem | None]] = []
    for row in rows:
        room = rooms.get(row.room) if row.room else None
        batch = batches.get(row.lot) if row.lot else None
        if row.room and room is None:
            found.append((None, CsvProblem(row.line, "room", _("no room of that name"))))
            continue
        if row.lot and batch is None:
            found.append((None, CsvProblem(row.line, "lot", _("no batch with that lot code"))))
            continue
        data = RegistrationInput(
            control_id=row.control_id,
            values=dict(row.values),
            measured_at=row.measured_at,
            batch=batch,
            room=room,
            delivery=row.delivery,
            product=row.product,
            category=row.category,
            industrial_starter=row.industrial_starter,
            remark=row.remark,
        )
        found.append((data, None))
    return found


def preview_import(operator: Operator, text: str) -> ImportPreview:
    """Read and judge a file of registrations; store nothing."""
    read = read_registrations(text)
    if read.problems:
        return ImportPreview((), read.problems, read.digest)
    inputs = _inputs(operator, read.rows)
    judgeable = [data for data, _problem in inputs if data is not None]
    verdicts = iter(judge_registrations(operator, judgeable))
    lines: list[PreviewLine] = []
    for row, (data, problem) in zip(read.rows, inputs, strict=True):
        if data is None:
            assert problem is not None
            lines.append(PreviewLine(row, None, None, problem.column, problem.problem))
            continue
        result = next(verdicts)
        if isinstance(result, RegistrationError):
            lines.append(PreviewLine(row, data, None, result.field, result.problem))
        else:
            lines.append(PreviewLine(row, data, result))
    return ImportPreview(tuple(lines), (), read.digest)


def import_key(digest: str, line: int) -> str:
    """The idempotency key of one line of a file: its content's hash and the line number."""
    return f"csv-{digest[:48]}-{line}"


def store_import(operator: Operator, user: User, text: str) -> list[BulkRecorded]:
    """Judge and store every registration of the file, or none.

    Raises ImportRefusedError naming the lines at fault, or BulkRefusedError with `repeated`
    when the same file was stored before.
    """
    read = read_registrations(text)
    if read.problems:
        raise ImportRefusedError(read.problems)
    inputs = _inputs(operator, read.rows)
    problems = [problem for _data, problem in inputs if problem is not None]
    if problems:
        raise ImportRefusedError(problems)
    items = [
        BulkItem(import_key(read.digest, row.line), data)
        for row, (data, _problem) in zip(read.rows, inputs, strict=True)
        if data is not None
    ]
    try:
        return record_registrations(operator, user, items)
    except BulkRefusedError as refused:
        if refused.repeated:
            raise
        raise ImportRefusedError(
            [_line_problem(read.rows, problem) for problem in refused.problems]
        ) from refused


def _line_problem(rows: Sequence[CsvRow], problem: ItemProblem) -> CsvProblem:
    return CsvProblem(rows[problem.index].line, problem.field, problem.problem)
