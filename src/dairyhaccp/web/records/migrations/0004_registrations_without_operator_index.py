import django.db.models.deletion
from django.db import migrations, models

# The name Django gave the index of the operator column, the same on SQLite and PostgreSQL.
OPERATOR_INDEX = "records_registration_operator_id_f89077f0"


class Migration(migrations.Migration):
    dependencies = [
        ("operators", "0005_plan_responsibility"),
        ("records", "0003_day_confirmations_and_lot_codes"),
    ]

    operations = [
        # Only the index goes: the table is not rebuilt, its rows and guards stay as they are.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="registration",
                    name="operator",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="%(app_label)s_%(class)s_set",
                        to="operators.operator",
                        verbose_name="operator",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OPERATOR_INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{OPERATOR_INDEX}" ON "records_registration" ("operator_id")'
                    ),
                ),
            ],
        ),
    ]
