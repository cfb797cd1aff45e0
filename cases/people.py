"""The people register and the parties of cases (shared by disputes and petitions).

The model (SECURITY.md, "Personal data"; docs/architecture.md, "Parties and the register"):

- What a party said on a case belongs to that case. ``CaseParty`` carries the name, ID number
  (encrypted), phone, address, gender and credit code as given on that case; every page,
  document, export and search reads them there.
- The register (``Person``) is a keyed identity used for linking and repeat detection only: HMAC
  digests of the ID number and of the name + phone pair, an organisation's credit code. Intake
  finds an identity by them and links the new case to it; nothing of another case is copied into
  the new one, and nothing of the new one reaches another case.
- What a user learns of a match is decided by the one visibility rule: the matched cases the user
  may see in full, of the others a count and the handling units' names (cases.selectors.
  other_cases_of_parties, cases.selectors.beyond_view, petitions.selectors.earlier_petitions).
"""

from django.db.models import Q

from cases.idcrypt import (  # noqa: F401 - part of this module's API
    id_digest,
    name_phone_digest,
    normalise_name,
    phone_digest,
)
from cases.idnumbers import id_facts
from cases.models import CaseParty, Person

# A party's details as given on a case: the keyword arguments of ``party_row``.
DETAIL_FIELDS = ("name", "is_organisation", "id_number", "credit_code", "gender", "phone", "address")
# The identity's keys that a later entry may fill when the identity lacks them: digests, which no
# page shows, so filling one changes no case's details, only what counts as the same person.
FILLABLE_KEYS = ("id_number_digest", "name_phone_digest")


def identity_keys(details: dict) -> dict:
    """The register keys of a party's details."""
    id_number = details.get("id_number") or ""
    return {
        "id_number_digest": id_digest(id_number) if id_number else "",
        "name_phone_digest": name_phone_digest(details.get("name", ""), details.get("phone", "")),
    }


def find_people(*, id_number: str = "", name: str = "", phone: str = "") -> list[Person]:
    """Register identities of the same person: by ID number, or by name and phone together."""
    q = Q(pk__in=[])
    if id_number:
        q |= Q(id_number_digest=id_digest(id_number))
    if digest := name_phone_digest(name, phone):
        q |= Q(name_phone_digest=digest)
    return list(Person.objects.filter(q).order_by("pk")[:20])


def find_or_create_identity(details: dict) -> tuple[Person, bool]:
    """The register identity of these details (ID number, credit code, or name + phone), else a new one.

    ``details`` are already validated (ID number canonical, phone normalised). An organisation is
    found again by its unified social credit code. A found identity only gains the digests it lacks;
    none of the details is stored in the register.
    """
    if details.get("credit_code"):
        organisation = Person.objects.filter(is_organisation=True, credit_code=details["credit_code"])
        if found := organisation.order_by("pk").first():
            return found, False
    keys = identity_keys(details)
    matches = find_people(
        id_number=details.get("id_number", ""), name=details.get("name", ""), phone=details.get("phone", "")
    )
    if matches:
        person = matches[0]
        missing = {k: keys[k] for k in FILLABLE_KEYS if keys[k] and not getattr(person, k)}
        if missing:
            Person.objects.filter(pk=person.pk).update(**missing)
            for key, value in missing.items():
                setattr(person, key, value)
        return person, False
    person = Person.objects.create(
        is_organisation=bool(details.get("is_organisation")),
        credit_code=details.get("credit_code", ""),
        **keys,
    )
    return person, True


def party_details(details: dict) -> dict:
    """The CaseParty fields of a party's details (missing ones empty; an organisation has no gender)."""
    values = {field: details.get(field) or "" for field in DETAIL_FIELDS}
    values["name"] = values["name"].strip()
    values["is_organisation"] = bool(details.get("is_organisation"))
    # A person's gender and date of birth are those of the ID number, whatever path the details
    # came by (form, import, correction); without a number the gender typed stays.
    gender, born = id_facts(values["id_number"])
    values["gender"] = gender or values["gender"]
    values["birth_date"] = born
    if values["is_organisation"]:
        values["gender"], values["birth_date"] = "", None
    return values


def party_row(
    case_id: int, person: Person, details: dict, role: str, position: int, entered_by=None
) -> CaseParty:
    """An unsaved party link carrying ``details`` (ready for ``bulk_create``, digest included).
    ``entered_by`` is the user who typed them (they may read them back, cases.pii)."""
    values = party_details(details)
    return CaseParty(
        case_id=case_id,
        person=person,
        role=role,
        position=position,
        id_number_digest=id_digest(values["id_number"]) if values["id_number"] else "",
        phone_digest=phone_digest(values["phone"]),
        entered_by=entered_by,
        **values,
    )


def add_party(case, details: dict, role: str, position: int, entered_by=None) -> CaseParty:
    """Link ``case`` to the register identity of ``details`` and keep the details on the case."""
    person, _created = find_or_create_identity(details)
    link = party_row(case.pk, person, details, role, position, entered_by)
    link.save()
    return link
