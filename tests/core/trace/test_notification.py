"""The duty to notify the FAVV: the module's exemption (§5.1, §5.2), decided and worded."""

from __future__ import annotations

import itertools

import pytest

from dairyhaccp.guide import Guide
from dairyhaccp.trace import describe_notification, load_notification_rule, notification_duty
from dairyhaccp.trace.notification import Origin

CASES = list(itertools.product(("in_house", "supplier"), (False, True), (False, True)))


@pytest.mark.parametrize(("origin", "left_control", "measures"), CASES)
def test_no_notification_only_in_house_on_the_premises_with_measures(
    origin: Origin, left_control: bool, measures: bool
) -> None:
    decision = notification_duty(origin, left_control, measures)

    exempt = origin == "in_house" and not left_control and measures
    assert decision.notify is not exempt
    assert len(decision.met) + len(decision.unmet) == 3


def test_a_supplier_hazard_is_notified_even_when_all_is_still_on_the_premises() -> None:
    decision = notification_duty("supplier", left_control=False, measures_taken=True)

    assert decision.unmet == ("hazard_arose_in_house",)
    assert describe_notification(decision, "en") == (
        "Notify the FAVV: the hazard came from the supplier, not from your own business"
        " (guide §5.1, §5.2)."
    )


def test_the_reason_names_the_lots_that_left_control_in_each_language() -> None:
    decision = notification_duty("in_house", True, False, lots_out=("K-17", "Y-2"))

    words = {lang: describe_notification(decision, lang) for lang in ("nl", "fr", "en")}

    assert words["nl"].startswith("Melden aan het FAVV: het product heeft uw directe controle")
    assert words["fr"].startswith("Notifier l'AFSCA : le produit a quitté votre contrôle direct")
    assert "(delivered or sold: K-17, Y-2); no corrective measures are taken" in words["en"]
    assert all("K-17, Y-2" in text for text in words.values())


def test_the_exemption_is_worded_with_all_three_conditions() -> None:
    decision = notification_duty("in_house", left_control=False, measures_taken=True)

    assert describe_notification(decision, "nl") == (
        "Geen melding nodig: het gevaar is in uw bedrijf zelf ontstaan; het product bevindt zich"
        " nog in uw bedrijf; u neemt corrigerende maatregelen (gids §5.1, §5.2)."
    )


def test_an_unknown_origin_is_refused() -> None:
    with pytest.raises(ValueError, match="origin: must be one of in_house, supplier"):
        notification_duty("elsewhere", False, True)  # type: ignore[arg-type]


def test_the_rule_stands_on_the_guides_exemption_sentences(guide: Guide) -> None:
    rule = load_notification_rule()
    rule.check_against(guide)

    exemptions = {n.id: n.exemption for n in guide.notifications}
    sentence = exemptions[rule.notifications[0]]
    assert sentence is not None
    assert sentence.nl.startswith("Een melding is niet noodzakelijk wanneer het gevaar")
    # Each condition of the sentence is one condition of the rule.
    assert "ontstaan is in uw bedrijf zelf" in sentence.nl
    assert "zich nog steeds in uw bedrijf bevindt" in sentence.nl
    assert "corrigerende maatregelen neemt" in sentence.nl
    assert [c.fact for c in rule.conditions] == [
        "hazard_arose_in_house",
        "still_on_premises",
        "corrective_measures_taken",
    ]
    assert {s.section for s in rule.sources} == {"5.1", "5.2"}
    assert {n.source.section for n in guide.notifications if n.id in rule.notifications} == {
        "5.1",
        "5.2",
    }
