"""A dairy with two years of records, for benchmarks (`manage.py make_heavy_tenant`).

Made through the project's own services: the plan by the wizard's service, rooms and batches
by theirs, the registrations by the bulk path (each judged by the one judge, deviations opened
and most of them closed), the lab results by the lab's service. What is checked where comes
from the plan (the placement of each monitoring item in the guide data) and the values from
the plan's own limits: about 18 registrations a day in the rooms and at the milkings, weekly
and monthly checks, the yearly tasks, 200 batches with their production checks, 100 raw-milk
lab results. The lot book by the lots services: a milking a day (about 400 l), made the same day
into a cheese or a yoghurt with salt and starter from received lots (a new lot about monthly),
most of each delivered and sold in the days after; the last month's productions and a few aged
cheeses stay partly in stock. The same seed gives the same dairy.
"""

from __future__ import annotations

import random
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dairyhaccp.examples import example_profile
from dairyhaccp.guide import load_guide
from dairyhaccp.guide.models import Frequency, Limit
from dairyhaccp.monitoring.duties import (
    RAW_MILK,
    Check,
    batch_checks,
    hygiene_placement,
    placement,
    product_spec,
    room_checks,
)
from dairyhaccp.plan.models import Plan, PlanLimit
from dairyhaccp.web.lab.selectors import milk_streams
from dairyhaccp.web.lab.services import RawMilkInput, record_raw_milk_result
from dairyhaccp.web.lots.choices import CustomerKind, InputKind, MovementKind, ProductionKind
from dairyhaccp.web.lots.models import Customer
from dairyhaccp.web.lots.services import (
    InputLine,
    MovementInput,
    ProductionData,
    ReceiveInput,
    receive_lot,
    record_movement,
    record_production,
    save_customer,
    save_supplier,
)
from dairyhaccp.web.lots.services.stock import refresh_stock
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator
from dairyhaccp.web.plans.services import save_profile
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.choices import DeviationStatus, Outcome
from dairyhaccp.web.records.constants import BULK_MAX_ITEMS, RECENT_BATCHES
from dairyhaccp.web.records.models import Batch, Deviation, Room
from dairyhaccp.web.records.services import (
    BulkItem,
    BulkRefusedError,
    RegistrationInput,
    close_deviation,
    create_batch,
    create_room,
    plan_tasks,
    product_choices,
    record_registrations,
    record_task,
)

ROOMS: tuple[tuple[str, str, str, str], ...] = (
    ("Kaaskelder", "ripening_room", "Hoevekaas", ""),
    ("Koelcel", "cold_room", "", "dairy_chilled"),
    ("Pekelbad", "brine_bath", "Hoevekaas", ""),
    ("Melktank", "milk_tank", "raw_milk", ""),
    ("Winkelkoeltoog", "shop_cabinet", "", "dairy_chilled"),
    ("Diepvries", "freezer", "", "frozen"),
)
PRODUCTS = ("Hoevekaas", "Roeryoghurt", "Hoeveboter")
# One reading in this many is out of its limits (about 1 %).
DEVIATION_ODDS = 100
# Deviations left open at the end (the rest is closed with corrective actions).
LEFT_OPEN = 3
MAX_DAYS = 3650

# The lot book: (kind, supplier, prefix of the supplier's lot codes, size of a lot, unit) of the
# ingredients bought, each lot about a month of use.
INGREDIENTS: tuple[tuple[str, str, str, Decimal, str], ...] = (
    (InputKind.SALT, "Zouthandel De Wit", "ZT", Decimal(12), "kg"),
    (InputKind.STARTER, "Kaasmakersbenodigdheden Vlaanderen", "CHN", Decimal("0.75"), "kg"),
)
CUSTOMERS: tuple[tuple[str, str], ...] = (
    ("Kaashandel Peeters", CustomerKind.SHOP),
    ("Hoevewinkel Het Hof", CustomerKind.SHOP),
    ("Restaurant De Linde", CustomerKind.RESTAURANT),
    ("Bistro Den Hoek", CustomerKind.RESTAURANT),
    ("Groothandel Versvers", CustomerKind.WHOLESALER),
)
# What a day's milking is made into, day by day in turn: (product, lot code prefix, unit).
DAILY: tuple[tuple[str, str, str], ...] = (
    ("Hoevekaas", "K", "kg"),
    ("Roeryoghurt", "Y", "pieces"),
)
# How a production leaves: (days after it was made, kind, share); the last takes the rest.
SALES: dict[str, tuple[tuple[int, str, float], ...]] = {
    "Hoevekaas": ((4, MovementKind.DELIVER, 0.7), (8, MovementKind.SELL, 0)),
    "Roeryoghurt": ((2, MovementKind.DELIVER, 0.8), (5, MovementKind.SELL, 0)),
}
# The productions of these last days keep their last part unsold.
UNSOLD_DAYS = 30
# One cheese in this many keeps a quarter back to age (in stock at the end).
AGED_EVERY = 30
# One yoghurt in this many is past its date before its rest is sold: the rest is destroyed.
LOSS_EVERY = 12


