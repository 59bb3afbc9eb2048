from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0009_cancel_reasons')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AssessmentRubric',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('digest', fields.CharField(unique=True, max_length=64)),
                ('content', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'assessment_rubric', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A rubric as it was used: its settings, stored once per distinct content (digest).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AssessmentResult',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('quarter', fields.CharField(max_length=8)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('district_id', fields.IntField()),
                ('street_id', fields.IntField()),
                ('community_id', fields.IntField()),
                ('colour', fields.CharField(max_length=8)),
                ('score', fields.FloatField(null=True)),
                ('figures', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('rubric', fields.ForeignKeyField('core.AssessmentRubric', source_field='rubric_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('run_id', fields.IntField()),
                ('computed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'assessment_result', 'app': 'core', 'unique_together': (('quarter', 'person'),), 'indexes': [Index(fields=['quarter', 'district_id'])], 'pk_attr': 'id', 'table_description': 'A community worker in a quarter: colour, score, the figures and the rubric behind them.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AssessmentAppeal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('result', fields.ForeignKeyField('core.AssessmentResult', source_field='result_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('reason', fields.TextField(unique=False)),
                ('filed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('status', fields.CharField(default='PENDING', max_length=8)),
                ('colour_before', fields.CharField(max_length=8)),
                ('colour_after', fields.CharField(null=True, max_length=8)),
                ('review_note', fields.TextField(null=True, unique=False)),
                ('reviewed_by_id', fields.IntField(null=True)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'assessment_appeal', 'app': 'core', 'unique_together': (('result',),), 'pk_attr': 'id', 'table_description': 'A worker appeal against a result and the district review of it (UPHELD or CHANGED).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AssessmentRun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('quarter', fields.CharField(max_length=8)),
                ('district_id', fields.IntField(null=True)),
                ('run_by_id', fields.IntField(null=True)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('workers', fields.IntField(default=0)),
                ('colours', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'assessment_run', 'app': 'core', 'pk_attr': 'id', 'table_description': 'One run of the assessment of a quarter, city-wide or for one district.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GridVisit',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('grid', fields.ForeignKeyField('core.Grid', source_field='grid_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('district_id', fields.IntField()),
                ('street_id', fields.IntField()),
                ('community_id', fields.IntField()),
                ('compound_id', fields.IntField(null=True)),
                ('lon', fields.FloatField(null=True)),
                ('lat', fields.FloatField(null=True)),
                ('note', fields.TextField(default='', unique=False)),
                ('visited_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'grid_visit', 'app': 'core', 'indexes': [Index(fields=['person_id', 'visited_at']), Index(fields=['grid_id', 'visited_at'])], 'pk_attr': 'id', 'table_description': 'A grid worker checking in on patrol (走访) in a grid, optionally at a compound.'},
            bases=['Model'],
        ),
    ]
