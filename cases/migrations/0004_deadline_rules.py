"""National default time limits. A province or county adds its stricter rules with a region prefix."""

from django.db import migrations

RULES = [
    # code, label, amount, unit, roll_forward, legal basis
    ("petition_route", "信访事项登记转送交办", 15, "calendar", True, "信访工作条例 第二十二条"),
    ("petition_notice", "书面告知（受理告知）", 15, "calendar", True, "信访工作条例 第二十三条"),
    ("petition_objection", "异议期（非本机关职责）", 5, "workday", True, "信访工作条例 第二十三条第三款"),
    ("petition_handle", "办理期限（出具信访处理意见书）", 60, "calendar", True, "信访工作条例 第三十四条"),
    ("petition_review_request", "复查申请期限", 30, "calendar", True, "信访工作条例 第三十五条"),
    ("petition_review", "复查期限", 30, "calendar", True, "信访工作条例 第三十五条"),
    ("petition_rereview_request", "复核申请期限", 30, "calendar", True, "信访工作条例 第三十六条"),
    ("petition_rereview", "复核期限（听证时间不计入）", 30, "calendar", True, "信访工作条例 第三十六条"),
    ("petition_simple", "简易办理", 10, "workday", True, "简易办理规定（地方）"),
    ("petition_assigned_report", "交办事项办结报告", 30, "calendar", True, "信访工作条例 第二十二条（交办机关确定）"),
    ("mediation_period", "调解期限", 30, "calendar", True, "人民调解工作若干规定 第三十三条（一般在一个月内调结）"),
    ("judicial_confirmation", "申请司法确认期限", 30, "calendar", True, "人民调解法 第三十三条"),
    ("performance", "协议履行期限", 0, "calendar", False, "调解协议约定"),
    ("follow_up", "回访", 30, "calendar", True, "本系统默认（可配置）"),
    ("dispute_accept", "受理审查", 3, "workday", True, "本系统默认（可配置）"),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for code, label, amount, unit, roll, basis in RULES:
        DeadlineRule.objects.get_or_create(
            code=code,
            region_prefix="",
            defaults={"label": label, "amount": amount, "unit": unit, "roll_forward": roll, "legal_basis": basis},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_core")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
