"""Django's makemessages, also reading ``_l(...)``: the workflows declare their steps' labels with
``gettext_lazy as _l`` at import time, and xgettext knows only the default keywords."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
