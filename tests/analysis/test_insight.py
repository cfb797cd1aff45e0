"""The analysis pages (reporting.insight): exact figures on a planted dataset, the one scoping rule,
drill-down lists as long as their figures, and a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from mediation.models import DisputeCategory
from reporting import insight
from reporting.insight_lists import figure_cases
from tests.analysis.insight_data import plant_insight

pytestmark = pytest.mark.django_db

FENGQIAO, JIYANG = "330681109", "330681001"


@pytest.fixture
def planted(demo):
    return plant_insight(demo)


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("insight:index"), params)


def scope_for(user, region_code, month):
    from accounts.models import Region

    return insight.Scope(user, Region.objects.get(code=region_code), month)


def test_heat_by_month_counts_each_town_and_month(demo, planted):
    months = insight.heat_by_month(scope_for(demo["zhuji_supervisor"], "330681000000", planted["month"]))
    rows = {row["key"]: row for row in months["rows"]}
    m = f"{planted['month'].start:%Y-%m}"
    prev = f"{planted['month'].previous().start:%Y-%m}"
    values = {key: {c.params["col"]: c.value for c in row["cells"] if c.value} for key, row in rows.items()}
    assert values[FENGQIAO] == {m: 5, prev: 1}
    assert values[JIYANG] == {m: 2}  # the case a year before lies outside the twelve months
    assert months["grand"].value == 8
    assert rows[FENGQIAO]["cells"][-1].level == insight.SHADES  # the largest figure, darkest shade


def test_trends_compare_with_the_month_before_and_the_year_before(demo, planted):
    data = insight.by_category(scope_for(demo["zhuji_supervisor"], "330681000000", planted["month"]))
    neighbour = insight._category_key("dispute", DisputeCategory.objects.get(code="neighbour").pk)
    trend = next(t for t in data["trends"] if t["key"] == neighbour)
    assert (trend["cur"].value, trend["prev"].value, trend["ly"].value) == (3, 1, 1)
    assert (trend["mom"], trend["yoy"]) == (200.0, 200.0)
    heat = {row["key"]: [c.value for c in row["cells"]] for row in data["heat"]["rows"]}
    assert sum(heat[FENGQIAO]) == 5 and sum(heat[JIYANG]) == 2


def test_top_respondents_conversion_repeat_and_resolution(demo, planted):
    scope = scope_for(demo["zhuji_supervisor"], "330681000000", planted["month"])
    top = insight.top_respondents(scope)
    assert [(r["name"], r["count"].value) for r in top] == [("诸暨市宏达建筑有限公司", 2)]
    places = {p["key"]: p for p in insight.conversion_and_repeat(scope)}
    assert (places[JIYANG]["disputes"].value, places[JIYANG]["converted"].value) == (1, 1)
    assert places[JIYANG]["conversion"] == 100.0
    assert (places[JIYANG]["cases"].value, places[JIYANG]["repeated"].value) == (2, 1)
    assert places[FENGQIAO]["converted"].value == 0 and places[FENGQIAO]["repeated"].value == 0
    assert (places["total"]["disputes"].value, places["total"]["cases"].value) == (5, 7)
    medians = {r["name"]: (r["count"].value, r["median_days"]) for r in insight.resolution(scope)}
    name = {code: str(DisputeCategory.objects.get(code=code)) for code in ("neighbour", "labour")}
    assert medians == {name["neighbour"]: (1, 10.0), name["labour"]: (1, 4.0)}


def test_resolution_without_percentile_cont_gives_the_same_medians(demo, planted, monkeypatch):
    """SQLite (the demo's `make run`) has no percentile_cont: the medians come from Python there."""
    scope = scope_for(demo["zhuji_supervisor"], "330681000000", planted["month"])
    expected = [(r["key"], r["count"].value, r["median_days"]) for r in insight.resolution(scope)]
    monkeypatch.setattr(insight.connection, "vendor", "sqlite")
    assert [(r["key"], r["count"].value, r["median_days"]) for r in insight.resolution(scope)] == expected


def test_every_figure_s_list_has_as_many_cases_as_the_figure(demo, planted):
    scope = scope_for(demo["zhuji_supervisor"], "330681000000", planted["month"])
    cells = [c for row in insight.heat_by_month(scope)["rows"] for c in [*row["cells"], row["total"]]]
    categories = insight.by_category(scope)
    cells += [c for row in categories["heat"]["rows"] for c in row["cells"]]
    cells += [t[n] for t in categories["trends"] for n in ("cur", "prev", "ly")]
    cells += [r["count"] for r in insight.top_respondents(scope)]
    cells += [
        p[f]
        for p in insight.conversion_and_repeat(scope)
        for f in ("disputes", "converted", "cases", "repeated")
    ]
    cells += [r["count"] for r in insight.resolution(scope)]
    for cell in cells:
        assert figure_cases(scope, {"row": "total", **cell.params}).count() == cell.value, cell.params


def test_the_drill_down_page_lists_the_cases_of_a_heat_cell(demo, planted, client):
    response = page(
        client, demo["zhuji_supervisor"], region="330681000000", month=f"{planted['month'].start:%Y-%m}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    link = re.search(
        r'href="(/analysis/cases/\?[^"]*row='
        + FENGQIAO
        + r'[^"]*col='
        + f"{planted['month'].start:%Y-%m}"
        + ')"',
        html,
    )
    assert link, "the 枫桥镇 cell of the month links to its cases"
    listed = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert listed.count('class="case-row"') == 5
    assert f"登记案件 · 枫桥镇 · {planted['month'].start:%Y-%m}" in listed


def test_a_village_sees_only_its_own_village(demo, planted, client):
    html = page(client, demo["xianjin_supervisor"]).content.decode()
    assert "先进村" in html and "阳春村" not in html and "浣纱社区" not in html
    scope = scope_for(demo["xianjin_supervisor"], "330681109219", planted["month"])
    assert insight.heat_by_month(scope)["grand"].value == 4
    # Asking for the town or the county is refused by the form: not within the jurisdiction.
    refused = page(client, demo["xianjin_supervisor"], region="330681109000")
    assert "insight-heading" not in refused.content.decode()
    response = client.get(reverse("insight:cases"), {"region": "330681000000", "figure": "month"})
    assert response.status_code == 404


def test_a_grid_worker_is_refused(demo, client):
    client.force_login(demo["xianjin_grid_worker"])
    assert client.get(reverse("insight:index")).status_code == 403
    assert client.get(reverse("insight:cases"), {"figure": "month"}).status_code == 403


@pytest.mark.parametrize("more", [False, True])
def test_the_page_runs_a_fixed_number_of_queries(demo, planted, client, django_assert_max_num_queries, more):
    if more:  # twice the data: the same number of queries
        plant_insight(demo)
    client.force_login(demo["zhuji_supervisor"])
    with django_assert_max_num_queries(25):
        response = client.get(reverse("insight:index"), {"region": "330681000000"})
    assert response.status_code == 200
