"""A year's sampling calendar for the finished-product families (module §5.2).

Each family is sampled at its frequency (1x/6 months: once in January-June and once in
July-December, the windows of `monitoring.schedule`). The families are spread over the months of a
window so that the lab work is spread too, and the sampled product rotates within each family
from one sample to the next, continuing over the years, as in the module's example: raw-milk
semi-hard cheese in one half year, raw-milk soft cheese in the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dairyhaccp.guide.models import Frequency
from dairyhaccp.plan.models import Plan


@dataclass(frozen=True, slots=True)
class FamilyToSample:
    """A product family the operator makes, its sampling frequency and its products."""

    family: str
    frequency: Frequency
    products: tuple[str, ...]
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlannedSample:
    """One planned sample: the family, the month (its first day) and the product to take."""

    family: str
    month: date
    product: str
    parameters: tuple[str, ...]


def families_to_sample(plan: Plan) -> list[FamilyToSample]:
    """The families of the operator's plan, in the plan's order, with products and parameters.

    Parameters tested only on a trigger (enterotoxins when staphylococci exceed 10^5 cfu/g) are
    not sampled on the calendar.
    """
    families: dict[str, FamilyToSample] = {}
    for analysis in plan.finished_product_analyses:
        periodic = any(criterion.trigger is None for criterion in analysis.criteria)
        known = families.get(analysis.family)
        products = tuple(analysis.products)
        parameters = (analysis.parameter,) if periodic else ()
        if known is None:
            families[analysis.family] = FamilyToSample(
                analysis.family, analysis.frequency, products, parameters
            )
        else:
            families[analysis.family] = FamilyToSample(
                known.family,
                known.frequency,
                tuple(dict.fromkeys((*known.products, *products))),
                known.parameters + parameters,
            )
    return list(families.values())


def window_months(frequency: Frequency) -> int:
    """The length in months of the calendar window of a frequency that fits a year evenly."""
    if frequency.period == "month" and 12 % frequency.period_count == 0:
        return frequency.period_count
    if frequency.period == "year" and frequency.period_count == 1:
        return 12
    raise ValueError(f"frequency: {frequency.text!r} does not divide a year into months")


def sampling_calendar(families: Sequence[FamilyToSample], year: int) -> list[PlannedSample]:
    """The planned samples of `year`, by month and then in the order of `families`."""
    planned: list[PlannedSample] = []
    count = len(families)
    for index, family in enumerate(families):
        if not family.products:
            raise ValueError(f"products: family {family.family} has no products")
        length = window_months(family.frequency)
        times = family.frequency.times
        # Families start at evenly spread months of the window: 0, length/count, ...
        offset = index * length // count
        windows = 12 // length
        for window in range(windows):
            for time in range(times):
                month_index = window * length + (offset + time * length // times) % length
                occurrence = (year * windows + window) * times + time
                product = family.products[occurrence % len(family.products)]
                planned.append(
                    PlannedSample(
                        family=family.family,
                        month=date(year, month_index + 1, 1),
                        product=product,
                        parameters=family.parameters,
                    )
                )
    order = {family.family: index for index, family in enumerate(families)}
    return sorted(planned, key=lambda sample: (sample.month, order[sample.family]))
