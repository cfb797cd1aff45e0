"""Reading pages as a browser does: the forms on a page (action, method, every field with its type,
its value and its options) and the links, so that a test finds the forms and query keys of the
site by walking it instead of from a list written beside the code."""

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone


@dataclass
class Field:
    name: str
    kind: str  # the input type ("text", "date", "number"…), "select" or "textarea"
    value: str = ""
    required: bool = False
    options: list = field(default_factory=list)  # a select's option values
    checked: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list = field(default_factory=list)

    @property
    def has_file(self) -> bool:
        return any(f.kind == "file" for f in self.fields)


class _Parser(HTMLParser):
    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.links = page, [], []
        self.form = self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.form = Form(self.page, urljoin(self.page, a.get("action") or self.page),
                             (a.get("method") or "get").upper())  # fmt: skip
            self.forms.append(self.form)
        elif tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif self.form is None or not a.get("name") and tag in ("input", "select", "textarea"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            self.form.fields.append(Field(a["name"], kind, a.get("value", ""), "required" in a,
                                          checked="checked" in a, attrs=a))  # fmt: skip
        elif tag == "select":
            self.select = Field(a["name"], "select", "", "required" in a, attrs=a)
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select.options.append(value)
            if "selected" in a:
                self.select.value = value
        elif tag == "textarea":
            self.textarea = Field(a["name"], "textarea", "", "required" in a, attrs=a)
            self.form.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            # A newline right after <textarea> is not part of the value (HTML).
            self.textarea.value += data[1:] if not self.textarea.value and data.startswith("\n") else data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def read_page(url: str, html: str) -> tuple[list[Form], list[str]]:
    parser = _Parser(url)
    parser.feed(html)
    return parser.forms, parser.links


def route_name(url: str) -> str | None:
    """The URL pattern's name (namespaced) of a path on this site, or None."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "testserver":
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def filled(f: Field) -> str | None:
    """The value a person would submit: what the page holds, or a plausible one for a required
    field or a text area left empty (yesterday, a choice, one, some Chinese text). None: not sent."""
    if f.kind in ("checkbox", "radio"):
        return f.value or "on" if f.checked else None
    if f.kind == "select":  # the selected option, else a choice (a browser sends the first)
        return f.value or next((o for o in f.options if o), "")
    if f.value or not (f.required or f.kind == "textarea"):
        return f.value
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    return {
        "date": yesterday.isoformat(),
        "datetime-local": f"{yesterday.isoformat()}T10:00",
        "month": (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m"),
        "number": f.attrs.get("min") or "1",
    }.get(f.kind, "测试")


def base_values(form: Form) -> dict:
    values = {}
    for f in form.fields:
        if f.name == "csrfmiddlewaretoken":
            continue
        value = filled(f)
        if value is not None:
            values[f.name] = value
    return values


__all__ = ["Field", "Form", "base_values", "query_of", "read_page", "route_name"]
