"""`manage.py restore PATH [--force]`: bring a backup back and check it against its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dairyhaccp.web.operators.backup import BackupError, restore_backup

# The evidence chain's own check, run after a restore once that command exists.
VERIFY_EVIDENCE = "verify_evidence"


class Command(BaseCommand):
    help = (
        "Replace the database with a backup made by `manage.py backup`, then compare its row "
        "counts with the manifest. Refuses a database that holds data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file (its manifest lies beside).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data (all of it is lost).",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(
                options["path"], force=options["force"], database=options["database"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest.row_counts.values())
        self.stdout.write(
            f"restored {options['path']} (made {manifest.made_at.isoformat()}): "
            f"{len(manifest.row_counts)} tables, {rows} rows, as in the manifest"
        )
        if VERIFY_EVIDENCE in get_commands():
            call_command(VERIFY_EVIDENCE, stdout=self.stdout, stderr=self.stderr)
        else:
            self.stdout.write("evidence chain: not checked (no verify_evidence command yet)")
        self.stdout.write("next: `manage.py migrate` if this version of the app is newer")
