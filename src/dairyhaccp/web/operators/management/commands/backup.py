"""`manage.py backup [--out PATH]`: a consistent copy of the database, with its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dairyhaccp.web.operators.backup import BackupError, make_backup, manifest_path


class Command(BaseCommand):
    help = (
        "Copy the database while the app runs (SQLite: online backup; PostgreSQL: pg_dump) "
        "and write a manifest of row counts beside it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            help="The backup file to write (default: backups/ in the data directory).",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = make_backup(options["out"], database=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest.row_counts.values())
        self.stdout.write(f"backup:   {path}")
        self.stdout.write(f"manifest: {manifest_path(path)}")
        self.stdout.write(f"{len(manifest.row_counts)} tables, {rows} rows")
