"""Who sees personal data in full, masking for everyone else, and the record of full views."""

from accounts import roles
from cases.idnumbers import mask_id_number, mask_name, mask_phone
from cases.models import PersonalDataAccess

# Mediators and supervisors work with the parties directly; everyone else sees masked values.
FULL_PII_ROLES = (roles.MEDIATOR, roles.SUPERVISOR, roles.PETITION_CLERK)
# The values whose every full view is recorded (PIPL §51; 居民身份证法 §19 for ID numbers).
LOGGED_FIELDS = ("id_number", "phone")


def can_view_full_pii(user) -> bool:
    return user.is_superuser or roles.has_role(user, *FULL_PII_ROLES)


def party_view(party, full: bool) -> dict:
    """The values a page may show for one party of a case: the details given on that case
    (``CaseParty``), never the register's (SECURITY.md, "Personal data")."""
    if full:
        return {
            "name": party.name,
            "id_number": party.id_number,
            "phone": party.phone,
            "address": party.address,
            # Read from the ID number (cases.people.party_details), so shown only with it in full.
            "gender": party.get_gender_display() if party.gender else "",
            "birth_date": party.birth_date,
        }
    return {
        "name": mask_name(party.name),
        "id_number": mask_id_number(party.id_number),
        "phone": mask_phone(party.phone),
        "address": "",
    }


def party_views(user, case, links, via: str) -> list[tuple]:
    """(link, values) for a case's party links as ``user`` may see them; full views are recorded.

    ``via`` names the page or document ("dispute_detail", "pdf:closure"). One INSERT at most,
    whatever the number of parties.
    """
    links = list(links)
    everyone = can_view_full_pii(user)
    # The user who typed a party's details on this case reads them back (a grid worker checking
    # the report they just filed); that party only, on this case only, and logged like any full view.
    shown = [everyone or entered_by(link) == user.pk for link in links]
    record_full_views(user, case, [link for link, full in zip(links, shown, strict=True) if full], via)
    return [
        (link, {**party_view(link, full), "yours": full and not everyone})
        for link, full in zip(links, shown, strict=True)
    ]


def entered_by(link):
    """The id of the user who entered this party on its case (None for imports and older rows)."""
    return getattr(link, "entered_by_id", None)


def record_full_views(user, case, links, via: str) -> int:
    """Record that ``user`` saw these parties' ID numbers and phones in full (one row per person of
    the register, whose values on ``case`` were shown); returns the rows."""

    rows, seen = [], set()
    for link in links:
        shown = [f for f in LOGGED_FIELDS if getattr(link, f)]
        if shown and link.person_id not in seen:
            seen.add(link.person_id)
            rows.append(
                PersonalDataAccess(
                    user=user,
                    person_id=link.person_id,
                    case_id=getattr(case, "pk", None),
                    fields=",".join(shown),
                    via=via[:50],
                )
            )
    _insert_at_once(PersonalDataAccess, rows)
    return len(rows)


def _insert_at_once(model, rows) -> None:
    """One multi-row INSERT, atomic by itself. ``bulk_create`` wraps even a single statement in a
    transaction, which outside one costs a BEGIN and a COMMIT on every detail page; it is used only
    when the rows do not fit one statement (SQLite's parameter limit)."""
    from django.db import connections, router
    from django.db.models import AutoField

    if not rows:
        return
    using = router.db_for_write(model)
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    if connections[using].ops.bulk_batch_size(fields, rows) < len(rows):
        model.objects.bulk_create(rows)
        return
    model.objects.using(using)._insert(rows, fields=fields)
