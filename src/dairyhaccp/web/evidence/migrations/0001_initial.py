from __future__ import annotations

from django.db import migrations

PERMIT = "CREATE TABLE IF NOT EXISTS evidence_delete_permit (reason varchar(200) NOT NULL)"


class Migration(migrations.Migration):
    initial = True

    dependencies = [("operators", "0001_initial")]

    operations = [
        migrations.RunSQL(PERMIT, "DROP TABLE IF EXISTS evidence_delete_permit"),
    ]
