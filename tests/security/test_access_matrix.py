"""Access matrix (reliability.md §1 row 1): every URL in the URLconf × every role at village, town
and county level × objects in the user's own village, a sibling village, the parent town, another
town, another county, a case granted (交办) to the user's unit and accusations withheld from the
accused unit; GET and POST (with a CSRF-enforcing client; every POST is also sent without a token).

A foreign object answers 404 exactly like a missing one, a missing role 403, an anonymous user a
redirect to sign in. No response to a user who may not see a case contains its number, summary or
a party's name, ID number or phone — on any page, allowed or denied. Lists and exports show
exactly the cases of the table. The figures go to var/security/matrix.json for SECURITY.md.
"""

import json
import logging
import os
import time
from datetime import date
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from accounts.demo import COUNTY
from accounts.models import Region, Unit, User
from cases.models import Case
from reporting.models import AnalysisReport, AnalysisReportStatus
from tests.security.expectations import (
    ADMIN_MODELS,
    ADMIN_SITE_VIEWS,
    ADMIN_SKIPPED,
    CASE_VISIBLE,
    GRID_VISIBLE,
    JOB_VISIBLE,
    ORDER_VISIBLE,
    REGION_VISIBLE,
    REPORT_OWNERS,
    STAFF,
    VIEWERS,
    WARNING_VISIBLE,
    url_specs,
)
from tests.security.matrix import Tally, admin_key, make_client, outcome, request, text_of, walk
from tests.security.world import OTHER_COUNTY, build_world

