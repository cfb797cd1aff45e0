"""The access matrix's one table of expected outcomes.

Every URL pattern in the URLconf must have an entry in ``URLS`` (or be an admin pattern the admin
classifier understands); a new URL without one fails ``test_every_url_pattern_is_classified``.
Who may see which place is written out by hand below (``CASE_VISIBLE``), not computed by the
scoping code it checks.
"""

from dataclasses import dataclass, field

from accounts import roles
from analysis.workflow import TRANSITIONS as WARNING_TRANSITIONS
from cases.attachments import UPLOAD_ROLES
from mediation.workflow import TRANSITIONS as DISPUTE_TRANSITIONS
from petitions.workflow import TRANSITIONS as PETITION_TRANSITIONS
from supervision.views.dashboard import TABLES as DASHBOARD_TABLES

R = roles
ALL = frozenset(R.ALL_ROLES)
KEY_PERSON_ROLES = frozenset({R.SUPERVISOR, R.PETITION_CLERK})


def _users(place, role_names=R.ALL_ROLES):
    return {f"{place}_{r}" for r in role_names}


# The viewers: every role in the village (先进村), and at town (枫桥镇) and county (诸暨市) level
# the roles whose reach differs: a supervisor and a mediator (another unit) of the town, the county
# supervisor and statistician, the county administrator (the only staff user) and the county
# handler, who sits in a functional department that sees only what is assigned to it.
VIEWERS = sorted(
    _users("xianjin")
    | {"fengqiao_supervisor", "fengqiao_mediator"}
    | {"zhuji_supervisor", "zhuji_statistician", "zhuji_administrator", "zhuji_handler"}
)
XIANJIN = _users("xianjin")
XIANJIN_CENTRE = XIANJIN - {"xianjin_mediator"}  # the mediator sits in the village 调委会
FENGQIAO = _users("fengqiao")
FENGQIAO_CENTRE = FENGQIAO - {"fengqiao_mediator", "fengqiao_handler"}  # 调委会, 人民政府
ZHUJI_COVERING = _users("zhuji") - {"zhuji_handler"}  # zhuji_handler sits in 人社局 (a department)
ZHUJI_CENTRE = {"zhuji_grid_worker", "zhuji_supervisor", "zhuji_administrator"}

