"""Store the verdicts of the lab results entered before verdicts were stored.

Each finished-product result (every version that is not a withdrawal) gets its verdict, and
each raw-milk analysis of an operator's current plan one verdict over its results as they
stand, judged now with the guide in force and marked "filled". A result the guide in force
cannot judge is left without a stored verdict (the pages then judge it when shown); results
dated before 2000 are left out of the judgement, as the pages do.
"""

from datetime import date, timedelta

from django.db import migrations

EARLIEST = date(2000, 1, 1)
LATEST = date(2999, 12, 31)
FILLED = "filled"


def _current(model, operator_id):
    """The last version of each result of an operator, without the withdrawn ones."""
    latest = {}
    for row in model.objects.filter(operator_id=operator_id).order_by("entry", "version"):
        latest[row.entry] = row
    return [row for row in latest.values() if not row.withdrawn]


def _fill_products(apps, guide, record, judge_product, product_spec):
    ProductResult = apps.get_model("lab", "ProductResult")
    ProductVerdict = apps.get_model("lab", "ProductVerdict")
    for result in ProductResult.objects.filter(withdrawn=False).order_by("pk"):
        if ProductVerdict.objects.filter(result=result).exists():
            continue
        try:
            judgement = judge_product(
                guide,
                product_spec.model_validate(result.product),
                result.parameter,
                list(result.results),
                override=result.criterion_override,
                left_control=result.left_control,
            )
        except ValueError:
            continue
        ProductVerdict.objects.create(
            operator_id=result.operator_id,
            result=result,
            verdict=judgement.verdict.value,
            criterion_type=judgement.type,
            notify_favv=judgement.notify_favv,
            judgement=record(judgement),
            guide_version=judgement.guide_version,
            cause=FILLED,
        )


def _linked_lots(batch_model, operator_id, results):
    """As the lab selectors list them: typed lots, and batches since the last favourable test."""
    last = max(r.sampled_on for r in results)
    detected = [r for r in results if r.sampled_on == last and r.outcome == "detected"]
    if not detected:
        return []
    lots = [lot.strip() for r in detected for lot in r.lots.split(",") if lot.strip()]
    favourable = [
        r.sampled_on for r in results if r.outcome == "not_detected" and r.sampled_on < last
    ]
    start = max(favourable) + timedelta(days=1) if favourable else last
    batches = batch_model.objects.filter(operator_id=operator_id, destroyed_at__isnull=True)
    window = batches.filter(started_at__date__gte=start, started_at__date__lte=last)
    made_from = batches.filter(made_from__in=window)
    lots += [b.lot_code for b in window.order_by("started_at")]
    lots += [b.lot_code for b in made_from.order_by("started_at")]
    return list(dict.fromkeys(lots))


def _streams(plan, species_group):
    """(species, source, rows) of the plan's raw milk, as the lab selectors form them."""
    milk = plan.profile.milk
    sources = []
    if milk.own_animals:
        sources.append("own_delivered" if milk.delivers_to_buyers else "own_not_delivered")
    if milk.buys_raw_milk:
        sources.append("bought")
    for source in sources:
        for species in milk.species:
            group = species_group(species)
            rows = [
                r for r in plan.raw_milk_analyses if r.species == group and r.milk_source == source
            ]
            if rows:
                yield species, source, rows


def _fill_raw_milk(apps, guide, core):
    RawMilkResult = apps.get_model("lab", "RawMilkResult")
    RawMilkVerdict = apps.get_model("lab", "RawMilkVerdict")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    Batch = apps.get_model("records", "Batch")
    operators = RawMilkResult.objects.values_list("operator_id", flat=True).distinct()
    for operator_id in sorted(set(operators)):
        version = PlanVersion.objects.filter(operator_id=operator_id).order_by("-number").first()
        if version is None:
            continue
        try:
            plan = core.build_plan(
                core.load_guide(version.guide_version), core.profile_from_dict(version.profile)
            )
        except (ValueError, core.GuideError):
            continue
        raw_milk_products = any(product.raw_milk for product in plan.profile.products)
        results = [
            r for r in _current(RawMilkResult, operator_id) if EARLIEST <= r.sampled_on <= LATEST
        ]
        for species, source, rows in _streams(plan, core.species_group):
            for row in rows:
                mine = sorted(
                    (
                        r
                        for r in results
                        if (r.species, r.source, r.parameter) == (species, source, row.parameter)
                    ),
                    key=lambda r: (r.sampled_on, r.recorded_at),
                )
                already = RawMilkVerdict.objects.filter(
                    operator_id=operator_id, species=species, source=source, analysis=row.id
                )
                if not mine or already.exists():
                    continue
                use = row.use
                if use == "any":
                    use = "raw_milk_products" if raw_milk_products else "heat_treated"
                try:
                    judgement = core.judge_raw_milk(
                        guide,
                        core.MilkOrigin(species, source, use),
                        row.parameter,
                        [
                            core.RawMilkResult(
                                r.sampled_on,
                                r.count if r.count is not None else r.outcome,
                                laboratory=r.laboratory,
                                left_control=r.left_control,
                                ref=str(r.entry),
                            )
                            for r in mine
                        ],
                        linked_lots=_linked_lots(Batch, operator_id, mine),
                    )
                except ValueError:
                    continue
                RawMilkVerdict.objects.create(
                    operator_id=operator_id,
                    species=species,
                    source=source,
                    analysis=row.id,
                    parameter=row.parameter,
                    verdict=judgement.verdict.value,
                    stop_use=judgement.stop_use,
                    notify_favv=judgement.notify_favv,
                    judgement=core.raw_milk_record(judgement),
                    guide_version=judgement.guide_version,
                    cause=FILLED,
                )


class _Core:
    """The core functions the filling needs, imported only when there is something to fill."""

    def __init__(self):
        from dairyhaccp.guide import GuideError, load_guide
        from dairyhaccp.lab.product_verdict import judge_product
        from dairyhaccp.lab.raw_milk_verdict import (
            MilkOrigin,
            RawMilkResult,
            judge_raw_milk,
            species_group,
        )
        from dairyhaccp.lab.stored import product_record, raw_milk_record
        from dairyhaccp.plan import build_plan
        from dairyhaccp.profile import ProductSpec, profile_from_dict

        self.GuideError = GuideError
        self.load_guide = load_guide
        self.judge_product = judge_product
        self.MilkOrigin = MilkOrigin
        self.RawMilkResult = RawMilkResult
        self.judge_raw_milk = judge_raw_milk
        self.species_group = species_group
        self.product_record = product_record
        self.raw_milk_record = raw_milk_record
        self.build_plan = build_plan
        self.ProductSpec = ProductSpec
        self.profile_from_dict = profile_from_dict


def fill_stored_verdicts(apps, schema_editor):
    ProductResult = apps.get_model("lab", "ProductResult")
    RawMilkResult = apps.get_model("lab", "RawMilkResult")
    if not ProductResult.objects.exists() and not RawMilkResult.objects.exists():
        return
    core = _Core()
    guide = core.load_guide()
    _fill_products(apps, guide, core.product_record, core.judge_product, core.ProductSpec)
    _fill_raw_milk(apps, guide, core)


class Migration(migrations.Migration):
    dependencies = [
        ("lab", "0002_stored_verdicts"),
        ("plans", "0001_initial"),
        ("records", "0001_initial"),
    ]

    operations = [
        # Stored verdicts are evidence: going back leaves them (the tables go with 0002).
        migrations.RunPython(fill_stored_verdicts, migrations.RunPython.noop),
    ]
