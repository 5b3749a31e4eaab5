"""`manage.py make_heavy_tenant`: a dairy with a history, made through the bulk path, and its
lot book, made through the lots services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.lots.choices import ProductionKind
from dairyhaccp.web.lots.models import InputLot, Movement, Production, StockChange
from dairyhaccp.web.lots.selectors import book_of, in_stock
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Batch, IdempotencyKey, Registration

pytestmark = pytest.mark.django_db


def test_the_heavy_tenant_is_made_through_the_bulk_path_and_its_evidence_holds() -> None:
    out = StringIO()

    call_command(
        "make_heavy_tenant",
        "--slug",
        "zwaar",
        "--days",
        "4",
        "--batches",
        "2",
        "--lab-results",
        "0",
        stdout=out,
    )

    operator = Operator.objects.get(slug="zwaar")
    registrations = Registration.objects.filter(operator=operator)
    # about 20 checks a day, and the production checks of the batches
    assert 40 <= registrations.filter(batch__isnull=True).count() <= 100
    assert registrations.filter(batch__isnull=False).count() >= 8
    # the batches asked for, besides the lot book's
    assert Batch.objects.filter(operator=operator, productions__isnull=True).count() == 2
    keyed = IdempotencyKey.objects.filter(operator=operator).count()
    assert keyed == registrations.exclude(task_id__gt="").count()
    assert set(registrations.values_list("verdict", flat=True)) <= {
        "conform",
        "warning",
        "deviation",
    }
    first = registrations.order_by("measured_at").first()
    assert first is not None and operator.created_at < first.measured_at
    assert verify(operator).intact
    assert "registrations" in out.getvalue()


def test_the_heavy_tenant_has_a_lot_book_with_stock() -> None:
    call_command(
        "make_heavy_tenant",
        "--slug",
        "loten",
        "--days",
        "12",
        "--batches",
        "1",
        "--lab-results",
        "0",
        stdout=StringIO(),
    )

    operator = Operator.objects.get(slug="loten")
    productions = Production.objects.filter(operator=operator)
    # a milking and a production a day, from the day after the start to yesterday
    milkings = productions.filter(kind=ProductionKind.MILKING).count()
    assert 10 <= milkings == productions.filter(kind=ProductionKind.PRODUCTION).count()
    assert InputLot.objects.filter(operator=operator).exists()
    assert Movement.objects.filter(operator=operator).exists()
    book = book_of(operator)
    assert (
        len(book.lots) == productions.count() + InputLot.objects.filter(operator=operator).count()
    )
    assert sum(book.left(key) for key in book.lots) > 0
    # the milk goes into the day's production
    milk = [info.key for info in book.lots.values() if info.kind == ProductionKind.MILKING]
    assert all(book.left(key) == 0 for key in milk)
    # its stock is kept as the lots were made: nothing left to work out, the book's own stock
    assert not StockChange.objects.filter(operator=operator).exists()
    kept = in_stock(operator)
    assert {key: kept.left(key) for key in kept.lots} == {
        key: book.left(key) for key in book.lots if book.left(key) > 0
    }
    assert verify(operator).intact


def test_the_same_seed_makes_the_same_dairy() -> None:
    def verdicts(slug: str) -> list[tuple[str, str]]:
        call_command(
            "make_heavy_tenant",
            "--slug",
            slug,
            "--days",
            "2",
            "--batches",
            "1",
            "--lab-results",
            "0",
            stdout=StringIO(),
        )
        rows = Registration.objects.filter(operator__slug=slug).order_by(
            "measured_at", "control_id", "pk"
        )
        lots = Production.objects.filter(operator__slug=slug).order_by("pk")
        return [(r.control_id, r.verdict) for r in rows] + [
            (p.batch.lot_code, str(p.quantity)) for p in lots
        ]

    assert verdicts("een") == verdicts("twee")


@pytest.mark.parametrize(
    "arguments",
    [["--days", "0"], ["--days", "5000"], ["--batches", "-1"]],
)
def test_out_of_range_arguments_are_refused(arguments: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("make_heavy_tenant", "--slug", "x", *arguments, stdout=StringIO())
    assert not Operator.objects.filter(slug="x").exists()


def test_an_existing_slug_is_refused() -> None:
    call_command(
        "make_heavy_tenant",
        "--slug",
        "dubbel",
        "--days",
        "1",
        "--batches",
        "0",
        "--lab-results",
        "0",
        stdout=StringIO(),
    )
    with pytest.raises(CommandError, match="exists already"):
        call_command("make_heavy_tenant", "--slug", "dubbel", "--days", "1", stdout=StringIO())
