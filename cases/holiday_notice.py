"""Reading the State Council's yearly notice on holidays (国务院办公厅关于20XX年部分节假日安排的通知).

An administrator pastes the notice, or just its lines, e.g.

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

Each "name：" opens a holiday; in its text a sentence with 放假 gives the days off (a day, or a
range "A至B", whose "共N天" must agree), a sentence with 上班 the make-up working days (调休). Weekend
days inside a range are kept, with the holiday's name, as the calendar stores them
(cases.models.CalendarDay). Remarks in brackets (weekdays, lunar dates) are ignored; a weekday named
in them that disagrees with the date is reported, since it means a typing error.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# "元旦：", "二、春节：", "国庆节、中秋节：": a run of Chinese characters (and 、) before a colon.
HEADING = re.compile(r"([\u4e00-\u9fff、]{2,16})\s*[：:]")
ENUMERATOR = re.compile(r"^[一二三四五六七八九十]+、")
BRACKETS = re.compile(r"（([^）]*)）|\(([^)]*)\)")
DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日"
RANGE = re.compile(DATE.format(p="a") + r"(?:\s*[至到~～—–-]+\s*" + DATE.format(p="b") + r")?")
TOTAL = re.compile(r"共\s*(\d+)\s*天")
WEEKDAYS = "一二三四五六日"
WEEKDAY_NOTE = re.compile(r"(?:周|星期)([一二三四五六日天])")
FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class NoticeDay:
    date: datetime.date
    is_workday: bool
    name: str


@dataclass
class Notice:
    year: int
    days: list[NoticeDay] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def holidays(self) -> list[NoticeDay]:
        return [d for d in self.days if not d.is_workday]

    @property
    def workdays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.is_workday]


def parse_notice(text: str, year: int) -> Notice:
    """The days off and make-up working days the notice gives for ``year``, and what did not add up."""
    notice = Notice(year)
    text = (text or "").translate(FULLWIDTH)
    headings = list(HEADING.finditer(text))
    seen: dict[datetime.date, NoticeDay] = {}
    for i, heading in enumerate(headings):
        name = ENUMERATOR.sub("", heading.group(1)).strip("、")
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        for sentence in re.split(r"[。；;\n]", text[heading.end() : end]):
            for day in _sentence_days(sentence, name, year, notice.errors):
                other = seen.get(day.date)
                if other and other.is_workday != day.is_workday:
                    notice.errors.append(
                        _("%(date)s is given both as a day off and as a working day.")
                        % {"date": _show(day.date)}
                    )
                seen[day.date] = day
    if not seen:
        notice.errors.append(
            _(
                "No holiday dates were found. Paste the lines of the notice, e.g. "
                "春节：2月15日至23日放假调休，共9天。"
            )
        )
    notice.days = sorted(seen.values(), key=lambda d: d.date)
    return notice


def _sentence_days(sentence, name, year, errors):
    working = "上班" in sentence
    if not working and "放假" not in sentence and "休息" not in sentence:
        return []
    notes = {m.start(): (m.group(1) or m.group(2) or "") for m in BRACKETS.finditer(sentence)}
    plain = BRACKETS.sub(lambda m: " " * len(m.group(0)), sentence)  # keep the positions
    days = []
    for match in RANGE.finditer(plain):
        try:
            start = _date(match, "a", year, None)
            stop = _date(match, "b", start.year, start) if match["bd"] else start
        except ValueError:
            errors.append(_("%(name)s: %(text)s is not a date.") % {"name": name, "text": match.group(0)})
            continue
        if stop < start or (stop - start).days > 31:
            errors.append(
                _("%(name)s: the period %(text)s does not make sense.")
                % {"name": name, "text": match.group(0)}
            )
            continue
        _check_weekdays(match, notes, start, stop, name, errors)
        if working:
            # "2月14日（周六）、2月28日（周六）上班": each date is one working day; a range is not meant.
            days.append(NoticeDay(start, True, name))
            if stop != start:
                days.append(NoticeDay(stop, True, name))
            continue
        period = [start + datetime.timedelta(days=n) for n in range((stop - start).days + 1)]
        total = TOTAL.search(plain, match.end())
        if total and int(total.group(1)) != len(period):
            errors.append(
                _("%(name)s: %(first)s to %(last)s is %(days)s days, but the notice says %(total)s.")
                % {
                    "name": name,
                    "first": _show(start),
                    "last": _show(stop),
                    "days": len(period),
                    "total": total.group(1),
                }
            )
        days.extend(NoticeDay(d, False, name) for d in period)
        break  # one period of days off per holiday: later dates in the sentence are remarks
    return days


def _date(match, p, year, after):
    month = int(match[f"{p}m"]) if match[f"{p}m"] else (after.month if after else None)
    if month is None:
        raise ValueError("no month")
    if match[f"{p}y"]:
        year = int(match[f"{p}y"])
    elif after and month < after.month:
        year += 1  # 12月31日至1月2日
    return datetime.date(year, month, int(match[f"{p}d"]))


def _check_weekdays(match, notes, start, stop, name, errors):
    """A bracketed note right after a date naming a weekday (（周六）) must agree with the date."""
    for date, position in ((start, match.end("ad")), (stop, match.end("bd") if match["bd"] else None)):
        if position is None:
            continue
        note = notes.get(position + 1)  # the bracket follows "日"
        weekday = WEEKDAY_NOTE.search(note or "")
        if weekday:
            said = WEEKDAYS.index("日" if weekday.group(1) == "天" else weekday.group(1))
            if said != date.weekday():
                errors.append(
                    _("%(name)s: %(date)s is a %(real)s, not 周%(said)s as written.")
                    % {
                        "name": name,
                        "date": _show(date),
                        "real": "周" + WEEKDAYS[date.weekday()],
                        "said": WEEKDAYS[said],
                    }
                )


def _show(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"
