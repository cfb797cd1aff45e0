"""Mediation transitions on a dispute: sessions, agreement, termination, extension, performance,
judicial confirmation, follow-up. Each runs through cases.transitions.perform with the dispute
workflow's transition table, so permission, locking and the timeline work as for every case."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines
from cases.models import Dispute
from cases.transitions import TransitionError, perform
from cases.workflow import TRANSITIONS
from mediation.models import (
    Agreement,
    AgreementForm,
    ConfirmationState,
    FollowUp,
    MediationSession,
    SessionOutcome,
)

# 人民调解法 §33 / 民事诉讼法 §205: both parties apply jointly within 30 days of the agreement taking effect.
CONFIRMATION_WINDOW_DAYS = 30
# One extension of the one-month mediation period, with both parties' consent (宁波 §27).
MAX_MEDIATION_EXTENSION_DAYS = 30


def _close(case, code, when=None):
    deadline = deadlines.open_deadline_of(case, code)
    if deadline:
        deadlines.close_deadline(deadline, when)


def record_session(dispute_id, actor, *, held_at, place, attendees, record, outcome, mediators=()):
    if held_at > timezone.now() + datetime.timedelta(hours=1):
        raise TransitionError(_("A session cannot be recorded before it is held."))

    def apply(d):
        session = MediationSession.objects.create(
            dispute=d, held_at=held_at, place=place, attendees=attendees, record=record,
            outcome=outcome, created_by=actor,
        )  # fmt: skip
        session.mediators.set(list(mediators) or [actor])
        return session

    return perform(
        TRANSITIONS["record_session"], Dispute, dispute_id, actor, apply,
        description=_("Mediation session recorded"), details={"outcome": outcome},
    )  # fmt: skip


def record_agreement(dispute_id, actor, *, form, terms, effective_date, **fields):
    """A written 调解协议书 or an oral agreement; opens performance, confirmation and follow-up."""
    if not terms.strip():
        raise TransitionError(_("Write down the agreed terms."))
    if effective_date > timezone.localdate():
        raise TransitionError(_("The effective date cannot be in the future."))

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
        _close(d, "mediation_period")
        if agreement.performance_due:
            deadlines.open_deadline(d, "performance", effective_date, due_date=agreement.performance_due)
        if form == AgreementForm.WRITTEN:
            deadlines.open_deadline(d, "judicial_confirmation", effective_date)
        deadlines.open_deadline(d, "follow_up", effective_date)
        return agreement

    return perform(
        TRANSITIONS["agree"], Dispute, dispute_id, actor, apply,
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
    "confirmation_applied_on", "confirmation_court", "confirmation_decided_on", "recorded_by",
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

    return perform(TRANSITIONS["remediate"], Dispute, dispute_id, actor, apply, details={"reason": reason})


def terminate(dispute_id, actor, *, route, reason):
    """调解终止: mediation failed; the parties are told which route remains (人民调解法 §26)."""
    if not route:
        raise TransitionError(_("Record the route the parties were told of."))

    def apply(d):
        d.termination_route = route
        _close(d, "mediation_period")
        deadlines.open_deadline(d, "follow_up", timezone.localdate())

    return perform(
        TRANSITIONS["terminate"], Dispute, dispute_id, actor, apply,
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
        TRANSITIONS["extend_mediation"], Dispute, dispute_id, actor, apply,
        details={"days": days, "consent": consent_note},
    )  # fmt: skip


def record_performance(dispute_id, actor, *, performed_on, note=""):
    if performed_on > timezone.localdate():
        raise TransitionError(_("The performance date cannot be in the future."))

    def apply(d):
        agreement = Agreement.objects.get(dispute=d)
        agreement.performed_on, agreement.performance_note = performed_on, note
        agreement.save(update_fields=["performed_on", "performance_note"])
        _close(d, "performance")

    return perform(
        TRANSITIONS["record_performance"], Dispute, dispute_id, actor, apply, details={"note": note}
    )


def apply_for_confirmation(dispute_id, actor, *, applied_on, court):
    def apply(d):
        agreement = Agreement.objects.get(dispute=d)
        if agreement.form != AgreementForm.WRITTEN:
            raise TransitionError(_("Only a written agreement can be judicially confirmed."))
        if agreement.confirmation_state != ConfirmationState.NONE:
            raise TransitionError(_("Judicial confirmation has already been applied for."))
        last_day = agreement.effective_date + datetime.timedelta(days=CONFIRMATION_WINDOW_DAYS)
        if applied_on > last_day:
            raise TransitionError(
                _("The 30-day window for judicial confirmation closed on %(date)s.")
                % {"date": last_day.strftime("%Y年%-m月%-d日")}
            )
        agreement.confirmation_state = ConfirmationState.APPLIED
        agreement.confirmation_applied_on, agreement.confirmation_court = applied_on, court
        agreement.save()
        _close(d, "judicial_confirmation")

    return perform(
        TRANSITIONS["confirmation"], Dispute, dispute_id, actor, apply,
        description=_("Judicial confirmation applied for"), details={"court": court},
    )  # fmt: skip


def decide_confirmation(dispute_id, actor, *, confirmed: bool, decided_on):
    def apply(d):
        agreement = Agreement.objects.get(dispute=d)
        if agreement.confirmation_state != ConfirmationState.APPLIED:
            raise TransitionError(_("No judicial confirmation is pending."))
        agreement.confirmation_state = ConfirmationState.CONFIRMED if confirmed else ConfirmationState.REFUSED
        agreement.confirmation_decided_on = decided_on
        agreement.save()

    return perform(
        TRANSITIONS["confirmation"], Dispute, dispute_id, actor, apply,
        description=(
            _("Court confirmed the agreement") if confirmed else _("Court refused to confirm the agreement")
        ),
    )  # fmt: skip


def record_follow_up(dispute_id, actor, *, date, method, satisfaction, performance="", new_risks=""):
    if date > timezone.localdate():
        raise TransitionError(_("A follow-up cannot be dated in the future."))

    def apply(d):
        FollowUp.objects.create(
            dispute=d, date=date, method=method, satisfaction=satisfaction, performance=performance,
            new_risks=new_risks, visitor=actor,
        )  # fmt: skip
        _close(d, "follow_up")

    return perform(
        TRANSITIONS["follow_up"], Dispute, dispute_id, actor, apply, details={"satisfaction": satisfaction}
    )


__all__ = [
    "SessionOutcome",
    "apply_for_confirmation",
    "decide_confirmation",
    "extend_mediation",
    "record_agreement",
    "record_follow_up",
    "record_performance",
    "record_session",
    "remediate",
    "terminate",
]
