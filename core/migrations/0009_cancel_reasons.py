from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0008_community_services')]

    initial = False

    operations = [
        ops.AddField(
            model_name='DeliberationTopic',
            name='cancel_reason',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='OutreachActivity',
            name='cancel_reason',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='WorkOrder',
            name='cancel_reason',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
