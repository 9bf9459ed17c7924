# The tenant core moved to the programs app: foreign keys now point at programs.*.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0003_pending_import_invalid_rows'),
        ('programs', '0001_initial'),
    ]

    operations = [
        # The column and its database constraint are unchanged; only Django's
        # idea of the target model moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='enrollment',
                    name='program',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enrollments', to='programs.program'),
                ),
                migrations.AlterField(
                    model_name='participant',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participants', to='programs.organization'),
                ),
                migrations.AlterField(
                    model_name='participantimport',
                    name='program',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imports', to='programs.program'),
                ),
                migrations.AlterField(
                    model_name='pendingimport',
                    name='program',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.program'),
                ),
            ],
        ),
    ]
