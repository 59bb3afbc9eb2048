from tortoise import migrations
from tortoise.migrations import operations as ops

class Migration(migrations.Migration):
    dependencies = [('core', '0006_booking')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='AuditRecord',
            options={'table': 'audit_record', 'app': 'core', 'pk_attr': 'id', 'table_description': 'One per successful mutation, written in its transaction. No personal data.'},
        ),
        ops.AlterModelOptions(
            name='PersonalDataRead',
            options={'table': 'personal_data_read', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A viewer saw the unmasked ID or phone number of a person.'},
        ),
        ops.AlterModelOptions(
            name='PioneerPost',
            options={'table': 'pioneer_post', 'app': 'core', 'pk_attr': 'id', 'table_description': '党员先锋岗: the named duty of a party member in a compound (红管家, 民情气象员, ...).'},
        ),
    ]
