from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0011_job_runs')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('url', fields.CharField(max_length=500)),
                ('description', fields.CharField(default='', max_length=200)),
                ('event_types', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('scope_level', fields.CharField(default='city', max_length=16)),
                ('district_id', fields.IntField(null=True)),
                ('street_id', fields.IntField(null=True)),
                ('community_id', fields.IntField(null=True)),
                ('secret', fields.CharField(max_length=64)),
                ('active', fields.BooleanField(default=True)),
                ('created_by_id', fields.IntField(null=True)),
                ('consecutive_failures', fields.IntField(default=0)),
                ('paused_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('breaker_trips', fields.IntField(default=0)),
                ('last_success_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_failure_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_endpoint', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A URL that admins subscribed to case events of a scope.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery_id', fields.CharField(unique=True, max_length=36)),
                ('endpoint', fields.ForeignKeyField('core.WebhookEndpoint', source_field='endpoint_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('event_id', fields.BigIntField()),
                ('event_type', fields.CharField(max_length=64)),
                ('endpoint_district_id', fields.IntField(null=True)),
                ('body', fields.TextField(unique=False)),
                ('status', fields.CharField(default='PENDING', max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('attempts_from', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_status_code', fields.IntField(null=True)),
                ('last_error', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_delivery', 'app': 'core', 'unique_together': (('endpoint', 'event_id'),), 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'One case event for one endpoint, sent until acknowledged or given up.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('core.WebhookDelivery', source_field='delivery_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('duration_ms', fields.IntField()),
                ('status_code', fields.IntField(null=True)),
                ('error', fields.CharField(null=True, max_length=500)),
                ('resent', fields.BooleanField(default=False)),
            ],
            options={'table': 'webhook_attempt', 'app': 'core', 'pk_attr': 'id', 'table_description': 'One HTTP request of a delivery: when, how long, and what came back.'},
            bases=['Model'],
        ),
    ]
