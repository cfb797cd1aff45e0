
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ['reminder', 'notification', 'supervisionorder', 'scanrun']


def move_content_types(apps, schema_editor):
    """Content types (and so permissions, the admin log, guardian grants) follow the models from cases."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="supervision", model=model).exists():
            ContentType.objects.filter(app_label="cases", model=model).update(app_label="supervision")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('accounts', '0002_role_groups'),
        ('cases', '0024_reminder_pending_by_id'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ScanRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_at', models.DateTimeField()),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('created', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'verbose_name': 'scan run',
                        'verbose_name_plural': 'scan runs',
                        'db_table': 'cases_scanrun',
                        'ordering': ['-started_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(choices=[('due_3', 'due within 3 working days'), ('due_tomorrow', 'due tomorrow'), ('due_today', 'due today'), ('overdue', 'overdue'), ('escalated', 'escalated to the supervisor')], max_length=20, verbose_name='stage')),
                        ('due_date', models.DateField(verbose_name='due date')),
                        ('state', models.CharField(choices=[('pending', 'pending'), ('sent', 'sent')], default='pending', max_length=10, verbose_name='state')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('deadline', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='cases.deadline')),
                    ],
                    options={
                        'verbose_name': 'reminder',
                        'verbose_name_plural': 'reminders',
                        'db_table': 'cases_reminder',
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('body', models.TextField(verbose_name='text')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                        ('email_pending', models.BooleanField(default=False)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('sms_pending', models.BooleanField(default=False)),
                        ('sms_sent_at', models.DateTimeField(blank=True, null=True)),
                        ('digest_of', models.DateField(blank=True, null=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                        ('reminders', models.ManyToManyField(blank=True, related_name='notifications', to='supervision.reminder')),
                    ],
                    options={
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'db_table': 'cases_notification',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SupervisionOrder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('required_action', models.TextField(verbose_name='required action')),
                        ('target_date', models.DateField(verbose_name='new target date')),
                        ('state', models.CharField(choices=[('open', 'awaiting reply'), ('replied', 'replied')], default='open', max_length=10, verbose_name='state')),
                        ('reply', models.TextField(blank=True, verbose_name='reply')),
                        ('replied_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='issued at')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='supervision_orders', to='cases.case')),
                        ('deadline', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.deadline')),
                        ('issuer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('issuing_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.unit')),
                        ('replied_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('target_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='supervision_orders', to='accounts.unit')),
                    ],
                    options={
                        'verbose_name': 'supervision order',
                        'verbose_name_plural': 'supervision orders',
                        'db_table': 'cases_supervisionorder',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.AddIndex(
                    model_name='reminder',
                    index=models.Index(condition=models.Q(('state', 'pending')), fields=['id'], name='reminder_pending_id'),
                ),
                migrations.AddConstraint(
                    model_name='reminder',
                    constraint=models.UniqueConstraint(fields=('deadline', 'stage', 'due_date'), name='reminder_unique_stage'),
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(condition=models.Q(('read_at', None)), fields=['user', 'created_at'], name='notification_unread'),
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(condition=models.Q(('email_pending', True), ('sms_pending', True), _connector='OR'), fields=['id'], name='notification_outbox'),
                ),
                migrations.AddConstraint(
                    model_name='notification',
                    constraint=models.UniqueConstraint(condition=models.Q(('digest_of__isnull', False)), fields=('user', 'digest_of'), name='notification_one_digest_a_day'),
                ),
                migrations.AddConstraint(
                    model_name='supervisionorder',
                    constraint=models.UniqueConstraint(condition=models.Q(('issuer__isnull', True)), fields=('deadline',), name='supervision_auto_unique'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
