"""Out-of-range input, found by construction (issue 14): hypothesis over every URL parameter of the
URLconf, every query key a page reads and every number, id and date field of every form the site
shows.

Nothing is listed by hand: URL patterns come from walking the URLconf (the access matrix's walk and
table); query keys from recording what each page reads from ``request.GET`` while it answers the
links and filter forms that lead to it; forms from reading, as a browser does, the pages of a case
in every status of both workflows and the action pages they link to. Values come from
hostile_values.py: integers around every database limit in any digit script, characters that
``isdigit()`` takes and ``int()`` refuses, dates at the edges of what a date holds, years 0-100000.
One example changes one key (or every key of one shape at once); everything else is what the page
offered, so the changed value reaches its parser. No answer may be a 500; a form shown again
states every error in Chinese; a form that accepts a value is followed to the page it leads to.

Examples per key: HOSTILE_EXAMPLES (default 1: about 410 requests, 36 s for the file on the shared
2-core machine; each run draws new values. SECURITY.md quotes a run with 6). Requests, time and 500s
go to var/security/bounds.json.
"""

import datetime
import json
import os
import re
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, find, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from accounts.models import User
from reporting.models import AnalysisReport, AnalysisReportStatus
from supervision.models import Notification
from tests.security.bounds_probe import Tally, changes, discover_forms, form_kinds, keys_read, survey
from tests.security.crawl import base_values, query_of
from tests.security.expectations import url_specs
from tests.security.hostile_values import hostile, kind_of
from tests.security.matrix import make_client, walk
from tests.security.states import dispute_states, petition_states
from tests.security.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.requires_postgres]
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "1"))
REPORT = Path(__file__).resolve().parents[2] / "var" / "security" / "bounds.json"
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# PDFs take a second each and read the same form as the table page; the others end the session.
SKIPPED = re.compile(r"(?:^|:)(?:pdf|logout|set_language|password_change)$")
USERS = ("matrix_root", "xianjin_mediator", "xianjin_supervisor", "zhuji_petition_clerk",
         "zhuji_handler", "zhuji_supervisor", "zhuji_statistician")  # fmt: skip
ROUTES = {name: route for route, name, _p in walk() if name}


def _settings(n):
    return hsettings(max_examples=max(1, n), deadline=None, database=None,
                     suppress_health_check=list(HealthCheck))  # fmt: skip


class Site:
    def __init__(self, users, targets, jobs, disputes, petitions, report):
        self.users, self.targets, self.jobs, self.report = users, targets, jobs, report
        self.disputes, self.petitions = disputes, petitions
        self.clients = {name: make_client(users[name]) for name in USERS}
        self.tally, self.started = Tally(), time.perf_counter()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory, request):
    """The access matrix's world, a case in every status of both workflows and a notification for
    the superuser (so the notification page shows its forms); rolled back at the end."""
    quick = {
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("bounds-media")),
        "SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies",
    }
    with django_db_blocker.unblock(), override_settings(**quick), transaction.atomic():
        users, targets, jobs = build_world()
        users["matrix_root"] = User.objects.get(username="matrix_root")
        disputes = dispute_states(users["xianjin_mediator"])
        petitions = petition_states(users["zhuji_petition_clerk"], users["zhuji_handler"])
        Notification.objects.create(user=users["matrix_root"], title="提醒", body="测试")
        statistician = users["zhuji_statistician"]
        report = AnalysisReport.objects.create(
            owner=statistician, unit_id=statistician.unit_id, region_id=statistician.unit.region_id,
            start=datetime.date(2026, 10, 1), end=datetime.date(2026, 10, 31),
            status=AnalysisReportStatus.DONE, pdf=b"%PDF-1.4 bounds",
        )  # fmt: skip
        found = Site(users, targets, jobs, disputes, petitions, report)
        yield found
        transaction.set_rollback(True)
    _report(found, request)


