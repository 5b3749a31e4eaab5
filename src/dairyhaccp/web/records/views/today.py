"""The "today" dashboard: what to do now, by place; open deviations, blocked lots; what is
due later this week."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dairyhaccp.monitoring.agenda import Duty, TargetKind
from dairyhaccp.monitoring.schedule import DueStatus
from dairyhaccp.plan.models import Plan
from dairyhaccp.web import compiled
from dairyhaccp.web.lab.selectors import due_analyses
from dairyhaccp.web.lots.services.book import batch_key
from dairyhaccp.web.operators.access import OperatorRequest, operator_view
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.constants import TODAY_LIST
from dairyhaccp.web.records.presentation import (
    DutyRow,
    control_title,
    duty_rows,
    milk_label,
    product_label,
    text,
)
from dairyhaccp.web.records.services.setup import made_from_raw_milk, plan_products

SECTIONS = ("overdue", "today", "week", "later", "done")

# The places of a dairy, in the order of the day, and the kinds of room in each.
PLACES: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("milk-room", _("Milk room"), ("milk_tank",)),
    ("production", _("Production"), ()),
    ("cheese-room", _("Cheese room"), ("production_room", "brine_bath")),
    ("ripening-cellar", _("Ripening cellar"), ("ripening_room",)),
    ("cold-room", _("Cold room"), ("cold_room", "freezer")),
    ("shop", _("Shop"), ("shop_cabinet",)),
    ("business", _("Whole business"), ()),
)
_PLACE_OF_KIND = {kind: slug for slug, _title, kinds in PLACES for kind in kinds}


@dataclass(frozen=True)
class MilkNote:
    """What a batch of the day is made from: its milk with the milking time, or that it is not
    linked to milk with where to link it."""

    text: str
    link: str = ""


@dataclass
class Group:
    """The duties of one batch (or of one place when `title` is empty)."""

    title: str
    anchor: str
    duties: list[DutyRow] = field(default_factory=list)
    milk: MilkNote | None = None


@dataclass
class Place:
    slug: str
    title: str
    groups: list[Group] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.duties) for g in self.groups)


def _place_of(duty: Duty) -> str:
    if duty.target_kind is TargetKind.BATCH:
        return "production"
    return _PLACE_OF_KIND.get(duty.room_kind or "", "business")


def places(
    duties: tuple[Duty, ...],
    operator_slug: str,
    batch_products: dict[str, str],
    milk_notes: dict[str, MilkNote] | None = None,
) -> list[Place]:
    """The duties to do now, by place, the production checks by batch (with their milk)."""
    found = {slug: Place(slug, str(title)) for slug, title, _kinds in PLACES}
    for duty, row in zip(duties, duty_rows(duties, operator_slug), strict=True):
        place = found[_place_of(duty)]
        row = replace(row, url=f"{row.url}{'&' if '?' in row.url else '?'}from=today")
        milk = None
        if duty.target_kind is TargetKind.BATCH:
            anchor = f"batch-{duty.target_key}"
            title = f"{duty.target_name} · {batch_products.get(duty.target_key or '', '')}"
            milk = (milk_notes or {}).get(duty.target_key or "")
        else:
            anchor, title = "", ""
        group = next((g for g in place.groups if g.anchor == anchor), None)
        if group is None:
            group = Group(title, anchor, milk=milk)
            place.groups.append(group)
        group.duties.append(row)
    return [place for place in found.values() if place.groups]


def batch_milk_notes(
    operator: Operator, plan: Plan, batches: dict[int, str]
) -> dict[str, MilkNote]:
    """The milk of each batch (pk: product): its milkings, or a link to link it to its milk
    when its product is made from the business's raw milk."""
    found = selectors.milk_of(operator, batches)
    notes = {}
    for pk, product in batches.items():
        if pk in found:
            milk = "; ".join(milk_label(m) for m in found[pk])
            notes[str(pk)] = MilkNote(gettext("Milk {milk}").format(milk=milk))
        elif made_from_raw_milk(plan, product):
            link = reverse(
                "lots:link-milk", kwargs={"operator_slug": operator.slug, "key": batch_key(pk)}
            )
            notes[str(pk)] = MilkNote(gettext("Not linked to milk."), link)
    return notes


def _count(shown: list[Any], queryset: Callable[[], QuerySet[Any]]) -> int:
    """How many there are: the rows shown when the list is not cut short, else a count."""
    return len(shown) if len(shown) < TODAY_LIST else queryset().count()


@operator_view
def today(request: OperatorRequest) -> HttpResponse:
    """Everything the cheesemaker must see today; open deviations stay until closed."""
    operator = request.operator
    current = selectors.operator_plan(operator)
    if current is None:
        return render(request, "records/no_plan.html", {"operator": operator})
    now = timezone.now()
    agenda, batch_products_by_pk = selectors.agenda_with_batches(operator, current.plan, now)
    now_duties = (*agenda.section("overdue"), *agenda.section("today"))
    batch_keys = {d.target_key for d in now_duties if d.target_kind is TargetKind.BATCH}
    products = {
        pk: product for pk, product in batch_products_by_pk.items() if str(pk) in batch_keys
    }
    batch_products = {str(pk): product_label(product) for pk, product in products.items()}
    sections = {name: duty_rows(agenda.section(name), operator.slug) for name in SECTIONS[2:]}
    analyses = due_analyses(operator, current.plan, now)
    open_deviations = partial(selectors.open_deviation_heads, operator)
    deviations = [
        (deviation, control_title(current.plan, deviation.control_id))
        for deviation in compiled.instances(
            ("open deviations shown", operator.pk, TODAY_LIST),
            lambda: open_deviations()[:TODAY_LIST],
        )
    ]
    blocked_shown = compiled.instances(
        ("blocked lots shown", operator.pk, TODAY_LIST),
        lambda: selectors.blocked_lots(operator)[: TODAY_LIST + 1],
    )
    return render(
        request,
        "records/today.html",
        {
            "operator": operator,
            "plan": current.plan,
            "relaxed": agenda.relaxed,
            "registration_text": text(current.plan.registration_text),
            "places": places(
                now_duties,
                operator.slug,
                batch_products,
                batch_milk_notes(operator, current.plan, products),
            ),
            "open_now": len(now_duties),
            "sections": sections,
            "expired": len(agenda.expired),
            "products": [(label, product_label(label)) for label in plan_products(current.plan)],
            "open_deviations": deviations,
            "open_deviation_count": _count(deviations, open_deviations),
            "blocked_lots": blocked_shown[:TODAY_LIST],
            "more_blocked_lots": len(blocked_shown) > TODAY_LIST,
            "day": agenda.day,
            "analyses_overdue": analyses.count(DueStatus.OVERDUE),
            "analyses_due": analyses.count(DueStatus.DUE),
        },
    )
