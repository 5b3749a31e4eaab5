"""Errors of the account services: which field, what is wrong, in the page's language."""

from __future__ import annotations

from enum import Enum


class AccountError(Exception):
    """Input an account service refuses; `field` is None when it concerns the whole form."""

    def __init__(self, field: str | None, problem: str) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem


class LinkProblem(Enum):
    """Why an e-mailed link no longer works."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


class LinkError(Exception):
    """An e-mailed link (sign-up or invitation) that cannot be used."""

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem
