"""Two duties of whoever holds a petition: report a major or urgent matter up at once (信访工作条例
§25), and step aside from a matter in which one has an interest (回避, §28 ¶3).

Each step is declared here once; the TRANSITIONS table in petitions.workflow lists them.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts import roles
from accounts.models import Unit, UnitKind, User
from cases.forms import BootstrapMixin
from cases.transitions import TransitionError, perform, step
from petitions.models import Petition, PetitionStatus
from petitions.routing import holds
from petitions.units import UPWARD_KINDS

S = PetitionStatus
CLERK, HANDLER, SUP = roles.PETITION_CLERK, roles.HANDLER, roles.SUPERVISOR
OPEN = frozenset(S.values) - {S.NOT_ACCEPTED, S.DIVERTED, S.FINALIZED}


class MajorForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_l("What makes it major or urgent"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecuseForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_l("Your interest in the matter"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    handler = forms.ModelChoiceField(label=_l("Hand it to"), queryset=User.objects.none())

    def __init__(self, *args, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        unit_id = case.handling_unit_id or user.unit_id
        self.fields["handler"].queryset = (
            User.objects.filter(is_active=True, unit_id=unit_id).exclude(pk=user.pk).order_by("username")
        )


def units_above(petition) -> list[Unit]:
    """The 信访部门 and 综治中心 of each region above the holding unit's, up to the county, and
    the county 综治中心 itself (its leaders are told even when the county holds the matter)."""
    unit = petition.handling_unit
    region = unit.region if unit else petition.region
    above = region.codes_up()[1:]
    units = list(Unit.objects.filter(region_id__in=above, kind__in=UPWARD_KINDS, is_active=True))
    county = region.county_code()
    if county:
        centre = Unit.objects.filter(
            region_id=county.ljust(12, "0"), kind=UnitKind.GOVERNANCE_CENTRE, is_active=True
        ).first()
        if centre is not None and centre not in units:
            units.append(centre)
    return [u for u in units if unit is None or u.pk != unit.pk]


def report_major(petition_id, actor, *, reason):
    """§25: a major or urgent matter is reported up at once; the timeline keeps who was told and when
    (the in-app notices are written in the same transaction, supervision.handoffs)."""
    if not reason.strip():
        raise TransitionError(_("Say what makes the matter major or urgent."))
    details = {"reason": reason}

    def apply(p):
        p.is_major = True
        told = units_above(p)
        if not told:
            raise TransitionError(_("No unit above yours can be told; report it on paper."))
        details["told"] = [str(u) for u in told]
        details["told_at"] = timezone.localtime().isoformat(timespec="minutes")

    return perform(MAJOR, Petition, petition_id, actor, apply, details=details)


def recuse(petition_id, actor, *, reason, handler):
    """§28 ¶3: a handler with an interest in the matter steps aside; another member of the unit takes
    it, and the timeline says why."""
    if not reason.strip():
        raise TransitionError(_("Say what your interest in the matter is."))

    def apply(p):
        if (
            handler.pk == actor.pk
            or not handler.is_active
            or handler.unit_id != (p.handling_unit_id or actor.unit_id)
        ):
            raise TransitionError(_("Hand the matter to another member of the unit holding it."))
        p.handler = handler

    return perform(
        RECUSE, Petition, petition_id, actor, apply, details={"reason": reason}, watch=("handler",)
    )


def _is_handling(case, user) -> bool:
    """The handler of the matter, or (none named) a member of the unit holding it."""
    return case.handler_id == user.pk if case.handler_id else holds(case, user)


MAJOR = step(
    "report_major", _l("report as major or urgent (§25)"), OPEN, None, {CLERK, HANDLER, SUP}, MajorForm,
    lambda pk, u, d: report_major(pk, u, **d), guard=holds,
    hands_to=lambda p, actor: (units_above(p), []),
    confirm=_l("The units above and the county leaders are told at once. Continue?"),
)  # fmt: skip
RECUSE = step(
    "recuse", _l("step aside"), OPEN, None, {CLERK, HANDLER, SUP}, RecuseForm,
    lambda pk, u, d: recuse(pk, u, **d), guard=_is_handling, form_needs_case=True,
    hands_to=lambda p, actor: ([], [p.handler]),
)  # fmt: skip
