from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0005_case_photos')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Offering',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('owner', fields.CharField(max_length=64)),
                ('kind', fields.CharField(max_length=64)),
                ('title', fields.CharField(max_length=200)),
                ('district_id', fields.IntField(null=True)),
                ('street_id', fields.IntField(null=True)),
                ('community_id', fields.IntField(null=True)),
                ('cutoff_minutes', fields.IntField(default=0)),
                ('per_person_limit', fields.IntField(default=1)),
                ('waitlist', fields.BooleanField(default=True)),
            ],
            options={'table': 'booking_offering', 'app': 'core', 'pk_attr': 'id', 'table_description': 'Something bookable at a place, such as a canteen sitting, a class or a clinic.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='Slot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('offering', fields.ForeignKeyField('core.Offering', source_field='offering_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('capacity', fields.IntField()),
                ('confirmed', fields.IntField(default=0)),
            ],
            options={'table': 'booking_slot', 'app': 'core', 'pk_attr': 'id', 'table_description': 'One occurrence of an offering, with a capacity.'},
            bases=['HemeiModel'],
        ),
        ops.CreateModel(
            name='Booking',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('slot', fields.ForeignKeyField('core.Slot', source_field='slot_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('core.Person', source_field='person_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharField(max_length=16)),
                ('offering_id', fields.IntField()),
            ],
            options={'table': 'booking', 'app': 'core', 'unique_together': (('slot', 'person'),), 'pk_attr': 'id', 'table_description': 'A place of a person in a slot: CONFIRMED, WAITLISTED, CANCELLED, CHECKED_IN or NO_SHOW.'},
            bases=['HemeiModel'],
        ),
    ]
