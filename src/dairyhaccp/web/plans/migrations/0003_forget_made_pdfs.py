"""The plan PDFs made before the cover, contents and limits in words are made again."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forget_made_pdfs(apps: Any, schema_editor: Any) -> None:
    apps.get_model("plans", "PlanPdf").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_planpdf"),
        ("operators", "0005_plan_responsibility"),
    ]

    operations = [migrations.RunPython(forget_made_pdfs, migrations.RunPython.noop)]
