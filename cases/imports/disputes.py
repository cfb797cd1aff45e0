"""Importing historical disputes (矛盾纠纷) from the old ledgers.

A row without a closing date becomes a registered dispute whose acceptance deadline runs from its
registration date, as if it had been registered on the portal that day; a row with a closing date
is stored as archived (立卷归档) with that date. Both get a number (the old one when the ledger has
it, else the next of the county's counter for the year of registration), their parties and one
timeline entry naming who imported them.
"""

from django.utils.translation import gettext_lazy

from accounts import roles

from ..models import CaseKind, Dispute, DisputeCategory, DisputeSource, DisputeStatus, PartyRole, RiskLevel
from .base import Choices, Column, Importer, cell_text, parse_amount, parse_date, parse_int, parse_party
from .writer import start_of

C = Column
PARTY_COLUMNS = [
    ("applicant", "申请人"),
    ("respondent", "被申请人"),
]


def party_columns(key, word, example_name, example_id, example_phone):
    return [
        C(f"{key}_name", f"{word}姓名", True, example_name, max_length=100),
        C(f"{key}_id", f"{word}证件号码", example=example_id, text=True),
        C(f"{key}_phone", f"{word}电话", example=example_phone, text=True),
        C(f"{key}_address", f"{word}地址", example="枫桥镇先进村", max_length=200),
    ]


class DisputeImporter(Importer):
    key = "dispute"
    label = gettext_lazy("disputes")
    roles = (roles.MEDIATOR, roles.GRID_WORKER, roles.SUPERVISOR)
    columns = [
        C("number", "案件编号", example="诸暨〔2024〕调字第0123号", text=True, max_length=64),
        C("opened_on", "登记日期", True, "2024-03-05"),
        C("region", "区划代码", True, "330681109219", text=True),
        C("category", "纠纷类别", True, "邻里纠纷"),
        C("source", "纠纷来源", True, "来访"),
        C("risk_level", "风险等级", example="黄色"),
        C("summary", "纠纷简述", True, "邻里排水沟堵塞纠纷", max_length=200),
        C("facts", "纠纷事实及诉求", example="雨季排水沟堵塞，双方互相指责。"),
        C("place", "发生地点", example="村东排水沟", max_length=200),
        C("amount", "涉及金额（元）", example="1200"),
        C("people_involved", "涉及人数", example="2"),
        *party_columns("applicant", "申请人", "张三明", "11010519491231002X", "13800138000"),
        *party_columns("respondent", "被申请人", "李四", "", "13900139000"),
        C("closed_on", "结案日期", example="2024-04-10"),
    ]

    def context(self, records, user):
        context = super().context(records, user)
        context["categories"] = {}
        for category in DisputeCategory.objects.filter(is_active=True):
            context["categories"][category.name] = category
            context["categories"][category.code] = category
        context["risks"] = {}
        for level in RiskLevel.objects.all():
            for alias in (level.code, level.name, level.name[:1], level.name.split("（")[0]):
                context["risks"][alias] = level
        context["default_risk"] = context["risks"].get("yellow")
        context["sources"] = Choices(DisputeSource.choices, {"来访": DisputeSource.WALK_IN})
        return context

    def clean_row(self, values, context, errors):
        self.required(values, errors, "opened_on", "region", "category", "source", "summary")
        self.required(values, errors, "applicant_name", "respondent_name")
        opened = self.parse(values, errors, "opened_on", parse_date)
        region = self.clean_region(values, context, errors)
        category = source = None
        if text := cell_text(values["category"]):
            category = context["categories"].get(text)
            if category is None:
                errors.append((self.heading("category"), unknown_category(text)))
        if text := cell_text(values["source"]):
            source = context["sources"].get(text)
            if source is None:
                errors.append((self.heading("source"), unknown_value(text, context["sources"].allowed)))
        risk = context["default_risk"]
        if text := cell_text(values["risk_level"]):
            risk = context["risks"].get(text)
            if risk is None:
                errors.append((self.heading("risk_level"), unknown_value(text, "红色、橙色、黄色、蓝色")))
        parties = {}
        for key, _word in PARTY_COLUMNS:
            try:
                parties[key] = parse_party(
                    *(values[f"{key}_{part}"] for part in ("name", "id", "phone", "address"))
                )
            except Exception as exc:  # ValidationError from an ID number, credit code or phone
                column = "phone" if "phone" in str(getattr(exc, "code", "")) else "id"
                errors.append((self.heading(f"{key}_{column}"), exc.messages[0]))
        return {
            "number": cell_text(values["number"]),
            "opened_on": opened,
            "closed_on": self.clean_closing(values, errors, opened),
            "region": region,
            "category": category,
            "source": source,
            "risk_level": risk,
            "summary": cell_text(values["summary"])[:200],
            "facts": cell_text(values["facts"]),
            "place": cell_text(values["place"])[:200],
            "amount": self.parse(values, errors, "amount", parse_amount),
            "people_involved": self.parse(values, errors, "people_involved", lambda v: parse_int(v, 1), 2),
            "parties": parties,
        }

    def build(self, cleaned) -> Dispute:
        closed = cleaned["closed_on"]
        return Dispute(
            kind=CaseKind.DISPUTE,
            number=cleaned["number"],
            status=DisputeStatus.ARCHIVED if closed else DisputeStatus.REGISTERED,
            opened_at=start_of(cleaned["opened_on"]),
            closed_at=start_of(closed) if closed else None,
            region=cleaned["region"],
            summary=cleaned["summary"],
            source=cleaned["source"],
            category=cleaned["category"],
            risk_level=cleaned["risk_level"],
            facts=cleaned["facts"],
            place=cleaned["place"],
            amount=cleaned["amount"],
            people_involved=cleaned["people_involved"],
        )

    def parties_of(self, cleaned):
        return list(cleaned["parties"].values())

    def write_row(self, case, cleaned, row, writer):
        parties = [
            (writer.person(cleaned["parties"]["applicant"]), PartyRole.APPLICANT),
            (writer.person(cleaned["parties"]["respondent"]), PartyRole.RESPONDENT),
        ]
        deadline = None if case.closed_at else ("dispute_accept", cleaned["opened_on"])
        writer.save(case, parties, row, deadline=deadline)


def unknown_category(text):
    from django.utils.translation import gettext as _

    return _("Unknown category “%(value)s”.") % {"value": text}


def unknown_value(text, allowed):
    from django.utils.translation import gettext as _

    return _("Unknown value “%(value)s”; use one of: %(allowed)s.") % {"value": text, "allowed": allowed}
