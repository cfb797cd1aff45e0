"""Cases, deadlines, timeline entries, orders, warnings and statistics as the API answers them. The
parties pass through the pages' own masking (cases.pii): a list shows their names as the list pages
do, a detail their values as the case pages do, and a full view is recorded like the pages'."""

from cases.i18n import in_reader_language
from cases.pii import can_view_full_pii, party_view, party_views
from cases.templatetags.jiefen import timeline_changes
from cases.transitions import status_label


def _ref(obj, key="pk"):
    return {"id": str(getattr(obj, key)), "name": str(obj)} if obj is not None else None


def _region(region):
    return {"id": region.code, "name": region.name}


def _name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_full_name() or user.username


def list_names(user, case) -> list[str]:
    """The party names of a list row, exactly as cases.lists.list_page shows them."""
    full = can_view_full_pii(user)
    return [party_view(link, full)["name"] for link in case.parties.all()]


def case_row(user, case) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "kind": case.kind,
        "status": case.status,
        "status_label": status_label(case),
        "summary": case.summary,
        "region": _region(case.region),
        "category": str(case.category) if getattr(case, "category_id", None) else "",
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "next_due_at": case.next_due_at,
        "parties": list_names(user, case),
    }


def detail_parties(user, case, via: str) -> list[dict]:
    """The parties as the case page shows them (cases.pii.party_views, which records full views)."""
    everyone = can_view_full_pii(user)
    out = []
    for link, values in party_views(user, case, case.parties.all(), via):
        out.append(
            {
                "role": link.role,
                "role_label": str(link.get_role_display()),
                "is_organisation": link.is_organisation,
                "name": values["name"],
                "id_number": values["id_number"],
                "phone": values["phone"],
                "address": values["address"],
                "full": everyone or values["yours"],
            }
        )
    return out


def case_detail(user, case, workflow, via: str) -> dict:
    return {
        **case_row(user, case),
        "parties": detail_parties(user, case, via),
        "handling_unit": _ref(case.handling_unit),
        "handler": _name(case.handler),
        "steps": [{"name": s.name, "label": str(s.label)} for s in workflow.offered(case, user)],
    }


def dispute_detail(user, dispute, workflow) -> dict:
    return {
        **case_detail(user, dispute, workflow, "api:dispute_detail"),
        "source": dispute.source,
        "risk_level": str(dispute.risk_level) if dispute.risk_level_id else "",
        "place": dispute.place,
        "facts": dispute.facts,
        "amount": None if dispute.amount is None else str(dispute.amount),
        "people_involved": dispute.people_involved,
    }


def petition_detail(user, petition, workflow) -> dict:
    return {
        **case_detail(user, petition, workflow, "api:petition_detail"),
        "channel": petition.channel,
        "petition_kind": petition.petition_kind,
        "content": petition.content,
        "demands": petition.demands,
        "received_on": petition.received_on,
        "is_collective": petition.is_collective,
    }


def deadline(d) -> dict:
    return {
        "id": d.pk,
        "rule": d.rule.code,
        "label": d.rule.label,
        "start_date": d.start_date,
        "due_date": d.due_date,
        "due_at": d.due_at,
        "state": d.state,
        "estimated": d.estimated,
        "extended_days": d.extended_days,
        "paused_days": d.paused_days,
        "met_at": d.met_at,
        "met_on_time": d.met_on_time,
        "computation": d.computation,
    }


def timeline_entry(case, entry) -> dict:
    """An entry as the case page shows it: the values it recorded are masked when written."""
    before, after = entry.before or {}, entry.after or {}
    labels = getattr(case, "STATUS_LABELS", {})
    return {
        "id": entry.pk,
        "at": entry.at,
        "actor": _name(entry.actor),
        "action": entry.action,
        "description": in_reader_language(entry.description),
        "status_before": str(labels.get(before.get("status"), before.get("status") or "")),
        "status_after": str(labels.get(after.get("status"), after.get("status") or "")),
        "changes": [
            {"field": str(label), "before": _plain(old), "after": _plain(new)}
            for label, old, new in timeline_changes(entry)
        ],
    }


def _plain(value):
    return value if value is None or isinstance(value, bool | int | float | str | list | dict) else str(value)


def order(o) -> dict:
    return {
        "id": o.pk,
        "number": o.number,
        "case_id": o.case_id,
        "case_number": o.case.number,
        "issuing_unit": _ref(o.issuing_unit),
        "target_unit": _ref(o.target_unit),
        "required_action": o.required_action,
        "target_date": o.target_date,
        "state": o.state,
        "reply": o.reply,
        "replied_at": o.replied_at,
        "created_at": o.created_at,
    }


def warning(w) -> dict:
    return {
        "id": w.pk,
        "kind": w.kind,
        "status": w.status,
        "title": w.title,
        "summary": w.summary,
        "region": _region(w.region),
        "unit": _ref(w.unit),
        "raised_at": w.raised_at,
    }


def statistics(report, data) -> dict:
    sheets = []
    for result in data["results"]["sheets"]:
        columns = result.sheet.columns
        frozen = {s["sheet"].key: s for s in data["sheets"]}.get(result.sheet.key)
        rows = []
        for shown in frozen["rows"] if frozen else []:
            values = {c["column"].key: _number(c["value"]) for c in shown["cells"]}
            rows.append({"key": shown["row"].key, "name": str(shown["row"].name), "values": values})
        sheets.append(
            {
                "key": result.sheet.key,
                "title": str(result.sheet.title),
                "columns": [{"key": c.key, "label": str(c.label), "unit": str(c.unit)} for c in columns],
                "rows": rows,
            }
        )
    return {
        "report": report.slug,
        "title": str(report.title),
        "region": _region(data["region"]),
        "period": data["period"].label(),
        "heading": [str(line) for line in data["heading"]],
        "sheets": sheets,
    }


def _number(value):
    return None if value is None else float(value)
