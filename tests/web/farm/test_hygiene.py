"""The hygiene score of the farmyard: entered as the audit or inspection gives it, shown in the
self-assessment, and a poor rating of the surroundings blocks a certificate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.translation import override

from dairyhaccp.ikm import hygiene_blocks_certificate, load_lastenboek
from dairyhaccp.web.farm.evidence import criterion_row
from dairyhaccp.web.farm.models import Audit, HygieneRating
from dairyhaccp.web.farm.services import (
    AuditInput,
    FarmInputError,
    HygieneInput,
    record_audit,
    record_hygiene_score,
)
from dairyhaccp.web.operators.models import AppendOnlyError

from .conftest import Sector

CRITERION = "H-surroundings-hygiene"


def score(world: Sector, rating: str, day: date, **changes: str) -> HygieneRating:
    data = {"given_by": "Certalent, J. Auditeur", "score": "", "remark": ""}
    data.update(changes)
    return record_hygiene_score(
        world.farm, world.owner, HygieneInput(scored_on=day, rating=rating, **data)
    )


def audit(world: Sector, decision: str = "standard", decided_on: date = date(2026, 2, 20)) -> Audit:
    return record_audit(
        world.farm,
        world.auditor_a,
        AuditInput(
            body=world.body_a,
            held_on=date(2026, 2, 10),
            auditor_name="J. Auditeur",
            kind="regular",
            decision=decision,
            decided_on=decided_on,
        ),
    )


def test_the_ratings_come_from_the_data_and_only_poor_blocks_the_certificate() -> None:
    book = load_lastenboek()
    ratings = book.hygiene_score.surroundings.ratings

    assert [r.id for r in ratings] == ["sufficient", "weak", "poor"]
    assert [hygiene_blocks_certificate(book, r.id) for r in ratings] == [False, False, True]
    # the scale of the twelve points stays unsourced, as the data had it
    assert book.hygiene_score.scale is None and book.hygiene_score.pass_threshold is None
    assert book.criterion(book.hygiene_score.surroundings.criterion).knock_out is not None
    with pytest.raises(ValueError, match="rating"):
        hygiene_blocks_certificate(book, "excellent")


def test_a_score_is_stored_with_who_and_when_and_never_changed(world: Sector) -> None:
    entry = score(world, "weak", date(2026, 2, 10), score="7,4")

    assert entry.recorded_by == world.owner and entry.recorded_at is not None
    assert entry.score == "7,4" and entry.lastenboek_version
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_an_unknown_rating_is_refused_naming_the_field(world: Sector) -> None:
    with pytest.raises(FarmInputError) as refused:
        score(world, "excellent", date(2026, 2, 10))
    assert refused.value.field == "rating"


def test_a_poor_rating_blocks_recording_a_certificate_as_granted(world: Sector) -> None:
    score(world, "poor", date(2026, 2, 10))

    with override("en"), pytest.raises(FarmInputError) as refused:
        audit(world, "standard")

    assert refused.value.field == "decision"
    assert "rated poor" in refused.value.problem and "no certificate" in refused.value.problem
    assert not Audit.objects.filter(operator=world.farm).exists()
    # the decision "no certificate" is recorded
    assert audit(world, "none").certificate == "none"


def test_a_newer_better_score_lifts_the_block(world: Sector) -> None:
    score(world, "poor", date(2026, 1, 5))
    score(world, "weak", date(2026, 2, 10))

    assert audit(world, "short").certificate == "short"


def test_a_poor_score_after_the_decision_does_not_block_it(world: Sector) -> None:
    score(world, "poor", date(2026, 2, 21))

    assert audit(world, "standard", decided_on=date(2026, 2, 20)).certificate == "standard"


def test_the_self_assessment_shows_the_score_and_counts_a_poor_one_not_met(
    world: Sector,
) -> None:
    with override("en"):
        assert criterion_row(world.farm, CRITERION).effective is None  # type: ignore[union-attr]
        score(world, "poor", date(2026, 2, 10), score="4,1")
        row = criterion_row(world.farm, CRITERION)

    assert row is not None and row.effective == "not_met" and row.by_app
    text = " ".join(e.text for e in row.evidence)
    assert "rated poor" in text and "4,1" in text and "Certalent" in text

    score(world, "sufficient", date(2026, 2, 11))
    row = criterion_row(world.farm, CRITERION)
    assert row is not None and row.effective == "met" and row.by_app


def test_the_page_lists_the_scores_and_the_farmer_records_one(
    world: Sector, login: Callable[[User], Client]
) -> None:
    client = login(world.owner)
    url = f"/{world.farm.slug}/farm/hygiene/"
    saved = client.post(
        url,
        {"scored_on": "2026-02-10", "given_by": "Certalent", "rating": "weak", "score": "6"},
    )
    assert saved.status_code == 302

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Certalent" in page.content.decode() and "Weak" in page.content.decode()

    refused = client.post(url, {"scored_on": "2026-02-10", "given_by": "", "rating": "poor"})
    assert refused.status_code == 200 and "given_by" in refused.context["form"].errors


def test_the_vet_reads_the_scores_but_records_none(
    world: Sector, login: Callable[[User], Client]
) -> None:
    client = login(world.vet)
    url = f"/{world.farm.slug}/farm/hygiene/"

    assert client.get(url).status_code == 200
    refused = client.post(url, {"scored_on": "2026-02-10", "given_by": "X", "rating": "poor"})
    assert refused.status_code == 403
    assert not HygieneRating.objects.exists()


def test_the_auditor_of_the_chosen_body_records_a_score_the_other_body_sees_nothing(
    world: Sector, login: Callable[[User], Client]
) -> None:
    url = f"/{world.farm.slug}/farm/hygiene/"
    form = {"scored_on": "2026-02-10", "given_by": "Certalent", "rating": "poor"}

    assert login(world.auditor_b).post(url, form).status_code == 404
    assert login(world.auditor_a).post(url, form).status_code == 302
    assert login(world.sector_user).get(url).status_code in (403, 404)
    assert HygieneRating.objects.get().operator == world.farm
