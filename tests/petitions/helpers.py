import datetime

from accounts.demo import COUNTY, VILLAGES
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


__all__ = ["VILLAGES", "new_petition", "person"]
