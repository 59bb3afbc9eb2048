from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("core", "0012_webhooks")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="Case",
            index=Index(fields=["grid_id", "id"]),
        ),
    ]
