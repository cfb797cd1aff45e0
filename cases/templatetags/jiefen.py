from django import template

register = template.Library()


@register.filter
def status_label(status, case):
    """The translated label of a status code of this case's type (its STATUS_LABELS)."""
    return getattr(case, "STATUS_LABELS", {}).get(status, status)
