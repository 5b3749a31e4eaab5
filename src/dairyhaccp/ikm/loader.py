"""Load a version of the IKM lastenboek from its data files and validate it."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dairyhaccp.ikm.models import Lastenboek

DATA_DIR = Path(__file__).parent / "data"
CURRENT_VERSION = "ikm-11.1"

# The C loader when PyYAML was built with libyaml: several times faster.
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SINGLE_FILES = {
    "meta": "meta.yaml",
    "modules": "modules.yaml",
    "record_kinds": "record_kinds.yaml",
    "preconditions": "preconditions.yaml",
    "hygiene_score": "hygiene_score.yaml",
    "certificate": "certificate.yaml",
    "treatment_days": "treatment_days.yaml",
    "privacy": "privacy.yaml",
    "sustainability": "sustainability.yaml",
}
_CRITERIA_DIR = "criteria"


class LastenboekError(Exception):
    """The lastenboek data is missing, malformed or inconsistent."""


def available_versions() -> list[str]:
    """The lastenboek versions shipped, by name."""
    return sorted(p.name for p in DATA_DIR.iterdir() if (p / "meta.yaml").is_file())


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_YamlLoader)
    except FileNotFoundError as exc:
        raise LastenboekError(f"lastenboek file missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise LastenboekError(f"{path}: not valid YAML: {exc}") from exc


def _module_criteria(path: Path) -> list[Any]:
    """The criteria of one module file, each given the module the file names."""
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), list):
        raise LastenboekError(f"{path}: expected 'module' and a list 'criteria'")
    module = data.get("module")
    criteria = []
    for item in data["criteria"]:
        if not isinstance(item, dict):
            raise LastenboekError(f"{path}: each criterion is a mapping")
        if item.get("module", module) != module:
            raise LastenboekError(f"{path}: criterion {item.get('id')} names another module")
        criteria.append({**item, "module": module})
    return criteria


def read_raw(directory: Path) -> dict[str, Any]:
    """Gather the data files of one lastenboek version into one mapping."""
    raw: dict[str, Any] = {key: _read_yaml(directory / name) for key, name in _SINGLE_FILES.items()}
    criteria_files = sorted((directory / _CRITERIA_DIR).glob("*.yaml"))
    if not criteria_files:
        raise LastenboekError(f"{directory}: no criteria files under {_CRITERIA_DIR}/")
    raw["criteria"] = [c for path in criteria_files for c in _module_criteria(path)]
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


def load_directory(directory: Path) -> Lastenboek:
    """Load and validate the lastenboek in `directory`."""
    raw = read_raw(directory)
    try:
        return Lastenboek.model_validate(raw)
    except ValidationError as exc:
        raise LastenboekError(
            f"lastenboek data in {directory} is invalid:\n{_describe(exc)}"
        ) from exc


@functools.cache
def load_lastenboek(version: str = CURRENT_VERSION) -> Lastenboek:
    """The validated lastenboek of `version` (cached: the data never changes at run time)."""
    directory = DATA_DIR / version
    if version not in available_versions():
        raise LastenboekError(
            f"unknown lastenboek version {version!r}; available: {available_versions()}"
        )
    return load_directory(directory)
