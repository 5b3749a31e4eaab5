"""Constants of the plans context."""

from __future__ import annotations

from dairyhaccp.web.operators.choices import Role

# Who reads the plan (pages, PDF, versions, API). The sector sees aggregates of many farms,
# never one operator's plan.
PLAN_READERS: frozenset[str] = frozenset({Role.OWNER, Role.STAFF, Role.AUDITOR, Role.VET})
# Who changes it (the wizard and every adaptation): the plan is the owner's responsibility
# before the FAVV, so a critical limit is never changed by staff.
PLAN_EDITORS: frozenset[str] = frozenset({Role.OWNER})
