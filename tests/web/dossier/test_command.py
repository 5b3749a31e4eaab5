"""`manage.py audit_dossier OPERATOR_SLUG --from --to --out [--csv] [--lang] [--by]`."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import Dairy


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("audit_dossier", *args, stdout=out)
    return out.getvalue()


def test_writes_the_pdf_and_the_zip_and_says_what_it_wrote(dairy: Dairy, tmp_path: Path) -> None:
    pdf, archive = tmp_path / "dossier.pdf", tmp_path / "dossier.zip"
    said = run(
        "de-wei",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-08",
        "--out",
        str(pdf),
        "--csv",
        str(archive),
        "--lang",
        "en",
        "--by",
        "Inspector Claes",
    )
    assert pdf.read_bytes().startswith(b"%PDF-")
    with zipfile.ZipFile(archive) as files:
        assert "checks.csv" in files.namelist()
        summary = files.read("dossier.csv").decode("utf-8-sig")
    assert "made_by,Inspector Claes" in summary
    assert said.startswith("de-wei 2026-03-02..2026-03-08: wrote ")
    assert "registrations: 14, deviations: 1, chain: intact" in said


def test_without_csv_only_the_pdf_is_written(dairy: Dairy, tmp_path: Path) -> None:
    run("de-wei", "--from", "2026-03-02", "--to", "2026-03-08", "--out", str(tmp_path / "d.pdf"))
    assert [p.name for p in tmp_path.iterdir()] == ["d.pdf"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--from", "2026-3-2", "--to", "2026-03-08"),
            "--from: '2026-3-2' is not a date written YYYY-MM-DD",
        ),
        (
            ("--from", "2026-02-30", "--to", "2026-03-08"),
            "--from: 2026-02-30 is not a day of the calendar",
        ),
        (("--from", "1999-12-31", "--to", "2026-03-08"), "--from: lies before the year 2000"),
        (("--from", "2026-03-02", "--to", "2026-03-21"), "--to: lies in the future"),
        (("--from", "2026-03-08", "--to", "2026-03-02"), "--to: lies before the first day"),
        (
            ("--from", "2020-01-01", "--to", "2026-03-08"),
            "--to: a dossier covers at most 1098 days",
        ),
    ],
)
def test_a_bad_period_is_refused_naming_the_option(
    dairy: Dairy, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        run("de-wei", *args, "--out", str(tmp_path / "d.pdf"))
    assert str(refused.value) == message
    assert refused.value.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_operator_and_bad_files_are_refused(dairy: Dairy, tmp_path: Path) -> None:
    period = ("--from", "2026-03-02", "--to", "2026-03-08")
    cases = [
        (("nobody", *period, "--out", str(tmp_path / "d.pdf")), "unknown operator: nobody"),
        (("de-wei", *period, "--out", str(tmp_path)), "is a folder, not a file"),
        (("de-wei", *period, "--out", str(tmp_path / "no" / "d.pdf")), "does not exist"),
        (
            ("de-wei", *period, "--out", str(tmp_path / "d.pdf"), "--csv", str(tmp_path / "d.pdf")),
            "--csv: must be another file than --out",
        ),
        (("de-wei", *period, "--out", str(tmp_path / "d.pdf"), "--by", "x\x00y"), "--by:"),
    ]
    for args, message in cases:
        with pytest.raises(CommandError) as refused:
            run(*args)
        assert message in str(refused.value)
    assert list(tmp_path.iterdir()) == []
