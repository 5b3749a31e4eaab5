"""Helpers the farm views share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dairyhaccp.ikm import CertificateStatus
from dairyhaccp.ikm.models import Text
from dairyhaccp.web.operators.access import OperatorRequest
from dairyhaccp.web.operators.language import guide_language


def may(request: OperatorRequest, roles: frozenset[str]) -> bool:
    """Whether the member of this request has one of `roles`."""
    return request.membership.role in roles


def text(value: Text | None) -> str:
    """A lastenboek text in the page's language."""
    return value.get(guide_language()) if value is not None else ""


def certificate_state(status: CertificateStatus) -> str:
    """The state of a certificate in words."""
    return str(
        {
            "valid": _("Certificate valid"),
            "expiring": _("Certificate ends soon"),
            "lapsed": _("Certificate lapsed"),
            "none": _("No certificate"),
        }[status.state]
    )
