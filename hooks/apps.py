from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HooksConfig(AppConfig):
    name = "hooks"
    verbose_name = _("Outbound webhooks")

    def ready(self):
        from hooks import events  # noqa: F401 - connects the timeline listener
