"""The demo's recent weeks, walked through the real workflow functions (mediation.workflow,
petitions.workflow, supervision.orders) with the clock set to the moment of each step: the states
the bulk history does not reach (referred, assigned, performed, forwarded, objected, the reviews),
escalations, 督办单 and their replies, collective visits, repeat petitions, and the hand-off
notices all of these send. Each step sees ``timezone.now()`` as the moment it was taken, so its
timeline entry, deadlines (working-day calendar) and notices carry that time."""

import datetime
import logging
import random
from contextlib import contextmanager
from unittest import mock

from django.db import transaction
from django.utils import timezone

from accounts.demo import COUNTY, SURNAMES, TOWNS, VILLAGES, short_name
from accounts.models import Region, Unit, UnitKind, User
from benchmarks.demo import words
from cases.models import Case, PartyRole
from mediation import routes as mroutes
from mediation import workflow as mwf
from mediation.models import Dispute, DisputeCategory, DisputeSource, RiskLevel
from petitions import workflow as pwf
from petitions.models import Petition, PetitionCategory, ReviewRequest
from supervision import orders

log = logging.getLogger(__name__)
NOT_ACCEPTED_REASON = "属于劳动仲裁受理范围，已告知向劳动人事争议仲裁委员会申请。"
# How many cases the recent weeks walk to each state (times ``scale``, at least one each).
DISPUTE_STATES = (
    ("registered", 2), ("accepted", 2), ("agreed", 3), ("terminated", 2), ("followed_up", 2), ("archived", 2),
    ("declined", 2), ("referred", 4), ("assigned", 6), ("performed", 8), ("mediating", 6),
    ("routed", 2), ("route_returned", 3),
)  # fmt: skip
PETITION_STATES = (
    ("registered", 2), ("not_accepted", 1), ("diverted", 1), ("assigned", 4), ("forwarded", 6),
    ("objected", 2), ("accepted", 4), ("replied", 3), ("review_requested", 2), ("reviewed", 2),
    ("rereview_requested", 1),
    ("finalized", 1),
)  # fmt: skip
# Walked states whose steps span weeks, or that are closed: they start 25-60 days back.
CLOSED_OR_LONG = frozenset({"archived", "followed_up", "declined", "referred", "terminated", "finalized",
                            "not_accepted", "diverted", "rereview_requested", "reviewed"})  # fmt: skip
# States of which one walked case is left to run late (the inbox's overdue list).
OVERDUE_SHOWCASE = frozenset({"registered", "mediating", "forwarded", "assigned"})
ROUTE_RESULTS = (
    {"outcome": "success", "result": "经劳动争议调委会调解，双方就工资支付达成一致，已签订调解协议。"},
    {"outcome": "success", "result": "用人单位同意分两期支付拖欠工资，双方签订调解协议。"},
    {"outcome": "failed", "result": "双方对加班工资计算分歧较大，调解不成，已告知申请劳动仲裁。"},
)
ESCALATED_ORDER = "请加强与当事人沟通，防止矛盾激化，按期反馈化解进展。"
OVERDUE_ORDER = "该件已超期，请于三个工作日内办结并书面报告办理情况。"
OVERDUE_PETITION_ORDER = "该件已超期，请核实情况，落实包案责任人，限期答复信访人。"
ORDER_REPLIES = (
    "已落实包案责任人，约谈双方当事人，预计一周内办结。",
    "已组织双方再次调解，达成初步意向，近期签订协议。",
    "已与信访人电话沟通并上门走访，正在核实相关材料。",
)
ESCALATION_REASON = "矛盾有激化倾向，涉及多户村民，需镇里协调。"
GIVEN = "伟芳秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红玲芬燕春菊凤洁梅建国志海林波辉鹏飞斌浩凯俊峰"


