"""Command line commands of this context."""

from __future__ import annotations

from typing import Any


def add_commands(commands: Any) -> None:
    """Add this context's commands to the `dairyhaccp` subcommands."""
