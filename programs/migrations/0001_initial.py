# The tenant core moves here from training_sessions (sessions/). The tables
# already exist: this migration only takes the models over in Django's state,
# keeping their old table names; 0002 renames the tables.

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('training_sessions', '0002_attendance'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Organization',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ],
                options={
                    'db_table': 'training_sessions_organization',
                    'verbose_name': 'organization',
                    'verbose_name_plural': 'organizations',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='Program',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('slug', models.SlugField(help_text='Lowercase letters, digits and dashes; used in the page address.', max_length=80, unique=True, verbose_name='short address')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('village', models.CharField(max_length=120, verbose_name='village (kampung/desa)')),
                    ('district', models.CharField(max_length=120, verbose_name='district (kecamatan)')),
                    ('regency', models.CharField(max_length=120, verbose_name='regency/city (kabupaten/kota)')),
                    ('province', models.CharField(max_length=120, verbose_name='province')),
                    ('start_date', models.DateField(verbose_name='start date')),
                    ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                    ('status', models.CharField(choices=[('planned', 'Planned'), ('running', 'Running'), ('finished', 'Finished')], default='planned', max_length=16, verbose_name='status')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='programs', to='programs.organization', verbose_name='organization')),
                ],
                options={
                    'db_table': 'training_sessions_program',
                    'verbose_name': 'program',
                    'verbose_name_plural': 'programs',
                    'ordering': ['-start_date', 'name'],
                },
            ),
            migrations.CreateModel(
                name='Membership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('role', models.CharField(choices=[('coordinator', 'Coordinator'), ('facilitator', 'Facilitator')], max_length=16, verbose_name='role')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='program_memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='programs.program')),
                ],
                options={
                    'db_table': 'training_sessions_membership',
                    'verbose_name': 'program member',
                    'verbose_name_plural': 'program members',
                },
            ),
            migrations.CreateModel(
                name='OrganizationMembership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='programs.organization')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='organization_memberships', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'training_sessions_organizationmembership',
                    'verbose_name': 'organization coordinator',
                    'verbose_name_plural': 'organization coordinators',
                    'constraints': [models.UniqueConstraint(fields=('organization', 'user'), name='unique_organization_membership')],
                },
            ),
            migrations.AddIndex(
                model_name='program',
                index=models.Index(fields=['province', 'regency', 'district'], name='training_se_provinc_1620ad_idx'),
            ),
            migrations.AddConstraint(
                model_name='program',
                constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='program_end_after_start', violation_error_message='The end date cannot be before the start date.'),
            ),
            migrations.AddConstraint(
                model_name='membership',
                constraint=models.UniqueConstraint(fields=('program', 'user'), name='unique_program_membership'),
            ),
            ],
        ),
    ]
