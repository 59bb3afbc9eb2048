from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0010_assessment')]

    initial = False

    operations = [
        ops.CreateModel(
            name='JobRun',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.CharField(max_length=64)),
                ('slot', fields.BigIntField()),
                ('owner', fields.CharField(max_length=100)),
                ('claimed_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('result', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'job_run', 'app': 'core', 'unique_together': (('job', 'slot'),), 'pk_attr': 'id', 'table_description': 'One run of a scheduled job for one due time (slot), claimed by one process.'},
            bases=['Model'],
        ),
    ]
