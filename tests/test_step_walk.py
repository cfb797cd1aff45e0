"""What the case page shows equals what is allowed, for every state × role × relation to the case.

Both case types are walked to every state of their workflow (tests/security/states.py) and looked
at by people standing in every relation to the case: the handling unit, the sending office, the
receiving department, the unit above, a unit beside, a place outside, and each role there. For
each of them:
  - a case they may not see answers 404 on its page, every action page and every document;
  - every step's button is on the page exactly when its action page is on offer (200); a step
    that is not answers 403 (role, or another unit's step) or 409 (not in this state) — the page
    and the refusal come from one declaration (cases.transitions.Step);
  - a document is linked exactly when it exists: a document linked in some state answers 200 where
    it is linked and never 200 where it is not.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from mediation.workflow import TRANSITIONS as DISPUTE_STEPS
from petitions.workflow import TRANSITIONS as PETITION_STEPS
from tests.security.states import dispute_states, petition_states

pytestmark = pytest.mark.django_db

# Relation to the case -> demo user. Disputes are of 先进村, handled by its mediation committee;
# petitions are of the county, registered by the county bureau and sent to the labour department.
DISPUTE_VIEWERS = {
    "handling committee": "xianjin_mediator",
    "village centre, supervisor": "xianjin_supervisor",
    "village centre, grid worker": "xianjin_grid_worker",
    "village centre, clerk": "xianjin_petition_clerk",
    "village centre, statistician": "xianjin_statistician",
    "town above, supervisor": "fengqiao_supervisor",
    "town above, mediator": "fengqiao_mediator",
    "county, supervisor": "zhuji_supervisor",
    "county department": "zhuji_handler",
    "village beside": "yangchun_mediator",
    "labour committee (routed, joint)": "laodong_mediator",
    "other town": "jiyang_supervisor",
}
PETITION_VIEWERS = {
    "sending bureau, clerk": "zhuji_petition_clerk",
    "sending bureau, statistician": "zhuji_statistician",
    "receiving department": "zhuji_handler",
    "county centre, supervisor": "zhuji_supervisor",
    "county committee, mediator": "zhuji_mediator",
    "town below, supervisor": "fengqiao_supervisor",
    "town below, clerk": "fengqiao_petition_clerk",
    "village below, mediator": "xianjin_mediator",
}


def walk(demo, kind):
    if kind == "dispute":
        cases = dispute_states(demo["xianjin_mediator"])
        steps, viewers, prefix = DISPUTE_STEPS, DISPUTE_VIEWERS, "disputes"
    else:
        cases = petition_states(demo["zhuji_petition_clerk"], demo["zhuji_handler"])
        steps, viewers, prefix = PETITION_STEPS, PETITION_VIEWERS, "petitions"
    clients = {}
    for relation, username in viewers.items():
        clients[relation] = Client()
        clients[relation].force_login(demo[username])
    pages = {}  # (state, relation) -> (shown steps, linked documents) or None (404)
    for state, pk in cases.items():
        for relation, username in viewers.items():
            client, user = clients[relation], demo[username]
            page = client.get(reverse(f"{prefix}:detail", args=[pk]))
            if page.status_code == 404:
                pages[state, relation] = None
                for name in steps:
                    url = reverse(f"{prefix}:action", args=[pk, name])
                    assert client.get(url).status_code == 404, (state, relation, name)
                continue
            assert page.status_code == 200, (state, relation)
            html = page.content.decode()
            shown = set(re.findall(rf'href="/{prefix}/{pk}/([a-z_]+)/"', html)) - {"file"}
            linked = set(re.findall(rf'href="/{prefix}/{pk}/pdf/([a-z_-]+)/"', html))
            pages[state, relation] = (shown, linked)
            for name, step in steps.items():
                if step.form_class is None or not step.permits(user):
                    assert name not in shown, f"{state}: {relation} is shown “{name}” without the role"
                    continue
                status = client.get(reverse(f"{prefix}:action", args=[pk, name])).status_code
                assert (name in shown) == (status == 200), (
                    f"{state}: {relation}, {name}: shown={name in shown}, {status}"
                )
                assert status in (200, 403, 409), (state, relation, name, status)
    # Documents: every one linked somewhere answers 200 where linked and never where it is not.
    every_document = {doc for seen in pages.values() if seen for doc in seen[1]}
    assert every_document, "no document is linked in any state"
    checked = set()
    for (state, relation), seen in pages.items():
        pk = cases[state]
        client = clients[relation]
        for doc in every_document:
            url = reverse(f"{prefix}:pdf", args=[pk, doc])
            if seen is None:
                assert client.get(url).status_code == 404, (state, relation, doc)
            elif doc not in seen[1]:
                assert client.get(url).status_code != 200, f"{state}: {relation} gets “{doc}” unlinked"
            elif doc not in checked:  # rendering a PDF is slow: each document once
                checked.add(doc)
                response = client.get(url)
                assert response.status_code == 200 and response["Content-Type"] == "application/pdf", (
                    state,
                    doc,
                )
    return pages


@pytest.mark.parametrize("kind", ["dispute", "petition"])
def test_what_the_page_shows_is_what_is_allowed(demo, kind):
    pages = walk(demo, kind)
    # The walk saw each state from several relations, some of them refused the case altogether.
    assert any(seen is None for seen in pages.values())
    assert sum(1 for seen in pages.values() if seen and seen[0]) >= len({s for s, _r in pages})
