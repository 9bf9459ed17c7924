# The tenant core moved to the programs app: forget the models here. Their
# tables and rows stay; programs.0002 renames the tables.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('training_sessions', '0003_programs_app'),
        ('participants', '0004_programs_app'),
        ('checklists', '0002_programs_app'),
        ('surveys', '0002_programs_app'),
        ('reports', '0002_programs_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='organizationmembership', name='organization'),
                migrations.RemoveField(model_name='organizationmembership', name='user'),
                migrations.RemoveField(model_name='membership', name='program'),
                migrations.RemoveField(model_name='membership', name='user'),
                migrations.RemoveField(model_name='program', name='organization'),
                migrations.DeleteModel(name='Membership'),
                migrations.DeleteModel(name='OrganizationMembership'),
                migrations.DeleteModel(name='Program'),
                migrations.DeleteModel(name='Organization'),
            ],
        ),
    ]
