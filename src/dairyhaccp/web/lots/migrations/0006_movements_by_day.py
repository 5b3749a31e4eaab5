from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lots", "0005_lots_by_day"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="movement",
            index=models.Index(fields=["operator", "moved_on"], name="lots_movement_op_moved"),
        ),
    ]
