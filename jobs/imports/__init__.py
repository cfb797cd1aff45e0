"""Import of historical cases from xlsx and csv (issue 6): check, then all rows or none.

``IMPORTERS`` maps a case type to its importer; each case type registers its own at start-up
(``mediation.imports``, ``petitions.imports``), so the jobs app never imports a case type.
``check_file`` never writes; ``import_file`` checks again and writes every row in one transaction,
or nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from jobs.imports.base import Checked, Column, FileRefused, Importer, RowError, count_rows, read_table
from jobs.imports.writer import Writer

IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    IMPORTERS[importer.key] = importer


def importers_for(user) -> list[Importer]:
    return [i for i in IMPORTERS.values() if i.may_import(user)]


def get_importer(key: str, user) -> Importer:
    importer = IMPORTERS.get(key)
    if importer is None or not importer.may_import(user):
        raise PermissionDenied(_("Your role does not allow this action."))
    return importer


def check_file(key: str, user, name: str, data: bytes, progress=None) -> Checked:
    importer = get_importer(key, user)
    headings, rows = read_table(name, data, importer.columns)
    return importer.check(headings, rows, user, progress)


class ImportRefused(Exception):
    def __init__(self, checked: Checked):
        super().__init__(_("The file has errors; nothing was imported."))
        self.checked = checked


def import_file(key: str, user, name: str, data: bytes, progress=None, on_written=None) -> list[int]:
    """Check the file again (the database may have changed since the dry run) and write every row
    in one transaction. ``on_written`` runs inside that transaction after the last row, so a job
    marked done commits together with its cases. Returns the new cases' ids."""
    importer = get_importer(key, user)
    # Progress runs over checking and writing: 2 steps per row.
    checked = check_file(key, user, name, data, (lambda d, t: progress(d, 2 * t)) if progress else None)
    if checked.errors:
        raise ImportRefused(checked)
    if importer.updates:
        # An importer of changes to existing cases writes them itself, all or nothing (it raises
        # ImportRefused with the rows' errors inside its transaction).
        return importer.write_updates(checked, user, progress, on_written)
    with transaction.atomic():
        writer = Writer(user, name)
        cases = [(row, cleaned, importer.build(cleaned)) for row, cleaned in checked.rows]
        writer.keep_numbers(case for _row, _cleaned, case in cases)
        writer.look_up([party for _row, cleaned, _case in cases for party in importer.parties_of(cleaned)])
        for done, (row, cleaned, case) in enumerate(cases, start=1):
            importer.write_row(case, cleaned, row, writer)
            if progress:
                progress(len(cases) + done, 2 * len(cases))
        writer.finish()  # the cases have their ids from here on
        ids = [case.pk for _row, _cleaned, case in cases]
        if on_written:
            on_written(ids)
    return ids


__all__ = [
    "IMPORTERS",
    "Checked",
    "Column",
    "FileRefused",
    "ImportRefused",
    "Importer",
    "RowError",
    "check_file",
    "count_rows",
    "get_importer",
    "import_file",
    "importers_for",
    "register",
]
