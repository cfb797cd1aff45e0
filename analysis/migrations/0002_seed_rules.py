"""The early-warning rules, each a row the administrator tunes (docs/analysis.md): surge over 7 and
30 days, one person with many cases, one respondent facing many people, a visit of 5 or more
people, and the risk levels red and orange watched for their response time."""

from django.db import migrations

# code, kind, name, English name, window days, minimum count, sent to level
RULES = [
    ("surge_week", "surge", "近7天案件激增", "Surge over 7 days", 7, 5, 3),
    ("surge_month", "surge", "近30天案件激增", "Surge over 30 days", 30, 10, 3),
    ("repeat_person", "repeat_person", "同一当事人多次来诉来访", "One person, many cases", 180, 3, 3),
    ("collective", "collective", "同一被申请人涉及多人", "One respondent, many people", 30, 5, 3),
    ("large_visit", "large_visit", "5人以上集体访", "A visit of 5 people or more", 1, 5, 3),
    ("risk_response", "risk_response", "风险等级超时未响应", "Risk level not responded to in time", 1, 1, 3),
]


def seed(apps, schema_editor):
    WarningRule = apps.get_model("analysis", "WarningRule")
    RiskLevel = apps.get_model("mediation", "RiskLevel")
    for position, (code, kind, name, name_en, window, minimum, level) in enumerate(RULES):
        rule, _created = WarningRule.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind, "name": name, "name_en": name_en, "window_days": window, "min_count": minimum,
                "responsible_level": level, "notify_roles": ["supervisor"], "position": position,
            },
        )  # fmt: skip
        if kind == "risk_response":
            rule.risk_levels.set(RiskLevel.objects.filter(code__in=["red", "orange"]))


def unseed(apps, schema_editor):
    apps.get_model("analysis", "WarningRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_warnings"), ("mediation", "0005_english_names")]
    operations = [migrations.RunPython(seed, unseed)]
