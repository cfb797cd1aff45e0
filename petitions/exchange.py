"""Exchange with the national 信访信息系统 (信访工作条例 §21): the exchange format, its status and
channel codes, and the list exports (xlsx and JSON) that write it.

The format is one row (xlsx) or one object (JSON) per petition; docs/exchange.md is its reference
and mapping table. The columns are ``FIELDS``: a fixed Chinese heading (the xlsx heading row) and
a key (the JSON key), which the import (petitions.exchange_import) reads back by either. Codes
are ours (``Channel``, ``PetitionStatus``, ``Outcome``, ``DeliveryMethod``), each written beside
its Chinese name; the status name is the one the provincial petition systems show (domain.md 1.7:
待签收、已签收待办理、待办理、退回待办理、待审核、已处理待送达、已办结…), which is many to one, so
the import reads the code.

The exports are list exports (jobs.list_exports): the petition list's filters, the one scoping
rule and the viewer's masking, a background job for a long list.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy

from jobs.list_exports import ListExport, party_names
from petitions.forms import PetitionFilterForm
from petitions.models import Channel, Outcome, PetitionDocument, PetitionKind, PetitionStatus
from petitions.selectors import petition_list

S = PetitionStatus
FORMAT_VERSION = 1

# Our status -> the status the provincial petition systems show (domain.md 1.7, [S-26]).
NATIONAL_STATUS = {
    S.REGISTERED: "待办理",
    S.FORWARDED: "待签收",
    S.ASSIGNED: "待签收",
    S.OBJECTED: "退回待办理",
    S.NOT_ACCEPTED: "已办结",
    S.DIVERTED: "已办结",
    S.ACCEPTED: "已签收待办理",
    S.REPLIED: "已处理待送达",  # "已办结" once the opinion is delivered (national_status)
    S.REVIEW_REQUESTED: "待审核",
    S.REVIEWED: "已办结",
    S.REREVIEW_REQUESTED: "待审核",
    S.FINALIZED: "已办结",
}
# The documents whose delivery ends the handling: the written opinion, or the one redone after a
# revocation (petitions.redo).
OPINIONS = (PetitionDocument.OPINION, PetitionDocument.REDONE)


def zh(choices, value) -> str:
    """A code's Chinese name, whatever language the export runs in (the format is Chinese)."""
    if not value:
        return ""
    with translation.override("zh-hans"):
        return str(dict(choices.choices).get(value, value))


def opinion_delivery(p):
    """The latest delivery of the handling opinion (first or redone), from the prefetched rows."""
    found = [d for d in p.deliveries.all() if d.document in OPINIONS]
    return max(found, key=lambda d: (d.delivered_on, d.pk)) if found else None


def national_status(p, delivery=None) -> str:
    if p.status == S.REPLIED and delivery is not None:
        return "已办结"
    return NATIONAL_STATUS.get(p.status, "")


# (key, heading, value(petition, full_pii, delivery)) — the order of the columns.
FIELDS = [
    ("national_number", "信访件编号", lambda p, f, d: p.national_number),
    ("number", "本地编号", lambda p, f, d: p.number),
    ("received_on", "登记日期", lambda p, f, d: p.received_on),
    ("channel_code", "信访形式代码", lambda p, f, d: p.channel),
    ("channel", "信访形式", lambda p, f, d: zh(Channel, p.channel)),
    ("kind", "信访目的", lambda p, f, d: zh(PetitionKind, p.petition_kind)),
    ("category", "内容分类", lambda p, f, d: p.category.name),
    ("region_code", "问题属地代码", lambda p, f, d: p.region_id),
    ("region", "问题属地", lambda p, f, d: p.region.name),
    ("summary", "事项摘要", lambda p, f, d: p.summary),
    ("petitioners", "信访人", lambda p, f, d: party_names(p, f)),
    ("collective", "集体访", lambda p, f, d: "是" if p.is_collective else "否"),
    ("handling_unit", "办理单位", lambda p, f, d: p.handling_unit.name if p.handling_unit else ""),
    ("status_code", "办理状态代码", lambda p, f, d: p.status),
    ("status", "办理状态", lambda p, f, d: national_status(p, d)),
    ("accepted_on", "受理日期", lambda p, f, d: p.accepted_on),
    ("outcome_code", "处理结果代码", lambda p, f, d: p.outcome),
    ("outcome", "处理结果", lambda p, f, d: zh(Outcome, p.outcome)),
    ("replied_on", "答复日期", lambda p, f, d: p.replied_on),
    ("reply_text", "答复意见", lambda p, f, d: p.reply_text),
    ("delivered_on", "送达日期", lambda p, f, d: d.delivered_on if d else None),
    ("delivery_method_code", "送达方式代码", lambda p, f, d: d.method if d else ""),
]
HEADINGS = {key: heading for key, heading, _value in FIELDS}


def exchange_row(p, full: bool) -> list:
    delivery = opinion_delivery(p)
    return [value(p, full, delivery) for _key, _heading, value in FIELDS]


def _queryset(user, query):
    form = PetitionFilterForm(query or None)
    rows = petition_list(user, form.cleaned_data if form.is_valid() else {})
    # The list's selector prefetches the parties already.
    return rows.select_related("handling_unit").prefetch_related("deliveries")


def exchange_exports() -> list[ListExport]:
    """The exchange file as xlsx and as JSON, registered from the app's ready()."""

    def headers():
        return [heading for _key, heading, _value in FIELDS]

    def keys():
        return [key for key, _heading, _value in FIELDS]

    title = gettext_lazy("Petition exchange (national system)")
    return [
        ListExport("petition_exchange", title, headers, _queryset, exchange_row),
        ListExport(
            "petition_exchange_json", title, headers, _queryset, exchange_row, fmt="json", json_keys=keys
        ),
    ]
