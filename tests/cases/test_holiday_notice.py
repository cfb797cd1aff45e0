"""Entering a year's holidays in one step (cases.holiday_notice, cases.holidays.store_year, the admin
page cases.admin.enter_year): the State Council notice as published, checked against the
chinesecalendar package, which transcribes the same notices."""

import datetime
import re

import chinese_calendar
import pytest
from django.urls import reverse
from django.utils import translation

from cases.deadlines import open_deadline
from cases.holiday_notice import parse_notice
from cases.holidays import package_days, store_year
from cases.models import CalendarDay, CalendarYear, Deadline
from tests.factories import CaseFactory

D = datetime.date

# 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）, as published.
NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
"""

# 国务院办公厅关于2025年部分节假日安排的通知: a range across months, two holidays under one heading,
# a single day "不调休".
NOTICE_2025 = """一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
"""


def _package(year):
    return (
        {d for d in chinese_calendar.holidays if d.year == year},
        {d for d in chinese_calendar.workdays if d.year == year},
    )


@pytest.mark.parametrize(("year", "text"), [(2026, NOTICE_2026), (2025, NOTICE_2025)])
def test_the_published_notice_gives_the_same_days_as_chinesecalendar(year, text):
    notice = parse_notice(text, year)
    assert notice.errors == []
    holidays, workdays = _package(year)
    assert {d.date for d in notice.holidays} == holidays
    assert {d.date for d in notice.workdays} == workdays


def test_names_and_the_short_form_of_the_issue():
    notice = parse_notice(
        "元旦：1月1日放假… 春节：2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）上班。", 2026
    )
    assert notice.errors == []
    assert [(d.date, d.is_workday, d.name) for d in notice.days][:3] == [
        (D(2026, 1, 1), False, "元旦"), (D(2026, 2, 14), True, "春节"), (D(2026, 2, 15), False, "春节"),
    ]  # fmt: skip
    assert len(notice.holidays) == 10 and len(notice.workdays) == 2
    combined = parse_notice(NOTICE_2025, 2025)
    assert {d.name for d in combined.days if d.date == D(2025, 10, 6)} == {"国庆节、中秋节"}


def test_a_range_across_the_new_year():
    notice = parse_notice("元旦：2022年12月31日至2023年1月2日放假调休，共3天。", 2023)
    assert notice.errors == [] and [d.date for d in notice.days] == [
        D(2022, 12, 31),
        D(2023, 1, 1),
        D(2023, 1, 2),
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("春节：2月15日至23日放假调休，共8天。", "says 8"),  # the total disagrees
        ("春节：2月15日（周一）至23日放假调休，共9天。", "周一"),  # the weekday disagrees
        ("春节：2月30日放假。", "2月30日"),
        ("今年春节早，请大家注意安排。", "No holiday dates"),
        ("春节：2月15日至23日放假调休，共9天。2月16日（周一）上班。", "both"),
    ],
)
def test_what_does_not_add_up_is_shown_and_nothing_is_taken(text, says):
    with translation.override("en"):  # the messages' English wording, whatever ran before
        notice = parse_notice(text, 2026)
    assert notice.errors and any(says in e for e in notice.errors), notice.errors


def test_package_days_only_for_years_the_package_knows():
    assert {d.date for d in package_days(2026) if not d.is_workday} == _package(2026)[0]
    assert package_days(2099) == []


@pytest.mark.django_db
def test_storing_a_year_replaces_it_and_recomputes_the_deadlines_that_move(demo):
    CalendarDay.objects.create(date=D(2030, 3, 3), is_workday=False, name="打错的一天")
    case = CaseFactory()
    # 5 working days from Tuesday 2030-01-29: estimated Mon-Fri (2030 unknown) -> 2030-02-05.
    deadline = open_deadline(case, "petition_objection", D(2030, 1, 29))
    assert deadline.estimated and deadline.due_date == D(2030, 2, 5)
    untouched = open_deadline(case, "petition_objection", D(2030, 6, 3))
    notice = parse_notice("春节：2月2日至8日放假调休，共7天。1月26日（周六）上班。", 2030)
    assert notice.errors == []
    stored = store_year(2030, notice.days, "测试通知")
    assert (stored.days, stored.removed) == (8, 1)
    assert not CalendarDay.objects.filter(date=D(2030, 3, 3)).exists()
    assert CalendarYear.objects.get(year=2030).source == "测试通知"
    deadline.refresh_from_db()
    # Working days after 1-29: 1-30, 1-31, 2-1, then 2-11 and 2-12 (2-2..2-8 off, 2-9/10 weekend).
    assert deadline.due_date == D(2030, 2, 12) and not deadline.estimated
    assert not Deadline.objects.get(pk=untouched.pk).estimated
    assert stored.moved == 1 and stored.recomputed == 2  # one moved, one only stopped being estimated
    assert case.timeline.filter(action="deadline_recomputed").count() == 2


@pytest.mark.django_db
def test_the_administrator_enters_a_year_in_one_step(client, demo):
    client.force_login(demo["zhuji_administrator"])
    url = reverse("admin:cases_calendaryear_enter")
    page = client.get(url)
    assert page.status_code == 200 and "国务院" in page.content.decode()
    # The same lines for a year nobody entered yet, without the weekdays (they are 2026's).
    text = re.sub(r"（[^）]*）", "", NOTICE_2026.replace("2026", "2031"))
    preview = client.post(url, {"year": 2031, "notice": text, "source": "notice"}).content.decode()
    assert "2031年2月15日" in preview and "调休" in preview and 'name="confirm"' in preview
    assert not CalendarDay.objects.filter(date__year=2031).exists()  # a preview stores nothing
    response = client.post(
        url, {"year": 2031, "notice": text, "source": "notice", "confirm": "1"}, follow=True
    )
    assert CalendarDay.objects.filter(date__year=2031).count() == 39
    assert CalendarYear.objects.filter(year=2031).exists()
    assert "2031" in response.content.decode() and "期限" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_notice_is_previewed_with_its_errors_and_cannot_be_confirmed(client, demo):
    client.force_login(demo["zhuji_administrator"])
    url = reverse("admin:cases_calendaryear_enter")
    data = {
        "year": 2031,
        "notice": "春节：2月15日至23日放假调休，共8天。",
        "source": "notice",
        "confirm": "1",
    }
    page = client.post(url, data).content.decode()
    assert "errorlist" in page and 'name="confirm"' not in page
    assert not CalendarDay.objects.filter(date__year=2031).exists()


@pytest.mark.django_db
def test_loading_from_the_package_when_it_knows_the_year(client, demo):
    client.force_login(demo["zhuji_administrator"])
    url = reverse("admin:cases_calendaryear_enter")
    page = client.post(url, {"year": 2099, "source": "package"}).content.decode()
    assert "chinesecalendar" in page and 'name="confirm"' not in page
    CalendarDay.objects.filter(date__year=2026).delete()
    client.post(url, {"year": 2026, "source": "package", "confirm": "1"})
    stored = CalendarDay.objects.filter(date__year=2026, is_workday=False).values_list("date", flat=True)
    assert set(stored) == _package(2026)[0]


@pytest.mark.django_db
def test_only_the_administrator_enters_holidays(client, demo):
    client.force_login(demo["zhuji_supervisor"])
    response = client.post(reverse("admin:cases_calendaryear_enter"), {"year": 2031, "source": "package"})
    assert response.status_code == 302 and "login" in response["Location"]
