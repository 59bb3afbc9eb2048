from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0010_assessment')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Team',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=100)),
                ('hospital', fields.CharField(max_length=100)),
                ('active', fields.BooleanField(default=True)),
            ],
            options={'table': 'medical_teams_team', 'app': 'medical_teams', 'unique_together': (('district', 'name'),), 'pk_attr': 'id', 'table_description': '党员医疗服务队: a party-member medical team of a hospital, serving one district.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='ExpertVisit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('team', fields.ForeignKeyField('medical_teams.Team', source_field='team_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('expert_name', fields.CharField(max_length=50)),
                ('expert_title', fields.CharField(default='', max_length=50)),
                ('home_hospital', fields.CharField(max_length=100)),
                ('specialty', fields.CharField(max_length=32)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('consultations', fields.IntField(default=0)),
                ('surgeries', fields.IntField(default=0)),
                ('surgery_categories', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'medical_teams_expert_visit', 'app': 'medical_teams', 'indexes': [Index(fields=['district_id', 'starts_on'])], 'pk_attr': 'id', 'table_description': 'A visiting expert hosted by a team: what they did, as counts and categories only.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('street', fields.ForeignKeyField('core.Street', source_field='street_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('team', fields.ForeignKeyField('medical_teams.Team', source_field='team_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharField(max_length=16)),
                ('place_type', fields.CharField(max_length=16)),
                ('place_name', fields.CharField(max_length=100)),
                ('compound', fields.ForeignKeyField('core.Compound', source_field='compound_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(max_length=200)),
                ('specialties', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='PLANNED', max_length=16)),
                ('walk_ins', fields.IntField(default=0)),
                ('offering', fields.ForeignKeyField('core.Offering', source_field='offering_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('slot', fields.ForeignKeyField('core.Slot', source_field='slot_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'medical_teams_session', 'app': 'medical_teams', 'indexes': [Index(fields=['district_id', 'starts_at']), Index(fields=['team_id', 'starts_at'])], 'pk_attr': 'id', 'table_description': 'A free clinic or a health-training session of a team at a school, community or factory.'},
            bases=['PlacedModel'],
        ),
        ops.CreateModel(
            name='Consultation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('street', fields.ForeignKeyField('core.Street', source_field='street_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('community', fields.ForeignKeyField('core.Community', source_field='community_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('team', fields.ForeignKeyField('medical_teams.Team', source_field='team_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('session', fields.ForeignKeyField('medical_teams.Session', source_field='session_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('booking', fields.ForeignKeyField('core.Booking', source_field='booking_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('doctor', fields.ForeignKeyField('core.Person', source_field='doctor_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('specialty', fields.CharField(max_length=32)),
                ('notes', fields.TextField(null=True, unique=False)),
                ('referral', fields.TextField(null=True, unique=False)),
                ('follow_up_on', fields.DateField(null=True)),
                ('follow_up_need', fields.CharField(null=True, max_length=16)),
                ('case_id', fields.IntField(null=True, unique=True)),
                ('case_status', fields.CharField(null=True, max_length=16)),
            ],
            options={'table': 'medical_teams_consultation', 'app': 'medical_teams', 'indexes': [Index(fields=['team_id', 'id']), Index(fields=['person_id', 'id']), Index(fields=['district_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A consultation record of a resident seen at a session. Health data.'},
            bases=['PlacedModel'],
        ),
        ops.CreateModel(
            name='TeamMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('team', fields.ForeignKeyField('medical_teams.Team', source_field='team_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('specialty', fields.CharField(max_length=32)),
                ('leader', fields.BooleanField(default=False)),
            ],
            options={'table': 'medical_teams_team_member', 'app': 'medical_teams', 'unique_together': (('team', 'person'),), 'pk_attr': 'id', 'table_description': 'A doctor on a team, with the specialty they practise there.'},
            bases=['HemeiModel'],
        ),
    ]