CASE_VISIBLE = {
    "own_village": XIANJIN | FENGQIAO | ZHUJI_COVERING,
    "sibling_village": FENGQIAO | ZHUJI_COVERING,
    "parent_town": FENGQIAO | ZHUJI_COVERING,
    "other_town": ZHUJI_COVERING,
    "other_county": set(),
    "granted": XIANJIN | ZHUJI_COVERING,
    # 信访工作条例 §30: never the accused unit, though it handles, holds a grant and its member is
    # the handler; the village 调委会 (another unit) and the levels above still see it.
    "accused": {"xianjin_mediator"} | FENGQIAO | ZHUJI_COVERING,
    "accused_department": ZHUJI_COVERING,
}
# Supervision orders: the issuing unit (县综治中心; the other county's own centre) and the target
# unit (the handling unit), and never a unit the case is withheld from.
ORDER_VISIBLE = {
    "own_village": ZHUJI_CENTRE | XIANJIN_CENTRE,
    "sibling_village": ZHUJI_CENTRE,
    "parent_town": ZHUJI_CENTRE | FENGQIAO_CENTRE,
    "other_town": ZHUJI_CENTRE,
    "other_county": set(),
    "granted": ZHUJI_CENTRE,
    "accused": ZHUJI_CENTRE,
    "accused_department": ZHUJI_CENTRE,
}
# Early warnings (accounts.scoping.visible_warnings): the units covering the warning's place and the
# responsible unit (the county centre); never through a case's grant, and the §30 exclusion of the
# "accused" places' cases applies to the cases a warning page names, not to the warning.
WARNING_VISIBLE = {
    "own_village": XIANJIN | FENGQIAO | ZHUJI_COVERING,
    "sibling_village": FENGQIAO | ZHUJI_COVERING,
    "parent_town": FENGQIAO | ZHUJI_COVERING,
    "other_town": ZHUJI_COVERING,
    "other_county": set(),
    "granted": ZHUJI_COVERING,
    "accused": XIANJIN | FENGQIAO | ZHUJI_COVERING,
    "accused_department": ZHUJI_COVERING,
}
# Regions a user may report on or file in (accounts.scoping.visible_regions): the unit's own
# subtree; a grant opens a case, never its region. Places sharing a region are left out.
REGION_VISIBLE = {
    "own_village": XIANJIN | FENGQIAO | ZHUJI_COVERING,
    "sibling_village": FENGQIAO | ZHUJI_COVERING,
    "parent_town": FENGQIAO | ZHUJI_COVERING,
    "other_town": ZHUJI_COVERING,
    "other_county": set(),
    "granted": ZHUJI_COVERING,
}
# Grids and their ledger (accounts.scoping.visible_grids): the covering units of the village and
# above; the world's grids are 二级网格 nobody among the viewers holds (xianjin_grid_worker is the 一级
# 网格's 网格长 and sees as the village does). The town and the accused places have no grid of their own.
GRID_VISIBLE = {
    p: REGION_VISIBLE[p] for p in ("own_village", "sibling_village", "other_town", "other_county", "granted")
}
GRID_MANAGERS = frozenset({R.SUPERVISOR, R.ADMINISTRATOR})
# Background jobs: their owner's alone.
JOB_VISIBLE = {owner: {owner} for owner in ("xianjin_supervisor", "zhuji_statistician", "outside_supervisor")}
# 研判报告: their owner's alone (made in the test, reporting.report_jobs.visible_reports).
REPORT_OWNERS = ("xianjin_supervisor", "zhuji_statistician")
PLACES = tuple(CASE_VISIBLE)
STAFF = {"zhuji_administrator"}  # the only demo user allowed into the admin site


@dataclass(frozen=True)
class Variant:
    """One concrete URL of a pattern (an action name, a document) and who may use it."""

    label: str
    kwargs: dict = field(default_factory=dict)
    roles: frozenset = ALL
    # The place's object is visible and the role allowed, yet the page has nothing to show in
    # the fixture's state (a PDF of an agreement that was never made): the answer is 404.
    absent: bool = False
    query: str = ""


@dataclass(frozen=True)
class Spec:
    """How the matrix requests one URL pattern.

    target: None (a page), "dispute", "petition", "case" (both kinds), "attachment", "order",
    "region" (passed as ?region=), "job", "warning", "report" (an analysis report).
    foreign: what an allowed role gets for an object outside its reach, where that is not a 404
    (a statistics form refusing a foreign region re-shows the form or sends back to it).
    listing: the page lists objects of this kind; each place is a cell (listed iff visible).
    ok: the status codes of an allowed request, per method.
    """

    target: str | None = None
    methods: tuple = ("GET",)
    roles: frozenset = ALL
    variants: tuple = (Variant(""),)
    listing: str | None = None
    ok: dict = field(default_factory=lambda: {"GET": {200}, "POST": {200, 302}})
    public: bool = False  # anonymous users get the page too
    own_client: bool = False  # changes the session (logout, language): a fresh client per cell
    query: str = ""
    foreign: dict | None = None
    # Roles checked after the object (the statistics freeze: any reporting role reaches the
    # region check, only a statistician may freeze).
    late_roles: frozenset | None = None
    # Renders a PDF when allowed: the rendering cells run on FULL_PLACES only (denials everywhere).
    heavy: bool = False
    # An API answers an anonymous caller itself (401 with a Bearer challenge), not with a redirect
    # to the sign-in page; its POST body is JSON.
    anonymous: frozenset | None = None
    # What a POST without the CSRF token gets, where that is not 403: the OAuth2 token endpoints take
    # no session, so no CSRF token either; an anonymous API call is 401 before any CSRF check.
    no_csrf: frozenset | None = None
    # Places where every variant is tried (default: the matrix's FULL_PLACES); elsewhere the first
    # and the last variant stand for the rest.
    full_places: tuple | None = None


