from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0002_people_and_access')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Case',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('street', fields.ForeignKeyField('core.Street', source_field='street_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('category', fields.CharField(max_length=64)),
                ('source', fields.CharField(max_length=32)),
                ('level', fields.CharField(default='GRID', max_length=16)),
                ('status', fields.CharField(default='REPORTED', max_length=16)),
                ('consulted', fields.BooleanField(default=False)),
                ('grid', fields.ForeignKeyField('core.Grid', source_field='grid_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('compound', fields.ForeignKeyField('core.Compound', source_field='compound_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('address', fields.CharField(default='', max_length=300)),
                ('lon', fields.FloatField(null=True)),
                ('lat', fields.FloatField(null=True)),
                ('reporter', fields.ForeignKeyField('core.Person', source_field='reporter_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('reporter_anonymous', fields.BooleanField(default=False)),
                ('assignee', fields.ForeignKeyField('core.Person', source_field='assignee_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('due_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('rating', fields.IntField(null=True)),
                ('rating_comment', fields.TextField(null=True, unique=False)),
                ('closed_without_rating', fields.BooleanField(default=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'case', 'app': 'core', 'pk_attr': 'id', 'table_description': '诉求/事件: a problem a resident reported, on its way up the ladder.'},
            bases=['PlacedModel'],
        ),
        ops.CreateModel(
            name='CaseDepartment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('core.Case', source_field='case_id', db_constraint=True, to_field='id', related_name='departments', on_delete=OnDelete.CASCADE)),
                ('department', fields.ForeignKeyField('core.Department', source_field='department_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('lead', fields.BooleanField(default=False)),
            ],
            options={'table': 'case_department', 'app': 'core', 'unique_together': (('case', 'department'),), 'pk_attr': 'id', 'table_description': 'A department a case was routed to at DEPARTMENT level (部门联动执法), one the lead.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CaseEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case_id', fields.IntField()),
                ('district_id', fields.IntField()),
                ('kind', fields.CharField(max_length=32)),
                ('payload', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'case_event', 'app': 'core', 'indexes': [Index(fields=['delivered_at', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'The outbox: one row per transition, written in its transaction.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CaseStep',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('core.Case', source_field='case_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('action', fields.CharField(max_length=32)),
                ('actor_id', fields.IntField(null=True)),
                ('actor_role', fields.CharField(null=True, max_length=64)),
                ('from_level', fields.CharField(null=True, max_length=16)),
                ('to_level', fields.CharField(max_length=16)),
                ('from_status', fields.CharField(null=True, max_length=16)),
                ('to_status', fields.CharField(max_length=16)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'case_step', 'app': 'core', 'pk_attr': 'id', 'table_description': 'One entry in the timeline of a case: who did what, when, with a note.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Consultation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('core.Case', source_field='case_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('held_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('participants', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('decision', fields.TextField(unique=False)),
            ],
            options={'table': 'consultation', 'app': 'core', 'pk_attr': 'id', 'table_description': '街道会商: the meeting at STREET level that decides how a case is solved.'},
            bases=['Model'],
        ),
    ]
