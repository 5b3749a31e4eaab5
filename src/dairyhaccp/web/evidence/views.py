"""The owner's receipt of the chain: its head on a day, to be kept outside this app."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dairyhaccp.web.evidence.chain import verify
from dairyhaccp.web.operators.access import OperatorRequest, require_role
from dairyhaccp.web.operators.choices import Role


@require_role(Role.OWNER)
def receipt(request: OperatorRequest) -> HttpResponse:
    """A text file with the number of records and the hash of the chain's head today."""
    operator = request.operator
    result = verify(operator)
    now = timezone.localtime()
    state = _("intact") if result.intact else _("broken at {place}").format(place=result.broken)
    lines = [
        _("Receipt of the records of {name}").format(name=operator.name),
        _("Made on {moment}").format(moment=now.strftime("%Y-%m-%d %H:%M %Z")),
        _("Records in the chain: {count}").format(count=result.links),
        _("Head of the chain: {hash}").format(hash=result.head_hash),
        _("Verification: {state}").format(state=state),
        "",
        _(
            "Keep this receipt outside the app (on paper, by e-mail to yourself). A later "
            "verification that finds the same head for the same number of records shows that "
            "nothing recorded before this day was changed."
        ),
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    filename = f"receipt-{operator.slug}-{now:%Y-%m-%d}.txt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
