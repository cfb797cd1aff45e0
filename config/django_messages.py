"""Messages of Django's own admin pages that Django 5.2 ships without a Chinese translation.

They are listed here only so that ``make messages`` puts them in the project's catalog, which
Django reads before its own (LOCALE_PATHS): the county administrator's add-user page said "After
you’ve created a user, you’ll be able to edit more user options." in English, and the hidden
headings screen readers announce on every admin index were English too. The text must match
Django's msgid exactly (the apostrophes are U+2019). Nothing imports this module.
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
)
