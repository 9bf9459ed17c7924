import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("checklists", "0004_verbose_names")]

    operations = [
        # The stamp now covers the steps too (checklists.selectors.template_parts).
        migrations.RenameField(
            model_name="checklisttemplate", old_name="reasons_changed_at", new_name="changed_at"
        ),
        migrations.AlterField(
            model_name="checklisttemplate",
            name="changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
    ]
