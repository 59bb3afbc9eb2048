from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('core', '0003_cases')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Case',
            name='duplicate_of',
            field=fields.ForeignKeyField('core.Case', source_field='duplicate_of_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Case',
            name='idempotency_key',
            field=fields.CharField(null=True, max_length=100),
        ),
        ops.AddField(
            model_name='Case',
            name='payload_hash',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddConstraint(
            model_name='Case',
            constraint=UniqueConstraint(fields=('reporter', 'idempotency_key'), name=None),
        ),
    ]
