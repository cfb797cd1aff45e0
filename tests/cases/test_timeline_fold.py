"""The case pages fold the timeline (cases.timeline_fold, issue 22): the latest SHOWN entries, the
count and "show all"; the same statements for 5 entries as for 500; and the facts the page reads
from the timeline (documents, deliveries, hearings, offered steps) the same as from the whole."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import TimelineEntry
from cases.timeline_fold import SHOWN
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


def add_notes(case, actor, n):
    """``n`` entries of a step no rule of the page reads (their text numbers them)."""
    TimelineEntry.objects.bulk_create(
        TimelineEntry(case_id=case.pk, actor=actor, action="note", description=f"回访记录{i}号")
        for i in range(n)
    )


def statements(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.mark.parametrize("kind", ["dispute", "petition"])
def test_detail_page_runs_the_same_statements_for_5_and_500_timeline_entries(client, demo, kind):
    if kind == "dispute":
        user = demo["xianjin_mediator"]
        short, long = new_dispute(user), new_dispute(user)
        name = "disputes:detail"
    else:
        user = demo["zhuji_petition_clerk"]
        short, long = new_petition(user), new_petition(user)
        name = "petitions:detail"
    add_notes(short, user, 4)
    add_notes(long, user, 499)
    assert (short.timeline.count(), long.timeline.count()) == (5, 500)
    client.force_login(user)
    client.get(reverse(name, args=[short.pk]))  # the session renewal after login
    few, page = statements(client, reverse(name, args=[short.pk]))
    many, folded = statements(client, reverse(name, args=[long.pk]))
    assert few == many
    assert len(page.context["timeline"].entries) == 5 and not page.context["timeline"].hidden
    shown = folded.context["timeline"]
    assert (len(shown.entries), shown.total, shown.hidden) == (SHOWN, 500, 500 - SHOWN)
    html = folded.content.decode()
    assert "回访记录498号" in html and f"回访记录{498 - SHOWN}号" not in html
    assert "?timeline=all" in html and "500" in html
    _n, everything = statements(client, reverse(name, args=[long.pk]) + "?timeline=all")
    assert len(everything.context["timeline"].entries) == 500
    assert f"回访记录{498 - SHOWN}号" in everything.content.decode()


def test_dispute_documents_come_from_steps_older_than_the_shown_entries(client, demo):
    from mediation import workflow
    from mediation.models import AgreementForm, SessionOutcome

    m = demo["xianjin_mediator"]
    d = new_dispute(m)
    workflow.accept(d.pk, m)
    workflow.start_mediation(d.pk, m)
    workflow.record_session(
        d.pk, m, held_at=timezone.now(), place="调解室", attendees="双方", record="笔录",
        outcome=SessionOutcome.CONTINUE, mediators=[m],
    )  # fmt: skip
    workflow.record_agreement(
        d.pk, m, form=AgreementForm.WRITTEN, terms="李四于一周内疏通排水沟。",
        effective_date=timezone.localdate() - datetime.timedelta(days=1), performance_due=timezone.localdate(),
    )  # fmt: skip
    add_notes(d, m, SHOWN + 20)
    client.force_login(m)
    url = reverse("disputes:detail", args=[d.pk])
    folded, whole = client.get(url).context, client.get(url + "?timeline=all").context
    assert folded["timeline"].hidden > 0
    assert "agreement" in folded["documents"]
    assert folded["documents"] == whole["documents"]
    assert [s.name for s in folded["actions"]] == [s.name for s in whole["actions"]]


def test_petition_documents_and_deliveries_come_from_steps_older_than_the_shown_entries(client, demo):
    from petitions import workflow as wf

    clerk, handler = demo["zhuji_petition_clerk"], demo["zhuji_handler"]
    p = new_petition(clerk)
    wf.forward(p.pk, clerk, handler.unit)
    wf.accept(p.pk, handler)
    wf.reply(p.pk, handler, outcome="supported", text="责令公司支付工资。")
    wf.record_delivery(p.pk, clerk, document="opinion", method="post", delivered_on=timezone.localdate())
    add_notes(p, clerk, SHOWN + 20)
    client.force_login(clerk)
    url = reverse("petitions:detail", args=[p.pk])
    folded, whole = client.get(url).context, client.get(url + "?timeline=all").context
    assert folded["timeline"].hidden > 0
    assert "opinion" in [slug for slug, _label in folded["documents"]]
    for key in ("documents", "hearings", "waiting_for_delivery"):
        assert folded[key] == whole[key], key

    def deliveries(context):  # unsaved Delivery objects compare by identity
        return [
            (slug, d and (d.document, d.method, d.delivered_on)) for slug, _l, d in context["deliverable"]
        ]

    assert deliveries(folded) == deliveries(whole)
    delivered = {slug: d for slug, _label, d in folded["deliverable"]}
    assert delivered["opinion"] is not None
    assert [s.name for s in folded["actions"]] == [s.name for s in whole["actions"]]