pytestmark = pytest.mark.django_db
REPORT = Path(__file__).resolve().parents[2] / "var" / "security" / "matrix.json"
KINDS = ("dispute", "petition")
# Places where every action name and document is tried: a case the village sees, one it sees only
# through a grant (交办), and an accusation withheld from the village centre.
FULL_PLACES = ("own_village", "granted", "accused")
# MATRIX_ONLY=disputes: run the cells of URL names starting with it (while working on one area;
# the figures in SECURITY.md come from a full run).
ONLY = os.environ.get("MATRIX_ONLY", "")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end."""
    media = tmp_path_factory.mktemp("matrix-media")
    # Signed-cookie sessions spare two queries per request; sessions themselves are not under test.
    quick = {"MEDIA_ROOT": str(media), "SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"}
    with django_db_blocker.unblock(), override_settings(**quick), transaction.atomic():
        users, targets, jobs = build_world()
        clients = {None: make_client()} | {name: make_client(users[name]) for name in VIEWERS}
        yield {"users": users, "targets": targets, "jobs": jobs, "clients": clients}
        transaction.set_rollback(True)


def test_every_url_pattern_is_classified():
    specs = url_specs()
    unknown, seen = [], set()
    for route, name, _pattern in walk():
        if name in specs:
            seen.add(name)
            continue
        if route.startswith("admin/"):
            key = admin_key(route, name, ADMIN_MODELS)
            if key and (key[0] == "model" or key[1] in ADMIN_SITE_VIEWS or key[1] in ADMIN_SKIPPED):
                continue
        unknown.append(f"{route} ({name})")
    assert not unknown, "URL patterns missing from tests/security/expectations.py: " + ", ".join(unknown)
    assert set(specs) == seen, f"expectations for URLs that no longer exist: {set(specs) - seen}"


def _sampled(spec, variant, place):
    """Whether a cell is run. An action name or document is a parameter of one view: every value is
    tried by every viewer on the places in FULL_PLACES; elsewhere the first and last values stand
    for the rest (the visibility check comes before the view looks at the parameter)."""
    if len(spec.variants) <= 2 or place in (spec.full_places or FULL_PLACES):
        return True
    return variant in (spec.variants[0], spec.variants[-1])


def _query(*parts):
    text = "".join(parts).lstrip("?&")
    return "?" + text if text else ""


def _role(viewer):
    return viewer.split("_", 1)[1]


def _hidden(targets, viewer):
    """Every string of every case and early warning this viewer may not see."""
    cases = [
        s
        for place, target in targets.items()
        if viewer not in CASE_VISIBLE[place]
        for kind in KINDS
        for s in target.secrets[kind]
    ]
    warnings = [t.warning.title for p, t in targets.items() if viewer not in WARNING_VISIBLE[p]]
    return cases + warnings


def _no_csrf(spec, viewer):
    """A POST without the CSRF token: refused (403), but where the spec says otherwise (an API's
    anonymous caller is 401 before any CSRF check; the OAuth2 endpoints take no session)."""
    if spec.no_csrf is not None and (viewer is None or spec.public):
        return spec.no_csrf
    return {403}


class Matrix:
    def __init__(self, world):
        self.world, self.tally = world, Tally()
        self.hidden = {v: _hidden(world["targets"], v) for v in [None, *VIEWERS]}

    def cell(self, viewer, method, url, name, expected, *, fresh=False, token=True):
        client = make_client(self.world["users"][viewer] if viewer else None) if fresh else None
        started = time.perf_counter()
        response = request(client or self.world["clients"][viewer], method, url, name, token=token)
        self.tally.seconds[name] = self.tally.seconds.get(name, 0) + time.perf_counter() - started
        got = outcome(response)
        self.tally.count(got)
        label = f"{viewer or 'anonymous'} {method} {url}"
        if got not in expected:
            self.tally.wrong.append(f"{label}: got {got}, expected {sorted(map(str, expected))}")
        text = (
            text_of(response)
            if got == 200 or method == "GET"
            else response.content.decode("utf-8", "replace")
        )
        leaked = [s for s in self.hidden[viewer] if s and s in text]
        if leaked:
            self.tally.leaks.append(f"{label}: {leaked[:3]}")
        return got, text

    def listing(self, viewer, spec, text, got):
        """One cell per place and kind: listed iff the table says the viewer sees it."""
        if spec.listing == "grid":
            for place, visible_to in GRID_VISIBLE.items():
                self.tally.count("listing")
                should = got == 200 and viewer in visible_to
                if should != (self.world["targets"][place].grid.name in text):
                    self.tally.wrong.append(f"{viewer} grid list, {place}: shown={not should}")
            return
        if spec.listing == "warning":
            for place, target in self.world["targets"].items():
                self.tally.count("listing")
                should = got == 200 and viewer in WARNING_VISIBLE[place]
                if should != (target.warning.title in text):
                    self.tally.wrong.append(f"{viewer} warning list, {place}: shown={not should}")
            return
        visible = ORDER_VISIBLE if spec.listing == "order" else CASE_VISIBLE
        kinds = KINDS if spec.listing in ("case", "order") else (spec.listing,)
        for place, target in self.world["targets"].items():
            for kind in kinds:
                self.tally.count("listing")
                should = got == 200 and viewer in visible[place]
                shown = target.case(kind).number in text
                if should != shown:
                    self.tally.wrong.append(f"{viewer} {spec.listing} list, {place}/{kind}: shown={shown}")

    def expected(self, spec, variant, viewer, method, visible=True):
        if viewer is None:
            return spec.ok[method] if spec.public else (spec.anonymous or {"login"})
        role_ok = _role(viewer) in (variant.roles & spec.roles)
        if spec.foreign is not None:  # the role is checked first, then the object
            if not role_ok:
                return {403}
            if not visible:
                return spec.foreign[method]
            return {403} if spec.late_roles and _role(viewer) not in spec.late_roles else spec.ok[method]
        if not visible:
            return {404}
        if not role_ok:
            return {403}
        return {404} if variant.absent else spec.ok[method]

    def step_expected(self, name, variant, pk, viewer, method, expected):
        """A visible case and an allowed role: the step's own declaration then says whether its page
        is on offer — another unit's step is refused (403), a step not open in the case's state says
        so (GET 409; a POST re-shows the form with the reason). tests/test_step_walk.py proves the
        buttons agree with these answers; the matrix's own subject stays who sees what."""
        model, workflow = STEP_PAGES[name]
        step = workflow[variant.kwargs.get("action") or variant.kwargs["step"]]
        case, user = model.objects.get(pk=pk), self.world["users"][viewer]
        if name.startswith("api:"):
            # The API runs Step.check as it is: the state (409) before the relation (403).
            if not step.allows(case.status):
                return {409}
            return {403} if not step.fits(case, user) else expected
        if not step.fits(case, user):
            return {403}
        if method == "GET" and not step.allows(case.status):
            return {409}
        return expected

    def objects(self, spec):
        """(url kwargs, query string, visible-to set) for each object of a spec's target."""
        if spec.target == "job":
            for owner, job in self.world["jobs"].items():
                yield {"pk": job.pk}, "", JOB_VISIBLE[owner], owner
            return
        if spec.target == "report":
            for owner in REPORT_OWNERS:
                user = self.world["users"][owner]
                report = AnalysisReport.objects.create(
                    owner=user, unit_id=user.unit_id, region_id=user.unit.region_id, start=date(2026, 10, 1),
                    end=date(2026, 10, 31), status=AnalysisReportStatus.DONE, pdf=b"%PDF-1.4 matrix",
                )  # fmt: skip
                yield {"pk": report.pk}, "", {owner}, owner
            return
        if spec.target == "warning":
            for place, target in self.world["targets"].items():
                yield {"pk": target.warning.pk}, "", WARNING_VISIBLE[place], place
            return
        if spec.target in ("grid", "inspection", "village"):
            for place, visible_to in GRID_VISIBLE.items():
                target = self.world["targets"][place]
                kwargs = {"grid": {"pk": target.grid.pk}, "inspection": {"pk": target.inspection.pk},
                          "village": {"code": target.grid.region_id}}[spec.target]  # fmt: skip
                yield kwargs, "", visible_to, place
            return
        if spec.target == "region":
            for place, visible_to in REGION_VISIBLE.items():
                region = self.world["targets"][place].dispute.region_id
                yield {}, f"?region={region}", visible_to, place
            return
        for place, target in self.world["targets"].items():
            for kind in KINDS if spec.target in ("case", "attachment", "order") else (spec.target,):
                case = target.case(kind)
                if spec.target == "order":
                    yield {"order_id": target.orders[kind].pk}, "", ORDER_VISIBLE[place], place
                elif spec.target == "attachment":
                    kwargs = {"pk": case.pk, "attachment_id": target.attachments[kind].pk}
                    yield kwargs, "", CASE_VISIBLE[place], place
                else:
                    yield {"pk": case.pk}, "", CASE_VISIBLE[place], place

    def run_site(self, part: str = ""):
        for name, spec in url_specs().items():
            if ONLY and not name.startswith(ONLY):
                continue
            if part and part_of(name) != part:
                continue
            for variant in spec.variants:
                for method in spec.methods:
                    if spec.target is None:
                        url = reverse(name, kwargs=variant.kwargs) + _query(spec.query, variant.query)
                        for viewer in [None, *VIEWERS]:
                            expected = self.expected(spec, variant, viewer, method)
                            got, text = self.cell(viewer, method, url, name, expected, fresh=spec.own_client)
                            if spec.listing and viewer:
                                self.listing(viewer, spec, text, got)
                            if method == "POST":
                                self.cell(
                                    viewer, method, url, name, _no_csrf(spec, viewer),
                                    fresh=spec.own_client, token=False,
                                )  # fmt: skip
                        continue
                    for index, (kwargs, query, visible_to, place) in enumerate(self.objects(spec)):
                        if not _sampled(spec, variant, place):
                            continue
                        url = reverse(name, kwargs={**kwargs, **variant.kwargs})
                        url += _query(query, spec.query, variant.query)
                        for viewer in [None, *VIEWERS]:
                            expected = self.expected(spec, variant, viewer, method, viewer in visible_to)
                            if name in STEP_PAGES and expected == spec.ok[method]:
                                expected = self.step_expected(
                                    name, variant, kwargs["pk"], viewer, method, expected
                                )
                            if spec.heavy and place not in FULL_PLACES and 200 in expected:
                                continue  # a PDF render; the same render is checked on FULL_PLACES
                            self.cell(viewer, method, url, name, expected)
                            if method == "POST" and index == 0:
                                self.cell(viewer, method, url, name, _no_csrf(spec, viewer), token=False)

    def admin_objects(self, label):
        """(object id, inside the administrator's admin queryset) for an admin model."""
        targets, users = self.world["targets"], self.world["users"]
        if label == "cases.case":
            return [
                (t.case(k).pk, "zhuji_administrator" in CASE_VISIBLE[place])
                for place, t in targets.items()
                for k in KINDS
            ]
        if label == "accounts.user":
            outsider = User.objects.get(username="outside_supervisor").pk
            return [(users["zhuji_mediator"].pk, True), (outsider, False)]
        if label == "accounts.unit":
            own = Unit.objects.get(region_id=COUNTY, name="诸暨市综治中心").pk
            return [(own, True), (Unit.objects.get(name="外县综治中心").pk, False)]
        if label == "accounts.region":
            return [(COUNTY, True), (Region.objects.get(code=OTHER_COUNTY["county"]).pk, False)]
        from django.apps import apps

        first = apps.get_model(label).objects.order_by("pk").first()
        return [(first.pk, True)] if first else [(987654321, False)]

    def admin_expected(self, viewer, key, in_scope):
        if viewer not in STAFF:
            return {"admin_login"}
        if key[0] == "site":
            if key[1] == "admin:app_list" and not in_scope:
                return {404}
            return ADMIN_SITE_VIEWS[key[1]]
        _kind, label, view = key
        perms = ADMIN_MODELS[label]
        if view == "redirect":
            return {302}
        needs = {
            "changelist": "vc",
            "add": "a",
            "change": "vc",
            "history": "vc",
            "delete": "d",
            "password": "c",
            "disable": "c",  # accounts.admin: disabling an account changes it
            "enter": "a",  # cases.admin: a whole year's holidays at once adds days
        }
        allowed = bool(set(needs[view]) & set(perms))
        if view in ("changelist", "add", "enter"):
            return {200} if allowed else {403}
        if view == "history":
            # Django's history view looks the object up before the permission: outside the admin
            # queryset it says "not found", like for a missing object; inside, 403.
            return ({200} if allowed else {403}) if in_scope else {"admin_index"}
        if not allowed:
            return {403}
        if in_scope:
            return {200}
        return {404} if view == "password" else {"admin_index"}

    def run_admin(self):
        case_type = ContentType.objects.get_for_model(Case).pk
        for route, name, _p in walk():
            key = admin_key(route, name, ADMIN_MODELS) if route.startswith("admin/") else None
            if key is None or name in ADMIN_SKIPPED:
                continue
            for url, in_scope in self.admin_urls(key, name, case_type):
                for viewer in [None, *VIEWERS]:
                    expected = self.admin_expected(viewer, key, in_scope)
                    if name == "admin:login" and viewer not in STAFF:
                        expected = {200}  # the sign-in form, also to a signed-in non-staff user
                    self.cell(viewer, "GET", url, name, expected)

    def admin_urls(self, key, name, case_type):
        if key[0] == "site":
            if key[1] == "admin:catch_all":
                return [("/admin/no-such-page/", True)]
            if key[1] == "admin:app_list":
                usable = {}
                for label, perms in ADMIN_MODELS.items():
                    app = label.split(".")[0]
                    usable[app] = usable.get(app, False) or bool(perms)
                return [(reverse(name, kwargs={"app_label": a}), ok) for a, ok in sorted(usable.items())]
            if key[1] == "admin:view_on_site":
                return [
                    (reverse(name, kwargs={"content_type_id": case_type, "object_id": t.case(k).pk}), True)
                    for t in self.world["targets"].values()
                    for k in KINDS
                ]
            return [(reverse(name), True)]
        _kind, label, view = key
        app, model = label.split(".")
        if view in ("changelist", "add", "enter"):
            return [(reverse(name), True)]
        objects = self.admin_objects(label)
        if view == "redirect":
            return [(f"/admin/{app}/{model}/{pk}/", scope) for pk, scope in objects]
        if view == "password":
            return [(reverse(name, args=[pk]), scope) for pk, scope in objects]
        return [(reverse(name, kwargs={"object_id": pk}), scope) for pk, scope in objects]


