"""Which Listeria monocytogenes limit applies (Regulation 2073/2005 rows 1.2/1.3, module §5.2).

A product cannot support growth with pH ≤ 4.4, aw ≤ 0.92, pH ≤ 5.0 and aw ≤ 0.94, a shelf life
under 5 days, or when frozen: then 100 cfu/g on the market. Otherwise 100 cfu/g holds only with
proof through the shelf life (a challenge test); without it, absence in 25 g before the product
leaves the producer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dairyhaccp.lab.findings import check_finite

PH_MAX = 4.4
AW_MAX = 0.92
PH_MAX_WITH_AW = 5.0
AW_MAX_WITH_PH = 0.94
SHORT_SHELF_LIFE_DAYS = 5.0
LIMIT_CFU_PER_G = 100.0


class ListeriaLimit(StrEnum):
    """The Listeria criterion a product falls under."""

    MARKET_100_CFU_G = "100_cfu_g_on_the_market"
    SHELF_LIFE_100_CFU_G = "100_cfu_g_during_shelf_life"
    ABSENT_IN_25G = "absent_in_25g_before_leaving_producer"


class ListeriaReason(StrEnum):
    """Why a product falls under its Listeria criterion."""

    PH = "ph_at_most_4_4"
    AW = "aw_at_most_0_92"
    PH_AND_AW = "ph_at_most_5_0_and_aw_at_most_0_94"
    SHORT_SHELF_LIFE = "shelf_life_under_5_days"
    FROZEN = "frozen"
    CHALLENGE_TEST = "challenge_test_on_file"
    NO_PROOF = "growth_possible_without_proof"


@dataclass(frozen=True, slots=True)
class ListeriaChoice:
    """The chosen Listeria criterion, the first reason for it and every condition that holds."""

    limit: ListeriaLimit
    reason: ListeriaReason
    reasons: tuple[ListeriaReason, ...]
    growth_possible: bool

    @property
    def m_cfu_per_g(self) -> float | None:
        """The count limit, or None when the criterion is absence in 25 g."""
        return None if self.limit is ListeriaLimit.ABSENT_IN_25G else LIMIT_CFU_PER_G


def growth_barriers(
    ph: float | None, aw: float | None, shelf_life_days: float | None, frozen: bool
) -> tuple[ListeriaReason, ...]:
    """Every condition under which the product cannot support Listeria growth (unknown = no)."""
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
    conditions = (
        (ListeriaReason.PH, ph is not None and ph <= PH_MAX),
        (ListeriaReason.AW, aw is not None and aw <= AW_MAX),
        (
            ListeriaReason.PH_AND_AW,
            ph is not None and aw is not None and ph <= PH_MAX_WITH_AW and aw <= AW_MAX_WITH_PH,
        ),
        (
            ListeriaReason.SHORT_SHELF_LIFE,
            shelf_life_days is not None and shelf_life_days < SHORT_SHELF_LIFE_DAYS,
        ),
        (ListeriaReason.FROZEN, frozen),
    )
    return tuple(reason for reason, holds in conditions if holds)


def listeria_growth_possible(
    ph: float | None, aw: float | None, shelf_life_days: float | None, frozen: bool
) -> bool:
    """Whether the product can support Listeria growth; an unknown value proves nothing."""
    return not growth_barriers(ph, aw, shelf_life_days, frozen)


def choose_listeria_criterion(
    ph: float | None,
    aw: float | None,
    shelf_life_days: float | None,
    frozen: bool,
    challenge_test_on_file: bool = False,
) -> ListeriaChoice:
    """Choose the Listeria criterion for a product from its properties and proof on file."""
    barriers = growth_barriers(ph, aw, shelf_life_days, frozen)
    if barriers:
        return ListeriaChoice(ListeriaLimit.MARKET_100_CFU_G, barriers[0], barriers, False)
    if challenge_test_on_file:
        reasons = (ListeriaReason.CHALLENGE_TEST,)
        return ListeriaChoice(ListeriaLimit.SHELF_LIFE_100_CFU_G, reasons[0], reasons, True)
    reasons = (ListeriaReason.NO_PROOF,)
    return ListeriaChoice(ListeriaLimit.ABSENT_IN_25G, reasons[0], reasons, True)
