"""Disputes, reminders, notifications, supervision orders, jobs and worker heartbeats move to their own
apps (mediation, supervision, jobs). State only: every table keeps its name and its rows (db_table)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0024_reminder_pending_by_id'),
        ('jobs', '0001_initial'),
        ('mediation', '0002_dispute_from_cases'),
        ('supervision', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='dispute',
                    name='case_ptr',
                ),
                migrations.RemoveField(
                    model_name='dispute',
                    name='category',
                ),
                migrations.RemoveField(
                    model_name='dispute',
                    name='risk_level',
                ),
                migrations.RemoveField(
                    model_name='job',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='job',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='reminders',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='deadline',
                ),
                migrations.DeleteModel(
                    name='ScanRun',
                ),
                migrations.RemoveField(
                    model_name='supervisionorder',
                    name='case',
                ),
                migrations.RemoveField(
                    model_name='supervisionorder',
                    name='deadline',
                ),
                migrations.RemoveField(
                    model_name='supervisionorder',
                    name='issuer',
                ),
                migrations.RemoveField(
                    model_name='supervisionorder',
                    name='issuing_unit',
                ),
                migrations.RemoveField(
                    model_name='supervisionorder',
                    name='replied_by',
                ),
                migrations.RemoveField(
                    model_name='supervisionorder',
                    name='target_unit',
                ),
                migrations.DeleteModel(
                    name='WorkerHeartbeat',
                ),
                migrations.DeleteModel(
                    name='DisputeCategory',
                ),
                migrations.DeleteModel(
                    name='Dispute',
                ),
                migrations.DeleteModel(
                    name='RiskLevel',
                ),
                migrations.DeleteModel(
                    name='Job',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='Reminder',
                ),
                migrations.DeleteModel(
                    name='SupervisionOrder',
                ),
            ],
        ),
    ]
