"""A dispute in every status of its workflow and a petition in every status of its own, walked there
through the real service functions, so that every action page of both case types is on offer to a
crawler (an action's link appears on the detail page only in the statuses it starts from)."""

import datetime

from django.utils import timezone

from accounts.demo import COUNTY, TOWNS, VILLAGES
from accounts.models import Region, User
from cases.models import PartyRole
from mediation import routes, workflow
from mediation.models import DisputeCategory, DisputeSource, RiskLevel
from petitions import workflow as pwf
from petitions.models import PetitionCategory


def _person(n: int) -> dict:
    """A party's details as typed at intake (cases.people keeps them on the case)."""
    return {"name": f"状态{n}号", "phone": f"1366600{n:04d}"}


def _dispute(mediator, n):
    return workflow.register_dispute(
        mediator,
        parties=[(_person(n), PartyRole.APPLICANT), (_person(n + 1), PartyRole.RESPONDENT)],
        region=Region.objects.get(code=VILLAGES["xianjin"]), summary=f"状态纠纷{n}",
        source=DisputeSource.WALK_IN, category=DisputeCategory.objects.get(code="neighbour"),
        risk_level=RiskLevel.objects.get(code="yellow"), place="村委会", facts="事实",
    )  # fmt: skip


def dispute_states(mediator: User) -> dict:
    """status -> a dispute of 先进村 in it, handled by ``mediator``."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    held = timezone.now()  # a session is not held before the registration (mediation.dates)
    steps = {
        "registered": [],
        "declined": [lambda pk: workflow.decline(pk, mediator, "不属于调解范围")],
        "referred": [lambda pk: workflow.refer(pk, mediator, "派出所")],
        "accepted": [lambda pk: workflow.accept(pk, mediator)],
        "mediating": [  # with a session held, so that an agreement can be recorded
            "accepted",
            lambda pk: workflow.start_mediation(pk, mediator),
            lambda pk: workflow.record_session(
                pk, mediator, held_at=held, place="调解室", attendees="双方", record="笔录", outcome="agreed"
            ),
        ],
        "terminated": [
            "mediating",
            lambda pk: workflow.terminate(pk, mediator, route="litigation", reason="调解不成"),
        ],
        "agreed": [
            "mediating",
            lambda pk: workflow.record_agreement(
                pk, mediator, form="written", terms="赔偿", effective_date=yesterday
            ),
        ],
        "performed": ["agreed", lambda pk: workflow.record_performance(pk, mediator, performed_on=yesterday)],
        "followed_up": [
            "agreed",
            lambda pk: workflow.record_follow_up(
                pk, mediator, date=yesterday, method="visit", satisfaction="satisfied"
            ),
        ],
        "archived": ["followed_up", lambda pk: workflow.archive(pk, mediator)],
        # 多元化解 (mediation.routes): out with the county's labour committee, back with its result;
        # and mediated jointly with 阳春村's committee and the labour committee.
        "routed": [
            "mediating",
            lambda pk: routes.route(
                pk, mediator, channel="committee", unit=_labour(), field="labour", reason="专业调解"
            ),
        ],
        "route_returned": [
            "routed",
            lambda pk: routes.route_result(
                pk,
                _labour().members.get(),
                outcome="success",
                result="已调解",
                result_on=timezone.localdate(),
            ),
        ],
        "mediating, joint": [
            "mediating",
            lambda pk: routes.joint_mediation(
                pk, mediator, units=[_village_committee("yangchun"), _labour()], reason="联合调解"
            ),
        ],
    }
    return {status: _walk(_dispute(mediator, 2 * i).pk, status, steps) for i, status in enumerate(steps)}


def petition_states(clerk: User, handler: User) -> dict:
    """status (or stage) -> a county petition in it, registered by ``clerk`` and forwarded to
    ``handler``'s unit (the skip-level one: of 枫桥镇, referred down to its centre)."""
    today = timezone.localdate()
    opinion = {"outcome": "upheld", "opinion": "维持"}
    steps = {
        "registered": [],
        "assigned": [
            lambda pk: pwf.assign(pk, clerk, handler.unit, report_due_on=today + datetime.timedelta(days=30))
        ],
        "forwarded": [lambda pk: pwf.forward(pk, clerk, handler.unit)],
        "objected": ["forwarded", lambda pk: pwf.object_to_routing(pk, handler, "不属本单位职责")],
        "accepted": ["forwarded", lambda pk: pwf.accept(pk, handler)],
        "replied": ["accepted", lambda pk: pwf.reply(pk, handler, outcome="supported", text="责令支付")],
        # 信访工作条例 §35-36: each window runs from delivery; the body above the issuer decides.
        "review_requested": [
            "replied",
            lambda pk: pwf.record_delivery(pk, clerk, document="opinion", method="post", delivered_on=today),
            lambda pk: pwf.request_review(pk, clerk, requested_on=today),
        ],
        "reviewed": ["review_requested", lambda pk: pwf.decide_review(pk, _reviewer(pk), **opinion)],
        "rereview_requested": [
            "reviewed",
            lambda pk: pwf.record_delivery(pk, clerk, document="review", method="post", delivered_on=today),
            lambda pk: pwf.request_rereview(pk, clerk, requested_on=today),
        ],
        "finalized": ["rereview_requested", lambda pk: pwf.decide_rereview(pk, _reviewer(pk), **opinion)],
        # Besides the statuses, the stages that make a document or an obligation of their own:
        # §22 ¶1(三) the 办结报告 filed; §19/§23 ¶1 a skip-level petition referred down with its notice;
        # §31(6) a hearing during 复查; §35 a 复查 that revokes the opinion, and the redo reported.
        "assigned, reported": ["assigned", lambda pk: pwf.report_result(pk, handler, "已办结，工资已支付")],
        "skip-level, referred down": [
            lambda pk: pwf.refer_down(pk, clerk, _town_centre(), notice="请向枫桥镇反映")
        ],
        "review_requested, hearing": [
            "review_requested",
            lambda pk: pwf.start_hearing(pk, _reviewer(pk), started_on=today),
        ],
        "reviewed, revoked": [
            "review_requested",
            lambda pk: pwf.decide_review(pk, _reviewer(pk), outcome="revoked", opinion="撤销，责令重新办理"),
        ],
        "reviewed, redone": ["reviewed, revoked", lambda pk: pwf.report_followup(pk, handler, "已重新办理")],
        # §36: a 复核 that revokes finalises the matter and binds the handler; its new opinion (a
        # document of its own) starts the petitioner's path again at replied (petitions.redo).
        "finalized, revoked": [
            "rereview_requested",
            lambda pk: pwf.decide_rereview(
                pk, _reviewer(pk), outcome="revoked", opinion="撤销，责令重新办理"
            ),
        ],
        "replied, opinion redone": [
            "finalized, revoked",
            lambda pk: pwf.redo_opinion(pk, handler, outcome="supported", text="重新办理，予以支持"),
        ],
    }
    category = PetitionCategory.objects.get(code="wage_arrears")
    found = {}
    for i, status in enumerate(steps):
        skip = status.startswith("skip-level")
        petition = pwf.register_petition(
            clerk, petitioners=[_person(100 + i)],
            region=Region.objects.get(code=TOWNS["fengqiao"] if skip else COUNTY), is_skip_level=skip,
            summary=f"状态信访{i}", channel="letter", petition_kind="claim", category=category,
            content="拖欠工资", demands="支付", received_on=today - datetime.timedelta(days=3),
        )  # fmt: skip
        found[status] = _walk(petition.pk, status, steps)
    return found


def _labour():
    from accounts.models import Unit

    return Unit.objects.get(name="诸暨市劳动争议人民调解委员会")


def _village_committee(key):
    from accounts.models import Unit, UnitKind

    return Unit.objects.get(region_id=VILLAGES[key], kind=UnitKind.MEDIATION_COMMITTEE)


def _town_centre():
    from accounts.models import Unit, UnitKind

    return Unit.objects.get(region_id=TOWNS["fengqiao"], kind=UnitKind.GOVERNANCE_CENTRE)


def _reviewer(pk) -> User:
    """A member of the unit that reviews the petition's open request (a role that may decide it)."""
    from accounts.roles import HANDLER, PETITION_CLERK, SUPERVISOR, has_role
    from petitions.models import ReviewRequest

    unit = ReviewRequest.objects.filter(petition_id=pk).latest("pk").reviewing_unit
    return next(
        u for u in unit.members.filter(is_active=True) if has_role(u, PETITION_CLERK, HANDLER, SUPERVISOR)
    )


def _walk(pk, status, steps):
    for step in steps[status]:
        if isinstance(step, str):
            _walk(pk, step, steps)
        else:
            step(pk)
    return pk
