"""The 15 standard dispute categories (司法局 monthly report) and the four-colour risk levels."""

from django.db import migrations

CATEGORIES = [
    ("marriage_family", "婚姻家庭纠纷"), ("neighbour", "邻里纠纷"), ("housing_homestead", "房屋宅基地纠纷"),
    ("contract", "合同纠纷"), ("business_operation", "生产经营纠纷"), ("damages", "损害赔偿纠纷"),
    ("forest_land", "山林土地纠纷"), ("expropriation_demolition", "征地拆迁纠纷"),
    ("environmental_pollution", "环境污染纠纷"), ("labour", "劳动争议纠纷"), ("consumer", "消费纠纷"),
    ("medical", "医疗纠纷"), ("road_traffic", "道路交通事故纠纷"), ("property_management", "物业纠纷"),
    ("other", "其他纠纷"),
]
# 修水 "四色预警": red = key cases handled jointly at county level ... blue = latent risks.
RISK_LEVELS = [
    ("red", "红色（重点类）", 24, 3), ("orange", "橙色（关注类）", 72, 4),
    ("yellow", "黄色（一般类）", 168, 5), ("blue", "蓝色（隐患类）", 336, 5),
]


def seed(apps, schema_editor):
    DisputeCategory = apps.get_model("cases", "DisputeCategory")
    RiskLevel = apps.get_model("cases", "RiskLevel")
    for i, (code, name) in enumerate(CATEGORIES):
        DisputeCategory.objects.get_or_create(code=code, defaults={"name": name, "position": i})
    for i, (code, name, hours, level) in enumerate(RISK_LEVELS):
        RiskLevel.objects.get_or_create(
            code=code, defaults={"name": name, "response_hours": hours, "escalate_to_level": level, "position": i}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_dispute")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
