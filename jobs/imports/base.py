"""Reading an import file and checking its rows; the parts every importer shares.

Files are read with django-import-export's format classes (xlsx through openpyxl, csv through
tablib), or as JSON: a list of objects (or ``{"records": [...]}``, as the JSON list exports write
them) keyed by a column's heading or key. Checking never writes: it parses every cell (cells.py),
looks regions, categories and existing case numbers up in bulk, and returns the cleaned rows with
per-row errors (Chinese messages, the row number as the spreadsheet shows it: the heading is
row 1). What every case type reads from a row, builds and writes lives here too; a kind's importer
adds only its own columns, values and fields.
"""

import io
import json
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats.base_formats import CSV, XLSX

from accounts.models import Region, RegionLevel
from accounts.roles import has_role
from accounts.scoping import visible_regions
from cases.idnumbers import normalise
from cases.models import Case, CaseParty
from jobs.imports.cells import cell_text, parse_date, parse_party
from jobs.imports.writer import start_of

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
PHONE_LENGTH = CaseParty._meta.get_field("phone").max_length
# An xlsx of MAX_ROWS rows unpacks to a few tens of MB; more is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 10_000


class FileRefused(Exception):
    """The file as a whole cannot be read (format, size, headings); message in Chinese."""


@dataclass(frozen=True)
class Column:
    key: str
    # Headings are part of the file format, like the columns of the region CSV: fixed Chinese text
    # that the template carries, whatever language the page is shown in.
    heading: str
    required: bool = False
    example: str = ""
    text: bool = False  # kept as text in the template (ID numbers, phones, codes)
    max_length: int = 0  # longer text is an error, never cut short


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Checked:
    """The outcome of a check: cleaned rows (row number, values) and every error found."""

    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def report(self) -> dict:
        return {
            "rows": self.total,
            "bad_rows": len(self.bad_rows),
            "errors": [e.as_dict() for e in sorted(self.errors, key=lambda e: (e.row, e.column))],
        }


def _decode(data: bytes) -> str:
    # Excel in China saves csv as GB18030/GBK; everything else sends UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(_("The csv file is neither UTF-8 nor GB18030 text."))


