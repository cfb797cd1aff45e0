"""Content categories from a 2023 provincial export (domain.md 2.2), with a few sub-categories."""

from django.db import migrations

TOP = [
    ("urban_rural_construction", "城乡建设"), ("agriculture_rural", "农村农业"), ("natural_resources", "自然资源"),
    ("ecology_environment", "生态环境"), ("labour_social_security", "劳动和社会保障"), ("health", "卫生健康"),
    ("education", "教育"), ("culture_sports_tourism", "文体旅游"), ("transport", "交通运输"),
    ("market_supervision", "市场监督"), ("economic_management", "经济管理"), ("housing_property", "房产物业"),
    ("civil_affairs_emergency", "民政与应急"), ("political_legal", "政法"), ("discipline_supervision", "纪检监察"),
    ("organisation_personnel", "组织人事"), ("party_government_affairs", "党务政务"), ("science_it", "科技与信息产业"),
    ("military_affairs", "军队事务"), ("other", "其他"),
]
SUB = [
    ("labour_social_security", "wage_arrears", "拖欠工资"),
    ("labour_social_security", "social_insurance", "社会保险"),
    ("urban_rural_construction", "expropriation", "征地拆迁"),
    ("urban_rural_construction", "housing_security", "住房保障"),
    ("housing_property", "property_service", "物业服务"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("petitions", "PetitionCategory")
    for i, (code, name) in enumerate(TOP):
        Category.objects.get_or_create(code=code, defaults={"name": name, "position": i * 10})
    for i, (parent, code, name) in enumerate(SUB):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "parent": Category.objects.get(code=parent), "position": i}
        )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
