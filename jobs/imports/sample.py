"""Valid import files of any size for the demo county: for tests and for timing the import."""

import csv
import datetime
import io
import random

from import_export.formats.base_formats import XLSX
from tablib import Dataset

from cases.idnumbers import check_digit
from jobs.imports import IMPORTERS

DEMO_VILLAGES = ("330681109219", "330681109241", "330681001001", "330681001005")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def id_number(rng: random.Random) -> str:
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20000))
    body = f"330681{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + check_digit(body)


def sample_rows(
    kind: str, n: int, *, seed: int = 6, year: int = 2024, closed_share: float = 0.7
) -> list[dict]:
    """``n`` rows that pass the check for a user of the county centre (诸暨市)."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        opened = datetime.date(year, 1, 1) + datetime.timedelta(days=i % 300)
        closed = (
            opened + datetime.timedelta(days=rng.randrange(1, 60)) if rng.random() < closed_share else None
        )
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        common = {
            "opened_on": opened.isoformat(),
            "region": rng.choice(DEMO_VILLAGES),
            "closed_on": closed.isoformat() if closed else "",
        }
        if kind == "dispute":
            row = {
                **common,
                "category": rng.choice(["邻里纠纷", "婚姻家庭纠纷", "合同纠纷", "labour"]),
                "source": rng.choice(["来访", "网格排查", "phone"]),
                "risk_level": rng.choice(["黄色", "蓝色", ""]),
                "summary": f"历史纠纷第{i + 1}件",
                "facts": "双方因琐事发生争执。",
                "amount": str(rng.randrange(0, 50000)),
                "people_involved": "2",
                "applicant_name": name,
                "applicant_id": id_number(rng),
                "applicant_phone": f"139{rng.randrange(10**8):08d}",
                "respondent_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "respondent_phone": f"138{rng.randrange(10**8):08d}",
            }
        else:
            row = {
                **common,
                "channel": rng.choice(["来信", "来访", "online"]),
                "petition_kind": rng.choice(["申诉求决", "建议意见"]),
                "category": rng.choice(["拖欠工资", "物业服务", "other"]),
                "summary": f"历史信访第{i + 1}件",
                "content": "反映相关问题，请求解决。",
                "head_count": str(rng.choice([1, 1, 2, 6])),
                "petitioner_name": name,
                "petitioner_id": id_number(rng),
                "petitioner_phone": f"137{rng.randrange(10**8):08d}",
            }
        rows.append(row)
    return rows


def to_file(kind: str, rows: list[dict], fmt: str = "xlsx") -> bytes:
    """The rows under the template's headings, as xlsx or csv bytes."""
    columns = IMPORTERS[kind].columns
    table = [[row.get(c.key, "") for c in columns] for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.heading for c in columns])
        writer.writerows(table)
        return out.getvalue().encode("utf-8-sig")
    dataset = Dataset(*table, headers=[c.heading for c in columns])
    return XLSX().export_data(dataset)