def _step_pages():
    from analysis.models import EarlyWarning
    from analysis.workflow import TRANSITIONS as WARNING_STEPS
    from mediation.models import Dispute
    from mediation.workflow import TRANSITIONS as DISPUTE_STEPS
    from petitions.models import Petition
    from petitions.workflow import TRANSITIONS as PETITION_STEPS

    return {
        "disputes:action": (Dispute, DISPUTE_STEPS),
        "petitions:action": (Petition, PETITION_STEPS),
        "api:dispute_step": (Dispute, DISPUTE_STEPS),
        "api:petition_step": (Petition, PETITION_STEPS),
        "analysis:action": (EarlyWarning, WARNING_STEPS),
    }


STEP_PAGES = _step_pages()

# The matrix in parts that can run side by side (pytest-xdist): the site's URLs by case type, the
# API, the rest of the site, the admin site. Each part walks every viewer and place over its URLs.
PARTS = ("disputes", "petitions", "api", "site", "admin")


def part_of(name: str) -> str:
    prefix = name.split(":", 1)[0]
    return prefix if prefix in ("disputes", "petitions", "api") else "site"


@pytest.mark.parametrize("part", PARTS)
def test_access_matrix(world, capsys, part):
    matrix = Matrix(world)
    # Every 403/404 would log a warning with a traceback: tens of thousands of them cost minutes.
    quiet = [logging.getLogger(n) for n in ("django.request", "django.security.csrf", "weasyprint")]
    for logger in quiet:
        logger.disabled = True
    try:
        if part != "admin":
            matrix.run_site(part)
        elif not ONLY or ONLY.startswith("admin"):
            matrix.run_admin()
    finally:
        for logger in quiet:
            logger.disabled = False
    tally = matrix.tally
    report = REPORT.with_name(f"matrix-{part}.json")
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        json.dumps(
            {
                "cells": tally.cells,
                "leaks": len(tally.leaks),
                "wrong": len(tally.wrong),
                "by_outcome": tally.by_outcome,
            },
            indent=1,
        )
    )
    with capsys.disabled():
        print(
            f"\naccess matrix, {part}: {tally.cells} cells, {len(tally.leaks)} leaks, {len(tally.wrong)} wrong {tally.by_outcome}"
        )
        slowest = sorted(tally.seconds.items(), key=lambda kv: -kv[1])[:8]
        print("slowest URLs (s):", ", ".join(f"{k} {v:.1f}" for k, v in slowest))
    problems = [f"LEAK {x}" for x in tally.leaks] + [f"WRONG {x}" for x in tally.wrong]
    assert not problems, f"{len(tally.leaks)} leaks, {len(tally.wrong)} unexpected:\n" + "\n".join(
        problems[:80]
    )
    assert ONLY or tally.cells >= 500
