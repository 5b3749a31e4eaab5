"""Who notifies the FAVV of an unfavourable raw-milk result (module §5.1).

Not needed when the hazard arose in the business (own milk), nothing left it and measures are
taken; MCC or Comité du Lait take over the notification of antibiotic residues they analysed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dairyhaccp.guide import GuideError, load_guide
from dairyhaccp.guide.loader import CURRENT_VERSION
from dairyhaccp.lab import Action, MilkOrigin, RawMilkResult, judge_raw_milk
from dairyhaccp.lab.notification import Analysed, NotificationDuty, raw_milk_notification
from dairyhaccp.lab.rules import LabRules, lab_rules

GUIDE = load_guide()
RULES = lab_rules(GUIDE)
FARM_COW = MilkOrigin("cow", "own_not_delivered", "raw_milk_products")
DELIVERING_COW = MilkOrigin("cow", "own_delivered", "heat_treated")
BOUGHT_COW = MilkOrigin("cow", "bought", "raw_milk_products")


def antibiotics(origin: MilkOrigin, *results: RawMilkResult) -> Any:
    return judge_raw_milk(GUIDE, origin, "antibiotic_residues", list(results))


def detected(day: int = 2, **extra: Any) -> RawMilkResult:
    return RawMilkResult(date(2026, 3, day), "detected", **extra)


# --- the exemption: own milk, nothing left, measures taken ------------------------------------


@pytest.mark.parametrize(
    ("origin", "left_control", "duty", "notify", "action"),
    [
        (
            FARM_COW,
            False,
            NotificationDuty.NOT_REQUIRED_KEPT_IN_HOUSE,
            False,
            Action.NO_NOTIFICATION_KEPT_IN_HOUSE,
        ),
        (FARM_COW, True, NotificationDuty.REQUIRED, True, Action.NOTIFY_FAVV),
        (
            FARM_COW,
            None,
            NotificationDuty.REQUIRED_UNLESS_KEPT_IN_HOUSE,
            True,
            Action.NOTIFY_FAVV_UNLESS_KEPT_IN_HOUSE,
        ),
        (
            DELIVERING_COW,
            False,
            NotificationDuty.NOT_REQUIRED_KEPT_IN_HOUSE,
            False,
            Action.NO_NOTIFICATION_KEPT_IN_HOUSE,
        ),
        # Bought milk: the hazard arose at the supplier, the exemption does not hold.
        (BOUGHT_COW, False, NotificationDuty.REQUIRED, True, Action.NOTIFY_FAVV),
        (BOUGHT_COW, None, NotificationDuty.REQUIRED, True, Action.NOTIFY_FAVV),
    ],
)
def test_antibiotics_are_notified_unless_own_milk_stayed_in_the_business(
    origin: MilkOrigin,
    left_control: bool | None,
    duty: NotificationDuty,
    notify: bool,
    action: Action,
) -> None:
    judgement = antibiotics(origin, detected(laboratory="Eurofins", left_control=left_control))

    assert judgement.notification.duty is duty
    assert judgement.notify_favv is notify
    assert judgement.notification.notification == "notify-antibiotic-residues"
    assert judgement.actions[1] is action
    assert judgement.stop_use  # stopping use does not depend on who notifies


def test_one_result_of_the_day_that_left_is_enough_to_notify() -> None:
    judgement = antibiotics(
        FARM_COW, detected(left_control=False), detected(left_control=True, laboratory="lab")
    )
    assert judgement.notification.duty is NotificationDuty.REQUIRED


def test_an_earlier_result_that_left_does_not_count_for_todays_verdict() -> None:
    judgement = antibiotics(
        FARM_COW,
        RawMilkResult(date(2026, 3, 1), "not_detected", left_control=True),
        detected(left_control=False),
    )
    assert judgement.notification.duty is NotificationDuty.NOT_REQUIRED_KEPT_IN_HOUSE


# --- the take-over by MCC or Comité du Lait ---------------------------------------------------


@pytest.mark.parametrize(
    ("laboratory", "taking_over"),
    [
        ("MCC", "mcc"),
        ("mcc-vlaanderen vzw", "mcc"),
        ("Melkcontrolecentrum Vlaanderen, Lier", "mcc"),
        ("Comité du Lait", "comite_du_lait"),
        ("COMITE DU LAIT (Battice)", "comite_du_lait"),
        ("CdL", "comite_du_lait"),
    ],
)
def test_antibiotics_analysed_by_mcc_or_comite_du_lait_are_notified_by_them(
    laboratory: str, taking_over: str
) -> None:
    for origin in (FARM_COW, BOUGHT_COW):
        judgement = antibiotics(origin, detected(laboratory=laboratory, left_control=True))

        assert judgement.notification.duty is NotificationDuty.TAKEN_OVER_BY_LABORATORY
        assert judgement.notification.laboratories == (taking_over,)
        assert not judgement.notify_favv
        assert Action.LABORATORY_NOTIFIES in judgement.actions
        assert Action.DESTROY_MILK_AND_LOTS in judgement.actions


@pytest.mark.parametrize("laboratory", ["Eurofins", "Immcco", "Comité", "du Lait", "MC C"])
def test_other_laboratories_do_not_take_the_notification_over(laboratory: str) -> None:
    judgement = antibiotics(BOUGHT_COW, detected(laboratory=laboratory))

    assert judgement.notification.duty is NotificationDuty.REQUIRED
    assert judgement.notify_favv
    assert Action.LABORATORY_NOTIFIES_IF_IT_ANALYSED not in judgement.actions


def test_without_a_laboratory_the_take_over_is_named_as_a_possibility() -> None:
    judgement = antibiotics(BOUGHT_COW, detected())

    assert judgement.notify_favv
    assert judgement.notification.laboratory_unknown
    assert judgement.actions[1:3] == (Action.NOTIFY_FAVV, Action.LABORATORY_NOTIFIES_IF_IT_ANALYSED)


def test_a_take_over_needs_every_positive_result_of_the_day_analysed_by_such_a_lab() -> None:
    judgement = antibiotics(BOUGHT_COW, detected(laboratory="MCC"), detected(laboratory=""))
    assert judgement.notification.duty is NotificationDuty.REQUIRED


def test_plate_count_is_not_taken_over_the_module_names_antibiotics_only() -> None:
    results = [RawMilkResult(date(2026, 1, 5), 150_000.0, laboratory="MCC")]
    judgement = judge_raw_milk(GUIDE, FARM_COW, "plate_count", results)

    assert judgement.notification.duty is NotificationDuty.REQUIRED_UNLESS_KEPT_IN_HOUSE
    assert Action.LABORATORY_NOTIFIES_IF_IT_ANALYSED not in judgement.actions


def test_the_take_over_follows_the_lab_rules_data(monkeypatch: pytest.MonkeyPatch) -> None:
    data = RULES.model_dump()
    for item in data["raw_milk_notifications"]:
        item["taken_over_by"] = ["mcc", "comite_du_lait"]
    changed = LabRules.model_validate(data)
    monkeypatch.setattr("dairyhaccp.lab.notification.lab_rules", lambda guide: changed)
    results = [RawMilkResult(date(2026, 1, 5), 150_000.0, laboratory="MCC")]

    judgement = judge_raw_milk(GUIDE, FARM_COW, "plate_count", results)

    assert judgement.notification.duty is NotificationDuty.TAKEN_OVER_BY_LABORATORY


# --- plate count and somatic cells: the results behind the month's verdict ---------------------


def test_plate_count_within_the_norm_needs_no_notification() -> None:
    at_norm = [RawMilkResult(date(2026, 1, 5), 100_000.0, left_control=True)]
    judgement = judge_raw_milk(GUIDE, FARM_COW, "plate_count", at_norm)

    assert judgement.notification.duty is NotificationDuty.NONE
    assert not judgement.notify_favv


@pytest.mark.parametrize(("left_control", "notify"), [(False, False), (True, True), (None, True)])
def test_plate_count_just_above_the_norm_follows_the_exemption(
    left_control: bool | None, notify: bool
) -> None:
    above = [RawMilkResult(date(2026, 1, 5), 100_001.0, left_control=left_control)]
    judgement = judge_raw_milk(GUIDE, FARM_COW, "plate_count", above)

    assert judgement.verdict.value == "unfavourable"
    assert judgement.notify_favv is notify


def test_the_results_of_the_rolling_window_decide_whether_the_milk_left() -> None:
    # Delivered milk is judged on two months: a result that left in November is outside
    # the window of February and does not count.
    results = [
        RawMilkResult(date(2025, 11, 5), 50_000.0, left_control=True),
        *[
            RawMilkResult(date(2026, m, d), 150_000.0, left_control=False)
            for m in (1, 2)
            for d in (5, 20)
        ],
    ]
    judgement = judge_raw_milk(GUIDE, DELIVERING_COW, "plate_count", results)

    assert judgement.verdict.value == "unfavourable"
    assert judgement.notification.duty is NotificationDuty.NOT_REQUIRED_KEPT_IN_HOUSE


@pytest.mark.parametrize(
    ("parameter", "bad"), [("e_coli", 101.0), ("visible_cleanliness", "not_ok")]
)
def test_e_coli_and_cleanliness_are_not_notified(parameter: str, bad: float | str) -> None:
    judgement = judge_raw_milk(GUIDE, FARM_COW, parameter, [RawMilkResult(date(2026, 1, 5), bad)])
    assert judgement.verdict.value == "unfavourable"
    assert judgement.notification.duty is NotificationDuty.NONE


# --- the rules themselves -----------------------------------------------------------------------


def test_the_lab_rules_name_notifications_of_the_guide() -> None:
    ids = {n.id for n in GUIDE.notifications}
    assert {item.notification for item in RULES.raw_milk_notifications} <= ids
    assert all(item.source.section == "5.1" for item in RULES.raw_milk_notifications)


def test_a_notification_the_guide_does_not_have_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = RULES.model_dump()
    data["raw_milk_notifications"][0]["notification"] = "notify-nobody"
    monkeypatch.setattr(
        "dairyhaccp.lab.rules._all_rules",
        lambda: {("productie-zuivelproducten", CURRENT_VERSION): LabRules.model_validate(data)},
    )
    with pytest.raises(GuideError, match="notify-nobody"):
        lab_rules(GUIDE)


def test_a_guide_without_lab_rules_is_refused() -> None:
    other = GUIDE.model_copy(update={"meta": GUIDE.meta.model_copy(update={"version": "99"})})
    with pytest.raises(GuideError, match="no lab rules"):
        lab_rules(other)


def test_the_decision_without_results_is_no_take_over() -> None:
    decision = raw_milk_notification(GUIDE, "antibiotic_residues", True, True, [Analysed()])
    assert decision.duty is NotificationDuty.REQUIRED_UNLESS_KEPT_IN_HOUSE
    assert decision.laboratory_unknown
