"""PDF documents with WeasyPrint, with a URL fetcher that reaches nothing but the project's static
files and ``data:`` URLs.

WeasyPrint's default fetcher follows file, http(s), ftp and redirects (reliability.md §5:
GHSA-35jj-wx47-4w8r, CVE-2025-68616, CVE-2026-55073), so a URL typed into a text field could make
the server read a local file or call an internal address. Here every fetch, for the HTML and for
stylesheets, goes through ``StaticOnlyFetcher``; anything else fails quietly and the document
still renders. Chinese glyphs come from the system's Noto CJK fonts, through the cut-down copies
of ``cases.pdf_fonts`` (the one other directory the fetcher reads) where they can be made.
"""

import mimetypes
import threading
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cases.pdf_fonts import font_dir, font_faces_css

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=2)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ValueError("only the project's static files can be loaded")
        path = Path(unquote(urlparse(url).path)).resolve()
        readable = (STATIC_DIR.resolve(), font_dir().resolve())
        if not any(path.is_relative_to(root) for root in readable) or not path.is_file():
            raise ValueError("only the project's static files can be loaded")
        message = EmailMessage()
        message["Content-Type"] = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers=message)


_per_thread = threading.local()


def _resources() -> tuple[StaticOnlyFetcher, list[CSS], FontConfiguration]:
    """The fetcher, the parsed stylesheets (the cut-down faces' @font-face rules, then the report
    stylesheet) and a font configuration, made once per thread.

    Building a FontConfiguration loads fontconfig's configuration and parsing the stylesheet takes
    a few milliseconds; together 40-60 ms of a 250 ms document (docs/performance.md). Reusing them
    is safe because the only @font-face rules are the faces' own, added to the configuration once
    here; per thread because WeasyPrint's objects are not made for concurrent use.
    """
    found = getattr(_per_thread, "resources", None)
    if found is None:
        fetcher, fonts = StaticOnlyFetcher(), FontConfiguration()
        stylesheets = [
            CSS(string=font_faces_css(), url_fetcher=fetcher, font_config=fonts),
            CSS(filename=str(STATIC_DIR / "reports" / "report.css"), url_fetcher=fetcher, font_config=fonts),
        ]
        found = _per_thread.resources = (fetcher, stylesheets, fonts)
    return found


def html_to_pdf(html: str) -> bytes:
    """Lay ``html`` out with the report stylesheet and write the PDF."""
    fetcher, stylesheets, fonts = _resources()
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, attachments=[], font_config=fonts)


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
