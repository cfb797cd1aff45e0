from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public's own channel (一案一码): apply, follow a case with its 查询码, evaluate, ask for 复查.
    Sits above the case types, whose intake and steps it calls; nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = _("Public channel")