def _actions(workflow):
    """Every step with a page, with the roles its one declaration names."""
    return tuple(
        Variant(name, {"action": name}, frozenset(step.roles) or ALL)
        for name, step in sorted(workflow.items())
        if step.form_class is not None
    )


def _dispute_actions():
    return _actions(DISPUTE_TRANSITIONS)


def _petition_actions():
    return _actions(PETITION_TRANSITIONS)


def _api_steps(workflow):
    """Every step with a page, as the API names it (the same declaration, the same roles)."""
    return tuple(
        Variant(name, {"step": name}, frozenset(step.roles) or ALL)
        for name, step in sorted(workflow.items())
        if step.form_class is not None
    )


def _api_specs():
    """The API (api.urls): signed-in staff through their session here; clients and their scopes in
    tests/security/test_api_clients.py. Reads answer what the pages answer; steps what the action
    pages allow (their one declaration), a state not open 409; intake is for clients only."""
    api = {"anonymous": frozenset({401})}
    post = {**api, "methods": ("POST",), "no_csrf": frozenset({401})}
    # Every step at one place: the pages' matrix and tests/test_step_walk.py try each step's role,
    # relation and state everywhere, and the API runs the same declaration (Step.check).
    steps = {**post, "ok": {"POST": {200, 400}}, "full_places": ("own_village",)}
    from reporting.views import REPORTS

    reports = tuple(Variant(slug, {"slug": slug}) for slug in sorted(REPORTS))
    return {
        "api:token": Spec(methods=("POST",), public=True, ok={"POST": {400}}, no_csrf=frozenset({400})),
        "api:revoke": Spec(methods=("POST",), public=True, ok={"POST": {400}}, no_csrf=frozenset({400})),
        "api:schema": Spec(public=True),
        "api:docs": Spec(public=True),
        "api:disputes": Spec(listing="dispute", **api),
        "api:petitions": Spec(listing="petition", **api),
        "api:dispute": Spec(target="dispute", **api),
        "api:petition": Spec(target="petition", **api),
        "api:deadlines": Spec(target="case", **api),
        "api:timeline": Spec(target="case", **api),
        "api:orders": Spec(listing="order", **api),
        "api:order": Spec(target="order", **api),
        "api:warnings": Spec(listing="warning", **api),
        "api:warning": Spec(target="warning", **api),
        "api:statistics": Spec(
            target="region", roles=REPORT_ROLES, variants=reports, foreign={"GET": {400}}, **api
        ),
        "api:dispute_step": Spec(target="dispute", variants=_api_steps(DISPUTE_TRANSITIONS), **steps),
        "api:petition_step": Spec(target="petition", variants=_api_steps(PETITION_TRANSITIONS), **steps),
        # Work orders come from an external system's client; a person's session is refused.
        "api:intake": Spec(roles=frozenset(), ok={"POST": {403}}, **post),
    }


def _importer_templates():
    from jobs.imports import IMPORTERS

    return tuple(Variant(key, {"key": key}, frozenset(i.roles)) for key, i in sorted(IMPORTERS.items()))


def _list_exports():
    from jobs.list_exports import LIST_EXPORTS

    return tuple(Variant(key, {"key": key}) for key in sorted(LIST_EXPORTS))


def _reports():
    from reporting.views import REPORTS

    return tuple(Variant(slug, {"slug": slug}) for slug in sorted(REPORTS))


