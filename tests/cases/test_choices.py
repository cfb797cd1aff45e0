"""The list pages' filter choices come from the cache (cases.choices), and a saved row shows at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from mediation.forms import DisputeFilterForm
from mediation.models import DisputeCategory, RiskLevel
from petitions.forms import PetitionFilterForm
from petitions.models import PetitionCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.REFERENCE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def reference_queries(ctx):
    tables = ("cases_disputecategory", "cases_risklevel", "petitions_petitioncategory")
    return [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in tables)]


@translation.override("zh-hans")  # the names shown are the Chinese ones, whatever a test before left active
def test_choices_are_read_once_then_from_the_cache(cached):
    with CaptureQueriesContext(connection) as first:
        html = DisputeFilterForm().as_div() + PetitionFilterForm().as_div()
    assert len(reference_queries(first)) == 3
    with CaptureQueriesContext(connection) as second:
        again = DisputeFilterForm().as_div() + PetitionFilterForm().as_div()
    assert len(second) == 0 and again == html
    for model in (DisputeCategory, RiskLevel, PetitionCategory):
        for row in model.objects.all():
            assert f'value="{row.pk}"' in html and row.name in html


def test_a_submitted_choice_is_validated_from_the_cache(cached):
    category, level = DisputeCategory.objects.order_by("pk")[1], RiskLevel.objects.order_by("pk")[0]
    DisputeFilterForm().as_div()
    with CaptureQueriesContext(connection) as ctx:
        form = DisputeFilterForm({"category": str(category.pk), "risk_level": str(level.pk)})
        assert form.is_valid()
    assert len(ctx) == 0
    assert form.cleaned_data["category"] == category and form.cleaned_data["risk_level"] == level
    for bad in ("999999", "x", "1.5", "\x00"):
        assert not DisputeFilterForm({"category": bad}).is_valid(), bad


def test_a_saved_or_deleted_row_shows_at_the_next_request(client, demo, cached):
    client.force_login(demo["xianjin_mediator"])
    url = reverse("disputes:list")
    client.get(url)
    added = DisputeCategory.objects.create(code="test_new", name="新增的类别", position=999)
    assert "新增的类别" in client.get(url).content.decode()
    added.name = "改名的类别"
    added.save()
    assert "改名的类别" in client.get(url).content.decode()
    added.delete()
    assert "改名的类别" not in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert reference_queries(ctx) == []
