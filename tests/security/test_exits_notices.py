"""The access matrix's second half, for what is sent or stored for someone else (issue 14): deadline
reminders and escalations, the supervisors' daily digest, e-mail and SMS from the outbox, automatic
and manual supervision orders (督办单), forwarding and assigning, list exports and closure batches.

The world of the access matrix (tests/security/world.py: a case in the own village, a sibling
village, the parent town, another town, another county, a granted case, an accusation withheld from
the village centre that also handles it, holds a grant and whose member is its handler, one withheld
from the county 人社局 the same way), plus an accusation the village centre's clerk registered
against its own unit (passed up, 信访工作条例 §30). Every case gets deadlines due today, overdue and
escalated; every user an e-mail address and a phone. Then the real scan, send, digest and outbox
run, and no text reaching any user names a case the one rule (accounts.scoping.visible_cases,
asked per user) hides from them, while those who may see it get it. Figures go to
var/security/exits_notices.json for SECURITY.md.
"""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit, User
from cases.deadlines import open_deadline
from cases.models import Case, TimelineEntry
from cases.transitions import TransitionError
from jobs.models import Job, JobKind
from petitions.workflow import forward
from supervision import notify, reminders
from supervision.models import Notification, SupervisionOrder
from supervision.orders import issue_order
from tests.petitions.helpers import new_petition
from tests.security.exits import (
    RecordingGateway,
    Secrets,
    Tally,
    check,
    emails,
    may_see,
    notifications,
    orders,
    sms,
    write_report,
    xlsx_text,
)
from tests.security.expectations import CASE_VISIBLE, VIEWERS
from tests.security.matrix import make_client
from tests.security.world import build_world

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))  # a Tuesday, within working hours
TODAY = NOW.date()
TALLY = Tally()
GATEWAY = "tests.security.exits.RecordingGateway"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at the end; each test runs in a
    savepoint of its own (pytest-django), so what one test sends the next does not see."""
    media = tmp_path_factory.mktemp("exits-media")
    quick = {"MEDIA_ROOT": str(media), "SMS_GATEWAY": GATEWAY, "REMINDER_ESCALATE_AFTER_DAYS": 3}
    with django_db_blocker.unblock(), override_settings(**quick), transaction.atomic():
        users, targets, _jobs = build_world()
        secrets, places = Secrets(), {}
        for place, target in targets.items():
            for kind in ("dispute", "petition"):
                case = target.case(kind)
                secrets.add(case, target.secrets[kind])
                places[case.pk] = place
        # §30 at registration: the village centre's clerk files an accusation against its own unit.
        clerk = users["xianjin_petition_clerk"]
        passed = new_petition(
            clerk, kind="accusation", region="330681109219", complained_unit=clerk.unit,
            category="discipline_supervision", summary="矩阵passed_up", petitioners=None,
        )  # fmt: skip
        secrets.add(passed, [passed.number])
        places[passed.pk] = "passed_up"
        everyone = list(User.objects.filter(is_superuser=False).order_by("pk"))
        for user in everyone:  # every channel in use for everyone
            user.email, user.phone = f"user{user.pk}@example.org", f"1390000{user.pk:04d}"
            user.save(update_fields=["email", "phone"])
        users = {u.username: u for u in everyone}  # with their addresses
        for pk in places:
            case = Case.objects.get(pk=pk)
            for days in (0, 1, 10):  # due today, overdue, escalated
                due = TODAY - datetime.timedelta(days=days)
                open_deadline(case, "performance", due - datetime.timedelta(days=1), due_date=due)
        yield {
            "users": users, "everyone": everyone, "secrets": secrets, "places": places,
            "targets": targets, "passed": passed,
        }  # fmt: skip
        transaction.set_rollback(True)
    write_report(TALLY, {"users": len(everyone), "cases": len(places)})


@pytest.fixture(autouse=True)
def _clean_gateway():
    RecordingGateway.sent.clear()


def _users(world):
    """Everyone again, as stored now (moved, deactivated)."""
    return list(User.objects.filter(pk__in=[u.pk for u in world["everyone"]]).order_by("pk"))


def _check(world, path, deliveries, users=None):
    """No delivery names a hidden case. ``users``: who the path could reach (everyone for pushed
    messages, where not being reached is an answer too; the owners for jobs)."""
    everyone = _users(world)
    seen = may_see(everyone, list(world["places"]))
    before = len(TALLY.leaks)
    check(TALLY, world["secrets"], seen, users or everyone, path, deliveries)
    assert TALLY.leaks[before:] == []


def _run_everything():
    reminders.scan(NOW)
    reminders.send(NOW)
    reminders.supervisor_digest(timezone.make_aware(datetime.datetime(2026, 11, 24, 8, 30)))


def test_the_oracle_is_the_hand_written_table_of_the_access_matrix(world):
    # The rule, asked per user, gives exactly CASE_VISIBLE for every user of the three places that
    # table is written for: the leak search below compares with the rule itself, and the rule here
    # with a table no code computed.
    users = world["users"]
    table_users = sorted(n for n in users if n.split("_")[0] in ("xianjin", "fengqiao", "zhuji"))
    seen = may_see([users[n] for n in table_users], list(world["places"]))
    for pk, place in world["places"].items():
        if place in CASE_VISIBLE:
            assert {n for n in table_users if pk in seen[users[n].pk]} == set(CASE_VISIBLE[place]), place


def test_reminders_digests_emails_sms_and_orders_name_no_case_outside_the_rule(world):
    _run_everything()
    everyone = _users(world)
    digests = Notification.objects.exclude(digest_of=None).select_related("user")
    _check(world, "notification", notifications(digest=False))
    _check(world, "digest", [(n.user, f"{n.title}\n{n.body}") for n in digests])
    assert digests.exists()
    _check(world, "email", emails(everyone))
    _check(world, "sms", sms(everyone))
    _check(world, "order", orders())
    # Everyone has an address: every notification written here went out by e-mail and SMS.
    # (Hand-off notices, such as an automatic 督办单's to its target unit, are in-app only.)
    written = Notification.objects.exclude(title="外县提醒").exclude(kind="handoff")
    assert len(mail.outbox) == written.count() == len(RecordingGateway.sent) > 30
    assert not written.filter(email_pending=True).exists()
    # Those who may see a case still hear of it: every case is named to someone, by each channel.
    for path in ("notification", "email"):
        texts = notifications() if path == "notification" else emails(everyone)
        named = set().union(*(world["secrets"].named(t) for _u, t in texts))
        assert named >= set(world["places"]), (path, set(world["places"]) - named)


def test_s30_the_accused_units_hear_nothing_and_the_supervisors_above_do(world):
    _run_everything()
    users, targets = world["users"], world["targets"]
    accused = targets["accused"].dispute.withheld_from_unit
    department = targets["accused_department"].dispute.withheld_from_unit
    withheld = [targets["accused"].dispute, targets["accused"].petition, world["passed"]]
    withheld += [targets["accused_department"].dispute, targets["accused_department"].petition]
    for note in Notification.objects.filter(user__unit__in=[accused, department]):
        assert not set(note.case_ids) & {c.pk for c in withheld}
        assert not world["secrets"].named(note.body) & {c.pk for c in withheld}
    # The handler of the accusation sits in the accused unit: the town's supervisor gets it instead.
    town = {pk for n in Notification.objects.filter(user=users["fengqiao_supervisor"]) for pk in n.case_ids}
    assert {targets["accused"].dispute.pk, targets["accused"].petition.pk, world["passed"].pk} <= town
    village = {
        pk for n in Notification.objects.filter(user=users["jiangdong_supervisor"]) for pk in n.case_ids
    }
    assert targets["accused_department"].dispute.pk in village
    # No automatic order on an accusation is addressed to or issued by its accused unit (here none
    # at all: the accused unit handles it); the timeline says so.
    auto = SupervisionOrder.objects.filter(deadline__isnull=False)
    assert not auto.filter(case__in=withheld, target_unit__in=[accused, department]).exists()
    assert not auto.filter(case__in=withheld, issuing_unit__in=[accused, department]).exists()
    assert not auto.filter(case__in=withheld[:2] + withheld[3:]).exists()
    assert TimelineEntry.objects.filter(
        case_id=targets["accused"].dispute.pk, action="order_not_issued"
    ).exists()
    assert SupervisionOrder.objects.filter(
        deadline__isnull=False, case=targets["own_village"].dispute
    ).exists()


def test_delivery_checks_again_for_a_moved_a_deactivated_user_and_a_case_withheld_since(world, monkeypatch):
    # Written with the outbox held back, then delivered after three changes.
    monkeypatch.setattr(notify, "deliver_outbox", lambda: {})
    reminders.scan(NOW)
    reminders.send(NOW)
    users, targets = world["users"], world["targets"]
    own = targets["own_village"]
    # Fresh copies: the world's user objects are shared by every test of the module.
    moved, closed, stays = (
        User.objects.get(username=f"xianjin_{role}") for role in ("grid_worker", "statistician", "supervisor")
    )
    for user in (moved, closed, stays):
        assert Notification.objects.filter(user=user, case_ids__contains=[own.dispute.pk]).exists()
    moved.unit = Unit.objects.get(name="江东社区综治中心")
    moved.save()
    User.objects.filter(pk=closed.pk).update(is_active=False)
    Case.objects.filter(pk__in=[own.dispute.pk, own.petition.pk]).update(withheld_from_unit=stays.unit)
    monkeypatch.undo()
    notify.deliver_outbox()
    everyone = _users(world)
    _check(world, "email_after_change", emails(everyone))
    _check(world, "sms_after_change", sms(everyone))
    reached = {m.to[0] for m in mail.outbox}
    assert not {moved.email, closed.email, stays.email} & reached
    assert users["fengqiao_supervisor"].email in reached  # unaffected users still get theirs
    # The notification centre shows the title, not the text naming the case now withheld.
    client = make_client(stays)
    page = client.get(reverse("supervision:notifications")).content.decode()
    assert own.dispute.number not in page and "正文已不再显示" in page


def test_every_users_notification_centre_names_only_cases_they_may_see(world):
    _run_everything()
    Case.objects.filter(pk=world["targets"]["granted"].dispute.pk).update(
        withheld_from_unit=world["users"]["xianjin_supervisor"].unit
    )  # withheld after the reminders were written
    pages = []
    for user in _users(world):
        client = make_client(user)
        pages.append((user, client.get(reverse("supervision:notifications")).content.decode()))
    _check(world, "notification_centre", pages)


def test_forward_and_assign_never_reach_the_accused_and_reminders_follow_the_new_unit(world):
    from mediation.workflow import assign

    users, targets = world["users"], world["targets"]
    petition, dispute = targets["accused"].petition, targets["accused"].dispute
    root = User.objects.get(username="matrix_root")
    with pytest.raises(TransitionError):
        forward(petition.pk, root, petition.withheld_from_unit)
    with pytest.raises(TransitionError):
        assign(dispute.pk, root, unit=dispute.withheld_from_unit)
    with pytest.raises(TransitionError):
        assign(dispute.pk, root, handler=users["xianjin_grid_worker"])  # a member of the accused unit
    with pytest.raises(TransitionError):
        issue_order(root, dispute.pk, target_unit=dispute.withheld_from_unit, required_action="办理",
                    target_date=TODAY + datetime.timedelta(days=30))  # fmt: skip
    # Forwarded to 枫桥镇人民政府 (not accused), with no handler yet as a petition has at intake (the
    # world's handler is a member of the accused unit): the reminders follow the new unit.
    Case.objects.filter(pk=petition.pk).update(handler=None)
    government = users["fengqiao_handler"].unit
    forward(petition.pk, root, government)
    later = NOW + datetime.timedelta(days=30)
    reminders.scan(later)
    reminders.send(later, force=True)
    _check(world, "notification_after_forward", notifications())
    _check(world, "email_after_forward", emails(_users(world)))
    assert Notification.objects.filter(
        user=users["fengqiao_handler"], case_ids__contains=[petition.pk]
    ).exists()


def test_the_digest_names_no_order_on_a_case_withheld_from_the_issuing_unit(world):
    users, own = world["users"], world["targets"]["own_village"]
    county = users["zhuji_supervisor"]
    Case.objects.filter(pk=own.petition.pk).update(withheld_from_unit=county.unit)
    reminders.supervisor_digest(timezone.make_aware(datetime.datetime(2026, 11, 24, 8, 30)))
    digest = Notification.objects.get(user=county, digest_of=TODAY)
    assert own.petition.number not in digest.body and own.dispute.number in digest.body
    assert own.petition.pk not in digest.case_ids
    _check(world, "digest_orders", [(n.user, n.body) for n in Notification.objects.exclude(digest_of=None)])


def _export(user, key):
    from jobs.runner import start_job

    job = start_job(JobKind.LIST_EXPORT, user, {"list": key, "query": ""}, inline=True)
    return Job.objects.get(pk=job.pk)


def test_list_export_jobs_hold_only_what_their_owner_may_see(world):
    from pathlib import Path

    from django.conf import settings

    users = world["users"]
    results = []
    for name in VIEWERS:
        for key in ("disputes", "petitions"):
            job = _export(users[name], key)
            content = (Path(settings.MEDIA_ROOT) / job.result_path).read_bytes()
            results.append((users[name], xlsx_text(content)))
            seen = may_see([users[name]], job.case_ids)[users[name].pk]
            assert set(job.case_ids) == seen, (name, key)
    _check(world, "list_export_job", results, users=[users[name] for name in VIEWERS])


def test_a_job_result_is_fetched_by_its_owner_only_and_checked_again_at_the_download(world):
    users, own = world["users"], world["targets"]["own_village"]
    owner = users["zhuji_supervisor"]
    job = _export(owner, "petitions")
    assert own.petition.pk in job.case_ids
    url = reverse("jobs:download", args=[job.pk])
    assert make_client(owner).get(url).status_code == 200
    for other in ("fengqiao_supervisor", "zhuji_statistician", "xianjin_supervisor"):
        assert make_client(users[other]).get(url).status_code == 404
    # A case of the file withheld from the owner's unit since: the file is not served again.
    Case.objects.filter(pk=own.petition.pk).update(withheld_from_unit=owner.unit)
    response = make_client(owner).get(url)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    # The owner moved to another unit: the job is no longer theirs to open.
    Case.objects.filter(pk=own.petition.pk).update(withheld_from_unit=None)
    User.objects.filter(pk=owner.pk).update(unit=users["fengqiao_supervisor"].unit)
    assert make_client(User.objects.get(pk=owner.pk)).get(url).status_code == 404


def test_a_closure_batch_holds_the_visible_archived_disputes_and_is_checked_again(world):
    from jobs.runner import start_job
    from mediation.models import Dispute

    users, targets = world["users"], world["targets"]
    october = timezone.make_aware(datetime.datetime(2026, 10, 15, 12, 0))
    archived = [targets[p].dispute.pk for p in ("own_village", "sibling_village", "accused", "other_county")]
    Dispute.objects.filter(pk__in=archived).update(status="archived", closed_at=october)
    for name in ("xianjin_supervisor", "fengqiao_supervisor", "zhuji_supervisor", "zhuji_handler"):
        user = users[name]
        job = start_job(JobKind.CLOSURE_BATCH, user, {"year": 2026, "month": 10}, inline=True)
        job.refresh_from_db()
        assert set(job.case_ids) == may_see([user], archived)[user.pk], name
        TALLY.users.setdefault("closure_batch", set()).add(user.pk)
        TALLY.items["closure_batch"] = TALLY.items.get("closure_batch", 0) + len(job.case_ids)
    assert targets["accused"].dispute.pk not in job.case_ids or name != "xianjin_supervisor"
    village = Job.objects.filter(owner=users["xianjin_supervisor"]).latest("pk")
    assert village.case_ids == [targets["own_village"].dispute.pk]  # not the accusation against it
    url = reverse("jobs:download", args=[village.pk])
    assert make_client(users["xianjin_supervisor"]).get(url).status_code == 200
    Case.objects.filter(pk=targets["own_village"].dispute.pk).update(
        withheld_from_unit=users["xianjin_supervisor"].unit
    )
    assert make_client(users["xianjin_supervisor"]).get(url).status_code == 302


def test_an_import_report_names_nothing_of_a_case_outside_the_rule(world):
    from jobs.imports import check_file

    other = world["targets"]["other_county"].petition
    clerk = world["users"]["xianjin_petition_clerk"]
    row = [other.number, "2024-05-20", "330681109219", "来信", "申诉求决", "拖欠工资", "拖欠工资", "内容",
           "", "1", "陈建国", "", "13700137000", "", ""]  # fmt: skip
    header = ["案件编号", "收到日期", "区划代码", "信访形式", "信访种类", "内容分类", "事项摘要", "信访内容",
              "诉求", "来访人数", "信访人姓名", "信访人证件号码", "信访人电话", "信访人地址", "办结日期"]  # fmt: skip
    data = ("\n".join(",".join(r) for r in (header, row)) + "\n").encode()
    report = check_file("petition", clerk, "old.csv", data).report()
    text = "\n".join(e["message"] for e in report["errors"])
    assert report["errors"]  # the number is taken: the row is refused
    # The number is the one the user typed; nothing else of the other county's case is named.
    named_strings = [s for s in world["secrets"].strings[other.pk] if s != other.number]
    assert not any(s in text for s in named_strings) and other.summary not in text
    TALLY.users.setdefault("import_report", set()).add(clerk.pk)
    TALLY.items["import_report"] = TALLY.items.get("import_report", 0) + 1