REPORT_ROLES = frozenset({R.STATISTICIAN, R.SUPERVISOR})
IMPORT_ROLES = frozenset({R.MEDIATOR, R.GRID_WORKER, R.SUPERVISOR, R.PETITION_CLERK})
DASHBOARD_ROLES = frozenset({R.SUPERVISOR, R.STATISTICIAN, R.ADMINISTRATOR})
DISPUTE_INTAKE = frozenset({R.MEDIATOR, R.GRID_WORKER, R.SUPERVISOR})
PETITION_INTAKE = frozenset({R.PETITION_CLERK, R.SUPERVISOR})


def url_specs():
    """Pattern name -> Spec for every non-admin URL."""
    return {
        "home": Spec(),
        "login": Spec(public=True, ok={"GET": {200, 302}}),
        "logout": Spec(methods=("POST",), public=True, own_client=True, ok={"POST": {"login"}}),
        "password_change": Spec(methods=("GET", "POST")),
        "password_change_done": Spec(),
        "set_language": Spec(methods=("POST",), public=True, own_client=True, ok={"POST": {302}}),
        "disputes:list": Spec(listing="dispute"),
        "disputes:create": Spec(methods=("GET", "POST"), roles=DISPUTE_INTAKE),
        "disputes:export": Spec(listing="dispute"),
        "petitions:export": Spec(listing="petition"),
        "disputes:detail": Spec(target="dispute"),
        "disputes:file_index": Spec(target="dispute"),
        "disputes:pdf": Spec(
            heavy=True,
            target="dispute",
            variants=(
                # Both exist only once their step is on the timeline (archive, agree): the fixture's
                # dispute is neither archived nor agreed.
                Variant("closure", {"document": "closure"}, absent=True),
                Variant("agreement", {"document": "agreement"}, absent=True),
            ),
        ),
        "disputes:action": Spec(target="dispute", methods=("GET", "POST"), variants=_dispute_actions()),
        # The session calendar (mediation.calendar): mediators and supervisors; what it lists passes
        # through visible_cases, a unit outside the viewer's reach is 404 (tests/mediation/test_calendar.py).
        "disputes:calendar": Spec(roles=frozenset({R.MEDIATOR, R.SUPERVISOR})),
        "petitions:list": Spec(listing="petition"),
        "petitions:create": Spec(methods=("GET", "POST"), roles=PETITION_INTAKE),
        "petitions:detail": Spec(target="petition"),
        "petitions:pdf": Spec(
            heavy=True,
            target="petition",
            variants=(
                # The world's petitions are registered, not accepted: no document exists yet (Step.documents).
                Variant("acceptance", {"document": "acceptance"}, absent=True),
                Variant("not_accepted", {"document": "not_accepted"}, absent=True),
                Variant("extension", {"document": "extension"}, absent=True),
                Variant("opinion", {"document": "opinion"}, absent=True),
                Variant("review", {"document": "review"}, absent=True),
                Variant("rereview", {"document": "rereview"}, absent=True),
                Variant("referral", {"document": "referral"}, absent=True),
                Variant("report", {"document": "report"}, absent=True),
            ),
        ),
        "petitions:action": Spec(target="petition", methods=("GET", "POST"), variants=_petition_actions()),
        "supervision:dashboard": Spec(roles=DASHBOARD_ROLES),
        # The inspection ledger (grids): what visible_grids shows. Filing is for the grid's post
        # holders, none of them a viewer: a zero report is refused with a message (302), the
        # inspection and raise pages answer 403 to a viewer who sees the grid.
        "grids:list": Spec(listing="grid"),
        "grids:ledger": Spec(target="grid"),
        "grids:zero": Spec(target="grid", methods=("POST",), ok={"POST": {302}}),
        "grids:inspect": Spec(target="grid", methods=("GET", "POST"), roles=frozenset()),
        "grids:raise": Spec(target="inspection", methods=("GET", "POST"), roles=frozenset()),
        "grids:village": Spec(
            target="village",
            methods=("GET", "POST"),
            roles=GRID_MANAGERS,
            foreign={"GET": {404}, "POST": {404}},
        ),
        "grids:post_end": Spec(
            methods=("POST",), roles=GRID_MANAGERS, variants=(Variant("missing", {"pk": 2**40}, absent=True),)
        ),
        # Early warnings (analysis): any signed-in user, what visible_warnings shows; the steps by
        # their one declaration (analysis.workflow).
        "analysis:list": Spec(listing="warning", query="?status=all"),
        "analysis:detail": Spec(target="warning"),
        "analysis:action": Spec(
            target="warning", methods=("GET", "POST"), variants=_actions(WARNING_TRANSITIONS)
        ),
        # Key persons (重点人员, accounts.scoping.visible_key_persons): supervisors and petition staff only
        # (403 to every other role before the object); a missing or foreign key person is 404. 包案
        # (visible_responsibilities): any signed-in user's own list; a missing one is 404.
        # tests/analysis/test_key_persons.py proves who sees a real one.
        "analysis:key_persons": Spec(roles=KEY_PERSON_ROLES),
        "analysis:key_person": Spec(
            roles=KEY_PERSON_ROLES, variants=(Variant("missing", {"pk": 2**40}, absent=True),)
        ),
        "analysis:key_person_action": Spec(
            roles=KEY_PERSON_ROLES,
            methods=("GET", "POST"),
            variants=(Variant("missing", {"pk": 2**40, "action": "review"}, absent=True),),
        ),
        "analysis:key_person_from_warning": Spec(
            target="warning",
            methods=("GET", "POST"),
            roles=KEY_PERSON_ROLES,
            variants=(Variant("surge", absent=True),),
        ),
        "analysis:key_person_from_party": Spec(
            roles=KEY_PERSON_ROLES,
            methods=("GET", "POST"),
            variants=(Variant("missing", {"pk": 2**40}, absent=True),),
        ),
        "analysis:baoan_list": Spec(),
        "analysis:baoan": Spec(variants=(Variant("missing", {"pk": 2**40}, absent=True),)),
        "analysis:baoan_action": Spec(
            methods=("GET", "POST"),
            variants=(Variant("missing", {"pk": 2**40, "action": "conclude"}, absent=True),),
        ),
        "analysis:baoan_case": Spec(target="case", methods=("GET", "POST"), roles=frozenset({R.SUPERVISOR})),
        "supervision:drilldown": Spec(roles=DASHBOARD_ROLES, listing="case", query="?bucket=open"),
        "supervision:table": Spec(
            roles=DASHBOARD_ROLES, variants=tuple(Variant(t, {"table": t}) for t in DASHBOARD_TABLES)
        ),
        "supervision:issue": Spec(target="case", methods=("GET", "POST"), roles=frozenset({R.SUPERVISOR})),
        "supervision:orders": Spec(listing="order"),
        "supervision:reply": Spec(target="order", methods=("GET", "POST")),
        "supervision:order_pdf": Spec(target="order", heavy=True),
        "supervision:notifications": Spec(),
        "supervision:mark_read": Spec(methods=("POST",), ok={"POST": {302}}),
        "attachments:upload": Spec(
            target="case", methods=("POST",), roles=frozenset(UPLOAD_ROLES), ok={"POST": {302}}
        ),
        "attachments:download": Spec(target="attachment"),
        # Finding things (issue 17): the person look-up and the region search answer any signed-in
        # user, with what the scoping rule lets them see (tests/cases/test_person_lookup.py,
        # tests/accounts/test_region_search.py); saved filters are their owner's alone: an empty
        # save names no list, another user's (or a missing) filter is 404 (test_saved_filters.py).
        "people:lookup": Spec(),
        "regions:search": Spec(),
        "filters:list": Spec(),
        "filters:save": Spec(methods=("POST",), ok={"POST": {404}}),
        "filters:change": Spec(methods=("POST",), variants=(Variant("missing", {"pk": 2**40}, absent=True),)),
        # Statistics: a region outside the user's jurisdiction is refused by the form: the page
        # shows the form again, the xlsx and PDF send back to it, drill-down has nothing (404).
        "reporting:index": Spec(public=True, ok={"GET": {302}}),
        # The old admin addresses of models that moved out of the case core: a permanent redirect for
        # anyone, to the new address, where the admin's own checks apply (ADMIN_MODELS).
        "moved_admin": Spec(
            public=True,
            ok={"GET": {301}},
            variants=tuple(
                Variant(m, {"model": m, "rest": ""})
                for m in ("disputecategory", "risklevel", "workerheartbeat")
            ),
        ),
        "reporting:table": Spec(
            target="region", roles=REPORT_ROLES, variants=_reports(), foreign={"GET": {200}}
        ),
        "reporting:xlsx": Spec(
            target="region", roles=REPORT_ROLES, variants=_reports(), foreign={"GET": {302}}
        ),
        "reporting:pdf": Spec(
            heavy=True, target="region", roles=REPORT_ROLES, variants=_reports(), foreign={"GET": {302}}
        ),
        "reporting:drill": Spec(
            target="region",
            roles=REPORT_ROLES,
            foreign={"GET": {404}},
            variants=(
                Variant("petitions", {"slug": "petitions"}, query="&month=2026-11&column=received"),
                Variant("mediation", {"slug": "mediation"}, query="&month=2026-11&column=registered"),
            ),
        ),  # fmt: skip
        # Analysis pages (reporting.insight): the statistics form's region rule; a figure's list
        # outside the jurisdiction has nothing (404).
        "insight:index": Spec(target="region", roles=REPORT_ROLES, foreign={"GET": {200}}),
        "insight:cases": Spec(
            target="region",
            roles=REPORT_ROLES,
            foreign={"GET": {404}},
            variants=(
                Variant("month", {}, query="&figure=month"),
                Variant("cases", {}, query="&figure=cases"),
            ),
        ),
        # The 研判报告 (reporting.report_jobs): its owner's alone, while in the unit it was made for.
        "insight:reports": Spec(roles=REPORT_ROLES),
        "insight:report": Spec(target="report"),
        "insight:report_status": Spec(target="report"),
        "insight:report_download": Spec(target="report"),
        "reporting:freeze": Spec(
            target="region",
            methods=("POST",),
            roles=REPORT_ROLES,
            variants=_reports(),
            ok={"POST": {302}},
            foreign={"POST": {302}},
            late_roles=frozenset({R.STATISTICIAN}),
        ),  # fmt: skip
        # The public's own channel (app public): the same answer for everyone, signed in or not (no
        # staff session there). A form POSTed empty re-shows itself, or 429 once the address's
        # budget is spent (public.limits); the case pages without a one-time code go back to the
        # look-up (302). tests/public proves what an unlocked case shows.
        "public:index": Spec(public=True),
        "public:apply_mediation": Spec(
            public=True, methods=("GET", "POST"), ok={"GET": {200}, "POST": {200, 429}}
        ),
        "public:apply_petition": Spec(
            public=True, methods=("GET", "POST"), ok={"GET": {200}, "POST": {200, 429}}
        ),
        "public:regions": Spec(public=True),
        "public:follow": Spec(public=True, methods=("GET", "POST"), ok={"GET": {200}, "POST": {200, 429}}),
        "public:otp": Spec(public=True, methods=("GET", "POST"), ok={"GET": {302}, "POST": {302}}),
        "public:case": Spec(public=True, ok={"GET": {302}}),
        "public:document": Spec(
            public=True,
            ok={"GET": {302}},
            variants=(
                Variant("agreement", {"slug": "agreement"}),
                Variant("acceptance", {"slug": "acceptance"}),
            ),
        ),  # fmt: skip
        "public:evaluate": Spec(public=True, methods=("POST",), ok={"POST": {302}}),
        "public:review": Spec(public=True, methods=("POST",), ok={"POST": {302}}),
        "public:leave": Spec(public=True, methods=("POST",), ok={"POST": {302}}),
        # A CAPTCHA picture of a key that does not exist: 410 Gone (django-simple-captcha).
        "captcha-image": Spec(public=True, ok={"GET": {410}}, variants=(Variant("", {"key": "0" * 40}),)),
        # Jobs: owner only; a finished closure batch without a file has nothing to download.
        "jobs:list": Spec(),
        "jobs:closure_batch": Spec(methods=("POST",), ok={"POST": {400}}),  # empty form: refused
        "jobs:detail": Spec(target="job"),
        "jobs:status": Spec(target="job"),
        "jobs:download": Spec(target="job", variants=(Variant("", absent=True),)),
        "jobs:confirm": Spec(target="job", methods=("POST",), variants=(Variant("", absent=True),)),
        "jobs:import": Spec(methods=("GET", "POST"), roles=IMPORT_ROLES),
        "jobs:template": Spec(variants=_importer_templates()),
        # A list export started as a job (any signed-in user; the rows pass the scoping rule):
        # an empty form starts the export of the whole visible list and goes to the job's page.
        "jobs:export": Spec(methods=("POST",), variants=_list_exports(), ok={"POST": {302}}),
        **_api_specs(),
    }


