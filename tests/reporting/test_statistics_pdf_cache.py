"""The statistics PDF is laid out once per distinct HTML (reporting.documents): a second download
of the same table costs no WeasyPrint run, a different table (another user's view, another month)
is rendered afresh. docs/performance.md, "The statistics PDF"; test_statistics_documents.py."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.demo import COUNTY, TOWNS

pytestmark = pytest.mark.django_db


def test_the_same_table_is_rendered_once_and_another_table_again(client, demo):
    cache.clear()
    client.force_login(demo["zhuji_statistician"])
    url = reverse("reporting:pdf", args=["petitions"])
    import cases.pdf

    with mock.patch.object(cases.pdf, "HTML", wraps=cases.pdf.HTML) as weasy:
        first = client.get(url, {"region": COUNTY, "month": "2026-11"})
        second = client.get(url, {"region": COUNTY, "month": "2026-11"})
        assert first.status_code == second.status_code == 200
        assert first.content == second.content and first.content.startswith(b"%PDF")
        assert weasy.call_count == 1
        town = next(iter(TOWNS.values()))
        other = client.get(url, {"region": town, "month": "2026-11"})
        assert other.status_code == 200 and other.content != first.content
        assert weasy.call_count == 2
