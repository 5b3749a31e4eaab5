"""`manage.py audit_dossier OPERATOR_SLUG --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.pdf
[--csv FILE.zip] [--lang nl|fr|en] [--by NAME]`: the audit dossier of a period, as files."""

from __future__ import annotations

import getpass
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from dairyhaccp.web.dossier.period import PeriodError, checked_period
from dairyhaccp.web.dossier.services import make_dossier
from dairyhaccp.web.operators.models import Operator

BAD_INPUT = 2
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_NAME = 300


def _day(option: str, text: str) -> date:
    if not _DAY.fullmatch(text):
        raise CommandError(f"{option}: {text!r} is not a date written YYYY-MM-DD", returncode=2)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: {text} is not a day of the calendar", returncode=2) from None


def _writable(option: str, path: Path) -> Path:
    if path.is_dir():
        raise CommandError(f"{option}: {path} is a folder, not a file", returncode=2)
    if not path.parent.is_dir():
        raise CommandError(f"{option}: the folder {path.parent} does not exist", returncode=2)
    return path


class Command(BaseCommand):
    help = (
        "Write the audit dossier of one operator for a period: one PDF, and beside it a ZIP "
        "of CSV files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operator", help="the operator's short name (slug)")
        parser.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--csv", default="", help="the ZIP of CSV files to write")
        languages = [code for code, _name in settings.LANGUAGES]
        parser.add_argument(
            "--lang",
            default=settings.LANGUAGE_CODE,
            choices=languages,
            help=f"language of the dossier (default {settings.LANGUAGE_CODE})",
        )
        parser.add_argument(
            "--by", default="", help="who made it, as the cover names them (default: login)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        first = _day("--from", options["first"])
        last = _day("--to", options["last"])
        try:
            period = checked_period(first, last)
        except PeriodError as error:
            option = "--from" if error.field == "first_day" else "--to"
            with translation.override("en"):
                raise CommandError(f"{option}: {error.text()}", returncode=BAD_INPUT) from None
        out = _writable("--out", Path(options["out"]))
        csv_path = _writable("--csv", Path(options["csv"])) if options["csv"] else None
        if csv_path is not None and csv_path.resolve() == out.resolve():
            raise CommandError("--csv: must be another file than --out", returncode=BAD_INPUT)
        made_by = options["by"].strip() or getpass.getuser()
        if "\x00" in made_by or len(made_by) > MAX_NAME:
            raise CommandError(f"--by: at most {MAX_NAME} characters, no NUL", returncode=BAD_INPUT)
        operator = Operator.objects.filter(slug=options["operator"]).first()
        if operator is None:
            raise CommandError(f"unknown operator: {options['operator']}", returncode=BAD_INPUT)
        files = make_dossier(operator, period, made_by, options["lang"])
        out.write_bytes(files.pdf)
        if csv_path is not None:
            csv_path.write_bytes(files.csv_zip)
        totals = files.dossier.totals
        chain = "intact" if files.dossier.evidence.intact else "BROKEN"
        written = f"{out}" + (f" and {csv_path}" if csv_path is not None else "")
        self.stdout.write(
            f"{operator.slug} {period.first.isoformat()}..{period.last.isoformat()}: "
            f"wrote {written}; registrations: {totals['registrations']}, "
            f"deviations: {totals['deviations']}, chain: {chain} "
            f"({files.dossier.evidence.links} records); "
            f"{time.perf_counter() - started:.1f} s"
        )
