"""Services of the records context: judged at once, append-only, deviations that cannot be lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dairyhaccp.web.operators.models import AppendOnlyError, Operator
from dairyhaccp.web.operators.services import create_operator
from dairyhaccp.web.records import selectors
from dairyhaccp.web.records.choices import DeviationEventKind, Outcome
from dairyhaccp.web.records.models import (
    Batch,
    Deviation,
    DeviationEvent,
    Registration,
    Room,
)
from dairyhaccp.web.records.services import (
    RegistrationError,
    RegistrationInput,
    close_deviation,
    correct_registration,
    create_batch,
    create_room,
    record_corrective_actions,
    record_notification,
    record_registration,
    record_task,
)

pytestmark = pytest.mark.django_db


def pasteurisation(batch: Batch, temperature: float, hold: float) -> RegistrationInput:
    return RegistrationInput(
        control_id="CCP 9", values={"temperature_c": temperature, "hold_s": hold}, batch=batch
    )


def plan_of(operator: Operator):  # type: ignore[no-untyped-def]
    current = selectors.operator_plan(operator)
    assert current is not None
    return current.plan


def test_a_pasteurisation_at_70c_for_20s_is_a_deviation_that_blocks_the_lot(
    owner: User, yoghurt_batch: Batch
) -> None:
    recorded = record_registration(
        yoghurt_batch.operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    )

    registration = recorded.registration
    assert registration.verdict == "deviation"
    assert registration.required == {"hold_s": pytest.approx(37.3, abs=0.5)}
    assert registration.findings[0]["code"] == "hold_too_short"
    assert registration.plan_version == 1
    assert recorded.deviation is not None
    assert list(recorded.deviation.lots.all()) == [yoghurt_batch]
    assert list(selectors.blocked_lots(yoghurt_batch.operator)) == [yoghurt_batch]
    assert list(selectors.open_deviations(yoghurt_batch.operator)) == [recorded.deviation]


def test_a_conform_pasteurisation_opens_no_deviation(owner: User, yoghurt_batch: Batch) -> None:
    recorded = record_registration(
        yoghurt_batch.operator, owner, pasteurisation(yoghurt_batch, 72, 15)
    )
    assert recorded.registration.verdict == "conform"
    assert recorded.deviation is None
    assert not Deviation.objects.exists()


def test_the_lots_made_from_a_deviating_milking_are_blocked_too(
    planned: Operator, owner: User
) -> None:
    milked = timezone.now() - timedelta(hours=5)
    milk = create_batch(planned, owner, "M-1", "raw_milk", started_at=milked)
    cheese = create_batch(
        planned, owner, "K-1", "Hoevekaas", started_at=milked + timedelta(hours=3), made_from=[milk]
    )
    data = RegistrationInput(
        control_id="CCP 2", values={"temperature_c": 9, "elapsed_min": 60}, batch=milk
    )

    recorded = record_registration(planned, owner, data)

    assert recorded.deviation is not None
    assert set(recorded.deviation.lots.all()) == {milk, cheese}


def test_milk_processed_within_two_hours_of_milking_need_not_be_cooled(
    planned: Operator, owner: User
) -> None:
    milked = timezone.now() - timedelta(hours=3)
    milk = create_batch(planned, owner, "M-3", "raw_milk", started_at=milked)
    create_batch(
        planned,
        owner,
        "K-3",
        "Hoevekaas",
        started_at=milked + timedelta(minutes=90),
        made_from=[milk],
    )
    data = RegistrationInput(control_id="CCP 2", values={"temperature_c": 30}, batch=milk)

    registration = record_registration(planned, owner, data).registration

    assert registration.derived["processed_after_min"] == pytest.approx(90, abs=1)
    assert registration.verdict == "conform"


def test_time_since_milking_is_taken_from_the_stored_milking_not_the_typed_value(
    planned: Operator, owner: User
) -> None:
    milk = create_batch(
        planned, owner, "M-2", "raw_milk", started_at=timezone.now() - timedelta(hours=3)
    )
    data = RegistrationInput(
        control_id="CCP 2", values={"temperature_c": 5, "elapsed_min": 30}, batch=milk
    )

    registration = record_registration(planned, owner, data).registration

    assert registration.derived["elapsed_min"] == pytest.approx(180, abs=1)
    assert registration.verdict == "deviation"
    assert [f["limit"] for f in registration.findings] == ["ccp2-raw-milk-time"]


def test_a_room_registration_reads_the_rooms_product_and_remembers_the_values(
    owner: User, ripening_room: Room
) -> None:
    data = RegistrationInput(
        control_id="CCP 13",
        values={"temperature_c": 16, "relative_humidity_pct": 83},
        room=ripening_room,
    )

    registration = record_registration(ripening_room.operator, owner, data).registration

    assert registration.product == "Hoevekaas"
    assert registration.verdict == "warning"  # the ripening temperatures are guide values
    assert selectors.last_values(ripening_room.operator, "CCP 13", room=ripening_room) == {
        "temperature_c": 16.0,
        "relative_humidity_pct": 83.0,
    }


@pytest.mark.parametrize(
    ("temperature", "verdict"), [(7, "conform"), (9, "warning"), (10.5, "deviation")]
)
def test_a_cold_room_is_judged_against_its_storage_category(
    planned: Operator, owner: User, temperature: float, verdict: str
) -> None:
    cold_room = create_room(planned, "Koelcel", "cold_room", storage_category="dairy_chilled")
    data = RegistrationInput(
        control_id="CCP 3", values={"temperature_c": temperature}, room=cold_room
    )
    assert record_registration(planned, owner, data).registration.verdict == verdict


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"temperature_c": "warm", "hold_s": 20}, "temperature_c"),
        ({"temperature_c": 70, "colour": "blue"}, "colour"),
        ({}, "measurement"),
        ({"temperature_c": 500, "hold_s": 20}, "temperature_c"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    owner: User, yoghurt_batch: Batch, values: dict[str, object], field: str
) -> None:
    data = RegistrationInput(control_id="CCP 9", values=values, batch=yoghurt_batch)
    with pytest.raises(RegistrationError) as caught:
        record_registration(yoghurt_batch.operator, owner, data)
    assert caught.value.field == field
    assert not Registration.objects.exists()


def test_a_control_outside_the_plan_is_refused(owner: User, planned: Operator) -> None:
    with pytest.raises(RegistrationError) as caught:
        record_registration(planned, owner, RegistrationInput("CCP 15", {"ph": 5.0}))
    assert caught.value.field == "control"


def test_without_a_plan_nothing_can_be_registered(operator: Operator, owner: User) -> None:
    with pytest.raises(RegistrationError) as caught:
        record_registration(operator, owner, RegistrationInput("CCP 9", {"temperature_c": 72}))
    assert caught.value.field == "plan"


def test_another_operators_batch_is_refused(owner: User, yoghurt_batch: Batch) -> None:
    other = create_operator("Elders", slug="elders")
    with pytest.raises(RegistrationError) as caught:
        record_registration(other, owner, pasteurisation(yoghurt_batch, 72, 15))
    assert caught.value.field in ("batch", "plan")


def test_a_registration_in_the_future_is_refused(owner: User, yoghurt_batch: Batch) -> None:
    data = RegistrationInput(
        "CCP 9",
        {"temperature_c": 72, "hold_s": 15},
        measured_at=timezone.now() + timedelta(hours=2),
        batch=yoghurt_batch,
    )
    with pytest.raises(RegistrationError) as caught:
        record_registration(yoghurt_batch.operator, owner, data)
    assert caught.value.field == "measured_at"


# --- append-only ---------------------------------------------------------------------------


def test_a_registration_cannot_be_changed_or_deleted(owner: User, yoghurt_batch: Batch) -> None:
    registration = record_registration(
        yoghurt_batch.operator, owner, pasteurisation(yoghurt_batch, 72, 15)
    ).registration

    registration.values = {"temperature_c": 80}
    with pytest.raises(AppendOnlyError):
        registration.save()
    with pytest.raises(AppendOnlyError):
        registration.delete()
    with pytest.raises(AppendOnlyError):
        Registration.objects.filter(pk=registration.pk).update(verdict="conform")
    with pytest.raises(AppendOnlyError):
        Registration.objects.all().delete()
    registration.refresh_from_db()
    assert registration.values == {"temperature_c": 72.0, "hold_s": 15.0}


def test_a_correction_is_a_new_version_and_the_old_value_stays(
    owner: User, staff: User, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    first = record_registration(operator, owner, pasteurisation(yoghurt_batch, 72, 15)).registration

    second = correct_registration(
        first,
        staff,
        RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": 51}),
        "typo: 51 s, not 15 s",
    ).registration

    assert (second.version, second.chain, second.corrects) == (2, first.chain, first)
    assert second.recorded_by == staff and second.correction_reason == "typo: 51 s, not 15 s"
    assert second.batch == yoghurt_batch
    versions = list(selectors.registration_versions(second))
    assert [v.values["hold_s"] for v in versions] == [15.0, 51.0]
    assert list(selectors.current_registrations(operator)) == [second]


def test_only_the_latest_version_can_be_corrected_and_only_with_a_reason(
    owner: User, yoghurt_batch: Batch
) -> None:
    first = record_registration(
        yoghurt_batch.operator, owner, pasteurisation(yoghurt_batch, 72, 15)
    ).registration
    with pytest.raises(RegistrationError) as no_reason:
        correct_registration(
            first, owner, RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": 16}), " "
        )
    assert no_reason.value.field == "reason"
    correct_registration(
        first, owner, RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": 16}), "read again"
    )
    with pytest.raises(RegistrationError) as stale:
        correct_registration(
            first,
            owner,
            RegistrationInput("CCP 9", {"temperature_c": 72, "hold_s": 17}),
            "read again",
        )
    assert stale.value.field == "registration"


def test_a_correction_into_a_deviation_opens_one(owner: User, yoghurt_batch: Batch) -> None:
    first = record_registration(
        yoghurt_batch.operator, owner, pasteurisation(yoghurt_batch, 72, 15)
    ).registration
    recorded = correct_registration(
        first, owner, pasteurisation(yoghurt_batch, 70, 20), "wrong thermometer"
    )
    assert recorded.deviation is not None
    assert recorded.deviation.registration == recorded.registration


def test_correcting_a_deviation_keeps_it_open_and_logs_the_correction(
    owner: User, yoghurt_batch: Batch
) -> None:
    recorded = record_registration(
        yoghurt_batch.operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    )
    corrected = correct_registration(
        recorded.registration, owner, pasteurisation(yoghurt_batch, 72, 20), "reading error"
    )
    assert corrected.deviation == recorded.deviation
    assert corrected.deviation is not None and corrected.deviation.is_open
    kinds = list(corrected.deviation.events.values_list("kind", flat=True))
    assert kinds == [DeviationEventKind.OPENED, DeviationEventKind.CORRECTED]


# --- deviations ----------------------------------------------------------------------------


def test_closing_needs_a_corrective_action_and_keeps_who_and_when(
    owner: User, staff: User, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    deviation = record_registration(
        operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    ).deviation
    assert deviation is not None
    with pytest.raises(RegistrationError) as caught:
        close_deviation(deviation, staff, plan_of(operator), Outcome.REPASTEURISED)
    assert caught.value.field == "actions"

    closed = close_deviation(
        deviation, staff, plan_of(operator), Outcome.REPASTEURISED, action_ids=["ccp9-repasteurise"]
    )

    assert closed.status == "closed" and closed.closed_by == staff and closed.closed_at is not None
    assert closed.actions == ["ccp9-repasteurise"]
    assert list(selectors.open_deviations(operator)) == []
    assert list(selectors.blocked_lots(operator)) == []
    kinds = list(
        DeviationEvent.objects.filter(deviation=closed).values_list("kind", "by__username")
    )
    assert kinds == [
        ("opened", owner.username),
        ("actions", staff.username),
        ("closed", staff.username),
    ]


def test_a_release_needs_a_justification(owner: User, yoghurt_batch: Batch) -> None:
    operator = yoghurt_batch.operator
    deviation = record_registration(
        operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    ).deviation
    assert deviation is not None
    with pytest.raises(RegistrationError) as caught:
        close_deviation(
            deviation, owner, plan_of(operator), Outcome.RELEASED, own_action="Thermometer checked"
        )
    assert caught.value.field == "justification"


def test_destroying_marks_the_lots_destroyed(owner: User, yoghurt_batch: Batch) -> None:
    operator = yoghurt_batch.operator
    deviation = record_registration(
        operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    ).deviation
    assert deviation is not None
    close_deviation(
        deviation, owner, plan_of(operator), Outcome.DESTROYED, action_ids=["ccp9-destroy"]
    )
    yoghurt_batch.refresh_from_db()
    assert yoghurt_batch.destroyed_at is not None


def test_an_action_that_is_not_in_the_plan_is_refused(owner: User, yoghurt_batch: Batch) -> None:
    operator = yoghurt_batch.operator
    deviation = record_registration(
        operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    ).deviation
    assert deviation is not None
    with pytest.raises(RegistrationError) as caught:
        record_corrective_actions(deviation, owner, plan_of(operator), ["ccp2-destroy"])
    assert caught.value.field == "actions"


def test_a_closed_deviation_cannot_be_changed(owner: User, yoghurt_batch: Batch) -> None:
    operator = yoghurt_batch.operator
    deviation = record_registration(
        operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    ).deviation
    assert deviation is not None
    close_deviation(
        deviation, owner, plan_of(operator), Outcome.REPASTEURISED, own_action="Heated again"
    )
    with pytest.raises(RegistrationError):
        record_corrective_actions(deviation, owner, plan_of(operator), ["ccp9-destroy"])
    with pytest.raises(RegistrationError):
        record_notification(deviation, owner, timezone.localdate())


def test_a_notification_date_cannot_lie_in_the_future(owner: User, yoghurt_batch: Batch) -> None:
    deviation = record_registration(
        yoghurt_batch.operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    ).deviation
    assert deviation is not None
    with pytest.raises(RegistrationError) as caught:
        record_notification(deviation, owner, timezone.localdate() + timedelta(days=2))
    assert caught.value.field == "notified_on"
    record_notification(deviation, owner, timezone.localdate())
    deviation.refresh_from_db()
    assert deviation.notified_on == timezone.localdate()


def test_a_deviation_the_guide_makes_notifiable_asks_for_the_date(
    owner: User, yoghurt_batch: Batch
) -> None:
    operator = yoghurt_batch.operator
    deviation = record_registration(
        operator, owner, pasteurisation(yoghurt_batch, 70, 20)
    ).deviation
    assert deviation is not None
    # A pasteurisation deviation is not notifiable; mark one as such to test the rule of closing.
    Deviation.objects.filter(pk=deviation.pk).update(notification_required=True)
    with pytest.raises(RegistrationError) as caught:
        close_deviation(
            deviation,
            owner,
            plan_of(operator),
            Outcome.REPASTEURISED,
            action_ids=["ccp9-repasteurise"],
        )
    assert caught.value.field == "notified_on"
    closed = close_deviation(
        deviation,
        owner,
        plan_of(operator),
        Outcome.REPASTEURISED,
        action_ids=["ccp9-repasteurise"],
        notified_on=timezone.localdate(),
    )
    assert closed.notified_on == timezone.localdate()


# --- stateful rules and tasks --------------------------------------------------------------


def test_the_fifth_home_made_starter_in_a_row_is_counted_from_the_store(
    operator: Operator,
    owner: User,
    give_plan,  # type: ignore[no-untyped-def]
) -> None:
    give_plan(operator, owner, home_made_starter=True)
    start = timezone.now() - timedelta(days=10)
    for day, industrial in enumerate([True, False, False, False, False]):
        data = RegistrationInput(
            "PVA 11",
            {"visual_ok": True},
            measured_at=start + timedelta(days=day),
            industrial_starter=industrial,
        )
        assert record_registration(operator, owner, data).registration.verdict == "conform"

    fifth = record_registration(
        operator,
        owner,
        RegistrationInput(
            "PVA 11",
            {"visual_ok": True, "productions_since_industrial_starter": 0},
            industrial_starter=False,
        ),
    )

    assert fifth.registration.values["productions_since_industrial_starter"] == 5
    assert fifth.registration.verdict == "deviation"


def test_a_starter_registration_must_say_which_starter(
    operator: Operator, owner: User, give_plan
) -> None:  # type: ignore[no-untyped-def]
    give_plan(operator, owner, home_made_starter=True)
    with pytest.raises(RegistrationError) as caught:
        record_registration(operator, owner, RegistrationInput("PVA 11", {"visual_ok": True}))
    assert caught.value.field == "industrial_starter"


def test_a_yearly_disinfection_is_registered_as_a_task(owner: User, ripening_room: Room) -> None:
    registration = record_task(
        ripening_room.operator, owner, "ghp-ripening-disinfection", room=ripening_room
    )
    assert (registration.task_id, registration.control_id, registration.verdict) == (
        "ghp-ripening-disinfection",
        "",
        "conform",
    )
    with pytest.raises(RegistrationError):
        record_task(ripening_room.operator, owner, "not-a-task")


def test_rooms_and_lots_have_unique_names(planned: Operator, owner: User) -> None:
    create_room(planned, "Kelder", "ripening_room")
    with pytest.raises(RegistrationError) as room_error:
        create_room(planned, "Kelder", "cold_room")
    assert room_error.value.field == "name"
    create_batch(planned, owner, "L1", "Hoevekaas")
    with pytest.raises(RegistrationError) as lot_error:
        create_batch(planned, owner, "L1", "Hoeveboter")
    assert lot_error.value.field == "lot_code"
    with pytest.raises(RegistrationError) as product_error:
        create_batch(planned, owner, "L2", "Gouda")
    assert product_error.value.field == "product"
