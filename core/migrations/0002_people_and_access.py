from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditRecord',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('request_id', fields.CharField(max_length=64)),
                ('account_id', fields.IntField(null=True)),
                ('action', fields.CharField(max_length=100)),
                ('role', fields.CharField(null=True, max_length=64)),
                ('scope', fields.CharField(null=True, max_length=100)),
                ('district_id', fields.IntField(null=True)),
                ('target', fields.CharField(null=True, max_length=200)),
                ('summary', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'audit_record', 'app': 'core', 'pk_attr': 'id', 'table_description': "One per successful mutation, in the mutation's transaction. No personal data."},
            bases=['_Record'],
        ),
        ops.CreateModel(
            name='Department',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('code', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=100)),
            ],
            options={'table': 'department', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A city department (住建局, 城管局, 供热办, ...): data, not code.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='Person',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('name', fields.CharField(max_length=100)),
                ('phone', fields.CharField(null=True, max_length=32)),
                ('id_number', fields.CharField(null=True, unique=True, max_length=18)),
                ('home_compound', fields.ForeignKeyField('core.Compound', source_field='home_compound_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('home_grid', fields.ForeignKeyField('core.Grid', source_field='home_grid_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('home_community', fields.ForeignKeyField('core.Community', source_field='home_community_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('home_street', fields.ForeignKeyField('core.Street', source_field='home_street_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('home_district', fields.ForeignKeyField('core.District', source_field='home_district_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('department', fields.ForeignKeyField('core.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'person', 'app': 'core', 'pk_attr': 'id', 'table_description': 'Someone the platform knows. Home place ids are copied from the home compound so that'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='Account',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('username', fields.CharField(unique=True, max_length=64)),
                ('password_hash', fields.CharField(max_length=255)),
                ('person', fields.OneToOneField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('is_active', fields.BooleanField(default=True)),
            ],
            options={'table': 'account', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A login. The password is stored only as an argon2 hash.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='PersonalDataRead',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('request_id', fields.CharField(max_length=64)),
                ('account_id', fields.IntField(null=True)),
                ('person_id', fields.IntField()),
                ('field', fields.CharField(max_length=32)),
                ('role', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'personal_data_read', 'app': 'core', 'pk_attr': 'id', 'table_description': "A viewer saw a person's unmasked ID or phone number."},
            bases=['_Record'],
        ),
        ops.CreateModel(
            name='PioneerPost',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('compound', fields.ForeignKeyField('core.Compound', source_field='compound_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(max_length=50)),
                ('duty', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'pioneer_post', 'app': 'core', 'pk_attr': 'id', 'table_description': "党员先锋岗: a party member's named duty in a compound (红管家, 民情气象员, ...)."},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='RoleGrant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('role', fields.CharField(max_length=64)),
                ('level', fields.CharField(max_length=16)),
                ('district_id', fields.IntField(null=True)),
                ('street_id', fields.IntField(null=True)),
                ('community_id', fields.IntField(null=True)),
                ('grid_id', fields.IntField(null=True)),
                ('department_id', fields.IntField(null=True)),
                ('granted_by_id', fields.IntField(null=True)),
            ],
            options={'table': 'role_grant', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A role held by a person at a place (or a department, or for themself).'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='SecurityEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('request_id', fields.CharField(max_length=64)),
                ('account_id', fields.IntField(null=True)),
                ('action', fields.CharField(max_length=100)),
                ('code', fields.CharField(max_length=64)),
                ('reason', fields.CharField(max_length=300)),
                ('username', fields.CharField(null=True, max_length=64)),
                ('client', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'security_event', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A refused mutation or a failed login, written after the refused work was rolled back.'},
            bases=['_Record'],
        ),
    ]