@dataclass(frozen=True)
class Planned:
    """A registration to make: when, and what."""

    at: datetime
    data: RegistrationInput


@dataclass(frozen=True)
class HeavySummary:
    """What was made; `lots` are the lot book's milkings, productions and received lots."""

    operator: Operator
    registrations: int
    batches: int
    lab_results: int
    deviations_closed: int
    deviations_open: int
    seconds: float
    lots: int = 0
    movements: int = 0


@dataclass
class HeavyDairy:
    """The builder of a heavy dairy: its plan, rooms and batches, then what it registered."""

    slug: str
    days: int = 730
    batch_count: int = 200
    lab_count: int = 100
    seed: int = 2024
    username: str = ""
    password: str = ""
    now: datetime = field(
        default_factory=lambda: (
            timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
        )
    )
    rng: random.Random = field(init=False)
    start: datetime = field(init=False)

    def __post_init__(self) -> None:
        if self.days < 1 or self.days > MAX_DAYS:
            raise ValueError(f"days: between 1 and {MAX_DAYS}")
        self.rng = random.Random(self.seed)
        self.start = self.now - timedelta(days=self.days)

    def set_up(self) -> tuple[Operator, User, dict[str, Room], list[Batch]]:
        """The dairy with its plan, its rooms and its batches, as if made `days` ago."""
        operator, owner = self._operator(self.slug, self.username or self.slug, self.password)
        Operator.objects.filter(pk=operator.pk).update(created_at=self.start)
        operator.refresh_from_db()
        rooms = self._rooms(operator, self.start)
        batches = self._batches(operator, owner, self.rng, self.start, self.now, self.batch_count)
        return operator, owner, rooms, batches

    def planned(self, rooms: dict[str, Room], batches: list[Batch]) -> list[Planned]:
        """Every check to register, oldest first."""
        plan = self._plan(batches[0].operator if batches else next(iter(rooms.values())).operator)
        return sorted(
            [
                *self._room_checks(plan, rooms, self.rng, self.start, self.now),
                *self._batch_checks(plan, batches, self.rng, self.now),
            ],
            key=lambda p: p.at,
        )

    @staticmethod
    def _plan(operator: Operator) -> Plan:
        current = selectors.operator_plan(operator)
        assert current is not None
        return current.plan

    def build(self) -> HeavySummary:
        """Make the whole dairy: every registration through the bulk path, in runs of 1000,
        and the lot book through the lots services."""
        started = time.perf_counter()
        operator, owner, rooms, batches = self.set_up()
        planned = self.planned(rooms, batches)
        stored = 0
        for first in range(0, len(planned), BULK_MAX_ITEMS):
            chunk = planned[first : first + BULK_MAX_ITEMS]
            items = [BulkItem(f"heavy-{first + i}", p.data) for i, p in enumerate(chunk)]
            stored += self._store(operator, owner, items)
        plan = self._plan(operator)
        tasks = self._tasks(plan, operator, owner, rooms, self.start, self.now)
        history = LotHistory(
            operator, owner, random.Random(f"lots-{self.seed}"), timezone.localdate(self.now)
        )
        lots, movements = history.build(timezone.localdate(self.start) + timedelta(days=1))
        stored += self._lot_checks(plan, operator, owner, history)
        closed = self._close_deviations(operator, owner)
        lab = self._lab(operator, owner, self.rng, self.start, self.now, self.lab_count)
        still_open = Deviation.objects.filter(
            operator=operator, status=DeviationStatus.OPEN
        ).count()
        return HeavySummary(
            operator,
            stored + tasks,
            len(batches),
            lab,
            closed,
            still_open,
            time.perf_counter() - started,
            lots,
            movements,
        )

    def _lot_checks(self, plan: Plan, operator: Operator, owner: User, history: LotHistory) -> int:
        """The production checks of the lot book's recent batches, those the agenda asks for
        (the dairy is up to date); older lot batches carry none."""
        planned = sorted(
            self._batch_checks(plan, history.recent, history.rng, self.now), key=lambda p: p.at
        )
        items = [BulkItem(f"heavy-lots-{i}", p.data) for i, p in enumerate(planned)]
        return self._store(operator, owner, items)

    @staticmethod
    def _store(operator: Operator, owner: User, items: list[BulkItem]) -> int:
        """Store a run; a check the judge refuses (a value its limits do not read for that
        product) is left out and the rest stored."""
        while items:
            try:
                return len(record_registrations(operator, owner, items))
            except BulkRefusedError as refused:
                left_out = {problem.index for problem in refused.problems}
                items = [item for index, item in enumerate(items) if index not in left_out]
        return 0

    # --- the dairy ------------------------------------------------------------------------------

    def _operator(self, slug: str, username: str, password: str) -> tuple[Operator, User]:
        with transaction.atomic():
            operator = create_operator(f"Zuivelhoeve {slug}", slug=slug)
            owner = User.objects.create_user(username, password=password or None)
            add_member(operator, owner, Role.OWNER)
            profile = tomllib.loads(example_profile("demo"))
            profile["operator"]["name"] = operator.name
            profile["operator"]["relaxations"] = False  # every check is registered
            save_profile(operator, owner, profile)
        return operator, owner

    def _rooms(self, operator: Operator, start: datetime) -> dict[str, Room]:
        rooms = {
            name: create_room(operator, name, kind, product=product, storage_category=category)
            for name, kind, product, category in ROOMS
        }
        Room.objects.filter(operator=operator).update(created_at=start)
        return rooms

    def _batches(
        self,
        operator: Operator,
        owner: User,
        rng: random.Random,
        start: datetime,
        now: datetime,
        count: int,
    ) -> list[Batch]:
        span = (now - start).total_seconds() - 86_400
        batches = []
        for number in range(count):
            at = start + timedelta(seconds=span * (number + rng.random()) / max(count, 1))
            at = at.replace(hour=7, minute=30)
            product = PRODUCTS[number % len(PRODUCTS)]
            code = f"{product[:1]}-{timezone.localtime(at):%y%m%d}-{number:03d}"
            batches.append(create_batch(operator, owner, code, product, started_at=at))
        return batches

    # --- what is registered ---------------------------------------------------------------------

    def _days(self, start: datetime, now: datetime) -> Iterator[datetime]:
        day = timezone.localtime(start).replace(hour=0, minute=0) + timedelta(days=1)
        while day < now - timedelta(days=1):
            yield day
            day += timedelta(days=1)

    @staticmethod
    def _on(frequency: Frequency, day: datetime) -> tuple[int, ...]:
        """The hours of `day` a check of this frequency is done: twice a day for daily checks
        (and those of each service), Mondays for weekly ones, the 1st for monthly ones."""
        if frequency.period in (None, "day"):
            return (7, 17)
        if frequency.period == "week":
            return (10,) if day.weekday() == 0 else ()
        if frequency.period == "month":
            return (11,) if day.day == 1 else ()
        return ()

    def _room_checks(
        self, plan: Plan, rooms: dict[str, Room], rng: random.Random, start: datetime, now: datetime
    ) -> Iterator[Planned]:
        """What the plan asks in each room (its placement in the guide data), and the milkings
        in the room that holds the raw milk."""
        milk_rooms = [room for room in rooms.values() if room.product == RAW_MILK]
        for day in self._days(start, now):
            for room in rooms.values():
                for number, check in enumerate(room_checks(plan, room.kind)):
                    for hour in self._on(check.monitoring.frequency, day):
                        moment = day.replace(hour=hour, minute=number * 5)
                        yield from self._check(plan, check, moment, rng, room=room)
            for room in milk_rooms[:1]:
                for check in batch_checks(plan, RAW_MILK):
                    for hour in (7, 18):
                        moment = day.replace(hour=hour, minute=10)
                        yield from self._check(plan, check, moment, rng, room=room)

    def _batch_checks(
        self, plan: Plan, batches: list[Batch], rng: random.Random, now: datetime
    ) -> Iterator[Planned]:
        """The production checks of each batch, half an hour apart after its start."""
        for batch in batches:
            for number, check in enumerate(batch_checks(plan, batch.product), start=1):
                moment = min(batch.started_at + timedelta(minutes=30 * number), now)
                yield from self._check(plan, check, moment, rng, batch=batch)

    def _check(
        self,
        plan: Plan,
        check: Check,
        moment: datetime,
        rng: random.Random,
        room: Room | None = None,
        batch: Batch | None = None,
    ) -> Iterator[Planned]:
        label = batch.product if batch else (room.product if room else "")
        category = room.storage_category if room else ""
        bad = rng.randrange(DEVIATION_ODDS) == 0
        values = plausible_values(plan, check, label, category, rng, bad)
        if values:
            data = RegistrationInput(
                check.control.id, values, measured_at=moment, room=room, batch=batch
            )
            yield Planned(moment, data)

    def _tasks(
        self,
        plan: Plan,
        operator: Operator,
        owner: User,
        rooms: dict[str, Room],
        start: datetime,
        now: datetime,
    ) -> int:
        """The plan's yearly tasks without measurements, each 15 January in its room."""
        current = selectors.operator_plan(operator)
        assert current is not None
        yearly = [
            (task_id, kinds)
            for task_id, kinds in task_places(plan).items()
            if task_id in plan_tasks(current)
        ]
        done = 0
        year = timezone.localtime(start).year
        while True:
            moment = timezone.localtime(start).replace(year=year, month=1, day=15, hour=9)
            year += 1
            if moment < start:
                continue
            if moment > now:
                return done
            for task_id, kinds in yearly:
                room = next((r for r in rooms.values() if r.kind in kinds), None)
                record_task(operator, owner, task_id, room=room, done_at=moment)
                done += 1

    def _close_deviations(self, operator: Operator, owner: User) -> int:
        current = selectors.operator_plan(operator)
        assert current is not None
        open_ones = list(
            Deviation.objects.filter(operator=operator, status=DeviationStatus.OPEN).order_by(
                "opened_at"
            )
        )
        closed = 0
        for deviation in open_ones[: max(0, len(open_ones) - LEFT_OPEN)]:
            actions = [a.id for a in current.plan.control(deviation.control_id).corrective_actions]
            close_deviation(
                deviation,
                owner,
                current.plan,
                outcome=Outcome.DESTROYED,
                justification="Product vernietigd, oorzaak opgespoord.",
                action_ids=actions[:1],
                own_action="" if actions else "Oorzaak opgespoord en verholpen.",
                notified_on=timezone.localtime(deviation.opened_at).date(),
            )
            closed += 1
        return closed

    def _lab(
        self,
        operator: Operator,
        owner: User,
        rng: random.Random,
        start: datetime,
        now: datetime,
        count: int,
    ) -> int:
        current = selectors.operator_plan(operator)
        assert current is not None
        streams = milk_streams(current.plan)
        made = 0
        day: date = timezone.localtime(start).date() + timedelta(days=10)
        last = timezone.localtime(now).date() - timedelta(days=2)
        while made < count and day <= last and streams:
            stream = streams[0]
            values: dict[str, float | str] = {
                "plate_count": float(rng.randrange(20_000, 90_000)),
                "somatic_cells": float(rng.randrange(150_000, 350_000)),
                "antibiotic_residues": "not_detected",
            }
            for parameter, value in values.items():
                if made >= count:
                    break
                if parameter in stream.parameters:
                    record_raw_milk_result(
                        operator,
                        owner,
                        RawMilkInput(stream.species, stream.source, parameter, day, value),
                    )
                    made += 1
            day += timedelta(days=21)
        return made


