"""A disposition recorded wrongly is corrected by a new version with who, when and why; the
version corrected stays, only the latest counts; on the recall page and the API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.lots.models import Disposition, DispositionCorrection, Recall
from dairyhaccp.web.lots.selectors import book_of
from dairyhaccp.web.lots.services import (
    LotError,
    RecallInput,
    close_recall,
    correct_disposition,
    disposed,
    disposition_versions,
    open_recall,
    record_disposition,
    record_recall_event,
)
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import AppendOnlyError, Operator

from .conftest import Chain, bearer, days_ago

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _recall(chain: Chain, owner: User) -> Recall:
    return open_recall(
        chain.cheese.operator,
        owner,
        RecallInput(
            trigger="manual",
            lots=[chain.cheese_key],
            hazard="mould",
            origin="in_house",
            measures="kept apart",
        ),
    )


def test_a_correction_is_a_new_version_and_only_the_latest_counts(
    chain: Chain, owner: User
) -> None:
    recall = _recall(chain, owner)
    cheese = recall.lots.get()
    wrong = record_disposition(recall, owner, cheese, "returned", Decimal(12), days_ago(0))

    right = correct_disposition(
        wrong, owner, "returned", Decimal(10), days_ago(0), "shop", "counted again: 10 kg"
    )

    assert Disposition.objects.filter(recall_lot=cheese).count() == 2
    link = DispositionCorrection.objects.get()
    assert (link.corrected, link.replacement, link.reason) == (wrong, right, "counted again: 10 kg")
    assert (link.recorded_by, right.recorded_by) == (owner, owner)
    assert disposed(cheese) == Decimal(10)
    assert disposition_versions(wrong) == [wrong, right]
    assert disposition_versions(right) == [wrong, right]
    with pytest.raises(AppendOnlyError):
        wrong.save()
    assert verify(chain.cheese.operator).intact


def test_a_correction_is_refused_like_a_disposition_and_without_a_reason(
    chain: Chain, owner: User
) -> None:
    recall = _recall(chain, owner)
    cheese = recall.lots.get()
    first = record_disposition(recall, owner, cheese, "returned", Decimal(10), days_ago(0))
    record_disposition(recall, owner, cheese, "returned", Decimal(5), days_ago(0))

    with pytest.raises(LotError) as excinfo:
        correct_disposition(first, owner, "returned", Decimal(25), days_ago(0), "", "more")
    # 29 kg to account for (delivered, sold, in stock), 5 kg by another disposition
    assert excinfo.value.field == "quantity"
    assert excinfo.value.problem == (
        "25 kg is more than what is left to account for of lot K-1: 24 kg."
    )
    with pytest.raises(LotError) as excinfo:
        correct_disposition(first, owner, "returned", Decimal(9), days_ago(0), "", "  ")
    assert excinfo.value.field == "correction_reason"
    with pytest.raises(LotError) as excinfo:
        correct_disposition(first, owner, "released", Decimal(9), days_ago(0), "", "lab")
    assert excinfo.value.field == "note"

    correct_disposition(first, owner, "returned", Decimal(14), days_ago(0), "", "all back")
    with pytest.raises(LotError) as excinfo:
        correct_disposition(first, owner, "returned", Decimal(1), days_ago(0), "", "again")
    assert excinfo.value.field == "correction_reason"
    assert "corrected meanwhile" in excinfo.value.problem
    assert disposed(cheese) == Decimal(19)


def test_a_correction_to_destroyed_takes_the_difference_off_the_stock(
    chain: Chain, owner: User
) -> None:
    operator = chain.cheese.operator
    recall = _recall(chain, owner)
    cheese = recall.lots.get()
    wrong = record_disposition(recall, owner, cheese, "returned", Decimal(10), days_ago(0))
    assert book_of(operator).left(chain.cheese_key) == 17

    correct_disposition(
        wrong, owner, "destroyed", Decimal(10), days_ago(0), "", "destroyed, not returned"
    )

    assert book_of(operator).left(chain.cheese_key) == 7


def test_a_closed_recalls_dispositions_are_not_corrected(chain: Chain, owner: User) -> None:
    recall = _recall(chain, owner)
    cheese = recall.lots.get()
    done = record_disposition(recall, owner, cheese, "returned", Decimal(29), days_ago(0))
    record_recall_event(recall, owner, "notified", days_ago(0))
    close_recall(recall, owner)

    with pytest.raises(LotError, match="closed"):
        correct_disposition(done, owner, "returned", Decimal(28), days_ago(0), "", "miscounted")


def correct_url(recall: Recall, disposition: Disposition) -> str:
    return reverse(
        "lots:disposition-correct",
        kwargs={
            "operator_slug": recall.operator.slug,
            "recall_id": recall.pk,
            "disposition_id": disposition.pk,
        },
    )


def test_the_recall_page_links_to_the_correction_and_shows_why(
    owner_client: Client, chain: Chain, owner: User
) -> None:
    recall = _recall(chain, owner)
    wrong = record_disposition(
        recall, owner, recall.lots.get(), "returned", Decimal(12), days_ago(0)
    )
    recall_url = reverse(
        "lots:recall", kwargs={"operator_slug": recall.operator.slug, "recall_id": recall.pk}
    )
    assert correct_url(recall, wrong) in owner_client.get(recall_url, **EN).text

    refused = owner_client.post(
        correct_url(recall, wrong),
        {"kind": "returned", "quantity": "25", "done_on": days_ago(0).isoformat()},
        **EN,
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["correction_reason"]
    response = owner_client.post(
        correct_url(recall, wrong),
        {
            "kind": "returned",
            "quantity": "10",
            "done_on": days_ago(0).isoformat(),
            "note": "",
            "correction_reason": "counted again",
        },
        **EN,
    )

    assert response.status_code == 302
    page = owner_client.get(recall_url, **EN).text
    assert "corrected: counted again" in page
    history = owner_client.get(correct_url(recall, wrong), **EN)
    assert history.status_code == 200
    assert "corrected meanwhile" in history.text
    assert history.text.count("<li>") >= 2


def test_another_operators_disposition_is_not_found(
    owner_client: Client, chain: Chain, owner: User, make_member: Callable[..., User]
) -> None:
    from dairyhaccp.web.operators.services import create_operator

    from .conftest import give_plan, milking

    other = create_operator("Andere Hoeve", slug="andere")
    other_owner = make_member(other, Role.OWNER)
    give_plan(other, other_owner)
    milk = milking(other, other_owner, "A-M", "100", days_ago(2))
    foreign = open_recall(
        other,
        other_owner,
        RecallInput(trigger="manual", lots=[f"b{milk.batch_id}"], hazard="x", origin="in_house"),
    )
    theirs = record_disposition(
        foreign, other_owner, foreign.lots.get(), "destroyed", Decimal(1), days_ago(0)
    )
    own = _recall(chain, owner)
    data = {"kind": "returned", "quantity": "1", "done_on": days_ago(0).isoformat()}

    # the other operator's page, and its disposition under the own recall
    assert owner_client.get(correct_url(foreign, theirs)).status_code == 404
    assert owner_client.post(correct_url(foreign, theirs), data).status_code == 404
    under_own = reverse(
        "lots:disposition-correct",
        kwargs={
            "operator_slug": own.operator.slug,
            "recall_id": own.pk,
            "disposition_id": theirs.pk,
        },
    )
    assert owner_client.get(under_own).status_code == 404
    assert not DispositionCorrection.objects.exists()


def test_an_auditor_may_not_correct(auditor_client: Client, chain: Chain, owner: User) -> None:
    recall = _recall(chain, owner)
    done = record_disposition(recall, owner, recall.lots.get(), "returned", Decimal(5), days_ago(0))
    data = {
        "kind": "returned",
        "quantity": "4",
        "done_on": days_ago(0).isoformat(),
        "correction_reason": "x",
    }

    assert auditor_client.get(correct_url(recall, done)).status_code == 403
    assert auditor_client.post(correct_url(recall, done), data).status_code == 403
    assert not DispositionCorrection.objects.exists()


def test_the_api_corrects_a_disposition_and_lists_the_latest_versions(
    client: Client, chain: Chain, owner: User
) -> None:
    recall = _recall(chain, owner)
    wrong = record_disposition(
        recall, owner, recall.lots.get(), "returned", Decimal(12), days_ago(0)
    )
    headers = bearer(owner, chain.cheese.operator)
    address = f"/api/recalls/{recall.pk}/dispositions/{wrong.pk}/corrections?lang=en"

    refused = client.post(
        address,
        {
            "kind": "returned",
            "quantity": 30,
            "date": days_ago(0).isoformat(),
            "correction_reason": "x",
        },
        content_type="application/json",
        headers=headers,
    )
    response = client.post(
        address,
        {
            "kind": "returned",
            "quantity": "10",
            "date": days_ago(0).isoformat(),
            "correction_reason": "counted again",
        },
        content_type="application/json",
        headers=headers,
    )

    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("quantity: ")
    assert response.status_code == 201
    body = response.json()
    assert [Decimal(d["quantity"]) for d in body["dispositions"]] == [Decimal(10)]
    assert body["dispositions"][0]["corrects_id"] == wrong.pk
    assert body["dispositions"][0]["correction_reason"] == "counted again"
    assert Decimal(body["lots"][0]["disposed"]) == Decimal(10)


def test_the_api_refuses_another_operators_disposition(
    client: Client, chain: Chain, owner: User, make_member: Callable[..., User]
) -> None:
    from dairyhaccp.web.operators.services import create_operator

    other: Operator = create_operator("Andere Hoeve", slug="andere")
    other_owner = make_member(other, Role.OWNER)
    recall = _recall(chain, owner)
    done = record_disposition(recall, owner, recall.lots.get(), "returned", Decimal(5), days_ago(0))

    response = client.post(
        f"/api/recalls/{recall.pk}/dispositions/{done.pk}/corrections",
        {
            "kind": "returned",
            "quantity": 4,
            "date": days_ago(0).isoformat(),
            "correction_reason": "x",
        },
        content_type="application/json",
        headers=bearer(other_owner, other),
    )

    assert response.status_code == 404
    assert not DispositionCorrection.objects.exists()


def test_an_auditors_token_may_not_correct_through_the_api(
    client: Client, chain: Chain, owner: User, auditor: User
) -> None:
    recall = _recall(chain, owner)
    done = record_disposition(recall, owner, recall.lots.get(), "returned", Decimal(5), days_ago(0))

    response = client.post(
        f"/api/recalls/{recall.pk}/dispositions/{done.pk}/corrections",
        {
            "kind": "returned",
            "quantity": 4,
            "date": days_ago(0).isoformat(),
            "correction_reason": "x",
        },
        content_type="application/json",
        headers=bearer(auditor, chain.cheese.operator),
    )

    assert response.status_code == 403
    assert not DispositionCorrection.objects.exists()
