"""A demo sector: thousands of farms over several years, with realistic spreads where published.

Published figures used (domain notes §6, reference-ikm.md; the sources are in the lastenboek
data): 99.8 % of farms certified; Flanders and Wallonia in the proportion of their delivering
farms in 2023 (3 557 and 2 390); herds of 80 cows in Flanders and about 63 in Wallonia on
average; a regular audit every 3 years and about 5 % unannounced audits a year; the bodies
MilkBE approved for 2021-2024; the mean number of sustainability initiatives per year (9 in
2014 ... 26.6 in 2023, of the scheme's 35 or 42) and the published uptake of single
initiatives. Not published, so this generator's own choices, and said so in the README: the
spread around each mean, the share of 18-month and refused certificates, the findings per
audit, and every figure about treatments (no distribution of dairy BD100 values is public).
Nothing here is real farm data. The rows are inserted in bulk and chained in bulk into each
demo farm's evidence chain, as records stored one by one would be: `verify_evidence` holds.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from dairyhaccp.ikm import (
    CURRENT_VERSION,
    AuditResult,
    certificate_after_audit,
    withdrawal_end,
)
from dairyhaccp.ikm.models import Initiative
from dairyhaccp.web.evidence.chain import append_many
from dairyhaccp.web.farm.models import (
    Audit,
    AuditFinding,
    CertificationBody,
    FarmProfile,
    FindingClosure,
    SectorSnapshot,
    SustainabilityEntry,
    Treatment,
)
from dairyhaccp.web.farm.selectors import hours, lastenboek
from dairyhaccp.web.farm.services import refresh_sector_figures, register_certification_body
from dairyhaccp.web.operators.choices import Role
from dairyhaccp.web.operators.models import Operator
from dairyhaccp.web.operators.services import add_member, create_operator

DEMO_PREFIX = "demo-farm-"
SECTOR_SLUG = "sector-demo"
GENERATOR_USER = "sector-demo-generator"
# Inspection bodies MilkBE approved for 1 March 2021 - 1 March 2024 (its Dutch page).
BODIES = ("Carah", "CkCert", "Comité du Lait", "FoodChain ID", "SGS AgroControl")
# Delivering dairy farms in 2023: Flanders 3 557 (MCC), Wallonia 2 390 (Comité du Lait).
REGION_SHARES = (("flanders", 3557), ("wallonia", 2390))
# Mean dairy cows per farm: Flanders 2023 (Statbel), Wallonia 2020 (Celagri: 192 000 / 3 050).
MEAN_HERD = {"flanders": 80.0, "wallonia": 63.0}
CERTIFIED_SHARE = 0.998
UNANNOUNCED_SHARE = 0.05
AUDIT_CYCLE_YEARS = 3
# This generator's choices (not published): see the module's docstring.
HERD_SPREAD = 0.45
SHORT_CERTIFICATE_SHARE = 0.08
FINDINGS_PER_AUDIT = 1.2
FARM_SPREAD = 0.35
TREATMENTS_PER_COW_YEAR = 0.1
MILKINGS = ["06:00", "17:30"]
# Withdrawal periods (milk hours, meat days) of made-up products; not any product's label.
PRODUCTS = (
    ("Demo intramammary A", "cefapirine", "intramammary", 60, 2),
    ("Demo intramammary B", "cloxacilline", "intramammary", 84, 7),
    ("Demo injectable C", "penicilline", "intramuscular", 96, 10),
    ("Demo injectable D", "oxytetracycline", "intramuscular", 168, 28),
    ("Demo bolus E", "sulfadiazine", "oral", 120, 12),
)
INDICATIONS = ("Mastitis", "Baarmoederontsteking", "Klauwaandoening", "Longontsteking")


@dataclass(frozen=True)
class DemoResult:
    """What the generator made."""

    farms: int
    years: list[int]
    sector: Operator
    snapshot: SectorSnapshot


def _share_of_year(year: int) -> float:
    """The published mean number of initiatives of `year` as a share of the scheme's list;
    between published years the nearest earlier one (after the last, the last)."""
    monitor = lastenboek().sustainability
    counts = sorted(monitor.published_initiative_counts.items())
    published = sorted((a.year, a.mean_initiatives) for a in monitor.published_averages)
    earlier = [item for item in published if item[0] <= year] or published[:1]
    mean_year, mean = earlier[-1]
    of = [count for since, count in counts if since <= mean_year] or [counts[0][1]]
    return min(1.0, mean / of[-1])


def _uptake(initiative: Initiative, year: int, share: float) -> float:
    """The chance a farm takes `initiative` in `year`: its published uptake where there is one
    (the latest up to that year), else the year's share."""
    if initiative.since_year is not None and year < initiative.since_year:
        return 0.0
    published = sorted((u.year, u.percent) for u in initiative.published_uptake if u.year <= year)
    return published[-1][1] / 100.0 if published else share


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