def file_format(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ("xlsx", "csv", "json"):
        raise FileRefused(_("Upload an xlsx, csv or json file."))
    return suffix


def json_records(data: bytes) -> list[dict]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FileRefused(_("The json file is no UTF-8 text.")) from exc
    except (ValueError, RecursionError) as exc:  # RecursionError: arrays nested thousands deep
        raise FileRefused(_("The file cannot be read as %(format)s.") % {"format": "json"}) from exc
    records = document.get("records") if isinstance(document, dict) else document
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise FileRefused(_("A json file holds a list of objects, one per row."))
    return records


def _json_table(data: bytes, columns) -> tuple[list[str], list[list]]:
    """A JSON file as headings and rows: a key that names a column is read as its heading."""
    records = json_records(data)
    headings = {c.key: c.heading for c in columns or ()}
    keys = list(dict.fromkeys(key for record in records for key in record))
    rows = [[record.get(key) for key in keys] for record in records]
    return [heading_key(headings.get(key, key)) for key in keys], rows


def read_table(name: str, data: bytes, columns=None) -> tuple[list[str], list[list]]:
    """Headings and rows of the first sheet (xlsx), of the csv file or of the json list."""
    fmt = file_format(name)
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(_("The file is larger than 20 MB; split it into several files."))
    if fmt == "json":
        headings, rows = _json_table(data, columns)
        if len(rows) > MAX_ROWS:
            raise FileRefused(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
        return headings, rows
    if fmt == "xlsx":
        check_archive(data)
    try:
        dataset = XLSX().create_dataset(data) if fmt == "xlsx" else CSV().create_dataset(_decode(data))
    except FileRefused:
        raise
    except Exception as exc:  # openpyxl and csv raise many kinds for a damaged file
        raise FileRefused(_("The file cannot be read as %(format)s.") % {"format": fmt}) from exc
    headings = [heading_key(h) for h in (dataset.headers or [])]
    rows = [list(r) for r in dataset]
    if len(rows) > MAX_ROWS:
        raise FileRefused(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    return headings, rows


def check_archive(data: bytes) -> None:
    """An xlsx is a zip: refuse one that unpacks to more than MAX_UNPACKED_BYTES or holds more than
    MAX_ENTRIES members before openpyxl inflates it (ASVS 5.2.3). The declared sizes are enough:
    Python's zipfile stops at a member's declared size and fails its CRC check beyond it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise FileRefused(_("The file cannot be read as %(format)s.") % {"format": "xlsx"}) from exc
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise FileRefused(_("The file unpacks to more than 100 MB."))


def count_rows(name: str, data: bytes) -> int:
    """A quick row count to decide between running at once and in the background."""
    if file_format(name) == "csv":
        return max(0, _decode(data).strip().count("\n"))
    if file_format(name) == "json":
        try:
            return len(json_records(data))
        except FileRefused:
            return 0  # the check reports it
    import openpyxl

    try:
        check_archive(data)
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
        return max(0, (sheet.max_row or 1) - 1)
    except Exception:
        return 0  # the check reports the damaged file


def heading_key(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    return text.rstrip("*").strip()


class Importer:
    """One case type's import: its columns, checks and writing. Subclasses register themselves
    in ``jobs.imports.IMPORTERS``; the case-type app does so at start-up."""

    key = ""
    label = ""
    roles: tuple = ()
    columns: list[Column] = []
    # What a row becomes: a ``model`` case of ``kind``, registered (``statuses[0]``, with the first
    # deadline of ``deadline_rule`` from its opening date) or already closed (``statuses[1]``), and
    # its parties from the ``party_columns`` of each (key, role), in this order.
    model = None
    kind = ""
    statuses: tuple[str, str] = ("", "")
    deadline_rule = ""
    parties: tuple[tuple[str, str], ...] = ()
    # An importer of changes to cases that exist (the 信访信息系统 exchange) instead of new ones: it
    # checks and writes its rows itself (``check``, ``write_updates``).
    updates = False
    done_message = gettext_lazy("%(count)d cases imported.")

    def notes(self) -> list[str]:
        """The template's notes sheet, when the kind's differ from those of a new case's import."""
        return []

    def may_import(self, user) -> bool:
        return user.is_active and (user.is_superuser or has_role(user, *self.roles))

    def heading(self, key) -> str:
        return next(c.heading for c in self.columns if c.key == key)

    # --- checking -------------------------------------------------------------------------------
    def check(self, headings, rows, user, progress=None) -> Checked:
        result = Checked()
        index = {}
        for position, heading in enumerate(headings):
            index.setdefault(heading, position)
        missing = [c.heading for c in self.columns if c.required and heading_key(c.heading) not in index]
        if missing:
            raise FileRefused(
                _("The file lacks the column(s) %(columns)s; start from the template.")
                % {"columns": "、".join(missing)}
            )
        records = []
        for number, row in enumerate(rows, start=2):
            values = {c.key: _cell(row, index.get(heading_key(c.heading))) for c in self.columns}
            if all(cell_text(v) == "" for v in values.values()):
                continue  # blank lines at the end of a sheet
            records.append((number, values))
        result.total = len(records)
        context = self.context(records, user)
        for done, (number, values) in enumerate(records, start=1):
            errors = [
                (c.heading, _("Longer than %(max)d characters.") % {"max": c.max_length})
                for c in self.columns
                if c.max_length and len(cell_text(values[c.key])) > c.max_length
            ]
            cleaned = self.clean_row(values, context, errors)
            for column, message in errors:
                result.errors.append(RowError(number, column, str(message)))
            if not errors:
                result.rows.append((number, cleaned))
            if progress and done % 200 == 0:
                progress(done, len(records))
        self.check_numbers(records, context, result)
        if result.errors:
            bad = set(result.bad_rows)
            result.rows = [(n, v) for n, v in result.rows if n not in bad]
        return result

    def context(self, records, user) -> dict:
        """Bulk look-ups for the whole file: one query per table, whatever the row count."""
        codes = {cell_text(v["region"]) for _n, v in records if cell_text(v["region"])}
        regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        allowed = set(
            visible_regions(user, Region.objects.filter(code__in=codes)).values_list("code", flat=True)
        )
        numbers = {cell_text(v["number"]) for _n, v in records if cell_text(v.get("number"))}
        taken = set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))
        context = {"user": user, "regions": regions, "allowed": allowed, "taken": taken, "categories": {}}
        for category in self.categories():
            context["categories"][category.name] = context["categories"][category.code] = category
        return context

    def categories(self):
        """The kind's categories, which a row names by name or code."""
        raise NotImplementedError

    def required(self, values, errors, *keys) -> bool:
        ok = True
        for key in keys:
            if cell_text(values.get(key)) == "":
                errors.append((self.heading(key), _("Required; the cell is empty.")))
                ok = False
        return ok

    def parse(self, values, errors, key, parser, default=None):
        """``parser(value)`` for a non-empty cell; a ValidationError becomes the cell's error."""
        if cell_text(values.get(key)) == "":
            return default
        try:
            return parser(values[key])
        except ValidationError as exc:
            errors.append((self.heading(key), exc.messages[0]))
            return default

    def clean_region(self, values, context, errors):
        code = normalise(cell_text(values.get("region")))
        if not code:
            return None
        if len(code) != 12 or not code.isdigit():
            errors.append((self.heading("region"), _("A region code has 12 digits.")))
            return None
        region = context["regions"].get(code)
        if region is None:
            errors.append((self.heading("region"), _("Unknown region code %(code)s.") % {"code": code}))
            return None
        if code not in context["allowed"]:
            errors.append(
                (self.heading("region"), _("%(name)s (%(code)s) lies outside your jurisdiction.")
                 % {"name": region.name, "code": code})
            )  # fmt: skip
            return None
        if region.level < RegionLevel.COUNTY:
            errors.append((self.heading("region"), _("Give a county, town or village, not a higher region.")))
            return None
        return region

    def clean_closing(self, values, errors, opened):
        closed = self.parse(values, errors, "closed_on", parse_date)
        if closed and opened and closed < opened:
            errors.append(
                (self.heading("closed_on"), _("The closing date lies before the registration date."))
            )
        return closed

    def check_numbers(self, records, context, result):
        """A kept case number must be new: once in the file, and not in the database."""
        seen = defaultdict(list)
        for number, values in records:
            if text := cell_text(values.get("number")):
                seen[text].append(number)
        heading = self.heading("number")
        for text, rows in seen.items():
            if text in context["taken"]:
                for row in rows:
                    result.errors.append(
                        RowError(row, heading, _("Case number %(number)s already exists.") % {"number": text})
                    )
            if len(rows) > 1:
                listed = "、".join(str(r) for r in rows)
                for row in rows:
                    message = _("Case number %(number)s appears more than once in the file (rows %(rows)s).")
                    result.errors.append(RowError(row, heading, message % {"number": text, "rows": listed}))

    def clean_row(self, values, context, errors) -> dict:
        """What every case type reads from a row, around the kind's own looked-up values and
        details; errors come in the order of the cells as people read them."""
        self.required(values, errors, *(c.key for c in self.columns if c.required))
        opened = self.parse(values, errors, "opened_on", parse_date)
        cleaned = {
            "number": cell_text(values["number"]),
            "opened_on": opened,
            "region": self.clean_region(values, context, errors),
            "category": self.choose(values, errors, "category", context["categories"]),
            **self.clean_choices(values, context, errors),
            "parties": self.clean_parties(values, errors),
            "closed_on": self.clean_closing(values, errors, opened),
            "summary": cell_text(values["summary"])[:200],
        }
        cleaned.update(self.clean_details(values, errors))
        return cleaned

    def clean_choices(self, values, context, errors) -> dict:
        """The kind's values named in a list besides the category (source, channel…)."""
        return {}

    def clean_details(self, values, errors) -> dict:
        """The kind's free text and numbers."""
        return {}

    def choose(self, values, errors, key, table, allowed=""):
        """What a cell names in ``table`` (Choices, or a dict whose names ``allowed`` lists); None,
        with the cell's error, for a name it does not know. Categories are too many to list."""
        text = cell_text(values.get(key))
        if not text:
            return None
        found = table.get(text)
        if found is None:
            allowed = allowed or getattr(table, "allowed", "")
            if allowed:
                message = _("Unknown value “%(value)s”; use one of: %(allowed)s.") % {
                    "value": text,
                    "allowed": allowed,
                }
            else:
                message = _("Unknown category “%(value)s”.") % {"value": text}
            errors.append((self.heading(key), message))
        return found

    def clean_parties(self, values, errors) -> dict:
        parties = {}
        for key, _role in self.parties:
            try:
                parties[key] = parse_party(
                    *(values[f"{key}_{part}"] for part in ("name", "id", "phone", "address"))
                )
            except ValidationError as exc:  # from an ID number, credit code or phone
                column = "phone" if "phone" in str(getattr(exc, "code", "")) else "id"
                errors.append((self.heading(f"{key}_{column}"), exc.messages[0]))
        return parties

    def build(self, cleaned):
        """The unsaved case; the kind adds its own fields (``fields``)."""
        closed = cleaned["closed_on"]
        return self.model(
            kind=self.kind,
            number=cleaned["number"],
            status=self.statuses[1] if closed else self.statuses[0],
            opened_at=start_of(cleaned["opened_on"]),
            closed_at=start_of(closed) if closed else None,
            region=cleaned["region"],
            summary=cleaned["summary"],
            category=cleaned["category"],
            **self.fields(cleaned),
        )

    def fields(self, cleaned) -> dict:
        raise NotImplementedError

    def parties_of(self, cleaned) -> list[dict]:
        return list(cleaned["parties"].values())

    def write_row(self, case, cleaned, row, writer):
        # (register identity, the details this row gives, role) for each party.
        given = [(cleaned["parties"][key], role) for key, role in self.parties]
        parties = [(writer.person(details), details, role) for details, role in given]
        deadline = None if case.closed_at else (self.deadline_rule, cleaned["opened_on"])
        writer.save(case, parties, row, deadline=deadline, dependents=self.dependents(case, cleaned))

    def dependents(self, case, cleaned) -> list:
        """Unsaved rows of other models that belong to the new case (jobs.imports.writer)."""
        return []


def party_columns(key, word, example_name, example_id, example_phone):
    """A party's four columns, headed with the party's name in the kind's words (申请人, 信访人…)."""
    return [
        Column(f"{key}_name", f"{word}姓名", True, example_name, max_length=100),
        Column(f"{key}_id", f"{word}证件号码", example=example_id, text=True),
        # As typed (jobs.imports.cells.import_phone), so no longer than the party's phone column.
        Column(f"{key}_phone", f"{word}电话", example=example_phone, text=True, max_length=PHONE_LENGTH),
        Column(f"{key}_address", f"{word}地址", example="枫桥镇先进村", max_length=200),
    ]


def _cell(row, position):
    return row[position] if position is not None and position < len(row) else None
