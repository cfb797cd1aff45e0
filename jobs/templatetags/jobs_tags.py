from django import template

from jobs.imports import importers_for

register = template.Library()


@register.filter
def can_import(user):
    """Whether the menu offers the import page: a role that registers some case type."""
    return bool(importers_for(user))
