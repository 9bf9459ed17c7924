# The tenant core moved to the programs app: foreign keys now point at programs.*.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training_sessions', '0002_attendance'),
        ('programs', '0001_initial'),
    ]

    operations = [
        # The column and its database constraint are unchanged; only Django's
        # idea of the target model moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='trainingsession',
                    name='program',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='programs.program'),
                ),
            ],
        ),
    ]
