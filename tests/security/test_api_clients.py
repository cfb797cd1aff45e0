"""The access matrix's client side: every API endpoint × client scopes. A client runs as the
service user of its unit, so what it sees is the unit's view (tests/security/test_access_matrix.py
covers roles and places through sessions); here a token without an endpoint's scope is refused
(403, nothing written), a read-only client can neither take in work orders nor take steps, and a
case outside the client's unit is 404 and never named in any answer."""

import pytest

from accounts import roles
from accounts.demo import TOWNS, VILLAGES
from cases.models import Case, TimelineEntry
from tests.api.helpers import bearer, map_category, service_client, token_for
from tests.api.test_intake import order
from tests.dispute_helpers import new_dispute
from tests.petitions.helpers import new_petition
from tests.security.matrix import walk

pytestmark = pytest.mark.django_db
SCOPE_SETS = ("", "read", "intake", "workflow", "read intake workflow")
# What each endpoint needs; the schema's security requirement says the same (api.schema).
NEEDS = {"api:intake": "intake", "api:dispute_step": "workflow", "api:petition_step": "workflow"}
OPEN = {"api:token", "api:revoke", "api:schema", "api:docs"}  # no token needed


@pytest.fixture
def world(demo):
    map_category()
    own = new_dispute(demo["xianjin_mediator"], summary="本镇排水纠纷")
    foreign = new_dispute(demo["zhuji_mediator"], village="jiangdong", summary="外镇秘密纠纷甲")
    own_p = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["fengqiao"])
    foreign_p = new_petition(demo["zhuji_petition_clerk"], region=TOWNS["jiyang"], summary="外镇秘密信访乙")
    unit = demo["fengqiao_supervisor"].unit
    held = (roles.SUPERVISOR, roles.GRID_WORKER, roles.STATISTICIAN)
    clients = {
        s: service_client(unit, system=f"c{i}", scopes=s, role_names=held) for i, s in enumerate(SCOPE_SETS)
    }
    secrets = [foreign.number, foreign.summary, foreign_p.number, foreign_p.summary]
    return {"own": own, "foreign": foreign, "own_p": own_p, "foreign_p": foreign_p, "clients": clients,
            "secrets": secrets}  # fmt: skip


def _calls(w):
    """(name, method, url, body, foreign) for every API endpoint with a token."""
    own, foreign, own_p, foreign_p = w["own"], w["foreign"], w["own_p"], w["foreign_p"]
    yield "api:disputes", "GET", "/api/v1/disputes/", None, False
    yield "api:petitions", "GET", "/api/v1/petitions/", None, False
    yield "api:orders", "GET", "/api/v1/orders/", None, False
    yield "api:warnings", "GET", "/api/v1/warnings/", None, False
    yield "api:warning", "GET", "/api/v1/warnings/987654/", None, True
    yield "api:order", "GET", "/api/v1/orders/987654/", None, True
    yield "api:statistics", "GET", f"/api/v1/statistics/mediation/?region={TOWNS['fengqiao']}", None, False
    yield "api:statistics", "GET", f"/api/v1/statistics/petitions/?region={TOWNS['jiyang']}", None, True
    for case, foreign_case, kind in ((own, foreign, "dispute"), (own_p, foreign_p, "petition")):
        for pk, is_foreign in ((case.pk, False), (foreign_case.pk, True)):
            yield f"api:{kind}", "GET", f"/api/v1/{kind}s/{pk}/", None, is_foreign
            yield "api:deadlines", "GET", f"/api/v1/cases/{pk}/deadlines/", None, is_foreign
            yield "api:timeline", "GET", f"/api/v1/cases/{pk}/timeline/", None, is_foreign
            yield f"api:{kind}_step", "POST", f"/api/v1/{kind}s/{pk}/steps/accept/", {}, is_foreign
    yield "api:intake", "POST", "/api/v1/intake/", order(region=VILLAGES["xianjin"]), False
    yield (
        "api:intake",
        "POST",
        "/api/v1/intake/",
        order(external_id="far", region=VILLAGES["jiangdong"]),
        True,
    )


def test_every_api_endpoint_by_client_scope(world):
    names = {name for _route, name, _p in walk() if name and name.startswith("api:")}
    covered = {call[0] for call in _calls(world)}
    assert names - OPEN == covered, f"API endpoints without a client-scope case: {names - OPEN - covered}"
    problems, cells = [], 0
    for scopes, client in world["clients"].items():
        http = bearer(token_for(client))
        for name, method, url, body, foreign in _calls(world):
            before = (Case.objects.count(), TimelineEntry.objects.count())
            if method == "GET":
                answer = http.get(url)
            else:
                answer = http.post(url, body, content_type="application/json")
            cells += 1
            text = answer.content.decode()
            need = NEEDS.get(name, "read")
            label = f"[{scopes or '-'}] {method} {url}"
            leaked = [s for s in world["secrets"] if s and s in text]
            if leaked:
                problems.append(f"LEAK {label}: {leaked}")
            if need not in scopes.split():
                if answer.status_code != 403 or "scope" not in text and "权限范围" not in text:
                    problems.append(f"{label}: got {answer.status_code}, expected 403 for the scope")
                if (Case.objects.count(), TimelineEntry.objects.count()) != before:
                    problems.append(f"{label}: refused, yet something was written")
                continue
            if foreign:
                expected = {400} if name in ("api:intake", "api:statistics") else {404}
            elif name in ("api:dispute_step", "api:petition_step"):
                # Past the scope, the step's own declaration decides (role, relation, state), as on
                # the action page: the first client accepts, the others meet the new state (409),
                # a petition held by another unit is its step (403).
                expected = {200, 403, 409}
                if "权限范围" in text:
                    problems.append(f"{label}: refused for a scope it has")
            elif method == "POST":
                expected = {200, 201}
            else:
                expected = {200}
            if answer.status_code not in expected:
                problems.append(
                    f"{label}: got {answer.status_code}, expected {sorted(expected)}: {text[:150]}"
                )
    print(f"\nAPI client scopes: {cells} cells, {len([p for p in problems if p.startswith('LEAK')])} leaks")
    assert not problems, "\n".join(problems)