def _report(found: Site, request):
    errors = found.tally.errors
    figures = {
        "requests": found.tally.requests,
        "http_500": sum(1 for e in errors if e[1] != "not Chinese"),
        "not_chinese": sum(1 for e in errors if e[1] == "not Chinese"),
        "seconds": round(time.perf_counter() - found.started, 1),
        "examples_per_key": EXAMPLES,
        **found.tally.notes,
        "failures": sorted({f"{status} {reason[:90]} <- {label[:160]}" for label, status, reason in errors})[
            :100
        ],
        "slowest": {
            k: round(v, 1) for k, v in sorted(found.tally.seconds.items(), key=lambda kv: -kv[1])[:6]
        },
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        short = {
            k: v for k, v in figures.items() if k not in ("failures", "query_pages", "forms_refusing_base")
        }
        reporter.write_line(f"hostile bounds: {short}")


def _assert_clean(tally: Tally, since: int):
    found = tally.errors[since:]
    assert not found, f"{len(found)} bad answers, first: " + "\n".join(
        f"{status} {reason} <- {label}" for label, status, reason in found[:25]
    )


# --- URL parameters ------------------------------------------------------------------------------
def _real(spec, site: Site) -> dict:
    """Real values for a pattern's parameters: an object of 先进村, a valid name."""
    target = site.targets["own_village"]
    values = dict(spec.variants[0].kwargs)
    if spec.target in ("dispute", "case", "attachment"):
        values["pk"] = target.dispute.pk
    if spec.target == "petition":
        values["pk"] = target.petition.pk
    if spec.target == "attachment":
        values["attachment_id"] = target.attachments["dispute"].pk
    if spec.target == "order":
        values["order_id"] = target.orders["dispute"].pk
    if spec.target == "job":
        values["pk"] = site.jobs["xianjin_supervisor"].pk
    if spec.target == "warning":
        values["pk"] = target.warning.pk
    if spec.target == "report":
        values["pk"] = site.report.pk
    if spec.target == "grid":
        values["pk"] = target.grid.pk
    if spec.target == "inspection":
        values["pk"] = target.inspection.pk
    if spec.target == "village":
        values["code"] = target.grid.region_id
    return {k: str(v) for k, v in values.items()}


def _url_probe(site, route, real):
    """Each example: one parameter changed (a number for an id, anything for a name), the others
    real, by any of the users, GET or POST."""
    params = {key: "number" if conv in ("int", "id") else "" for conv, key in PARAM.findall(route)}

    @_settings(EXAMPLES * len(params))
    @given(changed=changes(params), user=st.sampled_from(USERS), method=st.sampled_from(("GET", "POST")))
    def probe(changed, user, method):
        values = {**real, **changed}
        path = "/" + PARAM.sub(lambda m: quote(values.get(m.group(2), "1"), safe=""), route)
        site.tally.send(site.clients[user], method, path)

    return probe


def test_every_url_parameter_is_bounded(site):
    specs, since, routes, before = url_specs(), len(site.tally.errors), 0, site.tally.requests
    for route, name, _pattern in walk():
        if route.startswith("admin/") or not PARAM.search(route) or name not in specs:
            continue
        routes += 1
        _url_probe(site, route, _real(specs[name], site))()
    site.tally.notes.update(url_patterns_with_parameters=routes, url_requests=site.tally.requests - before)
    _assert_clean(site.tally, since)


def test_every_id_in_a_path_is_bounded_by_its_converter():
    """No pattern takes a bare <int:…>: Django's int converter accepts any length of digits."""
    unbounded = [route for route, _name, _p in walk() if "<int:" in route and not route.startswith("admin/")]
    assert not unbounded


# --- query keys ----------------------------------------------------------------------------------
def _pages(site: Site):
    """(URL name, path, user) for every page that answers GET, per variant, with real parameters:
    statistics and the 研判报告 as a statistician (who owns the site's report), the rest as the
    superuser (who reaches every page)."""
    for name, spec in url_specs().items():
        if "GET" not in spec.methods or SKIPPED.search(name):
            continue
        user = "zhuji_statistician" if name.startswith(("reporting:", "insight:report")) else "matrix_root"
        params = {key for _conv, key in PARAM.findall(ROUTES[name])}
        for variant in spec.variants:
            kwargs = {**_real(spec, site), **{k: str(v) for k, v in variant.kwargs.items()}}
            kwargs = {k: v for k, v in kwargs.items() if k in params}
            query = (spec.query + variant.query).lstrip("?&")
            yield name, reverse(name, kwargs=kwargs) + ("?" + query if query else ""), user


def _query_probe(site, path, user, kinds, seeds):
    @_settings(EXAMPLES * len(kinds))
    @given(seed=st.sampled_from(seeds), changed=changes(kinds))
    def probe(seed, changed):
        site.tally.send(site.clients[user], "GET", path.split("?")[0] + "?" + urlencode({**seed, **changed}))

    return probe


def test_every_query_key_is_bounded(site):
    since, pages, keys_total, before = len(site.tally.errors), {}, 0, site.tally.requests
    every = list(_pages(site))
    seeds, field_kinds = survey(site.tally, site.clients, every)
    for name, path, user in every:
        keys, used = keys_read(site.tally, site.users[user], path, seeds.get(name, ()))
        if not keys:
            continue
        held = {k: v for seed in used for k, v in seed.items() if v}
        kinds = {k: field_kinds.get(name, {}).get(k) or kind_of("", held.get(k, "")) for k in keys}
        pages[path], keys_total = keys, keys_total + len(keys)
        _query_probe(site, path, user, kinds, used)()
    site.tally.notes.update(pages_with_query_keys=len(pages), query_keys=keys_total, query_pages=pages,
                            query_requests=site.tally.requests - before)  # fmt: skip
    _assert_clean(site.tally, since)


# --- forms ---------------------------------------------------------------------------------------
def _form_pages(site: Site):
    """(page, user) to read forms from: every case in every status (as the superuser, who is offered
    every action), the supervision pages of a case and an order, and the pages with a form of their
    own, as the roles that use them."""
    for pk in site.disputes.values():
        yield reverse("disputes:detail", args=[pk]), "matrix_root"
    for pk in site.petitions.values():
        yield reverse("petitions:detail", args=[pk]), "matrix_root"
    order = site.targets["own_village"].orders["dispute"].pk
    yield reverse("supervision:issue", args=[site.disputes["mediating"]]), "zhuji_supervisor"
    yield reverse("supervision:reply", args=[order]), "xianjin_supervisor"  # the target unit replies
    yield reverse("disputes:create"), "xianjin_mediator"
    yield reverse("petitions:create"), "zhuji_petition_clerk"
    yield reverse("reporting:table", args=["petitions"]), "zhuji_statistician"
    yield reverse("jobs:list"), "xianjin_supervisor"
    yield reverse("supervision:notifications"), "matrix_root"


def _form_probe(site, client, form, base, kinds):
    """Each example changes one field (or one key of the action's query string) and posts the form,
    following a redirect to the page that shows what was stored."""
    path, query = form.action.partition("?")[0], dict(query_of(form.action))

    @_settings(EXAMPLES * len(kinds))
    @given(changed=changes(kinds))
    def probe(changed):
        in_query = {k[1:]: v for k, v in changed.items() if k.startswith("?")}
        data = {**base, **{k: v for k, v in changed.items() if not k.startswith("?")}}
        url = path + ("?" + urlencode({**query, **in_query}) if query else "")
        site.tally.send(client, "POST", url, data, follow=True)

    return probe


def test_every_form_field_is_bounded(site):
    since, before = len(site.tally.errors), site.tally.requests
    forms = discover_forms(site.tally, site.clients, _form_pages(site), SKIPPED)
    refusing, fields = [], 0
    for form, user in forms:
        base, kinds, client = base_values(form), form_kinds(form), site.clients[user]
        if site.tally.send(client, "POST", form.action, base).status_code != 302:
            refusing.append(form.action)  # its base is refused: a changed field is still parsed
        fields += len(kinds)
        if kinds:
            _form_probe(site, client, form, base, kinds)()
    site.tally.notes.update(forms=len(forms), form_fields=fields, forms_refusing_base=refusing,
                            form_requests=site.tally.requests - before)  # fmt: skip
    assert len(forms) >= 30, [f.action for f, _u in forms]
    _assert_clean(site.tally, since)


@pytest.mark.parametrize(
    "family",
    [
        lambda v: v in ("9999-12-31", "0001-01-01"),  # the last and first day a date holds
        lambda v: v.isdigit() and not v.isascii(),  # digits of another script
        lambda v: any(c.isdigit() and not c.isdecimal() for c in v),  # isdigit() true, int() fails
        lambda v: v.isascii() and v.isdigit() and int(v) > 2**63 - 1,  # beyond bigint
        lambda v: v.isascii() and v.isdigit() and 2**31 - 1 < int(v) <= 2**63 - 1,  # beyond integer
    ],
    ids=["date-edges", "other-scripts", "isdigit-not-decimal", "beyond-bigint", "beyond-integer"],
)
def test_the_strategies_reach_every_family(family):
    """Each family is among what the strategies draw (so a clean run means the parsers held, not
    that the values were never sent)."""
    find(hostile, family, settings=hsettings(max_examples=5000, derandomize=True, database=None))
