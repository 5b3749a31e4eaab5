"""Constants of the operators context."""

from __future__ import annotations

# First path segments taken by site-wide URLs; an operator slug may not use them.
RESERVED_SLUGS: frozenset[str] = frozenset(
    {"accounts", "admin", "api", "i18n", "static", "media", "favicon.ico", "robots.txt"}
)

# Clear API tokens start with this prefix so a leaked one is recognisable in logs and scanners.
API_TOKEN_PREFIX = "dh_"
