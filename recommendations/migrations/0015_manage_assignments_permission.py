"""Managing assignments is its own permission, the one that makes a coordinator (recommendations/permissions.py);
recommendations/roles.py gives it to the Coordinators after migrate."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0014_tally_models'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='assignment',
            options={'ordering': ['recommendation__code', 'actor__name'], 'permissions': [('manage_assignments', 'Can manage assignments (a coordinator)')]},
        ),
    ]
