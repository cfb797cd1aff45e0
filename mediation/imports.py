"""Importing historical disputes (矛盾纠纷) from the old ledgers.

A row without a closing date becomes a registered dispute whose acceptance deadline runs from its
registration date, as if it had been registered on the portal that day; a row with a closing date
is stored as archived (立卷归档) with that date. Both get a number (the old one when the ledger has
it, else the next of the county's counter for the year of registration), their parties and one
timeline entry naming who imported them.
"""

from django.utils.translation import gettext_lazy

from accounts import roles
from cases.models import CaseKind, PartyRole
from jobs.imports.base import Column, Importer, party_columns
from jobs.imports.cells import Choices, cell_text, parse_amount, parse_int
from mediation.models import Dispute, DisputeCategory, DisputeSource, DisputeStatus, RiskLevel

C = Column
PEOPLE = Dispute._meta.get_field("people_involved")


def parse_people(value):
    return parse_int(value, 1, PEOPLE)


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
    model = Dispute
    kind = CaseKind.DISPUTE
    statuses = (DisputeStatus.REGISTERED, DisputeStatus.ARCHIVED)
    deadline_rule = "dispute_accept"
    parties = (("applicant", PartyRole.APPLICANT), ("respondent", PartyRole.RESPONDENT))

    def categories(self):
        return DisputeCategory.objects.filter(is_active=True)

    def context(self, records, user):
        context = super().context(records, user)
        context["risks"] = {}
        for level in RiskLevel.objects.all():
            for alias in (level.code, level.name, level.name[:1], level.name.split("（")[0]):
                context["risks"][alias] = level
        context["default_risk"] = context["risks"].get("yellow")
        context["sources"] = Choices(DisputeSource.choices, {"来访": DisputeSource.WALK_IN})
        return context

    def clean_choices(self, values, context, errors):
        source = self.choose(values, errors, "source", context["sources"])
        risk = context["default_risk"]
        if cell_text(values["risk_level"]):
            risk = self.choose(values, errors, "risk_level", context["risks"], "红色、橙色、黄色、蓝色")
        return {"source": source, "risk_level": risk}

    def clean_details(self, values, errors):
        return {
            "facts": cell_text(values["facts"]),
            "place": cell_text(values["place"])[:200],
            "amount": self.parse(values, errors, "amount", parse_amount),
            "people_involved": self.parse(values, errors, "people_involved", parse_people, 2),
        }

    def fields(self, cleaned):
        own = ("source", "risk_level", "facts", "place", "amount", "people_involved")
        return {name: cleaned[name] for name in own}
