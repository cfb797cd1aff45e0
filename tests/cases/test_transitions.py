"""Each workflow step is declared once (cases.transitions.Step); that declaration draws the buttons on
the case page and refuses the POST of anyone it does not name."""

import pytest
from django.urls import reverse

from accounts.roles import ALL_ROLES
from mediation.workflow import TRANSITIONS as DISPUTE_STEPS
from petitions.workflow import TRANSITIONS as PETITION_STEPS
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition

pytestmark = pytest.mark.django_db

WORKFLOWS = {"dispute": DISPUTE_STEPS, "petition": PETITION_STEPS}


@pytest.mark.parametrize("kind", WORKFLOWS)
def test_every_step_declares_its_label_roles_states_form_and_run(kind):
    for name, step in WORKFLOWS[kind].items():
        assert step.name == name and str(step.label) and step.sources and step.roles, name
        assert step.form_class is not None and callable(step.run), name


CASES = {
    "dispute": (lambda demo: new_dispute(demo["xianjin_mediator"]), "xianjin", "disputes"),
    "petition": (lambda demo: new_petition(demo["zhuji_petition_clerk"]), "zhuji", "petitions"),
}


@pytest.mark.parametrize("kind", CASES)
def test_the_page_offers_exactly_the_declared_steps_for_each_role(client, demo, kind):
    make, home, namespace = CASES[kind]
    case = make(demo)
    checked = 0
    for role in ALL_ROLES:
        user = demo[f"{home}_{role}"]
        client.force_login(user)
        response = client.get(reverse(f"{namespace}:detail", args=[case.pk]))
        if response.status_code == 404:  # a role whose unit does not see the case here
            continue
        checked += 1
        page = response.content.decode()
        shown = {
            n
            for n in WORKFLOWS[kind]
            if f'href="{reverse(f"{namespace}:action", args=[case.pk, n])}"' in page
        }
        # A guarded step also needs the viewer's relation to the case (the unit holding a petition).
        declared = {
            s.name
            for s in WORKFLOWS[kind].values()
            if s.allows(case.status) and s.permits(user) and s.fits(case, user)
        }
        assert shown == declared, (role, shown ^ declared)
    assert checked >= 3


@pytest.mark.parametrize("kind", CASES)
def test_a_post_by_a_role_the_step_does_not_name_is_refused(client, demo, kind):
    make, home, namespace = CASES[kind]
    case = make(demo)
    refused = 0
    for name, step in WORKFLOWS[kind].items():
        for role in ALL_ROLES:
            user = demo[f"{home}_{role}"]
            if step.permits(user):
                continue
            client.force_login(user)
            response = client.post(reverse(f"{namespace}:action", args=[case.pk, name]), {})
            # 404 for a role whose unit does not see the case at all (the scoping rule comes first)
            assert response.status_code in (403, 404), (name, role, response.status_code)
            refused += response.status_code == 403
    assert refused > 0
