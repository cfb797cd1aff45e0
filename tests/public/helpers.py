"""Shared steps of the public channel's tests: a citizen's application as the form posts it, and
the console SMS gateway's messages captured."""

import re

from django.core.cache import caches

from accounts.demo import TOWNS, VILLAGES
from mediation.models import DisputeCategory
from petitions.models import PetitionCategory

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


def form_data(kind="mediation", **over):
    data = {
        "name": "王秀英",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "address": "枫桥镇先进村12号",
        "region": VILLAGES["xianjin"] if kind == "mediation" else TOWNS["fengqiao"],
        "other_party": "李建华",
        "other_phone": "13800138000",
        "summary": "邻居排水沟堵塞引发纠纷",
        "facts": "邻居家排水沟堵塞，雨水流入我家院子。",
        "request": "请求疏通排水沟并赔偿损失。",
        "accept_notice": "on",
    }
    if kind == "mediation":
        data["category"] = DisputeCategory.objects.filter(is_active=True).order_by("pk").first().pk
    else:
        data["category"] = PetitionCategory.objects.filter(parent__isnull=True).order_by("pk").first().pk
        data["petition_kind"] = "claim"
    data.update(over)
    return data


class Texts:
    """The SMS gateway of the tests: keeps what would be sent."""

    sent: list = []

    def send(self, recipient, text):
        Texts.sent.append((recipient, text))


def last_text(phone=PHONE) -> str:
    return next(text for to, text in reversed(Texts.sent) if to == phone)


def code_in(text) -> str:
    return re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text).group(0)


def otp_in(text) -> str:
    return re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)


def reset_limits():
    caches["ratelimit"].clear()
