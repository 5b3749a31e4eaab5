"""Backups of the whole database with a manifest, and restoring them (`manage.py backup`)."""

from __future__ import annotations

from dairyhaccp.web.operators.backup.manifest import BackupError, Manifest, manifest_path
from dairyhaccp.web.operators.backup.services import make_backup, restore_backup

__all__ = ["BackupError", "Manifest", "make_backup", "manifest_path", "restore_backup"]
