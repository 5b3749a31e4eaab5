"""Which Listeria monocytogenes limit applies (Regulation 2073/2005 rows 1.2/1.3, module §5.2).

The barriers come from the guide data (`guide.listeria`): a product with a pH or aw at or below
them, both pH and aw at or below the combined pair, a shelf life shorter than the short one, or
frozen, cannot support growth: then the count limit on the market. Otherwise the count limit
holds only with proof through the shelf life (a challenge test); without it, absence in 25 g.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dairyhaccp.guide.models import ListeriaBarriers
from dairyhaccp.lab.findings import check_finite


class ListeriaLimit(StrEnum):
    """The Listeria criterion a product falls under."""

    MARKET_COUNT_LIMIT = "count_limit_on_the_market"
    SHELF_LIFE_COUNT_LIMIT = "count_limit_during_shelf_life"
    ABSENT_IN_25G = "absent_in_25g_before_leaving_producer"


class ListeriaReason(StrEnum):
    """Why a product falls under its Listeria criterion (the thresholds are in the choice)."""

    PH = "low_ph"
    AW = "low_aw"
    PH_AND_AW = "low_ph_and_aw"
    SHORT_SHELF_LIFE = "short_shelf_life"
    FROZEN = "frozen"
    CHALLENGE_TEST = "challenge_test_on_file"
    NO_PROOF = "growth_possible_without_proof"
    MODULE_ROW_WITHOUT_PH = "module_row_without_ph"


@dataclass(frozen=True, slots=True)
class ListeriaChoice:
    """The chosen Listeria criterion, the first reason for it, every condition that holds, and
    the barrier values it was chosen with."""

    limit: ListeriaLimit
    reason: ListeriaReason
    reasons: tuple[ListeriaReason, ...]
    growth_possible: bool
    barriers: ListeriaBarriers

    @property
    def m_cfu_per_g(self) -> float | None:
        """The count limit, or None when the criterion is absence in 25 g."""
        if self.limit is ListeriaLimit.ABSENT_IN_25G:
            return None
        return self.barriers.limit_cfu_per_g


def _check_properties(
    ph: float | None, aw: float | None, shelf_life_days: float | None, frozen: bool
) -> None:
    if ph is not None:
        check_finite("ph", ph, minimum=0)
        if ph > 14:
            raise ValueError(f"ph: {ph!r} is above 14")
    if aw is not None:
        check_finite("aw", aw, minimum=0)
        if aw > 1:
            raise ValueError(f"aw: {aw!r} is above 1")
    if shelf_life_days is not None:
        check_finite("shelf_life_days", shelf_life_days, minimum=0)
    if not isinstance(frozen, bool):
        raise ValueError(f"frozen: {frozen!r} is not true or false")


def growth_barriers(
    barriers: ListeriaBarriers,
    ph: float | None,
    aw: float | None,
    shelf_life_days: float | None,
    frozen: bool,
) -> tuple[ListeriaReason, ...]:
    """Every condition under which the product cannot support Listeria growth (unknown = no)."""
    _check_properties(ph, aw, shelf_life_days, frozen)
    conditions = (
        (ListeriaReason.PH, ph is not None and ph <= barriers.ph_max),
        (ListeriaReason.AW, aw is not None and aw <= barriers.aw_max),
        (
            ListeriaReason.PH_AND_AW,
            ph is not None
            and aw is not None
            and ph <= barriers.ph_max_with_aw
            and aw <= barriers.aw_max_with_ph,
        ),
        (
            ListeriaReason.SHORT_SHELF_LIFE,
            shelf_life_days is not None and shelf_life_days < barriers.short_shelf_life_days,
        ),
        (ListeriaReason.FROZEN, frozen),
    )
    return tuple(reason for reason, holds in conditions if holds)


def listeria_growth_possible(
    barriers: ListeriaBarriers,
    ph: float | None,
    aw: float | None,
    shelf_life_days: float | None,
    frozen: bool,
) -> bool:
    """Whether the product can support Listeria growth; an unknown value proves nothing."""
    return not growth_barriers(barriers, ph, aw, shelf_life_days, frozen)


def choose_listeria_criterion(
    barriers: ListeriaBarriers,
    ph: float | None,
    aw: float | None,
    shelf_life_days: float | None,
    frozen: bool,
    challenge_test_on_file: bool = False,
) -> ListeriaChoice:
    """Choose the Listeria criterion for a product from its properties and proof on file."""
    holding = growth_barriers(barriers, ph, aw, shelf_life_days, frozen)
    if holding:
        return ListeriaChoice(
            ListeriaLimit.MARKET_COUNT_LIMIT, holding[0], holding, False, barriers
        )
    if challenge_test_on_file:
        reasons = (ListeriaReason.CHALLENGE_TEST,)
        return ListeriaChoice(
            ListeriaLimit.SHELF_LIFE_COUNT_LIMIT, reasons[0], reasons, True, barriers
        )
    reasons = (ListeriaReason.NO_PROOF,)
    return ListeriaChoice(ListeriaLimit.ABSENT_IN_25G, reasons[0], reasons, True, barriers)


def module_row_without_ph(barriers: ListeriaBarriers, limit: ListeriaLimit) -> ListeriaChoice:
    """The choice when a product has no pH and the module's row for its family applies."""
    reasons = (ListeriaReason.MODULE_ROW_WITHOUT_PH,)
    growth = limit is not ListeriaLimit.MARKET_COUNT_LIMIT
    return ListeriaChoice(limit, reasons[0], reasons, growth, barriers)
