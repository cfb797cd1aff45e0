"""Who sees a warning: the one rule (accounts.scoping.visible_warnings) on every page."""

import pytest
from django.urls import reverse

from accounts.scoping import visible_warnings
from analysis.models import EarlyWarning
from tests.analysis.helpers import new_warning

pytestmark = pytest.mark.django_db


def test_a_village_user_cannot_see_another_village_s_warning(demo, client):
    w = new_warning("yangchun")
    client.force_login(demo["xianjin_supervisor"])
    assert client.get(reverse("analysis:detail", args=[w.pk])).status_code == 404
    assert client.get(reverse("analysis:action", args=[w.pk, "sign"])).status_code == 404
    assert w.title not in client.get(reverse("analysis:list")).content.decode()


def test_a_village_sees_its_own_and_the_county_sees_all(demo, client):
    own, other = new_warning("xianjin"), new_warning("jiangdong")
    assert set(visible_warnings(demo["xianjin_grid_worker"], EarlyWarning.objects.all())) == {own}
    assert set(visible_warnings(demo["fengqiao_supervisor"], EarlyWarning.objects.all())) == {own}
    assert set(visible_warnings(demo["zhuji_statistician"], EarlyWarning.objects.all())) == {own, other}
    # A department that covers no region sees none (it is not responsible for either).
    assert not visible_warnings(demo["zhuji_handler"], EarlyWarning.objects.all()).exists()
    client.force_login(demo["zhuji_supervisor"])
    page = client.get(reverse("analysis:list")).content.decode()
    assert own.title in page and other.title in page


def test_the_warning_page_names_only_cases_the_viewer_may_see(demo, client):
    from tests.dispute_helpers import new_dispute

    mine = new_dispute(demo["yangchun_mediator"], village="yangchun")
    foreign = new_dispute(demo["jiangdong_mediator"], village="jiangdong")
    # A county-wide warning (a category) behind cases of two villages, sent to 阳春村's centre.
    w = new_warning("yangchun", cases=[mine, foreign])
    client.force_login(demo["yangchun_supervisor"])
    page = client.get(reverse("analysis:detail", args=[w.pk])).content.decode()
    assert mine.number in page and foreign.number not in page
    assert "1" in page


def test_the_county_dashboard_and_the_home_page_show_open_warnings(demo, client):
    w = new_warning("yangchun")
    client.force_login(demo["zhuji_supervisor"])
    link = reverse("analysis:detail", args=[w.pk])
    assert link in client.get(reverse("supervision:dashboard")).content.decode()
    assert link in client.get(reverse("home")).content.decode()  # the county centre must act on it
    client.force_login(demo["xianjin_supervisor"])
    assert link not in client.get(reverse("home")).content.decode()


def test_opening_the_warning_reads_its_notice(demo, client):
    w = new_warning("yangchun")
    county = demo["zhuji_supervisor"]
    client.force_login(county)
    client.get(reverse("analysis:detail", args=[w.pk]))
    assert not county.notifications.filter(
        read_at__isnull=True, link=reverse("analysis:detail", args=[w.pk])
    ).exists()


def test_a_notice_that_names_a_case_is_hidden_from_a_reader_who_may_no_longer_see_it(demo, client):
    from django.utils import timezone

    from accounts.models import Unit
    from analysis.models import EarlyWarning
    from analysis.scan import scan
    from tests.analysis.planted import dispute

    red = dispute(demo["zhuji_supervisor"], "xianjin", 2, timezone.now(), risk="red")
    scan()
    warning = EarlyWarning.objects.get(kind="risk_response")
    county = demo["zhuji_supervisor"]
    note = county.notifications.get(link=reverse("analysis:detail", args=[warning.pk]))
    assert note.case_ids == [red.pk] and red.number in note.title
    county.unit = Unit.objects.get(name="江东社区综治中心")  # moved to another village
    county.save()
    client.force_login(county)
    assert red.number not in client.get(reverse("supervision:notifications")).content.decode()
    assert red.number not in client.get(reverse("home")).content.decode()
