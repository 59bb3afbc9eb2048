from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0004_snap_and_report')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CasePhoto',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('core.Case', source_field='case_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=100)),
                ('content_type', fields.CharField(max_length=50)),
                ('size', fields.IntField()),
                ('uploaded_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'case_photo', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A photo of a case, stored through a photo store under ``key``.'},
            bases=['Model'],
        ),
    ]
