# The tables of the models that moved from training_sessions take this app's
# names; renaming keeps every row, and the foreign keys pointing at them follow
# (PostgreSQL by the table's identity, SQLite >= 3.26 rewrites the references).
# The content types move too, so permissions and admin history keep pointing
# at the same models.

from django.db import migrations

MOVED = ("organization", "organizationmembership", "program", "membership")


def move_content_types(apps, schema_editor, old="training_sessions", new="programs"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        # A fresh database may already hold an (empty) new one from post_migrate.
        if ContentType.objects.using(db).filter(app_label=old, model=model).exists():
            ContentType.objects.using(db).filter(app_label=new, model=model).delete()
            ContentType.objects.using(db).filter(app_label=old, model=model).update(
                app_label=new
            )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="programs", new="training_sessions")


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0001_initial'),
        ('training_sessions', '0004_programs_app_delete'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='organization', table=None),
        migrations.AlterModelTable(name='program', table=None),
        migrations.AlterModelTable(name='membership', table=None),
        migrations.AlterModelTable(name='organizationmembership', table=None),
        migrations.RenameIndex(
            model_name='program',
            new_name='programs_pr_provinc_20a824_idx',
            old_name='training_se_provinc_1620ad_idx',
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
