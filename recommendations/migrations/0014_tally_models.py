"""The running totals of migration 0009 as models the ORM reads (recommendations.reads.progress);
the triggers keep them, Django never creates or changes their tables (managed = False)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0013_statusupdate_refuse_truncate'),
    ]

    operations = [
        migrations.CreateModel(
            name='OpenDueTally',
            fields=[
                ('due_date', models.DateField(primary_key=True, serialize=False)),
                ('n', models.BigIntegerField()),
            ],
            options={
                'db_table': 'cvetracker_open_due_tally',
                'managed': False,
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='StatusTally',
            fields=[
                ('status', models.CharField(max_length=32, primary_key=True, serialize=False)),
                ('n', models.BigIntegerField()),
            ],
            options={
                'db_table': 'cvetracker_status_tally',
                'managed': False,
                'default_permissions': (),
            },
        ),
    ]
