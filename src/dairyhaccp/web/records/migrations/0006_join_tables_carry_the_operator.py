"""The lots of a deviation and the sources of a batch: their join tables, until now Django's
own, become models of their own and carry the operator, like every other table."""

import django.db.models.deletion
from django.db import migrations, models


def fill_operator(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Give each row the operator of the deviation or batch it belongs to."""
    for name, owner in (("BatchSource", "from_batch"), ("DeviationLot", "deviation")):
        model = apps.get_model("records", name)
        owners = model._meta.get_field(owner).related_model
        model.objects.update(
            operator_id=models.Subquery(
                owners.objects.filter(pk=models.OuterRef(f"{owner}_id")).values("operator_id")[:1]
            )
        )


def _operator(null: bool) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        to="operators.operator",
        verbose_name="operator",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("operators", "0005_plan_responsibility"),
        ("records", "0005_no_index_of_the_control_alone"),
    ]

    operations = [
        # The tables are there already: only Django's picture of them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BatchSource",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "from_batch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="records.batch",
                                verbose_name="batch",
                            ),
                        ),
                        (
                            "to_batch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="records.batch",
                                verbose_name="made from",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "source of a batch",
                        "verbose_name_plural": "sources of batches",
                        "db_table": "records_batch_made_from",
                        "unique_together": {("from_batch", "to_batch")},
                    },
                ),
                migrations.AlterField(
                    model_name="batch",
                    name="made_from",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="used_in",
                        through="records.BatchSource",
                        through_fields=("from_batch", "to_batch"),
                        to="records.batch",
                        verbose_name="made from",
                    ),
                ),
                migrations.CreateModel(
                    name="DeviationLot",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "batch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="records.batch",
                                verbose_name="lot",
                            ),
                        ),
                        (
                            "deviation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="records.deviation",
                                verbose_name="deviation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lot concerned",
                        "verbose_name_plural": "lots concerned",
                        "db_table": "records_deviation_lots",
                        "unique_together": {("deviation", "batch")},
                    },
                ),
                migrations.AlterField(
                    model_name="deviation",
                    name="lots",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="deviations",
                        through="records.DeviationLot",
                        to="records.batch",
                        verbose_name="lots concerned",
                    ),
                ),
            ],
        ),
        migrations.AddField("batchsource", "operator", _operator(null=True)),
        migrations.AddField("deviationlot", "operator", _operator(null=True)),
        migrations.RunPython(fill_operator, migrations.RunPython.noop),
        migrations.AlterField("batchsource", "operator", _operator(null=False)),
        migrations.AlterField("deviationlot", "operator", _operator(null=False)),
    ]