class _Generator:
    def __init__(self, farms: int, years: list[int], seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.count = farms
        self.years = years
        self.now = now
        self.today = timezone.localdate(now)
        self.book = lastenboek()
        self.stored: list[Any] = []
        self.user, _created = User.objects.get_or_create(
            username=GENERATOR_USER, defaults={"is_active": False}
        )
        self.bodies = [
            register_certification_body(
                Operator.objects.filter(name=name).first() or create_operator(name)
            )
            for name in BODIES
        ]
        self.criteria = [
            c.id
            for c in self.book.criteria
            if c.knock_out is None and c.module != "sustainability_monitor"
        ]
        self.knock_outs = [c.id for c in self.book.criteria if c.knock_out is not None]

    def _insert(self, model: type[Model], rows: list[Any], batch_size: int = 1000) -> list[Any]:
        """Insert in bulk with the plain QuerySet (append-only stays: nothing is updated); the
        rows are chained at the end by `chain`, each farm's head locked once for all of them."""
        queryset = model._default_manager.get_queryset()
        created = QuerySet.bulk_create(queryset, rows, batch_size=batch_size)
        self.stored.extend(created)
        return created

    def chain(self) -> int:
        """Add every row inserted, in order, to its farm's evidence chain."""
        return append_many(self.stored)

    def _day(self, year: int, latest: date | None = None) -> date:
        end = min(date(year, 12, 31), latest or self.today)
        start = date(year, 1, 1)
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def operators(self) -> list[Operator]:
        width = len(str(self.count))
        made = Operator.objects.bulk_create(
            [
                Operator(name=f"Demo farm {i:0{width}d}", slug=f"{DEMO_PREFIX}{i:0{width}d}")
                for i in range(1, self.count + 1)
            ]
        )
        return list(Operator.objects.filter(pk__in=[o.pk for o in made]).order_by("pk"))

    def profiles(self, farms: list[Operator]) -> dict[int, tuple[str, int]]:
        regions = [name for name, _count in REGION_SHARES]
        weights = [count for _name, count in REGION_SHARES]
        joined = timezone.make_aware(datetime(self.years[0], 1, 1, 8))
        herds: dict[int, tuple[str, int]] = {}
        rows = []
        for index, farm in enumerate(farms):
            region = self.rng.choices(regions, weights)[0]
            mean = MEAN_HERD[region]
            # A log-normal herd with the published mean: mu = ln(mean) - sigma² / 2.
            mu = math.log(mean) - HERD_SPREAD**2 / 2
            animals = max(5, round(self.rng.lognormvariate(mu, HERD_SPREAD)))
            herds[farm.pk] = (region, animals)
            rows.append(
                FarmProfile(
                    operator=farm,
                    version=1,
                    species="cow",
                    animals_in_milk=animals,
                    sanitel_number=f"BE {index + 1:08d}",
                    region=region,
                    milking_times=MILKINGS,
                    certification_body=self.bodies[index % len(self.bodies)],
                    changed_by=self.user,
                    changed_at=joined,
                )
            )
        self._insert(FarmProfile, rows)
        return herds

    def _audit(
        self, farm: Operator, body: CertificationBody, held_on: date, kind: str, certified: bool
    ) -> tuple[Audit, list[str]]:
        decided_on = min(held_on + timedelta(days=self.rng.randint(3, 21)), self.today)
        failed: list[str] = []
        if kind != "unannounced":
            for _ in range(min(5, int(self.rng.expovariate(1 / FINDINGS_PER_AUDIT)))):
                failed.append(self.rng.choice(self.criteria))
        if not certified:
            failed.append(self.rng.choice(self.knock_outs))
        failed = sorted(set(failed))
        decision = "short" if self.rng.random() < SHORT_CERTIFICATE_SHARE else "standard"
        certificate = certificate_after_audit(
            AuditResult(decided_on, decision, frozenset(failed)),  # type: ignore[arg-type]
            self.book,
        )
        audit = Audit(
            operator=farm,
            body=body,
            held_on=held_on,
            auditor_name=f"Auditor {body.pk}-{self.rng.randint(1, 12)}",
            kind=kind,
            decision=decision,
            decided_on=decided_on,
            certificate=certificate.decision,
            valid_from=certificate.valid_from,
            expires_on=certificate.expires_on,
            next_audit_due=certificate.next_audit_due,
            no_certificate_because=list(certificate.reasons),
            lastenboek_version=CURRENT_VERSION,
            recorded_by=self.user,
        )
        return audit, failed

    def audits(self, farms: list[Operator]) -> None:
        planned: list[tuple[Audit, list[str]]] = []
        for index, farm in enumerate(farms):
            body = self.bodies[index % len(self.bodies)]
            # The first regular audit falls in the cycle before the first year (spread over
            # its three years), so that every farm is certified from the start; each next one
            # is held a few weeks before the certificate ends (after 3 months without one).
            held_on = self._day(self.years[0] - AUDIT_CYCLE_YEARS + index % AUDIT_CYCLE_YEARS)
            while held_on <= self.today:
                certified = self.rng.random() < CERTIFIED_SHARE
                audit, failed = self._audit(farm, body, held_on, "regular", certified)
                planned.append((audit, failed))
                if audit.next_audit_due is None:
                    held_on = audit.decided_on + timedelta(days=90)
                else:
                    held_on = audit.next_audit_due - timedelta(days=self.rng.randint(14, 60))
            for year in self.years:
                if self.rng.random() < UNANNOUNCED_SHARE:
                    planned.append(self._audit(farm, body, self._day(year), "unannounced", True))
        stored = self._insert(Audit, [audit for audit, _failed in planned])
        findings = [
            AuditFinding(operator=audit.operator, audit=audit, criterion_id=criterion)
            for audit, (_unsaved, failed) in zip(stored, planned, strict=True)
            for criterion in failed
        ]
        findings = self._insert(AuditFinding, findings)
        closures = []
        for finding in findings:
            held_on = finding.audit.held_on
            # Most findings of earlier years are closed; those of the last months often not.
            if (self.today - held_on).days > 120 or self.rng.random() < 0.5:
                closed_on = min(held_on + timedelta(days=self.rng.randint(7, 90)), self.today)
                closures.append(
                    FindingClosure(
                        operator=finding.operator,
                        finding=finding,
                        evidence_note="Demo: rechtgezet",
                        closed_on=closed_on,
                        closed_by=self.user,
                    )
                )
        self._insert(FindingClosure, closures)

    def sustainability(self, farms: list[Operator]) -> None:
        initiatives = list(self.book.sustainability.initiatives)
        rows = []
        for farm in farms:
            propensity = self.rng.gauss(0, FARM_SPREAD)
            for year in self.years:
                share = _share_of_year(year)
                chosen = [
                    i.id
                    for i in initiatives
                    if self.rng.random() < _clamp(_uptake(i, year, share) + propensity)
                ]
                rows.append(
                    SustainabilityEntry(
                        operator=farm,
                        year=year,
                        version=1,
                        initiatives=chosen,
                        evidence={},
                        lastenboek_version=CURRENT_VERSION,
                        recorded_by=self.user,
                    )
                )
        self._insert(SustainabilityEntry, rows)

    def treatments(self, farms: list[Operator], herds: dict[int, tuple[str, int]]) -> None:
        rows = []
        zone = timezone.get_current_timezone()
        latest = self.now - timedelta(hours=1)
        for farm in farms:
            _region, animals = herds[farm.pk]
            use = self.rng.lognormvariate(0, 0.6)
            for year in self.years:
                expected = animals * TREATMENTS_PER_COW_YEAR * use
                for _ in range(self._poisson(expected)):
                    day = self._day(year, latest=timezone.localdate(latest))
                    moment = datetime.combine(day, time(self.rng.choice((7, 18)), 0), zone)
                    moment = min(moment, latest)
                    product, substance, route, milk_h, meat_days = self.rng.choice(PRODUCTS)
                    group = self.rng.random() < 0.1
                    days = self.rng.randint(1, 4)
                    rows.append(
                        Treatment(
                            operator=farm,
                            animal="groep" if group else f"BE {self.rng.randint(1, 99999999):08d}",
                            is_group=group,
                            animals=self.rng.randint(2, 8) if group else 1,
                            first_dose_on=timezone.localdate(moment) - timedelta(days=days - 1),
                            last_dose_at=moment,
                            indication=self.rng.choice(INDICATIONS),
                            product=product,
                            active_substance=substance,
                            dose="volgens voorschrift",
                            route=route,
                            prescribing_vet="Demo dierenarts",
                            withdrawal_milk_hours=Decimal(milk_h),
                            withdrawal_meat_days=meat_days,
                            milk_usable_from=withdrawal_end(moment, hours(milk_h)),
                            recorded_by=self.user,
                            recorded_as=Role.VET,
                        )
                    )
        self._insert(Treatment, rows)

    def _poisson(self, expected: float) -> int:
        # Knuth's method; the expected counts here are small.
        limit, count, product = math.exp(-expected), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count


def make_sector_demo(
    farms: int = 6000,
    years: int = 5,
    seed: int = 1,
    sector_user: User | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Generate `farms` demo farms over the last `years` years, and the sector's figures."""
    if farms < 1 or not 1 <= years <= 20:
        raise ValueError("farms is at least 1, years 1 to 20")
    if Operator.objects.filter(slug__startswith=DEMO_PREFIX).exists():
        raise ValueError("the demo farms exist already; they are records and are not replaced")
    say = progress or (lambda _message: None)
    now = timezone.now()
    this_year = timezone.localdate(now).year
    span = list(range(this_year - years + 1, this_year + 1))
    with transaction.atomic():
        generator = _Generator(farms, span, seed, now)
        made = generator.operators()
        say(f"{len(made)} farms")
        herds = generator.profiles(made)
        say("profiles")
        generator.audits(made)
        say("audits")
        generator.sustainability(made)
        say("sustainability monitor")
        generator.treatments(made, herds)
        say("treatments")
        generator.chain()
        say("evidence chains")
        sector = Operator.objects.filter(slug=SECTOR_SLUG).first() or create_operator(
            "MilkBE (demo)", slug=SECTOR_SLUG
        )
        if sector_user is not None:
            add_member(sector, sector_user, Role.SECTOR)
    snapshot = refresh_sector_figures(sector)
    say("sector figures")
    return DemoResult(farms=len(made), years=span, sector=sector, snapshot=snapshot)
