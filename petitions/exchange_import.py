"""Importing the 信访信息系统 exchange file back (petitions.exchange, docs/exchange.md): updates of
petitions that exist, matched by the national number, never new petitions.

A row may link a petition to its national number (a row giving our 本地编号 for a petition with no
national number yet), and bring its reply (处理结果代码, 答复意见, 答复日期), the reply's delivery
(送达日期, 送达方式代码) and its status (办理状态代码). Each change is the workflow's own step
(``reply``, ``record_delivery``, ``finalize``) run as the importing user, so the import can do
exactly what that user could do on the petition's page, and is refused where the page would
refuse, with the step's Chinese message as the row's error. A status the file names that no
imported step reaches is an error: the step is recorded here, by hand.

All rows or none, as for every import (jobs.imports): the check runs every row's steps inside a
transaction that it rolls back (so it reports what the workflow itself would refuse), and the
import runs them again and commits only if no row failed.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from accounts.scoping import visible_cases
from cases.timeline import record
from cases.transitions import TransitionError
from jobs.imports import ImportRefused
from jobs.imports.base import Column, Importer, RowError
from jobs.imports.cells import cell_text, parse_date
from petitions import workflow as wf
from petitions.delivered import delivered
from petitions.delivery import current_opinion
from petitions.exchange import HEADINGS, NATIONAL_STATUS
from petitions.models import DeliveryMethod, Outcome, Petition, PetitionStatus

S = PetitionStatus
NATIONAL_NUMBER_LENGTH = Petition._meta.get_field("national_number").max_length
# A provincial status name read back when the code is missing: only the names that stand for one
# status of ours (待签收, 待审核 and 已办结 stand for several).
_named = {}
for _status, _name in NATIONAL_STATUS.items():
    _named.setdefault(_name, []).append(_status)
STATUS_BY_NAME = {name: statuses[0] for name, statuses in _named.items() if len(statuses) == 1}
STATUS_BY_NAME.pop("已处理待送达", None)  # REPLIED is shown as 已办结 too, once delivered


def C(key, required=False, example="", **options):  # noqa: N802 - reads like the Column it makes
    return Column(key, HEADINGS[key], required, example, **options)


class ExchangeImporter(Importer):
    key = "petition_exchange"
    label = gettext_lazy("petition updates from the national system")
    # Who may import at all (the import page); each change is then the step the user may take.
    roles = (roles.PETITION_CLERK, roles.SUPERVISOR)
    updates = True
    done_message = gettext_lazy("%(count)d petitions updated from the exchange file.")
    columns = [
        C("national_number", True, "330000202605200001", text=True, max_length=NATIONAL_NUMBER_LENGTH),
        C("number", example="诸暨〔2026〕访字第0001号", text=True, max_length=64),
        C("status_code", example="replied"),
        C("status", example="已处理待送达"),
        C("outcome_code", example="not_supported"),
        C("replied_on", example="2026-06-10"),
        C("reply_text", example="经调查，……不予支持。"),
        C("delivered_on", example="2026-06-12"),
        C("delivery_method_code", example="post"),
    ]

    def notes(self):
        return [
            _("The exchange format: docs/exchange.md. Only the columns of this template are read."),
            _("A row finds its petition by the national number; a first row links it by the local number."),
            _("A reply, its delivery and finalisation are recorded through the petition's steps, as you."),
            _("Either every row is imported or none: correct the rows the check lists and upload again."),
        ]

    # --- checking -------------------------------------------------------------------------------
    def context(self, records, user) -> dict:
        national = {cell_text(v["national_number"]) for _n, v in records} - {""}
        local = {cell_text(v["number"]) for _n, v in records} - {""}
        visible = visible_cases(user, Petition.objects.all())
        return {
            "user": user,
            "by_national": {p.national_number: p for p in visible.filter(national_number__in=national)},
            "by_number": {p.number: p for p in visible.filter(number__in=local)},
        }

    def clean_row(self, values, context, errors) -> dict:
        self.required(values, errors, "national_number")
        national, local = cell_text(values["national_number"]), cell_text(values["number"])
        petition, link = context["by_national"].get(national), False
        if national and petition is None:
            petition = context["by_number"].get(local) if local else None
            if petition is not None and petition.national_number:
                errors.append((self.heading("number"), _(
                    "Petition %(number)s is linked to the national number %(national)s already."
                ) % {"number": local, "national": petition.national_number}))  # fmt: skip
                petition = None
            elif petition is None:
                errors.append((self.heading("national_number"), _(
                    "No petition in your jurisdiction has the national number %(national)s"
                    " (or, for a first link, the local number given)."
                ) % {"national": national}))  # fmt: skip
            else:
                link = True
        elif petition is not None and local and petition.number != local:
            errors.append((self.heading("number"), _(
                "The national number %(national)s belongs to petition %(number)s here, not to %(local)s."
            ) % {"national": national, "number": petition.number, "local": local}))  # fmt: skip
        cleaned = {"national_number": national, "petition": petition, "link": link}
        cleaned["status"] = self._status(values, errors)
        cleaned.update(self._reply(values, errors, petition))
        cleaned.update(self._delivery(values, errors, cleaned.get("replied_on")))
        return cleaned

    def _code(self, values, errors, key, choices):
        code = cell_text(values.get(key))
        if code and code not in choices.values:
            allowed = "、".join(choices.values)
            message = _("Unknown value “%(value)s”; use one of: %(allowed)s.") % {
                "value": code,
                "allowed": allowed,
            }
            errors.append((self.heading(key), message))
            return ""
        return code

    def _status(self, values, errors) -> str:
        code = self._code(values, errors, "status_code", S)
        name = cell_text(values.get("status"))
        if not code and name:
            code = STATUS_BY_NAME.get(name, "")
            if not code:
                errors.append((self.heading("status"), _(
                    "“%(value)s” stands for more than one status here; give the status code."
                ) % {"value": name}))  # fmt: skip
        return code

    def _date(self, values, errors, key, not_before=None):
        day = self.parse(values, errors, key, parse_date)
        if day and day > timezone.localdate():
            errors.append((self.heading(key), _("The date lies in the future.")))
            return None
        if day and not_before and day < not_before:
            errors.append((self.heading(key), _("The date lies before %(date)s.") % {"date": not_before}))
            return None
        return day

    def _reply(self, values, errors, petition) -> dict:
        outcome = self._code(values, errors, "outcome_code", Outcome)
        text = cell_text(values.get("reply_text"))
        replied_on = self._date(values, errors, "replied_on", petition.received_on if petition else None)
        given = [cell_text(values.get(k)) for k in ("outcome_code", "reply_text", "replied_on")]
        if any(given) and not all(given):
            errors.append((self.heading("reply_text"), _("A reply needs its outcome code, text and date.")))
        return {"outcome": outcome, "reply_text": text, "replied_on": replied_on}

    def _delivery(self, values, errors, replied_on) -> dict:
        delivered_on = self._date(values, errors, "delivered_on", replied_on)
        method = self._code(values, errors, "delivery_method_code", DeliveryMethod)
        if delivered_on and not method:
            errors.append((self.heading("delivery_method_code"), _("Required; the cell is empty.")))
        return {"delivered_on": delivered_on, "delivery_method": method}

    def check_numbers(self, records, context, result):
        """A national number once per file: two rows for one petition would race each other."""
        seen = {}
        for number, values in records:
            if text := cell_text(values.get("national_number")):
                seen.setdefault(text, []).append(number)
        heading = self.heading("national_number")
        for text, rows in seen.items():
            if len(rows) > 1:
                listed = "、".join(str(r) for r in rows)
                message = _("National number %(number)s appears more than once in the file (rows %(rows)s).")
                for row in rows:
                    result.errors.append(RowError(row, heading, message % {"number": text, "rows": listed}))

    def check(self, headings, rows, user, progress=None):
        """The cells, then a rehearsal: every clean row's steps in a transaction rolled back."""
        result = super().check(headings, rows, user, progress)
        with transaction.atomic():
            self._apply_all(result, user)  # the rows whose cells are clean: every error at once
            transaction.set_rollback(True)
        bad = set(result.bad_rows)
        result.rows = [(n, v) for n, v in result.rows if n not in bad]
        return result

    # --- writing --------------------------------------------------------------------------------
    def write_updates(self, checked, user, progress=None, on_written=None) -> list[int]:
        with transaction.atomic():
            changed = self._apply_all(checked, user, progress)
            if checked.errors:
                raise ImportRefused(checked)  # rolls every row back
            if on_written:
                on_written(changed)
        return changed

    def _apply_all(self, checked, user, progress=None) -> list[int]:
        changed = []
        for done, (row, cleaned) in enumerate(checked.rows, start=1):
            errors = []
            try:
                with transaction.atomic():
                    if self.apply(cleaned, user, errors):
                        changed.append(cleaned["petition"].pk)
                    if errors:
                        raise _RowFailed
            except _RowFailed:
                pass
            checked.errors.extend(RowError(row, column, str(message)) for column, message in errors)
            if progress:
                progress(len(checked.rows) + done, 2 * len(checked.rows))
        return changed

    def apply(self, cleaned, user, errors) -> bool:
        """One row's changes through the workflow; True when something changed."""
        pk, changed = cleaned["petition"].pk, False
        if cleaned["link"]:
            p = Petition.objects.select_for_update().get(pk=pk)
            p.national_number = cleaned["national_number"]
            p.save(update_fields=["national_number"])
            record(p, user, "exchange_link", _("Linked to the national petition system"),
                   after={"national_number": p.national_number})  # fmt: skip
            changed = True
        steps = (
            ("reply_text", self._apply_reply),
            ("delivered_on", self._apply_delivery),
            ("status_code", self._apply_status),
        )
        for column, step in steps:
            try:
                changed = step(Petition.objects.get(pk=pk), cleaned, user) or changed
            except TransitionError as exc:
                errors.append((self.heading(column), str(exc)))
                return changed
            except (PermissionDenied, Http404):
                errors.append((self.heading(column), _("Your role does not allow this action.")))
                return changed
            except ValidationError as exc:
                errors.append((self.heading(column), exc.messages[0]))
                return changed
        return changed

    def _apply_reply(self, p, cleaned, user) -> bool:
        if not cleaned["reply_text"]:
            return False
        if p.replied_on is None:
            wf.reply(p.pk, user, outcome=cleaned["outcome"], text=cleaned["reply_text"],
                     replied_on=cleaned["replied_on"])  # fmt: skip
            return True
        same = (p.outcome, p.reply_text.strip(), p.replied_on) == (
            cleaned["outcome"], cleaned["reply_text"].strip(), cleaned["replied_on"],
        )  # fmt: skip
        if not same:
            message = _("This petition was answered here on %(date)s with another reply; correct it here.")
            raise TransitionError(message % {"date": _day(p.replied_on)})
        return False

    def _apply_delivery(self, p, cleaned, user) -> bool:
        if not cleaned["delivered_on"]:
            return False
        document = current_opinion(p)
        earlier = delivered(p).get(document)
        if earlier is not None:
            if earlier.delivered_on != cleaned["delivered_on"]:
                raise TransitionError(
                    _("This document was delivered on %(date)s.") % {"date": _day(earlier.delivered_on)}
                )
            return False
        wf.record_delivery(p.pk, user, document=document, method=cleaned["delivery_method"],
                           delivered_on=cleaned["delivered_on"])  # fmt: skip
        return True

    def _apply_status(self, p, cleaned, user) -> bool:
        wanted = cleaned["status"]
        if not wanted or wanted == p.status:
            return False
        if wanted == S.FINALIZED:
            wf.finalize(p.pk, user)
            return True
        message = _(
            "This system shows “%(ours)s”; an import does not reach “%(theirs)s”: record the step here."
        )
        raise TransitionError(message % {"ours": p.get_status_display(), "theirs": S(wanted).label})


class _RowFailed(Exception):
    """Rolls one row's savepoint back; its errors are already listed."""


def _day(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
