"""The two case types' simulated lives (see rows.py): disputes through mediation, petitions under the
信访工作条例. Status names and deadline codes are those of mediation.workflow and petitions.workflow."""

from dataclasses import dataclass

from benchmarks.scale.rows import DAY, HOUR, CaseWriter, n
from cases.idnumbers import mask_name

STALL = 0.015  # share of cases that stop at some stage and stay open (overdue)


@dataclass
class Place:
    """A village and the units and users around it (resolved once per village)."""

    code: str
    county6: str
    name: str
    county_short: str
    mc: int  # village mediation committee
    mediator: int
    grid_worker: int
    town_mc: int
    town_mediator: int
    town_centre: int
    town_clerk: int
    county_po: int
    county_clerk: int
    departments: list  # [(unit id, group id)]


DISPUTE_SOURCES = ["grid_inspection"] * 4 + ["walk_in"] * 3 + ["application"] * 2 + [
    "phone", "referred_court", "referred_police", "referred_petition", "referred_department",
]  # fmt: skip
SUBJECTS = ("宅基地边界", "排水沟", "借款", "工钱", "相邻通行", "赡养费", "装修噪音", "土地承包",
            "交通事故赔偿", "房屋租赁", "婚后财产", "山林界址", "养殖污染", "物业费", "医疗费用")  # fmt: skip
CHANNELS = ["letter"] * 2 + ["visit"] * 3 + ["online"] * 3 + ["phone", "hotline_12345", "wechat_app",
            "leader_mailbox", "people_board", "upper_referral"]  # fmt: skip
TERMS = "双方自愿达成协议，按约定履行。"
DECLINE_REASON = "不属于人民调解受理范围"
SATISFACTION = ["satisfied"] * 6 + ["basically"] * 3 + ["dissatisfied"]


