from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0012_webhooks')]

    initial = True

    operations = [
        ops.CreateModel(
            name='WinterReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('street', fields.ForeignKeyField('core.Street', source_field='street_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharField(max_length=16)),
                ('grid_id', fields.IntField()),
                ('compound_id', fields.IntField(null=True)),
                ('lon', fields.FloatField(null=True)),
                ('lat', fields.FloatField(null=True)),
                ('description', fields.TextField(default='', unique=False)),
                ('households', fields.IntField(default=0)),
                ('case_id', fields.IntField(unique=True)),
                ('status', fields.CharField(default='OPEN', max_length=16)),
                ('source', fields.CharField(default='GRAPHQL', max_length=16)),
                ('reporter_id', fields.IntField(null=True)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'winter_city_winter_report', 'app': 'winter_city', 'pk_attr': 'id', 'table_description': 'A snow-clearing or heating-outage report, filed as a core case.'},
            bases=['PlacedModel'],
        ),
    ]
