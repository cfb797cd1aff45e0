"""Generated parties: names, valid resident ID numbers (GB 11643) with their keyed digest, phones, and
organisations with valid GB 32100 credit codes. Nothing here is a real person.

As in the application (cases.people), the register row (``cases_person``) holds only the keyed
identity; the details go onto each party link (``cases_caseparty``) that names the person.
"""

import hashlib
import hmac
from typing import NamedTuple

from django.conf import settings

from accounts.demo import SURNAMES
from cases.idcrypt import fernet, name_phone_digest, phone_digest
from cases.idnumbers import CHECK_CHARS, CREDIT_CHARS, CREDIT_WEIGHTS, WEIGHTS

GIVEN_CHARS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红玲芬燕春菊凤洁梅琳云莲雪荣爱香月瑞佳嘉"
    "琼珍莉叶晶倩婷颖露瑶怡丹蓉君琴薇梦岚欣宁晓欢枫芸菲亚建国志海林波辉鹏飞斌浩凯俊峰"
)
COMPANY_WORDS = (
    "宏达",
    "永盛",
    "恒信",
    "金源",
    "华发",
    "新兴",
    "东方",
    "顺达",
    "万通",
    "鑫隆",
    "天成",
    "利民",
)
COMPANY_KINDS = (
    "建筑有限公司",
    "物业管理有限公司",
    "纺织有限公司",
    "五金厂",
    "农业专业合作社",
    "商贸有限公司",
)
PHONE_HEADS = ("13", "15", "17", "18", "19")


class Party(NamedTuple):
    """A generated person: the register id, the name, and the party link's detail columns as one
    piece of a COPY line (``DETAIL_COLUMNS``), written on every link that names them."""

    pid: int
    name: str
    details: str


class PeopleMaker:
    """Makes one COPY line of ``cases_person`` (the keyed identity) per call, with explicit ids."""

    COLUMNS = ("id", "is_organisation", "id_number_digest", "name_phone_digest", "credit_code", "created_at")
    # The party link's columns after case, person, role and position (rows.PARTY_COLUMNS).
    DETAIL_COLUMNS = (
        "is_organisation", "name", "id_number", "id_number_digest", "credit_code", "gender", "phone",
        "phone_digest", "address",
    )  # fmt: skip

    def __init__(self, rng, first_id: int):
        self.rng = rng
        self.next_id = first_id
        self.key = settings.PII_HASH_KEY.encode()
        # ID numbers are stored as Fernet tokens (cases.idcrypt), never in plaintext.
        self.encrypt = fernet().encrypt
        self.lines: list[str] = []

    def name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN_CHARS)
        if rng.random() < 0.7:
            given += rng.choice(GIVEN_CHARS)
        return rng.choice(SURNAMES) + given

    def person(self, county6: str, address: str, created: str, year: int) -> Party:
        rng = self.rng
        pid = self.next_id
        self.next_id += 1
        born = year - rng.randint(20, 75)
        seq = rng.randrange(1000)
        body = f"{county6}{born}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{seq:03d}"
        number = body + CHECK_CHARS[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=False)) % 11]
        digest = hmac.digest(self.key, number.encode(), hashlib.sha256).hex()
        gender = "M" if seq % 2 else "F"  # GB 11643: odd sequence digit = male
        phone = rng.choice(PHONE_HEADS) + f"{rng.randrange(10**9):09d}"
        name = self.name()
        self.lines.append(f"{pid}\tf\t{digest}\t{name_phone_digest(name, phone)}\t\t{created}\n")
        token = self.encrypt(number.encode()).decode()
        details = f"f\t{name}\t{token}\t{digest}\t\t{gender}\t{phone}\t{phone_digest(phone)}\t{address}"
        return Party(pid, name, details)

    def organisation(self, county6: str, place: str, address: str, created: str) -> Party:
        rng = self.rng
        pid = self.next_id
        self.next_id += 1
        body = "91" + county6 + "".join(rng.choice(CREDIT_CHARS) for _ in range(9))
        total = sum(CREDIT_CHARS.index(ch) * w for ch, w in zip(body, CREDIT_WEIGHTS, strict=False))
        code = body + CREDIT_CHARS[(31 - total % 31) % 31]
        name = place + rng.choice(COMPANY_WORDS) + rng.choice(COMPANY_KINDS)
        phone = "0575" + f"{rng.randrange(10**8):08d}"
        self.lines.append(f"{pid}\tt\t\t{name_phone_digest(name, phone)}\t{code}\t{created}\n")
        return Party(pid, name, f"t\t{name}\t\t\t{code}\t\t{phone}\t{phone_digest(phone)}\t{address}")
