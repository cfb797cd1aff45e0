"""The mediation steps offered on a dispute page (registered into cases.actions)."""

from django.utils.translation import gettext_lazy as _

from cases.actions import Action, register
from mediation import services
from mediation.forms import (
    AgreementInputForm,
    ConfirmationForm,
    ExtendForm,
    FollowUpForm,
    PerformanceForm,
    RemediateForm,
    SessionForm,
    TerminateForm,
)


def _agreement(pk, user, d):
    return services.record_agreement(pk, user, **{k: v for k, v in d.items() if v not in (None, "")})


def _confirmation(pk, user, d):
    if d["step"] == "apply":
        return services.apply_for_confirmation(pk, user, applied_on=d["date"], court=d["court"])
    return services.decide_confirmation(pk, user, confirmed=d["step"] == "confirmed", decided_on=d["date"])


def register_all():
    for action in [
        Action("record_session", SessionForm, lambda pk, u, d: services.record_session(pk, u, **d)),
        Action("agree", AgreementInputForm, _agreement),
        Action("terminate", TerminateForm, lambda pk, u, d: services.terminate(pk, u, **d),
               confirm=_("Terminate mediation? The parties are told to pursue the route you chose.")),
        Action("extend_mediation", ExtendForm, lambda pk, u, d: services.extend_mediation(pk, u, **d)),
        Action("remediate", RemediateForm, lambda pk, u, d: services.remediate(pk, u, reason=d["reason"])),
        Action("record_performance", PerformanceForm, lambda pk, u, d: services.record_performance(pk, u, **d)),
        Action("confirmation", ConfirmationForm, _confirmation),
        Action("follow_up", FollowUpForm, lambda pk, u, d: services.record_follow_up(pk, u, **d)),
    ]:  # fmt: skip
        register(action)