@contextmanager
def at(moment: datetime.datetime):
    """``timezone.now()`` (and so localdate, auto_now, deadlines) answers ``moment`` meanwhile."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _flat(chain: dict, status: str):
    """The step functions that lead to ``status``: a name in the list stands for its own steps."""
    for item in chain[status]:
        yield from _flat(chain, item) if isinstance(item, str) else [item]


def _keep(fn):
    """A step on an existing case: run it and hand the case id on to the next one."""

    def step(pk):
        fn(pk)
        return pk

    return step


class Walker:
    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng, self.now = rng, now
        self.users = {u.username: u for u in User.objects.select_related("unit__region")}
        self.failed: list[str] = []
        self.count = 0

    def user(self, name: str) -> User:
        return self.users[name]

    def person(self) -> dict:
        rng = self.rng
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return {
            "name": name,
            "phone": rng.choice(("138", "139", "158", "187", "135")) + f"{rng.randrange(10**8):08d}",
        }

    def moments(self, days_ago: int, steps: int) -> list[datetime.datetime]:
        """A working-hours moment ``days_ago`` days back, then one every 1-4 days, none after now."""
        rng, t = self.rng, self.now - datetime.timedelta(days=days_ago)
        out = []
        for _ in range(steps):
            local = timezone.localtime(t).replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
            out.append(min(local, self.now - datetime.timedelta(minutes=len(out) + 1)))
            t += datetime.timedelta(days=rng.randint(1, 4))
        return sorted(out)

    def run(self, label: str, steps):
        """Take ``steps`` [(moment, fn)] in a savepoint: a refusal (a calendar corner on some day)
        leaves nothing of this case and is reported, the rest of the demo goes on."""
        try:
            with transaction.atomic():
                result = None
                for moment, fn in steps:
                    with at(moment):
                        result = fn(result)
            self.count += 1
            return result
        except Exception as exc:  # noqa: BLE001 — reported by the command, checked by the test
            self.failed.append(f"{label}: {exc!r}")
            log.warning("demo activity: %s failed: %r", label, exc)
            return None

    # Disputes -------------------------------------------------------------------------------

    def register_dispute(self, actor, village_code):
        rng = self.rng
        category = rng.choice(list(DisputeCategory.objects.all()))
        a, b = self.person(), self.person()
        summary, facts = rng.choice(words.DISPUTES.get(category.name) or words.DISPUTES["其他纠纷"])
        region = Region.objects.get(code=village_code)
        values = {"p": "", "a": a["name"], "b": b["name"], "n": rng.choice((2000, 5000, 12000)), "m": 3}
        return mwf.register_dispute(
            actor, parties=[(a, PartyRole.APPLICANT), (b, PartyRole.RESPONDENT)], region=region,
            summary=summary.format(**values), source=rng.choice(list(DisputeSource)).value, category=category,
            risk_level=rng.choice(list(RiskLevel.objects.all())),
            place=f"{short_name(region)}{rng.randint(1, 200)}号",
            facts=facts.format(**values),
        )  # fmt: skip

    def dispute(self, status: str, village: str, days_ago: int, escalate_to: Unit | None = None):
        mediator = self.user(f"{village}_mediator")
        supervisor = self.user(f"{village}_supervisor")
        code = VILLAGES[village]

        def register(_r):
            return self.register_dispute(mediator, code).pk

        def held(pk):
            mwf.record_session(
                pk, mediator, held_at=timezone.now(), place="村调解室", attendees="双方当事人",
                record=self.rng.choice(words.MEDIATION_RECORDS), outcome="agreed",
            )  # fmt: skip

        rng, today = self.rng, timezone.localdate
        labour = self.user("laodong_mediator")
        # status -> the steps that lead there from the one named first (as tests/security/states.py).
        chain = {
            "registered": [],
            "declined": [lambda pk: mwf.decline(pk, mediator, "属于法院已经受理的案件，不予受理。")],
            "referred": [
                lambda pk: mwf.refer(pk, mediator, rng.choice(("派出所", "镇司法所", "市场监管所")))
            ],
            "accepted": [lambda pk: mwf.accept(pk, mediator)],
            "assigned": ["accepted", lambda pk: mwf.assign(pk, supervisor, handler=mediator)],
            "mediating": ["accepted", lambda pk: mwf.start_mediation(pk, mediator), held],
            "escalated": [
                "mediating",
                lambda pk: mwf.escalate(pk, mediator, unit=escalate_to, reason=ESCALATION_REASON),
            ],
            "agreed": [
                "mediating",
                lambda pk: mwf.record_agreement(
                    pk,
                    mediator,
                    form="written",
                    terms="双方自愿达成协议，按约定期限履行。",
                    effective_date=today(),
                ),
            ],
            "terminated": [
                "mediating",
                lambda pk: mwf.terminate(pk, mediator, route="litigation", reason="双方分歧较大，调解不成。"),
            ],
            "performed": [
                "agreed",
                lambda pk: mwf.record_performance(
                    pk, mediator, performed_on=today(), note="已按协议履行完毕"
                ),
            ],
            "followed_up": [
                "performed",
                lambda pk: mwf.record_follow_up(
                    pk, mediator, date=today(), method="phone", satisfaction="satisfied", performance="已履行"
                ),
            ],
            "archived": ["followed_up", lambda pk: mwf.archive(pk, mediator)],
            # 多元化解: a wage dispute to the county's labour dispute committee, and its result back.
            "routed": [
                "mediating",
                lambda pk: mroutes.route(
                    pk,
                    mediator,
                    channel="committee",
                    unit=labour.unit,
                    field="labour",
                    reason="涉及劳动报酬，转劳动争议人民调解委员会专业调解。",
                ),
            ],
            "route_returned": [
                "routed",
                lambda pk: mroutes.route_result(pk, labour, result_on=today(), **rng.choice(ROUTE_RESULTS)),
            ],
        }
        fns = list(_flat(chain, status))
        m = self.moments(days_ago, len(fns) + 1)
        plan = [(m[0], register)] + [(m[i + 1], _keep(fn)) for i, fn in enumerate(fns)]
        return self.run(f"dispute {status} ({village})", plan)

    # Petitions ------------------------------------------------------------------------------

    def register_petition(self, clerk, region_code, *, repeat_of=None, visit_heads=0):
        rng = self.rng
        category = rng.choice(list(PetitionCategory.objects.exclude(code="military_affairs")))
        p = self.person()
        summary, content, demands = rng.choice(words.PETITIONS.get(category.name) or words.PETITIONS["其他"])
        region = Region.objects.get(code=region_code)
        values = {
            "p": short_name(region) if region.code != COUNTY else "",
            "a": p["name"],
            "b": "王某",
            "n": 36000,
            "m": 5,
        }
        extra = {}
        if visit_heads:
            extra = {"head_count": visit_heads, "visited_on": timezone.localdate(),
                     "representatives": [self.person() for _ in range(min(3, visit_heads))]}  # fmt: skip
        if repeat_of is not None:
            extra["repeat_of"] = repeat_of
            summary, content = repeat_of.summary, repeat_of.content
        return pwf.register_petition(
            clerk, petitioners=[p], region=region, summary=summary.format(**values)[:200],
            channel="visit" if visit_heads else rng.choice(("letter", "online", "phone", "visit")),
            petition_kind="claim", category=category, content=content.format(**values),
            demands=demands, received_on=timezone.localdate(), **extra,
        )  # fmt: skip

    def petition(
        self, status: str, days_ago: int, region_code=COUNTY, *, visit_heads=0, repeat_of=None, to=None
    ):
        clerk, handler = self.user("zhuji_petition_clerk"), self.user("zhuji_handler")
        receiving = to or handler.unit

        def register(_r):
            return self.register_petition(clerk, region_code, repeat_of=repeat_of, visit_heads=visit_heads).pk

        def reviewer(pk):
            unit = ReviewRequest.objects.filter(petition_id=pk).latest("pk").reviewing_unit
            from accounts.roles import HANDLER, PETITION_CLERK, SUPERVISOR, has_role

            return next(
                u
                for u in unit.members.filter(is_active=True)
                if has_role(u, PETITION_CLERK, HANDLER, SUPERVISOR)
            )

        opinion = {"outcome": "upheld", "opinion": "经审查，原处理意见认定事实清楚，予以维持。"}
        today = timezone.localdate
        chain = {
            "registered": [],
            "assigned": [
                lambda pk: pwf.assign(
                    pk, clerk, handler.unit, report_due_on=today() + datetime.timedelta(days=30)
                )
            ],
            "forwarded": [lambda pk: pwf.forward(pk, clerk, receiving)],
            "not_accepted": [lambda pk: pwf.not_accept(pk, clerk, reason=NOT_ACCEPTED_REASON)],
            "diverted": [lambda pk: pwf.divert(pk, clerk, route="legal")],
            "objected": [
                "forwarded",
                lambda pk: pwf.object_to_routing(pk, handler, "该事项不属于本单位法定职责，建议转住建部门。"),
            ],
            "accepted": ["forwarded", lambda pk: pwf.accept(pk, handler)],
            "replied": [
                "accepted",
                lambda pk: pwf.reply(
                    pk, handler, outcome="explained", text="经调查核实，已向信访人作出解释说明。"
                ),
            ],
            "review_requested": [
                "replied",
                lambda pk: pwf.record_delivery(
                    pk, clerk, document="opinion", method="post", delivered_on=today()
                ),
                lambda pk: pwf.request_review(pk, clerk, requested_on=today()),
            ],
            "reviewed": ["review_requested", lambda pk: pwf.decide_review(pk, reviewer(pk), **opinion)],
            "rereview_requested": [
                "reviewed",
                lambda pk: pwf.record_delivery(
                    pk, clerk, document="review", method="post", delivered_on=today()
                ),
                lambda pk: pwf.request_rereview(pk, clerk, requested_on=today()),
            ],
            "finalized": ["rereview_requested", lambda pk: pwf.decide_rereview(pk, reviewer(pk), **opinion)],
        }

        fns = list(_flat(chain, status))
        m = self.moments(days_ago, len(fns) + 1)
        plan = [(m[0], register)] + [(m[i + 1], _keep(fn)) for i, fn in enumerate(fns)]
        return self.run(f"petition {status}", plan)

    # 督办单 ---------------------------------------------------------------------------------

    def order(self, issuer: User, case: Case, days_ago: int, reply: bool, action: str):
        target = case.handling_unit
        m = self.moments(days_ago, 2)

        def issue(_r):
            due = timezone.localdate() + datetime.timedelta(days=self.rng.randint(3, 7))
            return orders.issue_order(
                issuer, case.pk, target_unit=target, target_date=due,
                required_action=action,
            )  # fmt: skip

        plan = [(m[0], issue)]
        if reply:
            replier = next((u for u in target.members.filter(is_active=True).order_by("pk")), None)
            if replier is not None:
                plan.append(
                    (m[1], lambda o: orders.reply_order(replier, o.pk, self.rng.choice(ORDER_REPLIES)))
                )
        return self.run(f"order on {case.number}", plan)


def walk(rng: random.Random, *, scale: float = 1.0) -> Walker:
    """The recent weeks; ``scale`` multiplies the number of cases of each kind (at least one)."""
    now = timezone.now()
    w = Walker(rng, now)

    def times(n):
        return max(1, round(n * scale))

    def days_ago(status, i):
        """Cases closed or far along began weeks ago; open ones mostly in the last two weeks, so
        that they are on time, except the first of the states that show an overdue case."""
        if status in CLOSED_OR_LONG:
            return rng.randint(25, 60)
        if i == 0 and status in OVERDUE_SHOWCASE:
            return rng.randint(20, 45)
        if status in ("forwarded", "assigned"):  # inside the receiving unit's 5 working days (§23)
            return rng.randint(1, 5)
        return rng.randint(2, 14)

    villages = list(VILLAGES)
    town_of = {
        v: ("fengqiao" if VILLAGES[v].startswith(TOWNS["fengqiao"][:9]) else "jiyang") for v in villages
    }
    town_centre = {
        key: Unit.objects.get(region_id=code, kind=UnitKind.GOVERNANCE_CENTRE) for key, code in TOWNS.items()
    }
    for status, n in DISPUTE_STATES:
        for i in range(times(n)):
            w.dispute(status, villages[i % 4], days_ago(status, i))
    escalated = []
    for i in range(times(8)):
        village = villages[i % 4]
        pk = w.dispute("escalated", village, rng.randint(8, 25), escalate_to=town_centre[town_of[village]])
        if pk:
            escalated.append((pk, town_of[village]))
    for status, n in PETITION_STATES:
        for i in range(times(n)):
            w.petition(status, rng.randint(3, 5) if status == "objected" else days_ago(status, i))
    # The county's other department (no user of its own in the demo) receives matters too.
    housing = Unit.objects.filter(region_id=COUNTY, kind=UnitKind.DEPARTMENT).exclude(
        pk=w.user("zhuji_handler").unit_id
    )
    for unit in housing:
        for _ in range(times(3)):
            w.petition("forwarded", rng.randint(2, 12), to=unit)
    # Collective visits (批, 人次) and repeat petitions to the county bureau.
    for _ in range(times(3)):
        w.petition(
            "registered",
            rng.randint(1, 20),
            rng.choice(list(VILLAGES.values())),
            visit_heads=rng.randint(6, 25),
        )
    answered = Petition.objects.filter(
        status__in=("replied", "accepted"), region__code__startswith=COUNTY[:6]
    )
    earlier = list(answered.order_by("-opened_at")[: times(4)])
    for p in earlier:
        w.petition("registered", rng.randint(1, 6), p.region_id, repeat_of=p)
    # 督办单: the town centre on the disputes escalated to it (to the village committee, which still
    # sees its village), and the county centre on overdue matters; every other one answered.
    for i, (pk, town) in enumerate(escalated):
        committee = Unit.objects.get(
            region_id=Dispute.objects.get(pk=pk).region_id, kind=UnitKind.MEDIATION_COMMITTEE
        )
        case = Case.objects.select_related("handling_unit").get(pk=pk)
        case.handling_unit = committee  # the order's target, not a change of the case
        w.order(
            w.user(f"{town}_supervisor"), case, rng.randint(1, 6), reply=i % 2 == 0, action=ESCALATED_ORDER
        )
    overdue = (
        Case.objects.filter(region__code__startswith=COUNTY[:6], next_due_at__lt=now, closed_at__isnull=True)
        .exclude(handling_unit=None).select_related("handling_unit").order_by("next_due_at")[: times(12)]
    )  # fmt: skip
    for i, case in enumerate(overdue):
        action = OVERDUE_PETITION_ORDER if case.kind == "petition" else OVERDUE_ORDER
        w.order(w.user("zhuji_supervisor"), case, rng.randint(1, 10), reply=i % 3 == 1, action=action)
    return w
