
import django.db.models.deletion
from django.db import migrations, models


MOVED = ['dispute', 'disputecategory', 'risklevel']


def move_content_types(apps, schema_editor):
    """Content types (and so permissions, the admin log, guardian grants) follow the models from cases."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="mediation", model=model).exists():
            ContentType.objects.filter(app_label="cases", model=model).update(app_label="mediation")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0024_reminder_pending_by_id'),
        ('mediation', '0001_initial'),
    ]

    operations = [
        # The tables stay where they are (db_table); only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Dispute',
                    fields=[
                        ('case_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='cases.case')),
                        ('source', models.CharField(choices=[('grid_inspection', 'grid inspection'), ('walk_in', 'walk-in'), ('application', "party's application"), ('phone', 'phone'), ('referred_court', 'referred by a court'), ('referred_police', 'referred by the police'), ('referred_petition', 'referred by the petition office'), ('referred_department', 'referred by a department')], max_length=30, verbose_name='source')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('facts', models.TextField(blank=True, verbose_name='facts and demands')),
                        ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='amount involved (yuan)')),
                        ('people_involved', models.PositiveIntegerField(default=2, verbose_name='people involved')),
                        ('decline_reason', models.TextField(blank=True, verbose_name='reason for declining')),
                        ('referred_to', models.CharField(blank=True, max_length=200, verbose_name='referred to')),
                        ('termination_route', models.CharField(blank=True, choices=[('litigation', 'litigation'), ('arbitration', 'arbitration'), ('administrative', 'administrative procedure'), ('other', 'other')], max_length=20, verbose_name='route the parties were told')),
                        ('prevented_criminal_case', models.BooleanField(default=False, verbose_name='prevented a criminal case (防止民转刑)')),
                        ('prevented_mass_petition', models.BooleanField(default=False, verbose_name='prevented a mass petition')),
                    ],
                    options={
                        'verbose_name': 'dispute',
                        'verbose_name_plural': 'disputes',
                        'db_table': 'cases_dispute',
                    },
                    bases=('cases.case',),
                ),
                migrations.CreateModel(
                    name='DisputeCategory',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=50, verbose_name='name')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'dispute category',
                        'verbose_name_plural': 'dispute categories',
                        'db_table': 'cases_disputecategory',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='RiskLevel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=20, unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=20, verbose_name='name')),
                        ('response_hours', models.PositiveSmallIntegerField(verbose_name='response time (hours)')),
                        ('escalate_to_level', models.PositiveSmallIntegerField(help_text='3 = county, 4 = town, 5 = village', verbose_name='handled at level')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                    ],
                    options={
                        'verbose_name': 'risk level',
                        'verbose_name_plural': 'risk levels',
                        'db_table': 'cases_risklevel',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.AlterField(
                    model_name='agreement',
                    name='dispute',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='agreement', to='mediation.dispute'),
                ),
                migrations.AlterField(
                    model_name='followup',
                    name='dispute',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='mediation.dispute'),
                ),
                migrations.AlterField(
                    model_name='mediationsession',
                    name='dispute',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sessions', to='mediation.dispute'),
                ),
                migrations.AddField(
                    model_name='dispute',
                    name='category',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='mediation.disputecategory', verbose_name='category'),
                ),
                migrations.AddField(
                    model_name='dispute',
                    name='risk_level',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='mediation.risklevel', verbose_name='risk level'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
