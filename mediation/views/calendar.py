"""The session calendar page (mediation.calendar): a week or a month, mine or a unit's. Thin: the
query parameters are read and checked here, the calendar and the scoping rule decide the rest."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts import roles
from accounts.models import Unit
from accounts.scoping import visible_units
from cases.bounds import parse_date, parse_id
from mediation import calendar

CALENDAR_ROLES = (roles.MEDIATOR, roles.SUPERVISOR)


def units_open_to(user) -> list[Unit]:
    """The user's own unit and, for a supervisor, the units of their jurisdiction (the one rule's
    ``visible_units``), own unit first."""
    units = []
    if roles.has_role(user, roles.SUPERVISOR) or user.is_superuser:
        units = list(visible_units(user, Unit.objects.filter(is_active=True)).select_related("region")
                     .order_by("region__code", "name"))  # fmt: skip
    own = [u for u in units if u.pk == user.unit_id] or ([user.unit] if user.unit_id else [])
    return own + [u for u in units if u.pk != user.unit_id]


@login_required
def calendar_view(request):
    user = request.user
    if not (user.is_superuser or roles.has_role(user, *CALENDAR_ROLES)):
        raise PermissionDenied
    view = "month" if request.GET.get("view") == "month" else "week"
    try:
        anchor = parse_date(request.GET["date"]) if request.GET.get("date") else timezone.localdate()
    except ValidationError:
        anchor = timezone.localdate()
    is_mediator = roles.has_role(user, roles.MEDIATOR)
    who = request.GET.get("who") or ("mine" if is_mediator else "unit")
    units, unit = [], None
    if who == "unit":
        units = units_open_to(user)
        wanted = parse_id(request.GET.get("unit")) or user.unit_id
        unit = next((u for u in units if u.pk == wanted), None)
        if unit is None:
            raise Http404
        cal = calendar.build(user, view, anchor, unit=unit)
    else:
        who = "mine"
        cal = calendar.build(user, view, anchor, mediator=user)
    return render(
        request,
        "mediation/calendar.html",
        {
            "cal": cal, "who": who, "unit": unit, "units": units, "is_mediator": is_mediator,
            "weekdays": calendar.WEEKDAYS, "today": timezone.localdate(),
            "week_end": cal.end - datetime.timedelta(days=1),
        },
    )  # fmt: skip
