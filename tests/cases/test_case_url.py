"""cases.handoffs.case_url: reversed once per case type, language and URLconf, then filled in."""

from types import SimpleNamespace

from django.urls import reverse, set_script_prefix
from django.utils import translation

from cases.handoffs import case_url


def test_case_url_is_the_reversed_page_in_every_language_and_prefix():
    pages = {"dispute": "disputes:detail", "petition": "petitions:detail"}
    try:
        for prefix in ("/", "/jiefen/"):
            set_script_prefix(prefix)
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    for kind, name in pages.items():
                        for pk in (1, 7, 987, 2_000_001):
                            case = SimpleNamespace(kind=kind, pk=pk)
                            assert case_url(case) == reverse(name, args=[pk]), (prefix, language, kind, pk)
                    assert case_url(SimpleNamespace(kind="dispute", pk=5)).startswith(prefix)
    finally:
        set_script_prefix("/")
