"""The demo operator gets a few lab results, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dairyhaccp.web.lab import selectors
from dairyhaccp.web.lab.models import ProductResult, RawMilkResult
from dairyhaccp.web.operators.models import Operator

pytestmark = pytest.mark.django_db


def test_the_demo_has_raw_milk_and_product_results_loaded_once() -> None:
    call_command("load_demo", stdout=StringIO())
    counts = (RawMilkResult.objects.count(), ProductResult.objects.count())
    call_command("load_demo", stdout=StringIO())

    assert (RawMilkResult.objects.count(), ProductResult.objects.count()) == counts
    assert counts == (10, 2)
    operator = Operator.objects.get(slug="hoeve-voorbeeld")
    plan = selectors.plan_or_none(operator)
    assert plan is not None
    verdicts = selectors.all_raw_milk_verdicts(operator, plan)
    plate = next(v for v in verdicts if v.row.parameter == "plate_count")
    assert plate.judgement is not None and plate.judgement.verdict.value == "unfavourable"
