from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='District',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('code', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=100)),
            ],
            options={'table': 'district', 'app': 'core', 'pk_attr': 'id', 'table_description': '区/县: the tenant that switches modules on or off in the config file.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='Street',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('code', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=100)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name='streets', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'street', 'app': 'core', 'unique_together': (('district', 'code'),), 'pk_attr': 'id', 'table_description': '街道: a sub-district office.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='Community',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('code', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=100)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name='communities', on_delete=OnDelete.RESTRICT)),
                ('street', fields.ForeignKeyField('core.Street', source_field='street_id', db_constraint=True, to_field='id', related_name='communities', on_delete=OnDelete.RESTRICT)),
                ('centre_lon', fields.FloatField(null=True)),
                ('centre_lat', fields.FloatField(null=True)),
            ],
            options={'table': 'community', 'app': 'core', 'unique_together': (('district', 'code'),), 'pk_attr': 'id', 'table_description': '社区: a neighbourhood committee, with a centre point (WGS84 longitude/latitude).'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='Grid',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('street', fields.ForeignKeyField('core.Street', source_field='street_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('code', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=100)),
                ('boundary', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'grid', 'app': 'core', 'unique_together': (('district', 'code'),), 'pk_attr': 'id', 'table_description': '服务微网格: the smallest service area, staffed by grid workers. Boundary is GeoJSON.'},
            bases=['PlacedModel'],
        ),
        ops.CreateModel(
            name='Compound',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('street', fields.ForeignKeyField('core.Street', source_field='street_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('code', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=100)),
                ('grid', fields.ForeignKeyField('core.Grid', source_field='grid_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('boundary', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('has_property_management', fields.BooleanField(default=False)),
                ('property_company', fields.CharField(null=True, max_length=200)),
            ],
            options={'table': 'compound', 'app': 'core', 'unique_together': (('district', 'code'),), 'pk_attr': 'id', 'table_description': '小区: a residential estate, possibly without property management (无物业小区).'},
            bases=['PlacedModel'],
        ),
    ]
