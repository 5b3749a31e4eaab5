"""Shared test set-up. Nothing Django-specific: the core tests run without a database."""

from __future__ import annotations

import os

from hypothesis import settings

# CI machines are shared and slow: a per-example deadline there only adds flaky failures.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")
