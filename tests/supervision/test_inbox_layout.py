"""The half-width cards of the home inbox (due soon, reviews, "my cases") put the region under the
summary instead of a fourth column, which squeezed the columns to a character per line (issue 17);
the full-width cards keep the region column."""

import re

import pytest
from django.urls import reverse

from mediation import workflow
from tests.dispute_helpers import new_dispute

pytestmark = pytest.mark.django_db


def section(html, heading_id):
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match[0]


def test_my_cases_card_has_no_region_column_but_names_the_place(client, demo):
    mediator = demo["xianjin_mediator"]
    d = new_dispute(mediator)
    workflow.accept(d.pk, mediator)
    workflow.start_mediation(d.pk, mediator)
    client.force_login(mediator)
    html = client.get(reverse("home")).content.decode()
    mine = section(html, "h-mine")
    assert d.number in mine
    assert ">区划<" not in mine and '<div class="small text-muted">先进村</div>' in mine
    unit = section(html, "h-unit")
    # The full-width card keeps the column (on a phone its cell carries the label, as a card line).
    assert ">区划<" in unit and re.search(
        r'<td class="cell-region">(<span[^>]*>区划：</span>)?先进村</td>', unit
    )
