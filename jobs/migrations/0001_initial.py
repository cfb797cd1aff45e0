
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ['job', 'workerheartbeat']


def move_content_types(apps, schema_editor):
    """Content types (and so permissions, the admin log, guardian grants) follow the models from cases."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="jobs", model=model).exists():
            ContentType.objects.filter(app_label="cases", model=model).update(app_label="jobs")


# Celery task names that moved with their code; a DatabaseScheduler's rows are renamed with them.
RENAMED_TASKS = {
    "cases.tasks.heartbeat": "jobs.tasks.heartbeat",
    "cases.tasks.run_job": "jobs.tasks.run_job",
    "cases.tasks.scan_deadlines": "supervision.tasks.scan_deadlines",
    "cases.tasks.send_reminders": "supervision.tasks.send_reminders",
    "cases.tasks.supervisor_digest": "supervision.tasks.supervisor_digest",
}


def rename_periodic_tasks(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED_TASKS.items():
        PeriodicTask.objects.filter(task=old).update(task=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('accounts', '0002_role_groups'),
        ('cases', '0024_reminder_pending_by_id'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WorkerHeartbeat',
                    fields=[
                        ('name', models.CharField(max_length=100, primary_key=True, serialize=False)),
                        ('last_seen', models.DateTimeField()),
                        ('hostname', models.CharField(blank=True, max_length=200)),
                    ],
                    options={
                        'verbose_name': 'worker heartbeat',
                        'verbose_name_plural': 'worker heartbeats',
                        'db_table': 'cases_workerheartbeat',
                    },
                ),
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('import_check', 'import: check the file'), ('import', 'import'), ('closure_batch', 'closure reports of a month'), ('list_export', 'list export to Excel')], max_length=20, verbose_name='kind')),
                        ('status', models.CharField(choices=[('queued', 'queued'), ('running', 'running'), ('done', 'done'), ('failed', 'failed')], default='queued', max_length=10, verbose_name='status')),
                        ('params', models.JSONField(blank=True, default=dict)),
                        ('done', models.PositiveIntegerField(default=0)),
                        ('total', models.PositiveIntegerField(default=0)),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('report', models.JSONField(blank=True, default=dict)),
                        ('result_path', models.CharField(blank=True, max_length=200)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='jobs', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.unit')),
                    ],
                    options={
                        'verbose_name': 'background job',
                        'verbose_name_plural': 'background jobs',
                        'db_table': 'cases_job',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['owner', '-created_at'], name='job_owner_created')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.RunPython(rename_periodic_tasks, migrations.RunPython.noop),
    ]
