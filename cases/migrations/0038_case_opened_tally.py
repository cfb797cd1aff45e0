"""The opened-case tally's model moves from reporting to the case core (its state only): the warning
scan (analysis, a floor below reporting) reads it for the surge rules' baselines. The table, its
index and the triggers that keep it (reporting migration 0008) stay as they are; reporting
migration 0009 drops the model from reporting's state and renames its content type."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0037_case_created"),
        ("reporting", "0008_case_opened_tally"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CaseOpenedTally",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("county", models.CharField(max_length=6)),
                        ("withheld_from_unit_id", models.BigIntegerField(null=True)),
                        ("month", models.DateField()),
                        ("kind", models.CharField(max_length=10)),
                        ("category_id", models.BigIntegerField(null=True)),
                        ("n", models.IntegerField()),
                    ],
                    options={
                        "db_table": "reporting_case_opened_tally",
                        "indexes": [models.Index(fields=["month", "county"], name="opened_tally_month")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
