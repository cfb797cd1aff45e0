import datetime

from django.utils import timezone

from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Region
from petitions.models import PetitionCategory
from petitions.workflow import register_petition


def person(name="陈建国", id_number="", phone="13700137000", address=""):
    """A petitioner's details as the clerk types them (cases.people keeps them on the petition)."""
    return {"name": name, "id_number": id_number, "phone": phone, "address": address}


def new_petition(
    actor, *, received_on=None, channel="letter", kind="claim", region=COUNTY, petitioners=None, **extra
):
    return register_petition(
        actor,
        petitioners=petitioners or [person()],
        region=Region.objects.get(code=region),
        summary=extra.pop("summary", "拖欠工资"),
        channel=channel,
        petition_kind=kind,
        category=PetitionCategory.objects.get(code=extra.pop("category", "wage_arrears")),
        content="某公司拖欠工资三个月。",
        demands="支付工资",
        received_on=received_on or datetime.date(2026, 11, 2),
        **extra,
    )


def finalised_by_rereview(demo, outcome, *, decided_days_ago=70):
    """A claim of 枫桥镇 the town government answered; the county bureau upheld it on 复查 and the
    county centre decided the 复核 ``decided_days_ago`` days ago with ``outcome``: finalised
    (信访工作条例 §36). A revoking or varying outcome leaves the town its follow-up (60 days)."""
    from petitions import workflow as wf

    def ago(days):
        return timezone.localdate() - datetime.timedelta(days=days + decided_days_ago - 70)

    clerk, centre, town = demo["zhuji_petition_clerk"], demo["zhuji_supervisor"], demo["fengqiao_handler"]
    p = new_petition(clerk, region=TOWNS["fengqiao"], received_on=ago(120))
    wf.forward(p.pk, clerk, town.unit)
    wf.accept(p.pk, town)
    wf.reply(p.pk, town, outcome="not_supported", text="不予支持。", replied_on=ago(100))
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=ago(99))
    wf.request_review(p.pk, clerk, requested_on=ago(98))
    wf.decide_review(p.pk, clerk, outcome="upheld", opinion="维持。", decided_on=ago(90))
    wf.record_delivery(p.pk, clerk, document="review", method="post", delivered_on=ago(89))
    wf.request_rereview(p.pk, clerk, requested_on=ago(88))
    wf.decide_rereview(p.pk, centre, outcome=outcome, opinion="复核意见。", decided_on=ago(70))
    return p


__all__ = ["VILLAGES", "finalised_by_rereview", "new_petition", "person"]
