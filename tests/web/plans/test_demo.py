"""`manage.py load_demo` gives the demo dairy its first plan, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.plans.models import PlanVersion
from dairyhaccp.web.plans.selectors import current_plan

pytestmark = pytest.mark.django_db


def test_the_demo_dairy_gets_a_plan_for_cheese_yoghurt_and_butter() -> None:
    call_command("load_demo", stdout=StringIO())

    operator = Operator.objects.get(slug="hoeve-voorbeeld")
    plan = current_plan(operator)
    assert plan is not None
    assert sorted(flow.id for flow in plan.flows) == ["butter", "cheese", "yoghurt"]
    version = PlanVersion.objects.get(operator=operator)
    assert version.created_by.username == "demo"


def test_loading_the_demo_again_adds_no_version() -> None:
    call_command("load_demo", stdout=StringIO())

    call_command("load_demo", stdout=StringIO())

    assert PlanVersion.objects.count() == 1
