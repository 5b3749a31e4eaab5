"""Lab verdicts are stored when judged, with the guide version, and stay as judged.

Where the guide in force now says otherwise, pages and the API show that beside the stored
verdict, never in its place. The data migration stores the verdicts of results entered before.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dairyhaccp.guide import Guide
from dairyhaccp.guide.loader import CURRENT_VERSION
from dairyhaccp.web.lab import selectors
from dairyhaccp.web.lab.models import ProductResult, ProductVerdict, RawMilkResult, RawMilkVerdict
from dairyhaccp.web.lab.services import (
    ProductInput,
    RawMilkInput,
    correct_raw_milk_result,
    import_raw_milk_csv,
    record_product_result,
    withdraw_raw_milk_result,
)
from dairyhaccp.web.operators.models import AppendOnlyError, Operator
from dairyhaccp.web.operators.services import issue_api_token

from .conftest import COW, changed_guide, twice_a_month

pytestmark = pytest.mark.django_db

Enter = Callable[..., RawMilkResult]
PutGuide = Callable[[Guide], None]


def bearer(user: User, operator: Operator) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user, operator).clear_token}"}


def verdict_page(client: Client, operator: Operator, parameter: str = "plate_count") -> str:
    path = reverse(
        "lab:raw_milk_verdict",
        kwargs={
            "operator_slug": operator.slug,
            "species": COW[0],
            "source": COW[1],
            "parameter": parameter,
        },
    )
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def plate_verdicts(operator: Operator) -> list[RawMilkVerdict]:
    return list(
        RawMilkVerdict.objects.for_operator(operator).filter(parameter="plate_count").order_by("pk")
    )


def api_plate_verdict(client: Client, owner: User, operator: Operator) -> dict[str, Any]:
    response = client.get("/api/lab/raw-milk/verdicts?lang=en", headers=bearer(owner, operator))
    assert response.status_code == 200
    return next(v for v in response.json() if v["parameter"] == "plate_count")


def cheese(results: list[float]) -> ProductInput:
    return ProductInput("Hoevekaas", "coagulase_positive_staphylococci", date(2026, 3, 3), results)


# --- raw milk -----------------------------------------------------------------------------------


def test_entering_a_result_stores_the_verdict_of_its_analysis_with_the_guide_version(
    farm: Operator, enter_raw_milk: Enter
) -> None:
    result = enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 150_000)

    [stored] = plate_verdicts(farm)
    assert (stored.verdict, stored.guide_version, stored.cause) == (
        "unfavourable",
        CURRENT_VERSION,
        "recorded",
    )
    assert stored.result == result
    assert stored.analysis == "cow-own_delivered-any-plate_count"
    assert stored.judgement is not None and stored.judgement["verdict"] == "unfavourable"


def test_a_stored_raw_milk_verdict_stays_when_the_guide_in_force_changes(
    client: Client, owner: User, farm: Operator, enter_raw_milk: Enter, guide_in_force: Callable
) -> None:
    # given: January and February at 95 000, conform with version 1 (norm 100 000)
    for day, value in twice_a_month([(2026, 1), (2026, 2)], 95_000):
        enter_raw_milk(farm, "plate_count", day, value)
    # when: version 2 with a norm of 90 000 comes in force
    guide_in_force(changed_guide(plate_count_norm=90_000))
    client.force_login(owner)
    page = verdict_page(client, farm)
    api = api_plate_verdict(client, owner, farm)

    # then: the stored verdict is shown, with the other answer of version 2 beside it
    assert api["verdict"]["verdict"] == "conform"
    assert api["guide_version"] == CURRENT_VERSION and api["stored"] is True
    assert api["verdict_now"]["verdict"] == "unfavourable"
    assert api["verdict_now"]["guide_version"] == "2"
    assert "lab-verdict-conform" in page
    assert "The guide in force now (version 2) would judge these results otherwise" in page
    assert len(plate_verdicts(farm)) == 4  # reading stores nothing


def test_a_new_result_keeps_the_months_judged_before_and_judges_its_own_with_the_new_guide(
    client: Client, owner: User, farm: Operator, enter_raw_milk: Enter, guide_in_force: Callable
) -> None:
    for day, value in twice_a_month([(2026, 1), (2026, 2)], 95_000):
        enter_raw_milk(farm, "plate_count", day, value)
    guide_in_force(changed_guide(plate_count_norm=90_000))

    enter_raw_milk(farm, "plate_count", date(2026, 4, 5), 95_000)

    latest = plate_verdicts(farm)[-1]
    assert latest.guide_version == "2"
    months = {m["month"]: m for m in latest.judgement["timeline"]}
    assert (months["2026-02-01"]["status"], months["2026-02-01"]["judged_with"]) == (
        "conform",
        CURRENT_VERSION,
    )
    assert (months["2026-04-01"]["status"], months["2026-04-01"]["judged_with"]) == (
        "unfavourable",
        "2",
    )
    api = api_plate_verdict(client, owner, farm)
    assert api["verdict"]["verdict"] == "unfavourable"
    assert api["verdict"]["consecutive_unfavourable_months"] == 1  # February stays conform
    # Judged wholly with version 2, January and February would be unfavourable too.
    assert api["verdict_now"]["consecutive_unfavourable_months"] == 3


def test_judging_again_with_the_same_guide_shows_nothing_beside(
    client: Client, owner: User, farm: Operator, enter_raw_milk: Enter
) -> None:
    for day, value in twice_a_month([(2026, 1), (2026, 2)], 95_000):
        enter_raw_milk(farm, "plate_count", day, value)
    client.force_login(owner)

    assert api_plate_verdict(client, owner, farm)["verdict_now"] is None
    assert "would judge these results otherwise" not in verdict_page(client, farm)


def test_correcting_and_withdrawing_store_a_new_verdict_each(
    farm: Operator, owner: User, enter_raw_milk: Enter
) -> None:
    result = enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 1_500_000)
    corrected = correct_raw_milk_result(
        farm,
        owner,
        result.entry,
        RawMilkInput(*COW, "plate_count", date(2026, 1, 5), 150_000.0),
        "typed one zero too many",
    )
    withdrawing = withdraw_raw_milk_result(farm, owner, result.entry, "sample of another farm")

    first, second, third = plate_verdicts(farm)
    assert [v.cause for v in (first, second, third)] == ["recorded", "corrected", "withdrawn"]
    assert (second.result, third.result) == (corrected, withdrawing)
    assert first.judgement["singles"][0]["value"] == 1_500_000
    assert second.judgement["singles"][0]["value"] == 150_000
    assert (third.verdict, third.judgement) == ("", None)  # no result left to judge


def test_an_imported_file_stores_one_verdict_per_analysis(farm: Operator, owner: User) -> None:
    text = "datum;kiemgetal;celgetal\n05/01/2026;80000;250000\n20/01/2026;90000;\n"
    batch = import_raw_milk_csv(farm, owner, *COW, "mcc.csv", text)

    stored = RawMilkVerdict.objects.for_operator(farm).filter(csv_import=batch)
    assert sorted((v.parameter, v.cause, v.verdict) for v in stored) == [
        ("plate_count", "imported", "conform"),
        ("somatic_cells", "imported", "conform"),
    ]


def test_the_result_page_shows_the_verdict_when_each_version_was_stored(
    owner_client: Client, farm: Operator, owner: User, enter_raw_milk: Enter
) -> None:
    result = enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 150_000)
    correct_raw_milk_result(
        farm,
        owner,
        result.entry,
        RawMilkInput(*COW, "plate_count", date(2026, 1, 5), 50_000.0),
        "the lab's corrected report",
    )

    page = owner_client.get(
        reverse("lab:raw_milk_result", kwargs={"operator_slug": farm.slug, "entry": result.entry}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert "Above the norm when judged." in page
    assert "Within the norm when judged." in page
    assert "Verdict of the analysis then: unfavourable (guide version zuivel-1)." in page
    assert "Verdict of the analysis then: conform (guide version zuivel-1)." in page


def test_a_stored_verdict_cannot_be_changed_or_deleted(
    farm: Operator, enter_raw_milk: Enter
) -> None:
    enter_raw_milk(farm, "plate_count", date(2026, 1, 5), 150_000)
    [stored] = plate_verdicts(farm)

    stored.verdict = "conform"
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        RawMilkVerdict.objects.filter(pk=stored.pk).update(verdict="conform")
    with pytest.raises(AppendOnlyError):
        RawMilkVerdict.objects.filter(pk=stored.pk).delete()


# --- finished products --------------------------------------------------------------------------


def test_a_product_verdict_is_stored_with_its_result_version(farm: Operator, owner: User) -> None:
    result = record_product_result(farm, owner, cheese([5_000.0, 20_000.0, 30_000.0, 1_000.0]))

    stored = ProductVerdict.objects.get(result=result)
    assert (stored.verdict, stored.criterion_type, stored.guide_version) == (
        "acceptable",
        "PH",
        CURRENT_VERSION,
    )
    assert stored.judgement["criterion"]["m"] == 10_000


def test_a_stored_product_verdict_stays_when_the_guide_in_force_changes(
    client: Client, owner: User, farm: Operator, guide_in_force: Callable
) -> None:
    result = record_product_result(farm, owner, cheese([5_000.0, 20_000.0, 30_000.0, 1_000.0]))
    guide_in_force(changed_guide(staphylococci_m=1_000))
    client.force_login(owner)

    fetched = client.get(
        f"/api/lab/products/results/{result.entry}?lang=en", headers=bearer(owner, farm)
    ).json()
    page = client.get(
        reverse("lab:product_verdict", kwargs={"operator_slug": farm.slug, "entry": result.entry}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert (fetched["verdict"]["verdict"], fetched["guide_version"]) == (
        "acceptable",
        CURRENT_VERSION,
    )
    assert fetched["verdict_now"]["verdict"] == "unsatisfactory"
    assert fetched["verdict_now"]["criterion"]["m"] == 1_000
    assert "lab-verdict-acceptable" in page
    assert "would judge these results otherwise" in page
    judgement = selectors.product_judgement(result)
    assert judgement is not None and judgement.verdict.value == "acceptable"


def test_a_product_result_entered_under_the_new_guide_is_judged_by_it(
    farm: Operator, owner: User, guide_in_force: Callable
) -> None:
    guide_in_force(changed_guide(staphylococci_m=1_000))
    result = record_product_result(farm, owner, cheese([5_000.0, 20_000.0, 30_000.0, 1_000.0]))

    stored = ProductVerdict.objects.get(result=result)
    assert (stored.verdict, stored.guide_version) == ("unsatisfactory", "2")


# --- the data migration -------------------------------------------------------------------------


def _fill() -> None:
    migration = importlib.import_module("dairyhaccp.web.lab.migrations.0003_fill_stored_verdicts")
    migration.fill_stored_verdicts(apps, None)


def test_the_migration_stores_the_verdicts_of_results_entered_before(
    farm: Operator, owner: User
) -> None:
    # given: results stored the way they were before verdicts were kept (no verdict rows)
    for day, value in twice_a_month([(2026, m) for m in (1, 2, 3, 4)], 150_000):
        RawMilkResult.objects.create(
            operator=farm,
            recorded_by=owner,
            species="cow",
            source="own_delivered",
            parameter="plate_count",
            sampled_on=day,
            count=value,
        )
    RawMilkResult.objects.create(
        operator=farm,
        recorded_by=owner,
        species="cow",
        source="own_delivered",
        parameter="antibiotic_residues",
        sampled_on=date(2026, 4, 1),
        outcome="detected",
        lots="K-0401",
        laboratory="MCC",
    )
    product = ProductResult.objects.create(
        operator=farm,
        recorded_by=owner,
        product_name="Hoevekaas",
        product={"kind": "semi_hard_cheese", "raw_milk": True},
        parameter="coagulase_positive_staphylococci",
        sampled_on=date(2026, 3, 3),
        results=[5_000.0, 200_000.0],
    )

    _fill()
    _fill()  # a second run adds nothing to what is stored

    [plate] = plate_verdicts(farm)
    assert (plate.cause, plate.verdict, plate.stop_use) == ("filled", "unfavourable", True)
    [antibiotics] = RawMilkVerdict.objects.for_operator(farm).filter(
        parameter="antibiotic_residues"
    )
    assert antibiotics.judgement["linked_lots"] == ["K-0401"]
    assert antibiotics.judgement["notification"]["duty"] == "taken_over_by_laboratory"
    stored = ProductVerdict.objects.get(result=product)
    assert (stored.cause, stored.verdict) == ("filled", "unsatisfactory")
