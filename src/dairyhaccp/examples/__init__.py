"""Example operator profiles shipped with the package."""

from __future__ import annotations

from importlib.resources import files


def example_profile(name: str = "demo") -> str:
    """The TOML text of a shipped example profile."""
    return files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
