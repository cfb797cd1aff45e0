from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self):
        from jobs.imports import register
        from petitions.imports import PetitionImporter

        register(PetitionImporter())

        from jobs import list_exports
        from petitions.exports import petition_export

        list_exports.register(petition_export())
