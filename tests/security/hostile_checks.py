"""Checks shared by the hostile-input suites: submit a payload through a real form, look for anything
executable in a page, for formula cells in a workbook, and keep the tally the report quotes."""

import io
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

from openpyxl import load_workbook

from tests.security.hostile_payloads import CJK, Payload, label

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "security"
FORM = "application/x-www-form-urlencoded"


class Tally:
    """(payload × field) outcomes per form: stored, or refused with a Chinese message."""

    def __init__(self):
        self.outcomes = Counter()
        self.fields = {}
        self.payloads = set()
        self.renders = Counter()

    def add(self, form: str, field: str, payload: Payload, outcome: str):
        self.outcomes[(form, outcome)] += 1
        self.fields.setdefault(form, set()).add(field)
        self.payloads.add(payload.wire if payload.wire is not None else payload.text)

    def rendered(self, what: str, n: int = 1):
        self.renders[what] += n

    def summary(self) -> dict:
        forms = sorted(self.fields)
        per_form = {
            f: {
                "fields": sorted(self.fields[f]),
                "stored": self.outcomes[(f, "stored")],
                "refused": self.outcomes[(f, "refused")],
            }
            for f in forms
        }
        return {
            "payloads": len(self.payloads),
            "fields": sum(len(v) for v in self.fields.values()),
            "payload_x_field": sum(self.outcomes.values()),
            "stored": sum(n for (_f, o), n in self.outcomes.items() if o == "stored"),
            "refused_with_chinese_message": sum(n for (_f, o), n in self.outcomes.items() if o == "refused"),
            "http_500": 0,  # any exception or 500 fails the test before the tally is written
            "renders_checked": dict(self.renders),
            "forms": per_form,
        }

    def write(self, name: str, request=None) -> dict:
        summary = self.summary()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{name}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
        line = (
            f"hostile input [{name}]: {summary['payloads']} payloads x {summary['fields']} fields = "
            f"{summary['payload_x_field']} submissions; stored {summary['stored']}, refused with a "
            f"Chinese message {summary['refused_with_chinese_message']}, HTTP 500: 0; renders "
            f"{summary['renders_checked']}"
        )
        reporter = request.config.pluginmanager.get_plugin("terminalreporter") if request else None
        if reporter:
            reporter.write_line(line)
        print(line)
        return summary


def encode(values: dict) -> str:
    """A form body; Payload values go on the wire as they are (bytes a str cannot hold included)."""
    parts = []
    for key, value in values.items():
        text = value.encoded() if isinstance(value, Payload) else quote(str(value), safe="")
        parts.append(f"{quote(key)}={text}")
    return "&".join(parts)


def field_errors(response) -> tuple[dict, list]:
    form = response.context["form"]
    errors = {k: [str(m) for m in v] for k, v in form.errors.items() if k != "__all__"}
    general = [str(m) for m in form.non_field_errors()]
    # The dispute intake's party rows (a formset): their errors under their POST names.
    rows = response.context.get("parties")
    if rows is not None and hasattr(rows, "forms"):
        for row in rows.forms:
            for key, messages in row.errors.items():
                if key == "__all__":
                    general += [str(m) for m in messages]
                else:
                    errors[row.add_prefix(key)] = [str(m) for m in messages]
        general += [str(m) for m in rows.non_form_errors()]
    return errors, general


def submit(client, url, base: dict, fields, payload: Payload, *, tally, form_name, **extra):
    """POST ``payload`` in every one of ``fields`` (other values from ``base``). A field the form
    refuses must carry a Chinese message; it gets its base value back and the form is posted
    again, until it is accepted. Returns (response, {field: "stored" | "refused"})."""
    outcome = {}
    pending = list(fields)
    for _attempt in range(len(fields) + 2):
        values = {**base, **dict.fromkeys(pending, payload)}
        response = client.post(url, encode(values), content_type=FORM, **extra)
        assert response.status_code in (200, 302), (label(payload), response.status_code)
        if response.status_code == 302:
            break
        assert_safe_html(response.content.decode(), f"{form_name} (refused)", payload)
        errors, general = field_errors(response)
        for messages in [*errors.values(), general]:
            for message in messages:
                assert CJK.search(message), f"not a Chinese message: {message!r} for {label(payload)}"
        refused = [f for f in pending if f in errors]
        assert refused or len(pending) == 1, (
            f"{form_name}: refused without naming a field: {general} {errors} for {label(payload)}"
        )
        assert set(errors) <= set(pending), f"{form_name}: base values refused: {errors}"
        refused = refused or pending
        for f in refused:
            outcome[f] = "refused"
            pending.remove(f)
        # With every field refused, the base values alone are posted once more: later steps need
        # the object to exist.
    else:
        raise AssertionError(f"{form_name}: never accepted {label(payload)}")
    for f in pending:
        outcome[f] = "stored"
    for f, result in outcome.items():
        tally.add(form_name, f, payload, result)
    return response, outcome


# --- pages ---------------------------------------------------------------------------------------
DANGEROUS_TAGS = {"iframe", "object", "embed", "svg", "math", "base", "frame", "frameset", "applet", "x"}
TAG = re.compile(r"<[a-zA-Z!/]")
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster"}


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script src={src!r}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRS and value:
                v = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if v.startswith(
                    ("javascript:", "vbscript:", "data:text/html", "file:", "http://127.0.0.1:9")
                ):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and ("url(" in value.lower() or "expression(" in value.lower()):
                self.problems.append(f"<{tag} style={value!r}>")

    handle_startendtag = handle_starttag


def assert_safe_html(html: str, where: str, payload: Payload | None = None):
    scan = _Scan()
    scan.feed(html)
    assert not scan.problems, f"{where}: {scan.problems[:5]}" + (f" from {label(payload)}" if payload else "")
    # A payload that would open a tag must not appear as it was typed (short ones like "<a" occur in
    # every page, so only those long enough to be unambiguous).
    text = payload.expected if payload is not None else ""
    if len(text) >= 8 and TAG.search(text):
        assert text not in html, f"{where}: {label(payload)} appears unescaped"
    # A template tag typed by a user is text, never evaluated.
    assert "SECRET_KEY" not in html or "settings.SECRET_KEY" in html.replace("&#x27;", "'"), where


def workbook_cells(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def assert_no_formula(data: bytes, where: str) -> tuple[int, list[str]]:
    """0 formula cells, and no text cell that starts with a formula trigger. Returns (cells, texts)."""
    cells, texts = 0, []
    for cell in workbook_cells(data):
        cells += 1
        assert cell.data_type != "f", f"{where}: formula cell {cell.coordinate}: {cell.value!r}"
        if isinstance(cell.value, str):
            texts.append(cell.value)
            assert not cell.value.lstrip(" \u3000").startswith(TRIGGERS), (
                f"{where}: {cell.coordinate} starts with a trigger: {cell.value[:30]!r}"
            )
    return cells, texts


__all__ = ["Tally", "assert_no_formula", "assert_safe_html", "encode", "submit", "workbook_cells"]
