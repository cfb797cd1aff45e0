"""Petition page actions: transition name -> form and handler."""

from django.utils.translation import gettext_lazy as _

from cases.actions import Action
from petitions import workflow as wf
from petitions.forms import (
    AcceptForm,
    DivertForm,
    EmptyForm,
    EvaluationForm,
    ExtendForm,
    OpinionForm,
    ReasonForm,
    ReplyForm,
    RequestForm,
    UnitForm,
    VisitForm,
)

ACTIONS = {
    a.name: a
    for a in [
        Action("forward", UnitForm, lambda pk, u, d: wf.forward(pk, u, d["unit"]), form_needs_case=True),
        Action("assign", UnitForm, lambda pk, u, d: wf.assign(pk, u, d["unit"]), form_needs_case=True),
        Action("object", ReasonForm, lambda pk, u, d: wf.object_to_routing(pk, u, d["reason"])),
        Action("accept", AcceptForm, lambda pk, u, d: wf.accept(pk, u, route=d["route"])),
        Action(
            "not_accept",
            ReasonForm,
            lambda pk, u, d: wf.not_accept(pk, u, reason=d["reason"]),
            confirm=_("Close this petition and tell the petitioner to go to the competent organ?"),
        ),
        Action(
            "divert",
            DivertForm,
            lambda pk, u, d: wf.divert(pk, u, route=d["route"]),
            confirm=_("Divert this petition out of the petition track?"),
        ),
        Action("add_visit", VisitForm, lambda pk, u, d: wf.add_visit(pk, u, **d)),
        Action(
            "extend",
            ExtendForm,
            lambda pk, u, d: wf.extend(pk, u, **d),
            confirm=_("The handling period can be extended only once. Continue?"),
        ),
        Action("reply", ReplyForm, lambda pk, u, d: wf.reply(pk, u, **d)),
        Action("request_review", RequestForm, lambda pk, u, d: wf.request_review(pk, u, **d)),
        Action("decide_review", OpinionForm, lambda pk, u, d: wf.decide_review(pk, u, **d)),
        Action("request_rereview", RequestForm, lambda pk, u, d: wf.request_rereview(pk, u, **d)),
        Action(
            "decide_rereview",
            OpinionForm,
            lambda pk, u, d: wf.decide_rereview(pk, u, **d),
            confirm=_("After re-review the matter is final. Continue?"),
        ),
        Action(
            "finalize", EmptyForm, lambda pk, u, d: wf.finalize(pk, u), confirm=_("Finalise this petition?")
        ),
        Action("evaluate", EvaluationForm, lambda pk, u, d: wf.evaluate(pk, u, **d)),
    ]
}
