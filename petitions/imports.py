"""Importing historical petitions (信访事项) from the old registers (cases.imports).

A row without a closing date becomes a registered petition whose 15-day routing deadline runs from
its date of receipt (信访工作条例 §22); a row with one is stored as finalised on that date. A visit
records its batch and head-count, collective from 5 people as at intake.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from cases.imports.base import Choices, Column, Importer, cell_text, parse_date, parse_int, parse_party
from cases.imports.disputes import party_columns, unknown_category, unknown_value
from cases.imports.writer import start_of
from cases.models import CaseKind, PartyRole

from .models import Channel, Petition, PetitionCategory, PetitionKind, PetitionStatus, VisitBatch
from .workflow import collective_threshold

C = Column


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

    def context(self, records, user):
        context = super().context(records, user)
        context["categories"] = {}
        for category in PetitionCategory.objects.all():
            context["categories"][category.name] = category
            context["categories"][category.code] = category
        context["channels"] = Choices(Channel.choices, {"来信": Channel.LETTER, "来访": Channel.VISIT})
        # 检举控告 is left out on purpose: the accused unit must be chosen by hand so the case is
        # withheld from it (信访工作条例 §30).
        kinds = [(k, label) for k, label in PetitionKind.choices if k != PetitionKind.ACCUSATION]
        context["kinds"] = Choices(
            kinds, {"建议意见": PetitionKind.SUGGESTION, "申诉求决": PetitionKind.CLAIM}
        )
        return context

    def clean_row(self, values, context, errors):
        self.required(values, errors, "opened_on", "region", "channel", "petition_kind", "category")
        self.required(values, errors, "summary", "content", "petitioner_name")
        opened = self.parse(values, errors, "opened_on", parse_date)
        region = self.clean_region(values, context, errors)
        category = channel = kind = None
        if text := cell_text(values["category"]):
            category = context["categories"].get(text)
            if category is None:
                errors.append((self.heading("category"), unknown_category(text)))
        if text := cell_text(values["channel"]):
            channel = context["channels"].get(text)
            if channel is None:
                errors.append((self.heading("channel"), unknown_value(text, context["channels"].allowed)))
        if text := cell_text(values["petition_kind"]):
            kind = context["kinds"].get(text)
            if kind is None:
                message = unknown_value(text, context["kinds"].allowed)
                if text in ("检举控告", PetitionKind.ACCUSATION):
                    message = _("Register accusations by hand, so that the accused unit never sees them.")
                errors.append((self.heading("petition_kind"), message))
        petitioner = None
        try:
            petitioner = parse_party(*(values[f"petitioner_{p}"] for p in ("name", "id", "phone", "address")))
        except Exception as exc:  # ValidationError from an ID number, credit code or phone
            column = "phone" if "phone" in str(getattr(exc, "code", "")) else "id"
            errors.append((self.heading(f"petitioner_{column}"), exc.messages[0]))
        return {
            "number": cell_text(values["number"]),
            "opened_on": opened,
            "closed_on": self.clean_closing(values, errors, opened),
            "region": region,
            "channel": channel,
            "petition_kind": kind,
            "category": category,
            "summary": cell_text(values["summary"])[:200],
            "content": cell_text(values["content"]),
            "demands": cell_text(values["demands"]),
            "head_count": self.parse(values, errors, "head_count", lambda v: parse_int(v, 1), 1),
            "petitioner": petitioner,
        }

    def build(self, cleaned) -> Petition:
        closed = cleaned["closed_on"]
        visit = cleaned["channel"] == Channel.VISIT
        return Petition(
            kind=CaseKind.PETITION,
            number=cleaned["number"],
            status=PetitionStatus.FINALIZED if closed else PetitionStatus.REGISTERED,
            opened_at=start_of(cleaned["opened_on"]),
            closed_at=start_of(closed) if closed else None,
            region=cleaned["region"],
            summary=cleaned["summary"],
            channel=cleaned["channel"],
            petition_kind=cleaned["petition_kind"],
            category=cleaned["category"],
            content=cleaned["content"],
            demands=cleaned["demands"],
            received_on=cleaned["opened_on"],
            is_collective=visit and cleaned["head_count"] >= collective_threshold(),
        )

    def parties_of(self, cleaned):
        return [cleaned["petitioner"]]

    def write_row(self, case, cleaned, row, writer):
        parties = [(writer.person(cleaned["petitioner"]), PartyRole.PETITIONER)]
        deadline = None if case.closed_at else ("petition_route", cleaned["opened_on"])
        writer.save(case, parties, row, deadline=deadline)
        if case.channel == Channel.VISIT:
            VisitBatch.objects.create(
                petition=case, visited_on=case.received_on, head_count=cleaned["head_count"]
            )
