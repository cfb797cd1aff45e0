"""The mediation stage of a dispute (人民调解法 §§20-33): sessions, the agreement, termination, the
extension of the mediation period, mediating again, performance, judicial confirmation, follow-up
and the report of a risk of violence (§25).

Each step is declared here once (mediation.workflow.TRANSITIONS lists these steps in the order the
case page shows them) with the function that carries it out through cases.transitions.perform.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from cases import deadlines
from cases.transitions import TransitionError, perform, step
from mediation import corrections as fix
from mediation import dates
from mediation.forms import (
    AgreementInputForm,
    ConfirmationForm,
    ExtendForm,
    FollowUpForm,
    PerformanceForm,
    RemediateForm,
    TerminateForm,
)
from mediation.models import (
    Agreement,
    AgreementForm,
    ConfirmationState,
    Dispute,
    DisputeStatus,
    FollowUp,
    InvitedCapacity,
    InvitedParticipant,
    MediationSession,
    RiskRecipient,
    RiskReport,
    ScheduledSession,
    ScheduledState,
)
from mediation.people import eligible_among, not_the_returning_unit
from mediation.record_forms import RiskReportForm, SessionForm

S = DisputeStatus
M, G, SUP = roles.MEDIATOR, roles.GRID_WORKER, roles.SUPERVISOR
OPEN_STATES = frozenset(
    {S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.MEDIATING, S.AGREED, S.TERMINATED, S.PERFORMED, S.FOLLOWED_UP,
     S.ROUTED, S.ROUTE_RETURNED}
)  # fmt: skip

RECORD_SESSION = step(
    "record_session", _l("record a session"), {S.MEDIATING}, None, {M}, SessionForm,
    lambda pk, u, d: record_session(pk, u, **d), form_needs_case=True,
)  # fmt: skip
AGREE = step(
    "agree", _l("record the agreement"), {S.MEDIATING}, S.AGREED, {M}, AgreementInputForm,
    lambda pk, u, d: record_agreement(pk, u, **{k: v for k, v in d.items() if v not in (None, "")}),
    documents=("agreement",),
)  # fmt: skip
TERMINATE = step(
    "terminate", _l("terminate mediation"), {S.MEDIATING}, S.TERMINATED, {M}, TerminateForm,
    lambda pk, u, d: terminate(pk, u, **d),
    confirm=_l("Terminate mediation? The parties are told to pursue the route you chose."),
    documents=("termination",),
)  # fmt: skip
EXTEND = step(
    "extend_mediation", _l("extend the mediation period"), {S.MEDIATING}, None, {M}, ExtendForm,
    lambda pk, u, d: extend_mediation(pk, u, **d),
)  # fmt: skip
REMEDIATE = step(
    "remediate", _l("mediate again"), {S.AGREED, S.PERFORMED}, S.MEDIATING, {M}, RemediateForm,
    lambda pk, u, d: remediate(pk, u, reason=d["reason"]),
)  # fmt: skip
RECORD_PERFORMANCE = step(
    "record_performance", _l("record performance"), {S.AGREED}, S.PERFORMED, {M}, PerformanceForm,
    lambda pk, u, d: record_performance(pk, u, **d),
)  # fmt: skip
CONFIRMATION = step(
    "confirmation", _l("judicial confirmation"), {S.AGREED, S.PERFORMED}, None, {M}, ConfirmationForm,
    lambda pk, u, d: _confirmation(pk, u, d),
)  # fmt: skip
FOLLOW_UP = step(
    "follow_up", _l("follow up"), {S.AGREED, S.PERFORMED, S.TERMINATED, S.ROUTE_RETURNED}, S.FOLLOWED_UP,
    {M, G}, FollowUpForm,
    lambda pk, u, d: record_follow_up(pk, u, **d), guard=not_the_returning_unit,
)  # fmt: skip
REPORT_RISK = step(
    "report_risk", _l("report a risk of violence"), OPEN_STATES, None, {M, G, SUP}, RiskReportForm,
    lambda pk, u, d: report_risk(pk, u, **d),
)  # fmt: skip


def _confirmation(pk, user, d):
    number, result = d.get("case_number", ""), d.get("result", "")
    if d["step"] == "apply":
        return apply_for_confirmation(pk, user, applied_on=d["date"], court=d["court"], case_number=number)
    return decide_confirmation(
        pk, user, confirmed=d["step"] == "confirmed", decided_on=d["date"], case_number=number, result=result
    )


# One extension of the one-month mediation period, with both parties' consent (宁波 §27).
MAX_MEDIATION_EXTENSION_DAYS = 30


def record_session(
    dispute_id, actor, *, held_at, place, attendees, record, outcome, mediators=(), invited=(), scheduled=None
):
    """A mediation session: who mediated (one or more mediators who may see the case; the actor
    when none is named), who was invited (人民调解法 §20: experts, lawyers, others), and the record.
    ``scheduled``: the session arranged ahead that this one is (mediation.scheduling); it becomes held."""
    for name, capacity in invited:
        if not name.strip() or capacity not in InvitedCapacity.values:
            raise TransitionError(_("Name each invited participant and the capacity they took part in."))

    def apply(d):
        dates.check_session(d, held_at)
        allowed = eligible_among(d, mediators)
        if any(m.pk not in allowed for m in mediators):
            raise TransitionError(_("Only mediators who may see this dispute can be named as its mediators."))
        session = MediationSession.objects.create(
            dispute=d, held_at=held_at, place=place, attendees=attendees, record=record,
            outcome=outcome, created_by=actor,
        )  # fmt: skip
        session.mediators.set(list(mediators) or [actor])
        if scheduled is not None:
            held = ScheduledSession.objects.select_for_update().filter(
                pk=getattr(scheduled, "pk", scheduled), dispute_id=d.pk, state=ScheduledState.SCHEDULED
            )
            if not held.update(state=ScheduledState.HELD, session=session):
                raise TransitionError(_("This session was already held or cancelled. Reload the page."))
            details["scheduled"] = fix.shown(getattr(scheduled, "starts_at", None))
        InvitedParticipant.objects.bulk_create(
            InvitedParticipant(session=session, name=name.strip(), capacity=capacity)
            for name, capacity in invited
        )
        return session

    details = {"outcome": outcome}
    return perform(
        RECORD_SESSION, Dispute, dispute_id, actor, apply,
        description=_("Mediation session recorded"), details=details,
    )  # fmt: skip


def record_agreement(dispute_id, actor, *, form, terms, effective_date, **fields):
    """A written 调解协议书 or an oral agreement; opens performance, confirmation and follow-up."""
    if not terms.strip():
        raise TransitionError(_("Write down the agreed terms."))
    dates.check_agreement(effective_date, fields.get("performance_due"))

    # perform() writes the timeline after apply(), so apply can still add to these details.
    details = {"form": form}

    def apply(d):
        if not d.sessions.exists():
            raise TransitionError(_("Record at least one mediation session before the agreement."))
        agreement = Agreement.objects.filter(dispute=d).first()
        if agreement is None:
            agreement = Agreement.objects.create(
                dispute=d, form=form, terms=terms, effective_date=effective_date, recorded_by=actor, **fields
            )
        else:
            # Mediated again after the court refused confirmation: the original agreement is
            # changed (人民调解法 §33); the timeline keeps the terms it replaces.
            details["previous_terms"] = agreement.terms
            _amend(
                agreement, form=form, terms=terms, effective_date=effective_date, recorded_by=actor, **fields
            )
        deadlines.close_open_deadline(d, "mediation_period")
        if agreement.performance_due:
            deadlines.open_deadline(d, "performance", effective_date, due_date=agreement.performance_due)
        if form == AgreementForm.WRITTEN:
            deadlines.open_deadline(d, "judicial_confirmation", effective_date)
        deadlines.open_deadline(d, "follow_up", effective_date)
        return agreement

    return perform(
        AGREE, Dispute, dispute_id, actor, apply,
        description=_("Agreement recorded"), details=details,
    )  # fmt: skip


def _amend(agreement, **values):
    for name in AMENDABLE:
        setattr(agreement, name, values.get(name, Agreement._meta.get_field(name).get_default()))
    agreement.save()


# Everything an agreement records, reset when it is changed after a refused confirmation.
AMENDABLE = (
    "form", "terms", "responsibilities", "performance_manner", "performance_place", "performance_due",
    "amount", "effective_date", "signed_by", "performed_on", "performance_note", "confirmation_state",
    "confirmation_applied_on", "confirmation_court", "confirmation_decided_on", "confirmation_case_number",
    "confirmation_result", "recorded_by",
)  # fmt: skip


def remediate(dispute_id, actor, *, reason):
    """Mediate again after the court refused to confirm the agreement (人民调解法 §33): the parties
    may change it or reach a new one. Open performance and follow-up deadlines end; a new
    mediation period starts."""
    if not reason.strip():
        raise TransitionError(_("Give the reason for mediating again."))

    def apply(d):
        agreement = Agreement.objects.filter(dispute=d).first()
        if agreement is None or agreement.confirmation_state != ConfirmationState.REFUSED:
            raise TransitionError(_("Mediate again only after the court refused to confirm the agreement."))
        for code in ("performance", "follow_up", "judicial_confirmation"):
            deadline = deadlines.open_deadline_of(d, code)
            if deadline:
                deadlines.cancel_deadline(deadline)
        deadlines.open_deadline(d, "mediation_period", timezone.localdate())

    return perform(REMEDIATE, Dispute, dispute_id, actor, apply, details={"reason": reason})


def terminate(dispute_id, actor, *, route, reason):
    """调解终止: mediation failed; the parties are told which route remains (人民调解法 §26)."""
    if not route:
        raise TransitionError(_("Record the route the parties were told of."))

    def apply(d):
        d.termination_route = route
        deadlines.close_open_deadline(d, "mediation_period")
        deadlines.open_deadline(d, "follow_up", timezone.localdate())

    return perform(
        TERMINATE, Dispute, dispute_id, actor, apply,
        details={"route": route, "reason": reason},
    )  # fmt: skip


def extend_mediation(dispute_id, actor, *, days, consent_note):
    if not 0 < days <= MAX_MEDIATION_EXTENSION_DAYS:
        raise TransitionError(
            _("The mediation period can be extended by at most %(days)d days.")
            % {"days": MAX_MEDIATION_EXTENSION_DAYS}
        )
    if not consent_note.strip():
        raise TransitionError(_("Record both parties' consent to the extension."))

    def apply(d):
        deadline = deadlines.open_deadline_of(d, "mediation_period")
        if deadline is None:
            raise TransitionError(_("There is no open mediation period to extend."))
        if deadline.extended_days:
            raise TransitionError(_("The mediation period has already been extended once."))
        deadlines.extend_deadline(deadline, days)

    return perform(
        EXTEND, Dispute, dispute_id, actor, apply,
        details={"days": days, "consent": consent_note},
    )  # fmt: skip


def record_performance(dispute_id, actor, *, performed_on, note=""):
    def apply(d):
        agreement = Agreement.objects.get(dispute=d)
        dates.check_performance(agreement, performed_on)
        agreement.performed_on, agreement.performance_note = performed_on, note
        agreement.save(update_fields=["performed_on", "performance_note"])
        deadlines.close_open_deadline(d, "performance")

    return perform(RECORD_PERFORMANCE, Dispute, dispute_id, actor, apply, details={"note": note})


def apply_for_confirmation(dispute_id, actor, *, applied_on, court, case_number=""):
    def apply(d):
        agreement = Agreement.objects.get(dispute=d)
        if agreement.form != AgreementForm.WRITTEN:
            raise TransitionError(_("Only a written agreement can be judicially confirmed."))
        if agreement.confirmation_state != ConfirmationState.NONE:
            raise TransitionError(_("Judicial confirmation has already been applied for."))
        # The same due date the case page shows, holidays rolled (mediation.dates).
        dates.check_confirmation_applied(d, agreement, applied_on)
        agreement.confirmation_state = ConfirmationState.APPLIED
        agreement.confirmation_applied_on, agreement.confirmation_court = applied_on, court
        agreement.confirmation_case_number = case_number.strip()
        agreement.save()
        deadlines.close_open_deadline(d, "judicial_confirmation")

    details = {"court": court, **({"court_case_number": case_number.strip()} if case_number.strip() else {})}
    return perform(
        CONFIRMATION, Dispute, dispute_id, actor, apply,
        description=_("Judicial confirmation applied for"), details=details,
    )  # fmt: skip


def decide_confirmation(dispute_id, actor, *, confirmed: bool, decided_on, case_number="", result=""):
    """The court's decision on the application: confirmed or refused, its ruling and (when it gave
    one only now) its case number."""
    details = {"ruling": result.strip()} if result.strip() else {}

    def apply(d):
        agreement = Agreement.objects.get(dispute=d)
        if agreement.confirmation_state != ConfirmationState.APPLIED:
            raise TransitionError(_("No judicial confirmation is pending."))
        dates.check_confirmation_decided(agreement, decided_on)
        agreement.confirmation_state = ConfirmationState.CONFIRMED if confirmed else ConfirmationState.REFUSED
        agreement.confirmation_decided_on = decided_on
        agreement.confirmation_result = result.strip()
        if case_number.strip():
            agreement.confirmation_case_number = details["court_case_number"] = case_number.strip()
        agreement.save()

    return perform(
        CONFIRMATION, Dispute, dispute_id, actor, apply,
        description=(
            _("Court confirmed the agreement") if confirmed else _("Court refused to confirm the agreement")
        ),
        details=details,
    )  # fmt: skip


def record_follow_up(dispute_id, actor, *, date, method, satisfaction, performance="", new_risks=""):
    def apply(d):
        dates.check_follow_up(d, Agreement.objects.filter(dispute=d).first(), date)
        FollowUp.objects.create(
            dispute=d, date=date, method=method, satisfaction=satisfaction, performance=performance,
            new_risks=new_risks, visitor=actor,
        )  # fmt: skip
        deadlines.close_open_deadline(d, "follow_up")

    return perform(FOLLOW_UP, Dispute, dispute_id, actor, apply, details={"satisfaction": satisfaction})


def report_risk(dispute_id, actor, *, recipient_kind, recipient_name, reported_at, content):
    """人民调解法 §25: a dispute that may lead to a public-order or criminal case is reported to the
    local police or another competent body (the township government …); the timeline keeps when and
    to whom, and the report counts towards 防止民转刑 (reporting.mediation_stats)."""
    if not recipient_name.strip():
        raise TransitionError(_("Name the police station or body the risk was reported to."))
    if not content.strip():
        raise TransitionError(_("Record what was reported."))
    recipient = f"{RiskRecipient(recipient_kind).label}：{recipient_name.strip()}"
    details = {"recipient": recipient, "reported_at": fix.shown(reported_at), "reported": content}

    def apply(d):
        dates.check_risk_report(d, reported_at)
        return RiskReport.objects.create(
            dispute=d, recipient_kind=recipient_kind, recipient_name=recipient_name.strip(),
            reported_at=reported_at, content=content, reported_by=actor,
        )  # fmt: skip

    return perform(
        REPORT_RISK, Dispute, dispute_id, actor, apply,
        description=_("Risk of violence reported (People's Mediation Law, Art. 25)"), details=details,
    )  # fmt: skip