class LotHistory:
    """The dairy's lot book, through the lots services: a milking a day, made the same day into
    a cheese or a yoghurt with salt and starter from received lots (a new lot when one runs
    short, about monthly), and most of each production delivered or sold in the days after."""

    def __init__(self, operator: Operator, owner: User, rng: random.Random, today: date) -> None:
        self.operator = operator
        self.owner = owner
        self.rng = rng
        self.today = today
        self.lots = 0
        self.movements = 0
        # Per ingredient: what is left of each received lot, oldest first.
        self.stock: dict[str, dict[str, Decimal]] = {kind: {} for kind, *_ in INGREDIENTS}
        self.suppliers: dict[str, int] = {}
        self.customers: list[Customer] = []
        # The batches the agenda asks production checks for at the end.
        self.recent: list[Batch] = []

    def build(self, first: date) -> tuple[int, int]:
        """Every day from `first` to yesterday; (lots made or received, movements)."""
        missing = {RAW_MILK, *(product for product, *_ in DAILY)} - set(
            product_choices(self.operator)
        )
        if missing:
            raise ValueError(f"the plan does not make {', '.join(sorted(missing))}")
        self.suppliers = {
            kind: save_supplier(self.operator, name).pk for kind, name, *_ in INGREDIENTS
        }
        self.customers = [save_customer(self.operator, name, kind) for name, kind in CUSTOMERS]
        day, number = first, 0
        while day < self.today:
            # A month a transaction: each service's own is then a savepoint.
            with transaction.atomic():
                for _ in range(30):
                    if day >= self.today:
                        break
                    self._day(day, number)
                    day += timedelta(days=1)
                    number += 1
            # The dairy's pages read the stock as the lots are made: its kept stock is current.
            refresh_stock(self.operator)
        return self.lots, self.movements

    def _day(self, day: date, number: int) -> None:
        """The day's milking, what it is made into, and where that goes."""
        litres = Decimal(self.rng.randrange(370, 431))
        milking = record_production(
            self.operator,
            self.owner,
            ProductionData(
                kind=ProductionKind.MILKING,
                lot_code=f"M-{day:%y%m%d}",
                product=RAW_MILK,
                made_at=_moment(day, 6, 30),
                quantity=litres,
                unit="l",
                species="cow",
            ),
        )
        product, prefix, unit = DAILY[number % len(DAILY)]
        milk = InputLine(f"b{milking.batch_id}", litres)
        if unit == "kg":
            made = (litres / 10 * Decimal(self.rng.uniform(0.95, 1.05))).quantize(Decimal("0.1"))
            inputs = [
                milk,
                *self._use(InputKind.SALT, (made / 50).quantize(Decimal("0.001")), day),
                *self._use(InputKind.STARTER, Decimal("0.02"), day),
            ]
        else:
            made = Decimal(int(litres * Decimal(self.rng.uniform(1.85, 1.95))))
            inputs = [milk, *self._use(InputKind.STARTER, Decimal("0.03"), day)]
        production = record_production(
            self.operator,
            self.owner,
            ProductionData(
                kind=ProductionKind.PRODUCTION,
                lot_code=f"{prefix}-{day:%y%m%d}",
                product=product,
                made_at=_moment(day, 9, 30),
                quantity=made,
                unit=unit,
                inputs=inputs,
            ),
        )
        self.lots += 2
        if day >= self.today - RECENT_BATCHES - timedelta(days=1):
            self.recent += [milking.batch, production.batch]
        self._sell(f"b{production.batch_id}", product, unit, made, day, number)

    def _use(self, kind: str, amount: Decimal, day: date) -> list[InputLine]:
        """`amount` of an ingredient from its oldest lots; a new lot received first if short."""
        left = self.stock[kind]
        if sum(left.values(), Decimal(0)) < amount:
            self._receive(kind, day)
        lines = []
        for key in list(left):
            used = min(amount, left[key])
            lines.append(InputLine(key, used))
            left[key] -= used
            amount -= used
            if not left[key]:
                del left[key]
            if not amount:
                break
        return lines

    def _receive(self, kind: str, day: date) -> None:
        _kind, _name, prefix, size, unit = next(i for i in INGREDIENTS if i[0] == kind)
        code = f"{prefix}-{day:%y%m%d}"
        lot = receive_lot(
            self.operator,
            self.owner,
            ReceiveInput(
                kind=kind,
                supplier_id=self.suppliers[kind],
                quantity=size,
                unit=unit,
                received_on=day,
                supplier_lot=code,
                delivery_note=f"LB-{code}",
                date_mark=day + timedelta(days=365),
            ),
        )
        self.stock[kind][f"i{lot.pk}"] = size
        self.lots += 1

    def _sell(
        self, key: str, product: str, unit: str, made: Decimal, day: date, number: int
    ) -> None:
        """Most of a production delivered, the rest sold in the days after; a recent one keeps
        that rest, now and then a cheese keeps a quarter back to age, and now and then the rest
        of a yoghurt is past its date and destroyed."""
        cycle = number // len(DAILY)
        aged = product == DAILY[0][0] and cycle % AGED_EVERY == 0
        lost = product == DAILY[1][0] and cycle % LOSS_EVERY == LOSS_EVERY - 1
        to_sell = made - (made / 4).quantize(Decimal("0.1")) if aged else made
        recent = day > self.today - timedelta(days=UNSOLD_DAYS)
        places = Decimal("0.1") if unit == "kg" else Decimal(1)
        sold = Decimal(0)
        steps = SALES[product]
        for index, (after, kind, share) in enumerate(steps):
            moved_on = day + timedelta(days=after)
            last = index == len(steps) - 1
            if moved_on > self.today or (last and recent):
                return
            amount = to_sell - sold if last else (to_sell * Decimal(share)).quantize(places)
            reason = ""
            if last and lost:
                kind, reason = MovementKind.DESTROY, "Over datum, niet verkocht"
            customer = self.rng.choice(self.customers) if kind == MovementKind.DELIVER else None
            record_movement(
                self.operator,
                self.owner,
                MovementInput(
                    kind=kind,
                    lot=key,
                    quantity=amount,
                    moved_on=moved_on,
                    customer_id=customer.pk if customer else None,
                    reason=reason,
                ),
            )
            sold += amount
            self.movements += 1


