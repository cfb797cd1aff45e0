"""Importing historical petitions (信访事项) from the old registers (jobs.imports).

A row without a closing date becomes a registered petition whose 15-day routing deadline runs from
its date of receipt (信访工作条例 §22); a row with one is stored as finalised on that date. A visit
records its batch and head-count, collective from 5 people as at intake.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from cases.models import CaseKind, PartyRole
from jobs.imports.base import Column, Importer, party_columns
from jobs.imports.cells import Choices, cell_text, parse_int
from petitions.models import Channel, Petition, PetitionCategory, PetitionKind, PetitionStatus, VisitBatch
from petitions.workflow import collective_threshold

C = Column
HEAD_COUNT = VisitBatch._meta.get_field("head_count")


class PetitionImporter(Importer):
    key = "petition"
    label = gettext_lazy("petitions")
    roles = (roles.PETITION_CLERK, roles.SUPERVISOR)
    columns = [
        C("number", "案件编号", example="诸暨〔2024〕访字第0045号", text=True, max_length=64),
        C("opened_on", "收到日期", True, "2024-05-20"),
        C("region", "区划代码", True, "330681000000", text=True),
        C("channel", "信访形式", True, "来信"),
        C("petition_kind", "信访种类", True, "申诉求决"),
        C("category", "内容分类", True, "拖欠工资"),
        C("summary", "事项摘要", True, "拖欠工资", max_length=200),
        C("content", "信访内容", True, "某公司拖欠工资三个月。"),
        C("demands", "诉求", example="支付工资"),
        C("head_count", "来访人数", example="1"),
        *party_columns("petitioner", "信访人", "陈建国", "", "13700137000"),
        C("closed_on", "办结日期", example="2024-07-01"),
    ]
    model = Petition
    kind = CaseKind.PETITION
    statuses = (PetitionStatus.REGISTERED, PetitionStatus.FINALIZED)
    deadline_rule = "petition_route"
    parties = (("petitioner", PartyRole.PETITIONER),)

    def categories(self):
        return PetitionCategory.objects.all()

    def context(self, records, user):
        context = super().context(records, user)
        context["channels"] = Choices(Channel.choices, {"来信": Channel.LETTER, "来访": Channel.VISIT})
        # 检举控告 is left out on purpose: the accused unit must be chosen by hand so the case is
        # withheld from it (信访工作条例 §30).
        kinds = [(k, label) for k, label in PetitionKind.choices if k != PetitionKind.ACCUSATION]
        context["kinds"] = Choices(
            kinds, {"建议意见": PetitionKind.SUGGESTION, "申诉求决": PetitionKind.CLAIM}
        )
        return context

    def clean_choices(self, values, context, errors):
        channel = self.choose(values, errors, "channel", context["channels"])
        if cell_text(values["petition_kind"]) in ("检举控告", PetitionKind.ACCUSATION):
            message = _("Register accusations by hand, so that the accused unit never sees them.")
            errors.append((self.heading("petition_kind"), message))
            kind = None
        else:
            kind = self.choose(values, errors, "petition_kind", context["kinds"])
        return {"channel": channel, "petition_kind": kind}

    def clean_details(self, values, errors):
        return {
            "content": cell_text(values["content"]),
            "demands": cell_text(values["demands"]),
            "head_count": self.parse(values, errors, "head_count", lambda v: parse_int(v, 1, HEAD_COUNT), 1),
        }

    def fields(self, cleaned):
        visit = cleaned["channel"] == Channel.VISIT
        return {
            "channel": cleaned["channel"],
            "petition_kind": cleaned["petition_kind"],
            "content": cleaned["content"],
            "demands": cleaned["demands"],
            "received_on": cleaned["opened_on"],
            "is_collective": visit and cleaned["head_count"] >= collective_threshold(),
        }

    def dependents(self, case, cleaned):
        if case.channel != Channel.VISIT:
            return []
        return [VisitBatch(visited_on=case.received_on, head_count=cleaned["head_count"])]
