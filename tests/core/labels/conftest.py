from __future__ import annotations

import pytest

from dairyhaccp.labels import LabelRules, load_label_rules


@pytest.fixture(scope="session")
def rules() -> LabelRules:
    return load_label_rules()
