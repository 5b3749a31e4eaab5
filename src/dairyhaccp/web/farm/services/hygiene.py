"""The hygiene score of the farmyard as an audit or inspection gave it, and its rule: a poor
rating of the surroundings gives no certificate (the lastenboek data's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dairyhaccp.ikm import CURRENT_VERSION, hygiene_blocks_certificate
from dairyhaccp.web.farm.models import HygieneRating
from dairyhaccp.web.farm.selectors import lastenboek, latest_hygiene
from dairyhaccp.web.farm.services import checks
from dairyhaccp.web.farm.services.errors import FarmInputError
from dairyhaccp.web.operators.models import Operator


@dataclass(frozen=True)
class HygieneInput:
    """A hygiene score as the audit or inspection report gives it."""

    scored_on: date
    given_by: str
    rating: str
    score: str = ""
    remark: str = ""


@transaction.atomic
def record_hygiene_score(operator: Operator, user: User, data: HygieneInput) -> HygieneRating:
    """Store the score and the rating of the surroundings; a later score is a new row."""
    ratings = {r.id for r in lastenboek().hygiene_score.surroundings.ratings}
    if data.rating not in ratings:
        raise FarmInputError("rating", _("choose one of the ratings"))
    return HygieneRating.objects.create(
        operator=operator,
        scored_on=checks.past_day(data.scored_on, "scored_on"),
        given_by=checks.text(data.given_by, "given_by", 200, required=True),
        rating=data.rating,
        score=checks.text(data.score, "score", 40),
        remark=checks.text(data.remark, "remark", 2000),
        lastenboek_version=CURRENT_VERSION,
        recorded_by=user,
    )


def check_certificate_allowed(operator: Operator, decided_on: date) -> None:
    """Refuse a certificate while the latest rating of the surroundings up to the decision
    gives none."""
    latest = latest_hygiene(operator, decided_on)
    if latest is not None and hygiene_blocks_certificate(lastenboek(), latest.rating):
        raise FarmInputError(
            "decision",
            _(
                "The hygiene of the surroundings was rated poor on {day} ({given_by}): no "
                "certificate can be granted. Record the decision as no certificate, or record "
                "the newer hygiene score first."
            ).format(day=date_format(latest.scored_on, "DATE_FORMAT"), given_by=latest.given_by),
        )
