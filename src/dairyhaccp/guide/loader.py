"""Load a version of the guide module from its data files and validate it."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dairyhaccp.guide.models import Guide

DATA_DIR = Path(__file__).parent / "data"
# The C loader where PyYAML was built with libyaml: the same safe subset, ten times faster.
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CURRENT_VERSION = "zuivel-1"

_SINGLE_FILES = {
    "meta": "meta.yaml",
    "parameters": "parameters.yaml",
    "hygiene": "hygiene.yaml",
    "flows": "flows.yaml",
    "products": "products.yaml",
    "pasteurisation": "pasteurisation.yaml",
    "storage_categories": "storage.yaml",
    "raw_milk_analyses": "analyses_raw_milk.yaml",
    "product_families": "analyses_finished_products.yaml",
    "labelling": "labelling.yaml",
    "listeria": "listeria.yaml",
}
_RECORDS_FILE = "records.yaml"
_RECORDS_KEYS = ("retention", "registration", "notifications")


class GuideError(Exception):
    """The guide data is missing, malformed or inconsistent."""


def available_versions() -> list[str]:
    """The guide versions shipped, oldest first."""
    return sorted(p.name for p in DATA_DIR.iterdir() if (p / "meta.yaml").is_file())


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_YamlLoader)
    except FileNotFoundError as exc:
        raise GuideError(f"guide file missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise GuideError(f"{path}: not valid YAML: {exc}") from exc


def read_raw(directory: Path) -> dict[str, Any]:
    """Gather the data files of one guide version into one mapping."""
    raw: dict[str, Any] = {key: _read_yaml(directory / name) for key, name in _SINGLE_FILES.items()}
    records = _read_yaml(directory / _RECORDS_FILE)
    if not isinstance(records, dict):
        raise GuideError(f"{directory / _RECORDS_FILE}: expected a mapping")
    for key in _RECORDS_KEYS:
        raw[key] = records.get(key)
    control_files = sorted((directory / "controls").glob("*.yaml"))
    if not control_files:
        raise GuideError(f"{directory}: no control files under controls/")
    raw["controls"] = [_read_yaml(path) for path in control_files]
    return raw


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors()[:10]:
        location = ".".join(str(part) for part in item["loc"])
        lines.append(f"  {location}: {item['msg']}")
    more = error.error_count() - 10
    if more > 0:
        lines.append(f"  ... and {more} more")
    return "\n".join(lines)


def load_directory(directory: Path) -> Guide:
    """Load and validate the guide in `directory`."""
    raw = read_raw(directory)
    try:
        guide = Guide.model_validate(raw)
    except ValidationError as exc:
        raise GuideError(f"guide data in {directory} is invalid:\n{_describe(exc)}") from exc
    if guide.meta.version != directory.name:
        # Plans and verdicts store the version and load the guide again by it.
        raise GuideError(
            f"{directory / 'meta.yaml'}: version {guide.meta.version!r} is not the folder's name"
        )
    return guide


def load_guide(version: str = CURRENT_VERSION) -> Guide:
    """The validated guide of `version` (cached: the data never changes at run time)."""
    return _load_guide(version)


@functools.cache
def _load_guide(version: str) -> Guide:
    directory = DATA_DIR / version
    if not directory.is_dir():
        raise GuideError(f"unknown guide version {version!r}; available: {available_versions()}")
    return load_directory(directory)
