"""Finding and registering the people involved in cases (shared by disputes and petitions)."""

from django.db.models import Q

from cases.idcrypt import id_digest
from cases.idnumbers import normalise
from cases.models import Person


def find_people(*, id_number: str = "", name: str = "", phone: str = "") -> list[Person]:
    """Earlier records of the same person: by ID number, or by name and phone together."""
    q = Q(pk__in=[])
    if id_number:
        q |= Q(id_number_digest=id_digest(id_number))
    if name and phone:
        q |= Q(name=name.strip(), phone=normalise(phone))
    return list(Person.objects.filter(q).order_by("pk")[:20])


def find_or_create_person(**fields) -> tuple[Person, bool]:
    """The existing person with this ID number (or name + phone), else a new one.

    ``fields`` are already validated (ID number canonical, phone normalised). An organisation is
    found again by its unified social credit code.
    """
    if fields.get("credit_code"):
        organisation = Person.objects.filter(is_organisation=True, credit_code=fields["credit_code"])
        if found := organisation.order_by("pk").first():
            return found, False
    matches = find_people(
        id_number=fields.get("id_number", ""), name=fields.get("name", ""), phone=fields.get("phone", "")
    )
    if matches:
        person = matches[0]
        changed = False
        for field in ("id_number", "phone", "address", "gender"):
            if fields.get(field) and not getattr(person, field):
                setattr(person, field, fields[field])
                changed = True
        if changed:
            person.save()
        return person, False
    return Person.objects.create(**fields), True