def _moment(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def task_places(plan: Plan) -> dict[str, tuple[str, ...]]:
    """The plan's yearly tasks without measurements, and the room kinds they are done in."""
    places: dict[str, tuple[str, ...]] = {}
    for control in plan.controls:
        for item in control.monitoring:
            if item.frequency.period == "year" and not item.parameters:
                places[item.id] = placement(item).room_kinds
    for hygiene in plan.hygiene:
        if hygiene.frequency is not None and hygiene.frequency.period == "year":
            places[hygiene.id] = hygiene_placement(hygiene).room_kinds
    return places


def _applies(rule: PlanLimit, label: str, kind: str, category: str) -> bool:
    if rule.tolerance is not None:  # a storage limit: by the room's category, frozen or not
        return ("frozen" in rule.products) == (category == "frozen") and bool(category or label)
    return not rule.products or label in rule.products or kind in rule.products


def _bound(rule: PlanLimit, label: str, category: str, plan: Plan) -> float | None:
    if rule.value is not None:
        return rule.value
    guide = load_guide()
    categories = {c.id: c for c in guide.storage_categories}
    spec = product_spec(plan, label)
    name = category or (guide.product(spec.kind).storage_category if spec else label)
    return categories[name].max_temperature_c if name in categories else None


def _reading(
    limit: Limit, rule: PlanLimit, bound: float | None, rng: random.Random, bad: bool
) -> float:
    if limit.comparison == "between":
        assert rule.low is not None and rule.high is not None
        span = max(rule.high - rule.low, 1.0)
        return rule.high + span if bad else rng.uniform(rule.low, rule.high)
    assert bound is not None
    span = max(abs(bound) * 0.2, 1.0)
    if limit.comparison in ("<", "<="):
        return bound + span if bad else rng.uniform(bound - span, bound - span / 10)
    if limit.comparison in (">", ">="):
        return bound - span if bad else rng.uniform(bound + span / 10, bound + span)
    return bound


def plausible_values(
    plan: Plan, check: Check, label: str, category: str, rng: random.Random, bad: bool
) -> dict[str, Any]:
    """Values a dairy would measure for a check, read from the plan's own limits (inside them,
    or just outside for a bad reading); parameters no limit reads here are left out."""
    guide = load_guide()
    spec = product_spec(plan, label)
    kind = spec.kind if spec else label
    limits = {limit.id: limit for limit in guide.control(check.control.id).limits}
    values: dict[str, Any] = {}
    for rule in check.control.limits:
        limit = limits.get(rule.id)
        if limit is None or limit.parameter not in check.parameters or limit.parameter in values:
            continue
        if not _applies(rule, label, kind, category):
            continue
        parameter = guide.parameter(limit.parameter)
        if parameter.is_boolean:
            values[limit.parameter] = not bad
        elif limit.is_pasteurisation:
            assert limit.at_temperature_c is not None and rule.value is not None
            values["temperature_c"] = limit.at_temperature_c + 3
            values[limit.parameter] = 1.0 if bad else round(rule.value * 1.3, 1)
        else:
            number = _reading(limit, rule, _bound(rule, label, category, plan), rng, bad)
            assert parameter.min is not None and parameter.max is not None
            number = min(max(number, parameter.min), parameter.max)
            values[limit.parameter] = (
                round(number) if parameter.type == "integer" else round(number, parameter.decimals)
            )
        bad = False
    return values
