"""Building import files for tests from the sample generator (jobs.imports.sample)."""

from jobs.imports import check_file, import_file
from jobs.imports.sample import sample_rows, to_file


def rows(kind="dispute", n=100, **kwargs):
    return sample_rows(kind, n, **kwargs)


def file_of(rows, fmt="xlsx", kind="dispute"):
    return f"ledger.{fmt}", to_file(kind, rows, fmt)


def check(user, rows, fmt="xlsx", kind="dispute"):
    name, data = file_of(rows, fmt, kind)
    return check_file(kind, user, name, data)


def run_import(user, rows, fmt="xlsx", kind="dispute"):
    name, data = file_of(rows, fmt, kind)
    return import_file(kind, user, name, data)
