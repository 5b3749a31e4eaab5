"""Constants of the operators context."""

from __future__ import annotations

# First path segments taken by site-wide URLs; an operator slug may not use them.
RESERVED_SLUGS: frozenset[str] = frozenset(
    {"accounts", "admin", "api", "i18n", "static", "media", "favicon.ico", "robots.txt"}
)

# Clear API tokens start with this prefix so a leaked one is recognisable in logs and scanners.
API_TOKEN_PREFIX = "dh_"

# Salts of the signed links e-mailed for a sign-up and an invitation: one link fits one use.
SIGNUP_LINK_SALT = "dairyhaccp.operators.signup"
INVITATION_LINK_SALT = "dairyhaccp.operators.invitation"

# The backend a user is logged in with after verifying a sign-up, accepting an invitation or
# resetting a password: the password was checked another way, so no login attempt is counted.
LOGIN_BACKEND = "dairyhaccp.web.operators.backends.ModelBackend"

# A new operator's short name is its name, cut to this length before a counter is added.
SLUG_BASE_LENGTH = 50
# Dates of an auditor's period lie between these years.
EARLIEST_ACCESS_YEAR = 2000
LATEST_ACCESS_YEAR = 2099
