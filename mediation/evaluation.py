"""The party's own evaluation of a concluded dispute (满意 / 基本满意 / 不满意), given online through
the public channel (app ``public``), performed for the party by ``perform_for_party``.

Its step is declared here and not in the staff table (mediation.workflow.TRANSITIONS): every step of
that table is a form on the case page, and no staff member gives the party's evaluation (the
follow-up's satisfaction, 回访, is the staff's own record). ``perform`` refuses it to a mediator."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from cases.transitions import TransitionError, perform_for_party, step
from mediation.models import Agreement, Dispute, DisputeEvaluation, DisputeStatus

S = DisputeStatus
# Concluded: an agreement recorded (agreed and after) or the mediation terminated (§26), archived
# included; a dispute archived after being declined or referred was never mediated.
EVALUABLE = frozenset({S.AGREED, S.PERFORMED, S.FOLLOWED_UP, S.TERMINATED, S.ARCHIVED})

EVALUATE = step("evaluate", _l("the party's evaluation"), EVALUABLE, None, {roles.SUPERVISOR})


def concluded(dispute) -> bool:
    if dispute.status not in EVALUABLE:
        return False
    return bool(dispute.termination_route) or Agreement.objects.filter(dispute=dispute).exists()


def may_evaluate(dispute, way) -> bool:
    """Once per way, after the dispute was concluded."""
    return concluded(dispute) and not dispute.evaluations.filter(way=way).exists()


def evaluate(dispute_id, *, value, given_on, way):
    """Record the party's evaluation, with its timeline entry (actor none: the party)."""

    def apply(d):
        if not may_evaluate(d, way):
            raise TransitionError(_("This case cannot be evaluated now."))
        return DisputeEvaluation.objects.create(dispute=d, value=value, given_on=given_on, way=way)

    return perform_for_party(EVALUATE, Dispute, dispute_id, apply, details={"value": value})
