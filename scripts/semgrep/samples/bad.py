# Code each rule must flag (tests/security/test_static_checks.py). Never imported; left out of the
# project's semgrep and bandit scans, and of ruff's S308 here.
# ruff: noqa: S308
from django.db import connection
from django.utils.safestring import mark_safe
from weasyprint import HTML

from cases.models import Case


def unsafe(name, html, pk):
    mark_safe(name)  # jiefen-mark-safe
    Case.objects.raw("SELECT * FROM cases_case")  # jiefen-raw-sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # jiefen-raw-sql
    HTML(string=html)  # jiefen-pdf-without-url-fetcher
    return Case.objects.get(pk=pk)  # jiefen-get-by-pk-outside-scoping