class DisputeLife:
    def __init__(self, writer: CaseWriter, rng, categories, risk_levels):
        self.w, self.rng = writer, rng
        self.categories = categories  # [(id, name)]
        self.risk_levels = risk_levels  # ids, repeated by weight
        self.next_session = 0  # set by the loader

    def make(self, case_id, number, t0, p: Place, applicant, respondent, names):
        rng, w = self.rng, self.w
        tables = w.tables
        w.begin(case_id)
        town = rng.random() < 0.25
        unit, handler = (p.town_mc, p.town_mediator) if town else (p.mc, p.mediator)
        registrar = p.grid_worker if rng.random() < 0.5 else handler
        stall = (
            rng.choice(("registered", "mediating", "agreed")) if rng.random() < self.stall_share(t0) else ""
        )
        category_id, category = rng.choice(self.categories)
        closed = None
        status, term_route = "registered", ""
        w.event(t0, registrar, "register", "纠纷登记", "", "registered")
        w.open_deadline("dispute_accept", t0)
        declined = rng.random() < 0.07
        t = t0 + rng.randint(2 * HOUR, 3 * DAY)
        if (
            stall != "registered"
            and declined
            and w.event(t, handler, "decline", "不予受理", status, "declined")
        ):
            w.close_deadline("dispute_accept", t)
            status = "declined"
            t += rng.randint(1, 5) * DAY
            if w.event(t, handler, "archive", "立卷归档", status, "archived"):
                status, closed = "archived", t
        elif stall != "registered" and w.event(t, handler, "accept", "受理", status, "accepted"):
            w.close_deadline("dispute_accept", t)
            status = "accepted"
            t += rng.randint(10 * 60, 2 * DAY)
            if w.event(t, handler, "start_mediation", "开始调解", "accepted", "mediating"):
                status = "mediating"
                w.open_deadline("mediation_period", t)
                status, closed, term_route = self._mediate(t, case_id, p, handler, names, stall, status)
        next_due = w.flush_open_deadlines()
        amount = f"{rng.randint(2, 800) * 500}.00" if rng.random() < 0.6 else "\\N"
        facts, summary = self.texts(p, category, names)
        tables.add(
            "dispute",
            f"{case_id}\t{rng.choice(DISPUTE_SOURCES)}\t{p.name}\t{facts}\t{amount}\t{rng.randint(2, 6)}\t"
            f"{DECLINE_REASON if declined else ''}\t\t"
            f"{term_route}\t"
            f"{'t' if rng.random() < 0.02 else 'f'}\t{'t' if rng.random() < 0.01 else 'f'}\t{category_id}\t"
            f"{rng.choice(self.risk_levels)}\n",
        )
        w.party(applicant, "applicant", 0)
        w.party(respondent, "respondent", 1)
        w.case_row("dispute", number, summary, status, t0, closed, next_due, handler, unit, p.code, None)

    def stall_share(self, t0: int) -> float:
        """The share of cases opened at ``t0`` that stop at some stage and stay open (overdue)."""
        return STALL

    def agreed_amount(self) -> str:
        """The agreement's sum (协议涉及金额, the statistics' column): most settle a sum of money."""
        return f"{self.rng.randint(2, 400) * 500}.00" if self.rng.random() < 0.7 else "\\N"

    def texts(self, p: Place, category: str, names) -> tuple[str, str]:
        """(facts, summary) of a dispute; the living demo (benchmarks.demo) writes fuller ones."""
        facts = f"{p.name}村民因{self.rng.choice(SUBJECTS)}问题发生争执，请求调解。"
        return facts, f"{p.name}{self.rng.choice(SUBJECTS)}{category}"

    def _mediate(self, t, case_id, p, handler, names, stall, status):
        rng, w = self.rng, self.w
        agreed = rng.random() < 0.85
        attendees = "、".join(mask_name(x) for x in names)
        sessions = rng.choice((1, 1, 1, 2, 2, 3))
        for i in range(sessions):
            t += rng.randint(1, 12) * DAY + rng.randint(0, 8 * HOUR)
            if t > w.now or stall == "mediating":
                return status, None, ""
            last = i == sessions - 1
            outcome = ("agreed" if agreed else "failed") if last else "continue"
            sid = self.next_session
            self.next_session += 1
            w.tables.add(
                "session",
                f"{sid}\t{w.clock.ts(t)}\t{p.name}调解室\t{attendees}\t双方陈述事实，调解员释法说理。\t{outcome}\t"
                f"{w.clock.ts(t)}\t{handler}\t{case_id}\n",
            )
            w.tables.add("session_mediator", f"{sid}\t{handler}\n")
        if agreed:
            w.event(t, handler, "agree", "登记调解协议", "mediating", "agreed")
            status = "agreed"
            day, form = w.clock.day_text[t // DAY], "written" if rng.random() < 0.85 else "oral"
            w.tables.add(
                "agreement",
                f"{form}\t{TERMS}\t\t\t\t\\N\t{self.agreed_amount()}\t"
                f"{day}\t{names[0]} {day}\\n{names[1]} {day}\t\\N\t\tnone\t\\N\t\t\\N\t{w.clock.ts(t)}\t"
                f"{case_id}\t{handler}\n",
            )
            route = ""
        else:
            route = rng.choice(("litigation", "arbitration", "administrative"))
            w.event(t, handler, "terminate", "终止调解", "mediating", "terminated", f'"route": "{route}", ')
            status = "terminated"
        w.close_deadline("mediation_period", t)
        w.open_deadline("follow_up", t)
        if stall == "agreed":
            return status, None, route
        t += rng.randint(7, 35) * DAY
        if not w.event(t, handler, "follow_up", "回访", status, "followed_up"):
            return status, None, route
        w.close_deadline("follow_up", t)
        w.tables.add(
            "follow_up",
            f"{w.clock.day_text[t // DAY]}\t{rng.choice(('visit', 'phone', 'meeting'))}\t已履行\t"
            f"{rng.choice(SATISFACTION)}\t\t{w.clock.ts(t)}\t{case_id}\t{handler}\n",
        )
        status = "followed_up"
        t += rng.randint(1, 10) * DAY
        if not w.event(t, handler, "archive", "立卷归档", status, "archived"):
            return status, None, route
        return "archived", t, route


class PetitionLife:
    def texts(self, p: Place, category: str, kind: str, petitioner: str) -> tuple[str, str, str]:
        """(content, demands, summary) of a petition; the living demo writes fuller ones."""
        return f"反映{p.name}{category}问题，请求依法处理。", "请求解决。", f"{p.name}{category}问题"

    def stall_share(self, t0: int) -> float:
        """The share of petitions opened at ``t0`` that stop at some stage and stay open (overdue)."""
        return STALL

    def head_count(self) -> int:
        """人次 of a visit; five or more make it a collective visit (集体访)."""
        return self.rng.randint(1, 12)

    def __init__(self, writer: CaseWriter, rng, categories, view_permission_id: int):
        self.w, self.rng = writer, rng
        self.categories = categories  # [(id, name)]
        self.view_permission_id = view_permission_id

    def make(self, case_id, number, t0, p: Place, petitioner, repeat_of):
        rng, w = self.rng, self.w
        w.begin(case_id)
        county = rng.random() < 0.4
        unit, clerk = (p.county_po, p.county_clerk) if county else (p.town_centre, p.town_clerk)
        channel = rng.choice(CHANNELS)
        kind = "accusation" if rng.random() < 0.08 else ("suggestion" if rng.random() < 0.15 else "claim")
        complained = rng.choice(p.departments)[0] if kind == "accusation" and p.departments else None
        target = None
        if complained is None and p.departments and rng.random() < 0.1:
            target, group = rng.choice(p.departments)
            w.tables.add("grant", f"{case_id}\t{group}\t{self.view_permission_id}\n")
        stall_share = self.stall_share(t0)
        stall = rng.random() < stall_share
        category_id, category = rng.choice(self.categories)
        day0 = w.clock.day_text[t0 // DAY]
        status, closed, route, outcome, reply, routed, accepted, replied = (
            "registered", None, "", "", "", None, None, None,
        )  # fmt: skip
        w.event(t0, clerk, "register", "信访事项登记", "", "registered")
        w.open_deadline("petition_route", t0)
        r = rng.random()
        t = t0 + rng.randint(1, 12) * DAY + rng.randint(0, 6 * HOUR)
        if stall:
            pass
        elif r < 0.08 and w.event(t, clerk, "not_accept", "告知向有权机关提出", status, "not_accepted"):
            w.close_deadline("petition_route", t)
            status, closed, routed = "not_accepted", t, t
        elif r < 0.15 and w.event(
            t, clerk, "divert", "导入法定程序", status, "diverted", '"route": "legal", '
        ):
            w.close_deadline("petition_route", t)
            status, closed, route, routed = "diverted", t, "legal", t
        elif w.event(t, clerk, "accept", "受理并书面告知", status, "accepted"):
            w.close_deadline("petition_route", t)
            w.open_deadline("petition_handle", t)
            status, routed, accepted = "accepted", t, t
            t += rng.randint(5, 68) * DAY
            if rng.random() >= stall_share and w.event(
                t, clerk, "reply", "出具处理意见并答复", status, "replied"
            ):
                w.close_deadline("petition_handle", t)
                w.open_deadline("petition_review_request", t)
                status, route, replied = "replied", "opinion", t
                outcome = rng.choice(("supported", "explained", "explained", "not_supported"))
                reply = "经调查核实，已依法依规作出处理。"
                if rng.random() < 0.6 and t + 5 * DAY <= w.now:
                    w.tables.add(
                        "evaluation",
                        f"{rng.choice(SATISFACTION)}\t{w.clock.day_text[(t + 5 * DAY) // DAY]}\t电话回访\t"
                        f"{w.clock.ts(t + 5 * DAY)}\t{case_id}\n",
                    )
                t += rng.randint(31, 40) * DAY
                if w.event(t, clerk, "finalize", "申请期限届满，终结", status, "finalized"):
                    w.close_deadline("petition_review_request", t, state="cancelled")
                    status, closed = "finalized", t
        next_due = w.flush_open_deadlines()
        dt = w.clock.day_text
        head = self.head_count() if channel == "visit" else 0
        tables = w.tables
        content, demands, summary = self.texts(p, category, kind, petitioner.name)
        tables.add(
            "petition",
            f"{case_id}\t{channel}\t{kind}\t{route}\t{content}\t{demands}\t{day0}\t\t\t"
            f"{'t' if head >= 5 else 'f'}\t{'t' if rng.random() < 0.03 else 'f'}\t"
            f"{dt[routed // DAY] if routed else chr(92) + 'N'}\t{outcome}\t{reply}\t"
            f"{dt[replied // DAY] if replied else chr(92) + 'N'}\t0\t\t\t{n(complained)}\t{n(repeat_of)}\t"
            f"{n(target)}\t{category_id}\t{dt[accepted // DAY] if accepted else chr(92) + 'N'}\n",
        )
        if head:
            tables.add("visit", f"{day0}\t{head}\t{w.clock.ts(t0)}\t{case_id}\n")
        w.party(petitioner, "petitioner", 0)
        w.case_row("petition", number, summary, status, t0, closed, next_due, clerk, unit, p.code, complained)
