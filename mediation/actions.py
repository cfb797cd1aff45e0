"""The steps offered on a dispute page, with their forms (registered into cases.actions)."""

from django.utils.translation import gettext_lazy as _

from cases.actions import Action, register
from cases.forms import PartyForm, party_values
from mediation import workflow
from mediation.forms import (
    AgreementInputForm,
    ArchiveForm,
    AssignForm,
    ConfirmationForm,
    EmptyForm,
    EscalateForm,
    ExtendForm,
    FollowUpForm,
    PerformanceForm,
    ReasonForm,
    ReferForm,
    RemediateForm,
    SessionForm,
    TerminateForm,
)


def _agreement(pk, user, d):
    return workflow.record_agreement(pk, user, **{k: v for k, v in d.items() if v not in (None, "")})


def _confirmation(pk, user, d):
    if d["step"] == "apply":
        return workflow.apply_for_confirmation(pk, user, applied_on=d["date"], court=d["court"])
    return workflow.decide_confirmation(pk, user, confirmed=d["step"] == "confirmed", decided_on=d["date"])


def register_all():
    for action in [
        Action("accept", EmptyForm, lambda pk, u, d: workflow.accept(pk, u)),
        Action("decline", ReasonForm, lambda pk, u, d: workflow.decline(pk, u, d["reason"]),
               confirm=_("Decline this dispute? The parties must be told why.")),
        Action("refer", ReferForm, lambda pk, u, d: workflow.refer(pk, u, d["referred_to"])),
        Action("assign", AssignForm, lambda pk, u, d: workflow.assign(pk, u, handler=d["handler"], unit=d["unit"]),
               form_needs_case=True),
        Action("start_mediation", EmptyForm, lambda pk, u, d: workflow.start_mediation(pk, u)),
        Action("escalate", EscalateForm, lambda pk, u, d: workflow.escalate(pk, u, unit=d["unit"], reason=d["reason"]),
               form_needs_case=True),
        Action("add_party", PartyForm, lambda pk, u, d: workflow.add_party(pk, u, role=d["role"], **party_values(d))),
        Action("archive", ArchiveForm, lambda pk, u, d: workflow.archive(pk, u, **d),
               confirm=_("Archive this dispute? It leaves the open lists.")),
        Action("reopen", ReasonForm, lambda pk, u, d: workflow.reopen(pk, u, d["reason"])),
        Action("record_session", SessionForm, lambda pk, u, d: workflow.record_session(pk, u, **d)),
        Action("agree", AgreementInputForm, _agreement),
        Action("terminate", TerminateForm, lambda pk, u, d: workflow.terminate(pk, u, **d),
               confirm=_("Terminate mediation? The parties are told to pursue the route you chose.")),
        Action("extend_mediation", ExtendForm, lambda pk, u, d: workflow.extend_mediation(pk, u, **d)),
        Action("remediate", RemediateForm, lambda pk, u, d: workflow.remediate(pk, u, reason=d["reason"])),
        Action("record_performance", PerformanceForm, lambda pk, u, d: workflow.record_performance(pk, u, **d)),
        Action("confirmation", ConfirmationForm, _confirmation),
        Action("follow_up", FollowUpForm, lambda pk, u, d: workflow.record_follow_up(pk, u, **d)),
    ]:  # fmt: skip
        register(action)
