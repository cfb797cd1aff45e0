"""Taking in a 12345 work order or a grid event as a dispute, through the dispute intake page's own
form and party rows (cases.forms: ID numbers, credit codes and phones checked as there) and the
same registration (mediation.workflow.register_dispute), as the client's service user.

(client, external id) is unique (api.models.IntakeRecord): the same order posted again, even at the
same moment from many connections, makes one case, and every later answer names that case."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import roles
from api.models import ClientKind, IntakeCategory, IntakeRecord
from mediation.forms import DisputeIntakeForm, IntakePartyFormSet
from mediation.models import DisputeSource
from mediation.workflow import register_dispute

SOURCES = {
    ClientKind.HOTLINE: DisputeSource.REFERRED_DEPARTMENT,
    ClientKind.GRID: DisputeSource.GRID_INSPECTION,
    ClientKind.OTHER: DisputeSource.REFERRED_DEPARTMENT,
}

INTAKE_ROLES = (roles.MEDIATOR, roles.GRID_WORKER, roles.SUPERVISOR)


class IntakeInvalid(Exception):
    """Per-field Chinese messages: {"region": [...], "parties[1].id_number": [...]}."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def earlier(client, external_id):
    return IntakeRecord.objects.filter(client=client, external_id=external_id).select_related("case").first()


def take_in(client, data: dict):
    """(case, created). ``data`` is the shape-checked body (api.serializers.IntakeIn)."""
    found = earlier(client, data["external_id"])
    if found is not None:
        return found.case, False
    user = client.user
    if not (user.is_superuser or roles.has_role(user, *INTAKE_ROLES)):
        # The dispute intake page's roles (mediation.views.pages): a service user without one
        # may read, never register.
        raise PermissionDenied(_("Your role does not allow this action."))
    form, parties = _forms(client, data, user)
    if not (form.is_valid() and parties.is_valid()):
        raise IntakeInvalid(_errors(form, parties))
    try:
        with transaction.atomic():
            # Claimed first: a second post of the same order waits here on the unique index until
            # this transaction ends, then fails and answers with this case.
            record = IntakeRecord.objects.create(client=client, external_id=data["external_id"])
            dispute = register_dispute(user, parties=parties.parties(), **form.dispute_fields())
            record.case = dispute
            record.save(update_fields=["case"])
    except IntegrityError:
        found = earlier(client, data["external_id"])
        if found is None:
            raise
        return found.case, False
    return dispute, True


def _forms(client, data, user):
    mapping = (
        IntakeCategory.objects.filter(kind=client.kind, external_code=data["category"])
        .only("category_id", "risk_level_id")
        .first()
    )
    fields = {
        "region": data["region"],
        "summary": data["summary"],
        "facts": data["facts"],
        "place": data.get("place") or "",
        "source": SOURCES.get(client.kind, DisputeSource.REFERRED_DEPARTMENT),
        "category": mapping.category_id if mapping else "",
        "risk_level": mapping.risk_level_id if mapping else "",
        "amount": "" if data.get("amount") is None else str(data["amount"]),
        "people_involved": data.get("people_involved") or max(len(data["parties"]), 1),
    }
    form = DisputeIntakeForm(fields, user=user)
    if mapping is None:
        form.unknown_category = data["category"]
    rows = {
        "parties-TOTAL_FORMS": str(len(data["parties"])),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "50",
    }
    for i, party in enumerate(data["parties"]):
        for key in ("role", "name", "id_number", "credit_code", "phone", "address"):
            rows[f"parties-{i}-{key}"] = party.get(key) or ""
        if party.get("is_organisation"):
            rows[f"parties-{i}-is_organisation"] = "on"
    return form, IntakePartyFormSet(rows, prefix="parties")


def _errors(form, parties) -> dict:
    errors = {}
    for key, messages in form.errors.items():
        name = "detail" if key == "__all__" else key
        errors[name] = [str(m) for m in messages]
    if "region" in errors:
        errors["region"] = [
            _("No village or town with the code “%(code)s” within this client's jurisdiction.")
            % {"code": form.data["region"]}
        ]
    if getattr(form, "unknown_category", None) is not None:
        errors["category"] = [
            _("No mapping for the category code “%(code)s”; an administrator adds it.")
            % {"code": form.unknown_category}
        ]
    for i, row in enumerate(parties.forms):
        for key, messages in row.errors.items():
            name = f"parties[{i}]" if key == "__all__" else f"parties[{i}].{key}"
            errors[name] = [str(m) for m in messages]
    if parties.non_form_errors():
        errors["parties"] = [str(m) for m in parties.non_form_errors()]
    return errors
