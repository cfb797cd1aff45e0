"""Machinery of the access matrix: walking the URLconf, clients, requests and reading responses."""

import io
import re
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

TOKEN = "matrixcsrftoken0000000000000000a"  # 32 characters: an unmasked CSRF secret
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADMIN_OBJECT_ROUTE = re.compile(r"^admin/(\w+)/(\w+)/<path:object_id>/$")
ADMIN_MODEL_VIEW = re.compile(
    r"^admin:(?P<model>\w+)_(?P<view>changelist|add|history|delete|change|disable|enter)$"
)


def walk(patterns=None, prefix="", namespace=None):
    """(route, full name or None, pattern) for every URL pattern, nested includes included."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x) or None
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name, p


def admin_key(route, name, admin_models):
    """("site", name) / ("model", model label, view) for an admin pattern, or None if unknown."""
    if name is None and route.endswith("(?P<url>.*)$"):
        return ("site", "admin:catch_all")
    if name == "admin:auth_user_password_change":
        return ("model", "accounts.user", "password")
    if name is None and (m := ADMIN_OBJECT_ROUTE.match(route)):
        label = f"{m.group(1)}.{m.group(2)}"
        return ("model", label, "redirect") if label in admin_models else None
    if name and (m := ADMIN_MODEL_VIEW.match(name)):
        for label in admin_models:
            if label.replace(".", "_") == m.group("model"):
                return ("model", label, m.group("view"))
    if name and name.startswith("admin:"):
        return ("site", name)
    return None


def make_client(user=None):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    client.cookies["csrftoken"] = TOKEN
    return client


def post_data(name):
    if name == "attachments:upload":
        return {"file": SimpleUploadedFile("矩阵.pdf", PDF_BYTES, content_type="application/pdf")}
    if name == "set_language":
        return {"language": "zh-hans", "next": "/"}
    return {}


def request(client, method, url, name, *, token=True):
    """One request; a POST runs in a savepoint that is rolled back, so no cell changes the next."""
    if method == "GET":
        return client.get(url)
    extra = {"HTTP_X_CSRFTOKEN": TOKEN} if token else {}
    with transaction.atomic():
        if name.startswith("api:") and name not in ("api:token", "api:revoke"):
            # The API takes JSON; an empty object is an empty form.
            response = client.post(url, "{}", content_type="application/json", **extra)
        else:
            response = client.post(url, post_data(name), **extra)
        transaction.set_rollback(True)
    return response


def outcome(response):
    """The status, with redirects to a sign-in page named as such."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "admin_login"
        if location.startswith("/login/"):
            return "login"
        if location.rstrip("/") == "/admin":
            return "admin_index"
    return response.status_code


def text_of(response) -> str:
    """What a reader of the response sees, for the leak search (xlsx opened; PDFs skipped)."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    if content_type.startswith("application/pdf"):
        return ""
    return body.decode("utf-8", "replace")


@dataclass
class Tally:
    cells: int = 0
    leaks: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    by_outcome: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # URL name -> time spent, to see what is slow

    def count(self, got):
        self.cells += 1
        self.by_outcome[str(got)] = self.by_outcome.get(str(got), 0) + 1
