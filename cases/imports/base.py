"""Reading an import file and checking its rows; the parts every importer shares.

Files are read with django-import-export's format classes (xlsx through openpyxl, csv through
tablib). Checking never writes: it parses every cell, looks regions, categories and existing case
numbers up in bulk, and returns the cleaned rows with per-row errors (Chinese messages, the row
number as the spreadsheet shows it: the heading is row 1).
"""

import datetime
import decimal
import io
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

from accounts.models import Region, RegionLevel
from accounts.scoping import visible_regions

from ..idnumbers import normalise, validate_credit_code, validate_id_number, validate_phone
from ..models import Case

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# An xlsx of MAX_ROWS rows unpacks to a few tens of MB; more is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 10_000
# The oldest date an import accepts: 人民调解法 and the 信访条例 records start long after.
EARLIEST = datetime.date(1980, 1, 1)


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
    if suffix not in ("xlsx", "csv"):
        raise FileRefused(_("Upload an xlsx or csv file."))
    return suffix


def read_table(name: str, data: bytes) -> tuple[list[str], list[list]]:
    """Headings and rows of the first sheet (xlsx) or of the csv file."""
    fmt = file_format(name)
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(_("The file is larger than 20 MB; split it into several files."))
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


def cell_text(value) -> str:
    """A cell as text: Excel gives numbers for digit strings and datetimes for dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        for fmt in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(_("Not a date; write it like 2024-03-05."))
    if day > timezone.localdate():
        raise ValidationError(_("The date lies in the future."))
    if day < EARLIEST:
        raise ValidationError(_("The date lies before 1980."))
    return day


def parse_int(value, minimum=0) -> int:
    text = cell_text(value)
    if not text.isascii() or not text.isdigit() or int(text) < minimum:
        raise ValidationError(_("Not a whole number of at least %(min)d.") % {"min": minimum})
    return int(text)


def parse_amount(value) -> decimal.Decimal:
    text = unicodedata.normalize("NFKC", cell_text(value)).replace(",", "")
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation as exc:
        raise ValidationError(_("Not an amount in yuan.")) from exc
    if not amount.is_finite() or amount < 0 or amount >= 10**12:
        raise ValidationError(_("Not an amount in yuan."))
    return amount.quantize(decimal.Decimal("0.01"))


def parse_party(name, id_or_code, phone, address) -> dict:
    """One party's values for cases.people.find_or_create_person. The number column takes a
    resident ID number (a person) or a unified social credit code (an organisation)."""
    values = {"name": cell_text(name)[:100], "is_organisation": False, "id_number": "", "credit_code": ""}
    number = normalise(cell_text(id_or_code))
    if number:
        try:
            values["id_number"] = validate_id_number(number)
        except ValidationError:
            try:
                values["credit_code"] = validate_credit_code(number)
                values["is_organisation"] = True
            except ValidationError:
                raise ValidationError(validate_error(number)) from None
    values["phone"] = validate_phone(cell_text(phone)) if cell_text(phone) else ""
    values["address"] = cell_text(address)[:200]
    values["gender"] = ""
    return values


def validate_error(number: str) -> str:
    try:
        validate_id_number(number)
    except ValidationError as exc:
        return exc.messages[0]
    return ""


class Choices:
    """A value given by its code or its label (Chinese or English), as people type it."""

    def __init__(self, pairs, aliases=None):
        from django.utils import translation

        self.lookup = {}
        for code, label in pairs:
            self.lookup[code.lower()] = code
            self.lookup[str(label).lower()] = code
            with translation.override("zh-hans"):
                self.lookup[str(label)] = code
            with translation.override("en"):
                self.lookup[str(label).lower()] = code
        for alias, code in (aliases or {}).items():
            self.lookup[alias] = code
        with translation.override("zh-hans"):
            self.allowed = "、".join(str(label) for _code, label in pairs)

    def get(self, value):
        text = unicodedata.normalize("NFKC", cell_text(value))
        return self.lookup.get(text) or self.lookup.get(text.lower())


class Importer:
    """One case type's import: its columns, checks and writing. Subclasses register themselves
    in ``cases.imports.IMPORTERS``; the case-type app does so at start-up."""

    key = ""
    label = ""
    roles: tuple = ()
    columns: list[Column] = []
    date_column = ""

    def may_import(self, user) -> bool:
        from accounts.roles import has_role

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
        return {"user": user, "regions": regions, "allowed": allowed, "taken": taken}

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
        raise NotImplementedError

    def parties_of(self, cleaned) -> list[dict]:
        raise NotImplementedError

    def write_row(self, case, cleaned, row, writer):
        raise NotImplementedError


def _cell(row, position):
    return row[position] if position is not None and position < len(row) else None
