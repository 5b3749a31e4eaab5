from django.db import migrations, models

# The names Django gave the indexes of the control column, the same on SQLite and PostgreSQL;
# PostgreSQL has a second one, for LIKE, named with `_like`.
CONTROL_INDEXES = {
    "records_registration": "records_registration_control_id_7b4528f3",
    "records_deviation": "records_deviation_control_id_6a0432c5",
}


def drop_indexes(apps, schema_editor):
    for name in CONTROL_INDEXES.values():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}_like"')


def make_indexes(apps, schema_editor):
    for table, name in CONTROL_INDEXES.items():
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" ("control_id")')
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX "{name}_like" ON "{table}" ("control_id" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0004_registrations_without_operator_index"),
    ]

    operations = [
        # Only the indexes go: the tables are not rebuilt, their rows and guards stay as they are.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model_name,
                    name="control_id",
                    field=models.CharField(max_length=20, verbose_name="control"),
                )
                for model_name in ("registration", "deviation")
            ],
            database_operations=[migrations.RunPython(drop_indexes, make_indexes)],
        ),
    ]
