"""A room's registrations of a window read as a range of one index: the milk tank's days of the
last 12 months, however many years the farm has kept."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("operators", "0005_plan_responsibility"),
        ("records", "0006_join_tables_carry_the_operator"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(
                fields=["operator", "room", "measured_at"], name="records_reg_op_room"
            ),
        ),
    ]
