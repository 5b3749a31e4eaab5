"""The operator's HACCP plan: built from a profile and the guide, adapted with justifications."""

from dairyhaccp.plan.builder import build_plan
from dairyhaccp.plan.diff import PlanChange, diff_plans
from dairyhaccp.plan.models import Plan

__all__ = ["Plan", "PlanChange", "build_plan", "diff_plans"]
