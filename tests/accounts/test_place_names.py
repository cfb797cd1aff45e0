"""A case happens in a place (先进村), not in its committee (先进村委会), which is how the division
list names villages and neighbourhoods (issue 17)."""

import pytest
from django.urls import reverse

from accounts.models import Region, RegionLevel
from tests.dispute_helpers import new_dispute


@pytest.mark.parametrize(
    "name, place",
    [
        ("先进村委会", "先进村"),
        ("江北社区居委会", "江北社区"),
        ("大溪村民委员会", "大溪村"),
        ("南门社区居民委员会", "南门社区"),
        ("江东社区", "江东社区"),
        ("枫桥镇", "枫桥镇"),
    ],
)
def test_place_name_drops_the_committee(name, place):
    assert Region(code="330681109219", name=name, level=RegionLevel.VILLAGE).place_name == place


@pytest.mark.django_db
def test_case_pages_and_inbox_name_the_village_not_its_committee(client, demo):
    mediator = demo["xianjin_mediator"]
    d = new_dispute(mediator)
    assert d.region.name == "先进村委会"
    client.force_login(mediator)
    urls = (reverse("disputes:detail", args=[d.pk]), reverse("disputes:list"), reverse("home"))
    for url in (*urls, reverse("disputes:create")):
        html = client.get(url).content.decode()
        assert "先进村委会" not in html, url
        assert "先进村" in html
