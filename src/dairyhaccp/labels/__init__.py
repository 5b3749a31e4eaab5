"""Labels: the sales names a product may carry and the mandatory mentions of its label.

The public entry points are `allowed_names` and `check_label`; a composition is a
`Composition`. Everything is pure: the rules are data (label_rules.yaml beside the guide).
"""

from dairyhaccp.labels.check import (
    FindingCode,
    LabelCheck,
    LabelFinding,
    check_label,
    required_mentions,
)
from dairyhaccp.labels.composition import (
    Composition,
    Ingredient,
    LabelInputError,
    composition_from_dict,
)
from dairyhaccp.labels.names import NameDecision, RefusedName, allowed_names, judge_sales_name
from dairyhaccp.labels.rules import LabelRules, LabelRulesError, load_label_rules

__all__ = [
    "Composition",
    "FindingCode",
    "Ingredient",
    "LabelCheck",
    "LabelFinding",
    "LabelInputError",
    "LabelRules",
    "LabelRulesError",
    "NameDecision",
    "RefusedName",
    "allowed_names",
    "check_label",
    "composition_from_dict",
    "judge_sales_name",
    "load_label_rules",
    "required_mentions",
]