# The admin site: what the county administrator (the only staff user) may do per model, from
# accounts.roles.ROLE_MODEL_PERMISSIONS: v view, a add, c change, d delete. Region, unit and user
# pages list only the administrator's own county (accounts.scoping.visible_units / visible_users).
ADMIN_MODELS = {
    "auth.group": "",
    "axes.accessattempt": "",
    "axes.accesslog": "",
    "axes.accessfailurelog": "",
    "django_celery_beat.periodictask": "",
    "django_celery_beat.clockedschedule": "",
    "django_celery_beat.crontabschedule": "",
    "django_celery_beat.solarschedule": "",
    "django_celery_beat.intervalschedule": "",
    "accounts.region": "vac",
    "accounts.unit": "vac",
    "accounts.user": "vac",
    "cases.calendaryear": "vac",
    "cases.calendarday": "vacd",
    "cases.case": "",
    "jobs.workerheartbeat": "v",
    "cases.deadlinerule": "vac",
    "mediation.disputecategory": "vac",
    "mediation.risklevel": "vc",
    "petitions.petitioncategory": "vac",
    # Rules are code: the admin may tune a seeded rule (on/off, thresholds, who is told), never add one.
    "analysis.warningrule": "vc",
    # Webhooks name outside systems and their secrets: a superuser's business (hooks.admin).
    "hooks.subscription": "",
    "hooks.delivery": "",
    # Key persons and 包案: the administrator role is not of the register's audience (superusers only).
    "analysis.keyperson": "",
    "analysis.responsibility": "",
    # The API's clients and tokens bind a service user of any unit: a superuser's alone, as are
    # its category mapping and logs (api.admin).
    "api.apiclient": "",
    "api.intakecategory": "",
    "api.intakerecord": "",
    "api.apicall": "",
    "oauth2_provider.application": "",
    "oauth2_provider.accesstoken": "",
    "oauth2_provider.refreshtoken": "",
    "oauth2_provider.grant": "",
    "oauth2_provider.idtoken": "",
}
# Admin views that are not about one model, and what the administrator gets.
ADMIN_SITE_VIEWS = {
    "admin:index": {200},
    "admin:login": {"admin_index"},  # already signed in: on to the index
    "admin:password_change": {200},
    "admin:password_change_done": {200},
    "admin:jsi18n": {200},
    "admin:autocomplete": {403},  # without its parameters; with them see the scoped-admin test
    "admin:view_on_site": {404},  # no model here has get_absolute_url
    "admin:app_list": {200},  # for an app with a model the administrator may use; else 404
    "admin:catch_all": {404},
}
ADMIN_SKIPPED = {"admin:logout": "POST ends the session; covered by tests/accounts"}
