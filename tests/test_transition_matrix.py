"""Every transition of both workflows × role × jurisdiction: a foreign user gets 404, a user
without one of the transition's roles gets 403, each listed role passes the checks."""

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import ALL_ROLES, STATISTICIAN
from cases.transitions import perform
from mediation.models import Dispute
from mediation.workflow import TRANSITIONS as DISPUTE_TRANSITIONS
from petitions.models import Petition
from petitions.workflow import TRANSITIONS as PETITION_TRANSITIONS
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db


class Reached(Exception):
    """Raised by the apply step: every check before it passed."""


def attempt(transition, model, pk, user):
    # Any state is accepted here so that only visibility and role decide; nothing is committed.
    anywhere = dataclasses.replace(transition, sources=_AllStates())

    def apply(case):
        raise Reached

    perform(anywhere, model, pk, user, apply)


class _AllStates(frozenset):
    def __contains__(self, item):
        return True


CASES = [
    (Dispute, DISPUTE_TRANSITIONS, lambda demo: new_dispute(demo["xianjin_mediator"]), "xianjin", "yangchun"),
    (
        Petition,
        PETITION_TRANSITIONS,
        lambda demo: new_petition(demo["zhuji_petition_clerk"]),
        "zhuji",
        "fengqiao",
    ),
]


@pytest.mark.parametrize("model,table,make,home,foreign", CASES, ids=["dispute", "petition"])
def test_every_transition_by_role_and_jurisdiction(demo, model, table, make, home, foreign):
    case = make(demo)
    cells = 0
    for transition in table.values():
        for role in ALL_ROLES:
            cells += 1
            user = demo[f"{home}_{role}"]
            if role in transition.roles:
                if role == "handler" and model is Petition:
                    continue  # a department handler sees a petition only once it is routed to it
                # A guarded step also needs the viewer's relation to the case (the unit holding a
                # petition, the receiving unit, the sending office, the reviewing body): else a refusal.
                expected = Reached if transition.fits(case, user) else PermissionDenied
                with pytest.raises(expected):
                    attempt(transition, model, case.pk, user)
            elif user.unit.covers_region:
                with pytest.raises(PermissionDenied):
                    attempt(transition, model, case.pk, user)
            outsider = demo[f"{foreign}_{role}"]
            with pytest.raises(Http404):
                attempt(transition, model, case.pk, outsider)
        with pytest.raises(PermissionDenied):
            attempt(transition, model, case.pk, demo[f"{home}_{STATISTICIAN}"])
    assert cells == len(table) * len(ALL_ROLES)
    assert model.objects.get(pk=case.pk).timeline.count() == 1  # only the registration
