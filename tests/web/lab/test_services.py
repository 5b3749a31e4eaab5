"""Lab services: results checked against the plan, CSV imported whole or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dairyhaccp.guide import load_guide
from dairyhaccp.lab.csv_import import CsvImportError
from dairyhaccp.lab.product_verdict import ProductJudgement
from dairyhaccp.lab.sampling import Verdict
from dairyhaccp.web.lab import selectors
from dairyhaccp.web.lab.models import CsvImport, ProductResult, RawMilkResult
from dairyhaccp.web.lab.services import (
    ProductInput,
    RawMilkInput,
    correct_product_result,
    import_raw_milk_csv,
    record_product_result,
    record_raw_milk_result,
    record_withdrawal_period,
)
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import create_operator
from dairyhaccp.web.records.services import create_batch

from ..query_plans import days_read_from_each_row
from .conftest import COW, twice_a_month

pytestmark = pytest.mark.django_db

GOOD_CSV = """Monsterdatum;Kiemgetal (x1000/ml);Celgetal;Remstoffen
05/01/2026;80;250 000;negatief
20/01/2026;120;;negatief
"""
BROKEN_CSV = """datum;kiemgetal;celgetal
05/01/2026;80000;250000
20/01/2026;80.000;250000
"""


def test_a_result_for_milk_the_plan_does_not_have_is_refused(farm: Operator, owner: User) -> None:
    with pytest.raises(ValidationError) as refused:
        record_raw_milk_result(
            farm, owner, RawMilkInput("goat", "bought", "plate_count", date(2026, 1, 5), 1e5)
        )
    assert "stream" in refused.value.message_dict


def test_a_value_of_the_wrong_kind_is_refused(farm: Operator, owner: User) -> None:
    with pytest.raises(ValidationError) as refused:
        record_raw_milk_result(
            farm, owner, RawMilkInput(*COW, "antibiotic_residues", date(2026, 1, 5), 12.0)
        )
    assert "value" in refused.value.message_dict


def test_a_sampling_date_in_the_future_is_refused(farm: Operator, owner: User) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record_raw_milk_result(farm, owner, RawMilkInput(*COW, "plate_count", tomorrow, 1e5))
    assert "sampled_on" in refused.value.message_dict


def test_without_a_plan_nothing_is_stored(operator: Operator, owner: User) -> None:
    with pytest.raises(ValidationError) as refused:
        record_raw_milk_result(
            operator, owner, RawMilkInput(*COW, "plate_count", date(2026, 1, 5), 1e5)
        )
    assert refused.value.code == "no_plan"


def test_a_good_csv_file_is_imported_whole(farm: Operator, owner: User) -> None:
    batch = import_raw_milk_csv(farm, owner, *COW, "mcc-januari.csv", GOOD_CSV)

    assert batch.result_count == 5
    stored = RawMilkResult.objects.for_operator(farm).filter(csv_import=batch)
    assert sorted((r.parameter, r.sampled_on.day, r.value) for r in stored) == [
        ("antibiotic_residues", 5, "not_detected"),
        ("antibiotic_residues", 20, "not_detected"),
        ("plate_count", 5, 80_000.0),
        ("plate_count", 20, 120_000.0),
        ("somatic_cells", 5, 250_000.0),
    ]
    assert {r.method for r in stored} == {"csv"}


def test_a_broken_csv_file_stores_nothing(farm: Operator, owner: User) -> None:
    with pytest.raises(CsvImportError) as refused:
        import_raw_milk_csv(farm, owner, *COW, "broken.csv", BROKEN_CSV)

    assert refused.value.errors[0].startswith("line 3, column 'kiemgetal'")
    assert not RawMilkResult.objects.for_operator(farm).exists()
    assert not CsvImport.objects.for_operator(farm).exists()


def test_a_csv_with_a_parameter_the_milk_is_not_analysed_for_stores_nothing(
    operator: Operator, owner: User
) -> None:
    from .conftest import give_farm_plan

    give_farm_plan(operator, owner, delivers_to_buyers=False)
    text = "date,parameter,value\n2026-01-05,plate_count,80000\n2026-01-05,e_coli,10\n"
    # own milk not delivered, raw-milk cheese: E. coli is analysed; goat milk is not in the plan
    import_raw_milk_csv(operator, owner, "cow", "own_not_delivered", "ok.csv", text)
    with pytest.raises(ValidationError):
        import_raw_milk_csv(operator, owner, "goat", "own_not_delivered", "goat.csv", text)
    assert RawMilkResult.objects.for_operator(operator).count() == 2


def test_the_fourth_unfavourable_month_stops_use_in_the_stored_verdict(
    farm: Operator, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    for day, value in twice_a_month([(2026, m) for m in (1, 2, 3, 4)], 150_000):
        enter_raw_milk(farm, "plate_count", day, value)
    plan = selectors.plan_or_none(farm)
    assert plan is not None
    stream = selectors.find_stream(plan, *COW)
    assert stream is not None

    [verdict] = [
        v for v in selectors.stream_verdicts(farm, plan, stream) if v.row.parameter == "plate_count"
    ]

    assert verdict.judgement is not None
    assert verdict.judgement.consecutive_unfavourable_months == 4
    assert verdict.judgement.stop_use


def test_antibiotics_list_the_typed_lots_for_destruction(
    farm: Operator, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    enter_raw_milk(farm, "antibiotic_residues", date(2026, 3, 1), "not_detected")
    enter_raw_milk(farm, "antibiotic_residues", date(2026, 3, 4), "detected", lots="K-0303, Y-0304")
    plan = selectors.plan_or_none(farm)
    assert plan is not None
    stream = selectors.find_stream(plan, *COW)
    assert stream is not None

    [verdict] = [
        v
        for v in selectors.stream_verdicts(farm, plan, stream)
        if v.row.parameter == "antibiotic_residues"
    ]

    assert verdict.judgement is not None and verdict.judgement.stop_use
    assert list(verdict.judgement.linked_lots) == ["K-0303", "Y-0304"]


def test_antibiotics_list_the_batches_begun_on_the_local_days_since_the_last_favourable_test(
    farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    # given batches begun at the edges of local days around a favourable and a detected test
    def begun(code: str, *moment: int) -> None:
        started_at = timezone.make_aware(datetime(*moment))  # type: ignore[misc]
        create_batch(farm, owner, code, "raw_milk", started_at=started_at)

    begun("M-before", 2026, 3, 1, 23, 50)  # the day of the favourable test
    begun("M-first", 2026, 3, 2, 0, 10)
    begun("M-last", 2026, 3, 4, 23, 50)  # the day of the detected test
    begun("M-after", 2026, 3, 5, 0, 10)
    enter_raw_milk(farm, "antibiotic_residues", date(2026, 3, 1), "not_detected")
    enter_raw_milk(farm, "antibiotic_residues", date(2026, 3, 4), "detected")
    plan = selectors.plan_or_none(farm)
    assert plan is not None
    stream = selectors.find_stream(plan, *COW)
    assert stream is not None
    row = next(row for row in stream.rows if row.parameter == "antibiotic_residues")

    # when the row is judged
    with CaptureQueriesContext(connection) as captured:
        judgement = selectors.judge_row(farm, plan, stream, row, load_guide())

    # then the batches of 2 to 4 March, local time, are listed, found by their moments' bounds
    assert judgement is not None
    assert list(judgement.linked_lots) == ["M-first", "M-last"]
    assert days_read_from_each_row([q["sql"] for q in captured.captured_queries]) == []


def _cheese(**changes: object) -> ProductInput:
    data = {
        "product_name": "Hoevekaas",
        "parameter": "coagulase_positive_staphylococci",
        "sampled_on": date(2026, 3, 3),
        "results": [5_000.0, 20_000.0, 30_000.0, 1_000.0, 2_000.0],
    }
    data.update(changes)
    return ProductInput(**data)  # type: ignore[arg-type]


def _judged(result: ProductResult) -> ProductJudgement:
    return selectors.product_judgement(result)


def test_a_product_result_is_judged_against_its_family(farm: Operator, owner: User) -> None:
    result = record_product_result(farm, owner, _cheese())

    judgement = _judged(result)
    assert judgement.family.id == "cheese_raw"
    assert judgement.verdict is Verdict.ACCEPTABLE
    assert result.product["raw_milk"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"product_name": "Brie"}, "product_name"),
        ({"parameter": "enterobacteriaceae"}, "parameter"),
        ({"results": [1.0] * 6}, "results"),
        ({"criterion_override": {"n": 5, "c": 9}}, "criterion_override"),
    ],
)
def test_a_product_result_the_core_cannot_judge_is_refused(
    farm: Operator, owner: User, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        record_product_result(farm, owner, _cheese(**changes))
    assert field in refused.value.message_dict
    assert not ProductResult.objects.exists()


def test_a_corrected_product_result_is_judged_on_its_new_values(
    farm: Operator, owner: User
) -> None:
    first = record_product_result(farm, owner, _cheese())
    second = correct_product_result(
        farm, owner, first.entry, _cheese(results=[200_000.0]), "the lab sent a corrected report"
    )

    assert second.version == 2
    judgement = _judged(second)
    assert judgement.verdict is Verdict.UNSATISFACTORY
    assert judgement.enterotoxin_test_due


def test_a_withdrawal_period_needs_milk_with_antibiotic_analyses(
    farm: Operator, owner: User
) -> None:
    record_withdrawal_period(farm, owner, "cow", "Bella 12", date(2026, 3, 10))
    with pytest.raises(ValidationError):
        record_withdrawal_period(farm, owner, "goat", "Geit 3", date(2026, 3, 10))


def test_results_of_another_operator_are_not_seen(
    farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 80_000)
    other = create_operator("Andere Hoeve", slug="andere")

    assert not selectors.raw_milk_results(other).exists()
    assert selectors.raw_milk_results(farm).count() == 1


def test_each_withdrawal_period_is_done_by_an_antibiotic_test_on_or_after_its_end(
    farm: Operator, owner: User, enter_raw_milk: Callable[..., RawMilkResult]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dairyhaccp.web.records.selectors import operator_plan

    # given three withdrawal periods, a test between the first two ends, a goat period's end
    ends = [date(2026, 3, 10), date(2026, 4, 10), date(2026, 5, 10)]
    for number, end in enumerate(ends):
        record_withdrawal_period(farm, owner, "cow", f"Bella {number}", end)
    enter_raw_milk(farm, "antibiotic_residues", date(2026, 3, 20), "not_detected")
    enter_raw_milk(farm, "antibiotic_residues", date(2026, 5, 10), "not_detected")
    enter_raw_milk(farm, "antibiotic_residues", date(2026, 2, 1), "not_detected")
    current = operator_plan(farm)
    assert current is not None
    now = timezone.make_aware(timezone.datetime(2026, 5, 20, 12))

    # when the schedule is read
    with CaptureQueriesContext(connection) as few:
        due = selectors.due_analyses(farm, current.plan, now)

    # then each period is done by a test on or after its end, and only by such a test
    statuses = {period.animal: item.status.value for period, item in due.withdrawals}
    assert statuses == {"Bella 0": "done", "Bella 1": "done", "Bella 2": "done"}
    record_withdrawal_period(farm, owner, "cow", "Bella 3", date(2026, 5, 15))
    more = selectors.due_analyses(farm, current.plan, now)
    later = {period.animal: item.status.value for period, item in more.withdrawals}
    assert later == {**statuses, "Bella 3": "overdue"}

    # and the schedule asks as many queries with more periods, reading the last test of each
    # species rather than every test
    with CaptureQueriesContext(connection) as many:
        selectors.due_analyses(farm, current.plan, now)
    assert len(many.captured_queries) == len(few.captured_queries)
    [tests_read] = [
        q["sql"]
        for q in many.captured_queries
        if "antibiotic_residues" in q["sql"] and "lab_rawmilkresult" in q["sql"]
    ]
    assert "MAX(" in tests_read and "GROUP BY" in tests_read


@pytest.mark.parametrize("today", [date(2025, 1, 15), date(2025, 7, 1), date(2026, 11, 29)])
def test_the_lab_schedule_from_its_windows_is_the_schedule_from_the_whole_history(
    farm: Operator,
    owner: User,
    enter_raw_milk: Callable[..., RawMilkResult],
    monkeypatch: pytest.MonkeyPatch,
    today: date,
) -> None:
    from datetime import UTC, datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dairyhaccp.web.records.selectors import operator_plan

    # given three years of raw-milk and cheese results, with months left out
    Operator.objects.filter(pk=farm.pk).update(created_at=datetime(2023, 12, 1, tzinfo=UTC))
    farm.refresh_from_db()
    for month in range(35):
        year, month_of_year = 2024 + month // 12, month % 12 + 1
        if month % 5 == 3:
            continue
        for day in (5, 20):
            enter_raw_milk(farm, "plate_count", date(year, month_of_year, day), 80_000)
            enter_raw_milk(farm, "somatic_cells", date(year, month_of_year, day), 250_000)
            enter_raw_milk(
                farm, "antibiotic_residues", date(year, month_of_year, day), "not_detected"
            )
        if month % 4 == 0:
            record_product_result(farm, owner, _cheese(sampled_on=date(year, month_of_year, 9)))
    current = operator_plan(farm)
    assert current is not None
    now = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)

    # when the schedule reads its windows only, and when it reads every result
    with CaptureQueriesContext(connection) as read:
        windowed = selectors.due_analyses(farm, current.plan, now)
    monkeypatch.setattr(
        selectors, "counted_from", lambda frequency, now: datetime(2000, 1, 1, tzinfo=UTC)
    )
    whole = selectors.due_analyses(farm, current.plan, now)

    # then both say the same of every analysis, and the windowed one read from a day on
    assert windowed == whole
    assert len({item.item.status.value for _, item in windowed.raw_milk if item.item}) >= 2
    assert all('"sampled_on" >=' in q["sql"] for q in read.captured_queries if "result" in q["sql"])
