"""The body one level above a unit, as the 信访工作条例 sends matters there (§30 an accusation against
the registering unit, §35-36 复查 and 复核): the petition bureau, else the governance centre, of the
nearest region above; above the highest region the portal holds units for, the other of the two
bodies of the same region stands in."""

from accounts.models import Unit, UnitKind

UPWARD_KINDS = (UnitKind.PETITION_OFFICE, UnitKind.GOVERNANCE_CENTRE)


def body_above(unit: Unit, *, besides=()) -> Unit | None:
    """None when no such body is in the portal. Never ``unit`` nor a unit of ``besides``."""
    codes = unit.region.codes_up()[1:] + [unit.region_id]
    kinds = list(UPWARD_KINDS)
    candidates = Unit.objects.filter(region_id__in=codes, kind__in=kinds, is_active=True).exclude(
        pk__in=[unit.pk, *(u.pk for u in besides if u is not None)]
    )
    ranked = sorted(candidates, key=lambda u: (codes.index(u.region_id), kinds.index(u.kind), u.pk))
    return ranked[0] if ranked else None
