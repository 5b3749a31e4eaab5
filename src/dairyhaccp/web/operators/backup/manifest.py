"""The manifest written beside every backup: what it holds, and how to check it."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MANIFEST_FORMAT: Literal[1] = 1
MANIFEST_SUFFIX = ".manifest.json"
# A manifest is a few kilobytes; anything far larger is not one of ours.
MAX_MANIFEST_BYTES = 10_000_000
# Neither database numbers rows beyond a signed 64-bit integer.
MAX_ROWS = 2**63 - 1

Vendor = Literal["sqlite", "postgresql"]


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a message for the person running it."""


class Manifest(BaseModel):
    """What a backup file holds, written when it was made and checked when it is restored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal[1] = MANIFEST_FORMAT
    made_at: datetime
    database_vendor: Vendor
    app_version: str = Field(max_length=100)
    backup_file: str = Field(max_length=1000)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    # Rows per table in the copy, counted in the same snapshot the copy was made from.
    row_counts: dict[str, Annotated[int, Field(ge=0, le=MAX_ROWS)]]
    # The newest applied migration per app in the copy.
    migrations: dict[str, str]
    # The head hash of each operator's evidence chain, by operator slug, as in the copy.
    chain_heads: dict[str, Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]]


@dataclass(frozen=True)
class CopyFacts:
    """What a backup step read from the copy, in the snapshot the copy was made from."""

    row_counts: dict[str, int]
    migrations: dict[str, str]
    chain_heads: dict[str, str]


def manifest_path(backup: Path) -> Path:
    """The manifest that belongs to the backup file `backup`: the same name plus a suffix."""
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` to a new file only its owner may read, flushed to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def manifest_bytes(manifest: Manifest) -> bytes:
    """The manifest as indented JSON, keys in a stable order."""
    return (json.dumps(manifest.model_dump(mode="json"), indent=2, sort_keys=True) + "\n").encode()


def read_manifest(backup: Path) -> Manifest:
    """The manifest beside `backup`, validated; a BackupError says what is wrong with it."""
    path = manifest_path(backup)
    if not path.is_file():
        raise BackupError(f"{path}: the manifest of this backup is missing")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise BackupError(f"{path}: too large to be a manifest")
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "manifest"
        raise BackupError(f"{path}: {field}: {first['msg']}") from None
