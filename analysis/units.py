"""Who stands where on a warning: the responsible unit, the units above that see its place, and the
units below it may be sent to. The step table (analysis.workflow) and its forms read these."""

from accounts.models import Region, Unit, UnitKind

# Units a warning is sent down to: those that answer for a place.
SEND_KINDS = (UnitKind.GOVERNANCE_CENTRE, UnitKind.TOWNSHIP_GOVERNMENT)


def is_responsible(warning, user) -> bool:
    return user.unit_id is not None and warning.unit_id == user.unit_id


def covers(warning, user) -> bool:
    """The user's unit sees the warning's place (a level above the responsible unit, or its own)."""
    unit = getattr(user, "unit", None)
    return bool(
        unit and unit.is_active and unit.covers_region and warning.region_id.startswith(unit.region.prefix)
    )


def send_targets(warning, user):
    """The units ``user`` may send ``warning`` to: active centres or township governments below the
    user's own unit whose region contains the warning's place, so that they see it (the one rule)."""
    unit = getattr(user, "unit", None)
    if unit is None or not covers(warning, user):
        return Unit.objects.none()
    place = Region.objects.get(pk=warning.region_id)
    return (
        Unit.objects.filter(
            is_active=True, covers_region=True, kind__in=SEND_KINDS, region_id__in=place.codes_up(),
            region__level__gt=unit.region.level,
        )
        .exclude(pk=warning.unit_id or 0)
        .select_related("region")
        .order_by("region__level", "name")
    )  # fmt: skip


def may_send(warning, user) -> bool:
    return send_targets(warning, user).exists()


def may_close(warning, user) -> bool:
    return is_responsible(warning, user) or covers(warning, user)
