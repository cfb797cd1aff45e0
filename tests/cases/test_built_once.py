"""cases.built_once: a page's queryset built once per process and language, each caller a copy."""

import pytest
from django.db.models import Prefetch
from django.utils import translation

from cases.built_once import built_once
from cases.models import Case, TimelineEntry
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _builder():
    calls = []

    @built_once
    def build():
        calls.append(translation.get_language())
        timeline = Prefetch("timeline", queryset=TimelineEntry.objects.order_by("pk"))
        return Case.objects.select_related("region").prefetch_related(timeline)

    return build, calls


def test_each_caller_gets_a_copy_no_evaluation_or_hint_of_another_reaches(demo):
    build, calls = _builder()
    first, second = CaseFactory(), CaseFactory()
    seen = build().get(pk=first.pk)
    assert [c.pk for c in build().filter(pk=second.pk)] == [second.pk]
    assert calls == [translation.get_language()]  # built once
    a, b = build(), build()
    assert a is not b and a.query is not b.query and a._hints is not b._hints
    (la,), (lb,) = a._prefetch_related_lookups, b._prefetch_related_lookups
    assert la is not lb and la.queryset is not lb.queryset and la.queryset._hints is not lb.queryset._hints
    list(a.filter(pk=first.pk))
    assert b._result_cache is None and lb.queryset._result_cache is None
    assert "instance" not in lb.queryset._hints  # prefetching a's rows named them in a's copy only
    assert seen.timeline.all()._result_cache is not None  # the prefetch itself still happened


def test_built_again_in_another_language(db):
    build, calls = _builder()
    with translation.override("en"):
        build()
        build()
    with translation.override("zh-hans"):
        build()
    assert calls == ["en", "zh-hans"]
