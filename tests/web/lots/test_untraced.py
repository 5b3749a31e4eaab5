"""The lots page lists the recent batches still without a quantity, not every one ever."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db.models.signals import post_init
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dairyhaccp.web.lots.constants import LOT_OFFER_DAYS
from dairyhaccp.web.lots.selectors import untraced
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records.models import Batch
from dairyhaccp.web.records.services import create_batch

from .conftest import Chain, at, days_ago

pytestmark = pytest.mark.django_db


def test_recent_batches_without_a_quantity_are_listed_and_older_ones_are_not(
    client: Client, chain: Chain, owner: User
) -> None:
    # given a batch of yesterday and one of long ago, both without a quantity
    operator: Operator = chain.cheese.operator
    recent = create_batch(
        operator, owner, "Y-RECENT", "Roeryoghurt", started_at=at(days_ago(LOT_OFFER_DAYS - 1))
    )
    old = create_batch(
        operator, owner, "Y-OLD", "Roeryoghurt", started_at=at(days_ago(LOT_OFFER_DAYS + 1))
    )
    client.force_login(owner)

    # when the lots page is shown, in French
    page = client.get(
        reverse("lots:index", kwargs={"operator_slug": operator.slug}),
        headers={"accept-language": "fr"},
    )

    # then only the recent one is offered to be given its quantity, with a link to older ones
    assert [batch.lot_code for batch in page.context["untraced"].batches] == [recent.lot_code]
    text = page.text
    produce = reverse("lots:produce", kwargs={"operator_slug": operator.slug})
    assert f"{produce}?batch={recent.pk}" in text
    assert f"?batch={old.pk}" not in text
    assert f"des {LOT_OFFER_DAYS} derniers jours" in text
    assert 'href="?untraced=older#untraced"' in text

    # and the older ones are listed when asked for, a batch with its quantity in neither list
    older = client.get(
        reverse("lots:index", kwargs={"operator_slug": operator.slug}) + "?untraced=older",
        headers={"accept-language": "fr"},
    )
    assert [batch.lot_code for batch in older.context["untraced"].batches] == [old.lot_code]
    assert f"{produce}?batch={old.pk}" in older.text
    assert f"il y a plus de {LOT_OFFER_DAYS} jours" in older.text
    listed = [b.pk for b in page.context["untraced"].batches + older.context["untraced"].batches]
    assert chain.cheese.batch_id not in listed and chain.milk.batch_id not in listed


def test_without_older_batches_to_trace_no_link_to_them_is_shown(
    client: Client, chain: Chain, owner: User
) -> None:
    operator: Operator = chain.cheese.operator
    create_batch(
        operator, owner, "Y-RECENT", "Roeryoghurt", started_at=at(days_ago(LOT_OFFER_DAYS - 1))
    )
    client.force_login(owner)

    page = client.get(reverse("lots:index", kwargs={"operator_slug": operator.slug}))

    assert not page.context["untraced"].more_older
    assert "?untraced=older" not in page.text


def test_only_the_batches_shown_are_read_whole(chain: Chain, owner: User) -> None:
    # given the recent batches of the chain, which have their quantity, and one without
    operator: Operator = chain.cheese.operator
    recent = create_batch(
        operator, owner, "Y-RECENT", "Roeryoghurt", started_at=at(days_ago(LOT_OFFER_DAYS - 1))
    )
    read: list[int] = []

    def count(sender: type[Batch], instance: Batch, **kwargs: object) -> None:
        read.append(instance.pk)

    # when the batches to trace are looked up
    post_init.connect(count, sender=Batch)
    try:
        found = untraced(operator)
    finally:
        post_init.disconnect(count, sender=Batch)

    # then the traced ones of the window were not read as batches
    assert [batch.pk for batch in found.batches] == [recent.pk]
    assert read == [recent.pk]


def test_the_window_starts_at_its_moment_not_at_the_start_of_its_day(
    chain: Chain, owner: User
) -> None:
    # given, at noon, a batch started an hour after the window's start and one an hour before
    # it (the same day), both without a quantity
    operator: Operator = chain.cheese.operator
    noon = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=60), time(12, 0))
    )
    with time_machine.travel(noon, tick=False):
        start = noon - timedelta(days=LOT_OFFER_DAYS)
        inside = create_batch(
            operator, owner, "Y-IN", "Roeryoghurt", started_at=start + timedelta(hours=1)
        )
        create_batch(operator, owner, "Y-OUT", "Roeryoghurt", started_at=start - timedelta(hours=1))

        # when the batches to trace are looked up, twice (the second time from kept queries)
        found = [untraced(operator), untraced(operator)]

    # then only the one inside the window is listed, and the other counts as an older one
    for each in found:
        assert [batch.pk for batch in each.batches] == [inside.pk]
        assert each.more_older
