"""Whether the operator must notify the FAVV of an unfavourable raw-milk result (module §5.1).

The guide's notifications (records.yaml) and the lab rules say which results are notified, the
exemption (the hazard arose in the business, nothing left it, measures are taken: own milk only)
and which laboratories take the notification over for the results they analysed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from dairyhaccp.guide.models import Guide
from dairyhaccp.lab.rules import lab_rules


class NotificationDuty(StrEnum):
    """Who notifies the FAVV, if anyone."""

    NONE = "none"
    REQUIRED = "required"
    REQUIRED_UNLESS_KEPT_IN_HOUSE = "required_unless_kept_in_house"
    NOT_REQUIRED_KEPT_IN_HOUSE = "not_required_kept_in_house"
    TAKEN_OVER_BY_LABORATORY = "taken_over_by_laboratory"


@dataclass(frozen=True, slots=True)
class Analysed:
    """One result behind a verdict: who analysed it, and whether the milk or what was made from
    it has left the business (None: not known)."""

    laboratory: str = ""
    left_control: bool | None = None


@dataclass(frozen=True, slots=True)
class NotificationDecision:
    """The duty to notify, the guide's notification it follows and the laboratories that take
    it over; `laboratory_unknown`: a laboratory could take it over but some result names none."""

    duty: NotificationDuty
    notification: str | None = None
    laboratories: tuple[str, ...] = ()
    laboratory_unknown: bool = False

    @property
    def notify_favv(self) -> bool:
        """Whether the operator notifies the FAVV (when in doubt: yes)."""
        return self.duty in (
            NotificationDuty.REQUIRED,
            NotificationDuty.REQUIRED_UNLESS_KEPT_IN_HOUSE,
        )


NO_NOTIFICATION = NotificationDecision(NotificationDuty.NONE)


def _left_control(results: Sequence[Analysed]) -> bool | None:
    """True when any result's milk left, False when none did, None when not known for some."""
    if any(result.left_control for result in results):
        return True
    if results and all(result.left_control is False for result in results):
        return False
    return None


def raw_milk_notification(
    guide: Guide,
    parameter: str,
    unfavourable: bool,
    own_production: bool,
    results: Sequence[Analysed],
) -> NotificationDecision:
    """The duty to notify for an unfavourable verdict resting on `results`."""
    rules = lab_rules(guide)
    item = rules.notification_for(parameter)
    if not unfavourable or item is None:
        return NO_NOTIFICATION
    labs = [rules.laboratory_of(result.laboratory) for result in results]
    if labs and all(lab is not None and lab in item.taken_over_by for lab in labs):
        taking_over = tuple(dict.fromkeys(lab for lab in labs if lab is not None))
        return NotificationDecision(
            NotificationDuty.TAKEN_OVER_BY_LABORATORY, item.notification, taking_over
        )
    unknown = bool(item.taken_over_by) and any(not r.laboratory.strip() for r in results)
    notification = next(n for n in guide.notifications if n.id == item.notification)
    if notification.exemption is not None and own_production:
        left = _left_control(results)
        if left is False:
            return NotificationDecision(
                NotificationDuty.NOT_REQUIRED_KEPT_IN_HOUSE, item.notification
            )
        if left is None:
            return NotificationDecision(
                NotificationDuty.REQUIRED_UNLESS_KEPT_IN_HOUSE,
                item.notification,
                laboratory_unknown=unknown,
            )
    return NotificationDecision(
        NotificationDuty.REQUIRED, item.notification, laboratory_unknown=unknown
    )
