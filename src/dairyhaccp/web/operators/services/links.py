"""Signed links e-mailed to a person: a row's id and nonce, signed with a time stamp."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing

from dairyhaccp.web.operators.services.errors import LinkError, LinkProblem

# A nonce of 24 random bytes, 32 characters in URL-safe base64.
NONCE_BYTES = 24
# A token longer than this was not made here; it is refused before it is unpacked.
MAX_TOKEN_LENGTH = 200


def new_nonce() -> str:
    """A random value that binds a link to one row."""
    return secrets.token_urlsafe(NONCE_BYTES)


def make_token(pk: int, nonce: str, salt: str) -> str:
    """The signed, time-stamped token of the row `pk` with `nonce`."""
    return signing.dumps([pk, nonce], salt=salt)


def read_token(token: str, salt: str, max_age: timedelta | None) -> tuple[int, str]:
    """The row id and nonce in `token`; LinkError when it is forged, damaged or too old."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise LinkError(LinkProblem.INVALID)
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError(LinkProblem.EXPIRED) from None
    except signing.BadSignature:
        raise LinkError(LinkProblem.INVALID) from None
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or not isinstance(payload[1], str)
    ):
        raise LinkError(LinkProblem.INVALID)
    return payload[0], payload[1]
