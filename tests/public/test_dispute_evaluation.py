"""A party evaluates their concluded dispute online (满意 / 基本满意 / 不满意), once; it is on the case
timeline and moves the month's mediation 参评率 (reporting.mediation_stats)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.demo import COUNTY
from accounts.models import Region
from mediation import workflow as mwf
from mediation.models import Dispute, DisputeEvaluation
from reporting import mediation_stats
from reporting.periods import Period
from tests.public.flows import apply, unlock

pytestmark = pytest.mark.django_db


def test_dispute_evaluated_once_after_the_agreement_moves_the_months_evaluation_rate(
    demo, client, django_capture_on_commit_callbacks
):
    _r, code = apply(client, django_capture_on_commit_callbacks)
    dispute = Dispute.objects.get()
    mediator = demo["xianjin_mediator"]
    mwf.accept(dispute.pk, mediator)
    mwf.start_mediation(dispute.pk, mediator)
    unlock(client, django_capture_on_commit_callbacks, code)
    # Not concluded yet: no form, and a POST changes nothing.
    assert "Send my evaluation" not in client.get(reverse("public:case")).content.decode()
    assert client.post(reverse("public:evaluate"), {"value": "satisfied"}).status_code == 302
    assert not DisputeEvaluation.objects.exists()

    today = timezone.localdate()
    mwf.record_session(
        dispute.pk, mediator, held_at=timezone.now(), place="村调解室", attendees="双方", record="释法说理",
        outcome="agreed",
    )  # fmt: skip
    mwf.record_agreement(dispute.pk, mediator, form="written", terms="赔偿两千元。", effective_date=today)
    county, month = Region.objects.get(code=COUNTY), Period.month(today.year, today.month)

    def figures():
        return mediation_stats.compute(demo["zhuji_supervisor"], county, month)["sheets"][0].total.values

    before = figures()
    page = client.get(reverse("public:case")).content.decode()
    assert 'name="value"' in page and "调解协议书" in page
    assert client.post(reverse("public:evaluate"), {"value": "basically"}).status_code == 302
    after = figures()
    assert (before["evaluable"], before["evaluated"], before["evaluation_rate"]) == (1, 0, 0)
    assert (after["evaluated"], after["evaluation_rate"], after["satisfaction_rate"]) == (1, 100, 100)
    # Once only; shown back to the citizen; on the timeline as the party's own step (no actor).
    client.post(reverse("public:evaluate"), {"value": "dissatisfied"})
    evaluation = DisputeEvaluation.objects.get()
    assert (evaluation.value, evaluation.given_on, evaluation.way) == ("basically", today, "网上评价")
    page = client.get(reverse("public:case")).content.decode()
    assert 'id="my-evaluation"' in page and 'name="value"' not in page
    entry = dispute.timeline.get(action="evaluate")
    assert entry.actor_id is None and entry.after["value"] == "basically"
    staff = Client()
    staff.force_login(mediator)
    timeline = staff.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert "当事人网上评价" in timeline and "基本满意" in timeline


def test_no_staff_member_gives_the_partys_evaluation(demo, client, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    from cases.transitions import perform
    from mediation.evaluation import EVALUATE

    assert "evaluate" not in mwf.TRANSITIONS  # never a button on the staff case page
    apply(client, django_capture_on_commit_callbacks)
    dispute = Dispute.objects.get()
    with pytest.raises(PermissionDenied):
        perform(EVALUATE, Dispute, dispute.pk, demo["xianjin_mediator"])
