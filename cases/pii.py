"""Who sees personal data in full, and masking for everyone else."""

from accounts import roles

from .idnumbers import mask_id_number, mask_name, mask_phone

# Mediators and supervisors work with the parties directly; everyone else sees masked values.
FULL_PII_ROLES = (roles.MEDIATOR, roles.SUPERVISOR, roles.PETITION_CLERK)


def can_view_full_pii(user) -> bool:
    return user.is_superuser or roles.has_role(user, *FULL_PII_ROLES)


def person_view(person, full: bool) -> dict:
    """The values a page may show for one person."""
    if full:
        return {
            "name": person.name,
            "id_number": person.id_number,
            "phone": person.phone,
            "address": person.address,
        }
    return {
        "name": mask_name(person.name),
        "id_number": mask_id_number(person.id_number),
        "phone": mask_phone(person.phone),
        "address": "",
    }
