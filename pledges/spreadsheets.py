"""Pledges to and from CSV and XLSX: one column layout for export and import, and row-by-row validation."""

import csv
import datetime
import hashlib
import io
import itertools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from gcm.models import GuidingPrinciple, Objective
from iscm_portal.spreadsheet_cells import (
    MAX_CELL_LENGTH,
    escape_cell,
    escape_xlsx_cell,
    join_list,
    unescape_cell,
)
from mechanisms.models import Mechanism, Region, State

from .enums import ImrfEdition, PledgerType, PledgeScope, PledgeStatus
from .models import reference_import_key

COLUMNS = [
    "reference",
    "title",
    "text",
    "pledger_type",
    "pledger",
    "co_pledger_states",
    "co_pledgers",
    "objectives",
    "guiding_principles",
    "imrf_edition",
    "announced_on",
    "scope",
    "regions",
    "states",
    "status",
    "sources",
    "published",
]
EXPORT_ONLY_COLUMNS = ["number", "last_activity_on", "follow_up", "url"]
REQUIRED_COLUMNS = ["title", "pledger_type", "pledger", "objectives", "imrf_edition", "announced_on"]
LIST_SEPARATOR = re.compile(r"[;,\n]+")
MAX_ROWS = 10_000


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (not a table, wrong encoding, missing columns)."""


@dataclass
class TableRow:
    """One non-blank row of the uploaded table: its number as the spreadsheet shows it, and its cells."""

    number: int
    cells: dict[str, str]


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedImport:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _split(value) -> list[str]:
    return [part.strip() for part in LIST_SEPARATOR.split(str(value or "")) if part.strip()]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def import_key_for(*, reference: str, pledger_type: str, pledger: str, title: str, edition) -> str:
    """The natural key that makes re-importing a file update rows instead of duplicating them."""
    if reference:
        return reference_import_key(reference)
    basis = "|".join([pledger_type, pledger.strip().lower(), " ".join(title.lower().split()), str(edition)])
    return "sha:" + hashlib.sha256(basis.encode()).hexdigest()[:60]


def _undecodable_place(content: bytes, error: UnicodeDecodeError) -> tuple[int, str]:
    """The row and column (by the header's name) of the first byte that is not UTF-8."""
    lines = content[: error.start].decode("utf-8", "replace").split("\n")
    column = max(len(next(csv.reader([lines[-1]]), [])) - 1, 0)
    header = next(csv.reader([content.split(b"\n", 1)[0].decode("utf-8-sig", "replace")]), [])
    if len(lines) > 1 and column < len(header):
        return len(lines), header[column].strip().lower()
    return len(lines), str(column + 1)  # in the header itself, or past its last column: the column's number


def _csv_table(content: bytes) -> tuple[list[str], list[TableRow]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row, column = _undecodable_place(content, error)
        raise SpreadsheetError(
            _("Row %(row)d, column %(column)s: the CSV file is not UTF-8 encoded (save it as “CSV UTF-8”).")
            % {"row": row, "column": column}
        ) from error
    # csv refuses cells over 131,072 characters with an error that names no cell; lift its process-wide limit
    # to the upload size (the file cannot hold a longer cell) and report long cells ourselves, by row and column.
    csv.field_size_limit(max(csv.field_size_limit(), settings.MAX_UPLOAD_SIZE))
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        for number, values in enumerate(reader, start=2):
            rows.append(TableRow(number, dict(zip(header, (value.strip() for value in values), strict=False))))
            if len(rows) > MAX_ROWS * 2:
                break  # far too many rows: stop reading, the row limit below refuses the file
    except csv.Error as error:
        raise SpreadsheetError(
            _("Row %(row)d: the CSV file cannot be read (%(reason)s).") % {"row": reader.line_num, "reason": error}
        ) from error
    return header, rows


def _xlsx_table(content: bytes) -> tuple[list[str], list[TableRow]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # Stop reading past the row limit, whatever size the sheet claims.
            values = list(itertools.islice(workbook.worksheets[0].iter_rows(values_only=True), MAX_ROWS * 2))
        finally:
            workbook.close()
    except Exception as error:  # openpyxl and zipfile raise many types for a broken file
        raise SpreadsheetError(_("The file is not a readable Excel workbook.")) from error
    if not values:
        return [], []
    header = [_cell(value).lower() for value in values[0]]
    rows = [
        TableRow(number, dict(zip(header, (_cell(value) for value in row), strict=False)))
        for number, row in enumerate(values[1:], start=2)
    ]
    return header, rows


def read_table(upload) -> list[TableRow]:
    """The uploaded CSV or XLSX as rows keyed by lower-case column name, all values as unescaped text."""
    content = upload.read()
    header, rows = _xlsx_table(content) if upload.name.lower().endswith(".xlsx") else _csv_table(content)
    if not header:
        raise SpreadsheetError(_("The file is empty."))
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise SpreadsheetError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = [row for row in rows if any(row.cells.values())]
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(_("At most %(max)d rows can be imported at once.") % {"max": MAX_ROWS})
    for row in rows:
        row.cells = {column: unescape_cell(value) for column, value in row.cells.items() if column}
    return rows


class _Lookups:
    """Every reference table loaded once, so validating 10,000 rows costs a handful of queries."""

    def __init__(self):
        self.states = {state.iso3: state.pk for state in State.objects.only("pk", "iso3")}
        self.mechanisms = {}
        for mechanism in Mechanism.objects.only("pk", "slug", "acronym"):
            self.mechanisms[mechanism.slug.lower()] = mechanism.pk
            self.mechanisms[mechanism.acronym.lower()] = mechanism.pk
        self.objectives = dict(Objective.objects.values_list("number", "pk"))
        self.principles = {}
        for principle in GuidingPrinciple.objects.only("pk", "slug", "letter"):
            self.principles[principle.letter.lower()] = principle.pk
            self.principles[principle.slug.lower()] = principle.pk
        self.regions = {name.lower(): pk for pk, name in Region.objects.values_list("pk", "name")}


def _choice(value: str, choices) -> str | None:
    wanted = value.strip().lower()
    for key, label in choices:
        if wanted in (str(key).lower(), str(label).lower()):
            return key
    return None


def _cell_errors(cells: dict[str, str]) -> list[tuple[str, str]]:
    """Cells no spreadsheet or database can hold: longer than a spreadsheet cell, or with a NUL character."""
    errors = []
    for column, value in cells.items():
        if len(value) > MAX_CELL_LENGTH:
            errors.append(
                (
                    column,
                    _("The cell holds %(length)d characters; a cell holds at most %(max)d.")
                    % {"length": len(value), "max": MAX_CELL_LENGTH},
                )
            )
        elif "\x00" in value:
            errors.append((column, _("The cell contains a NUL character.")))
    return errors


def parse_rows(rows: list[TableRow]) -> ParsedImport:
    """Validate every row and report every problem by row number (as in a spreadsheet) and column."""
    lookups = _Lookups()
    result = ParsedImport()
    seen_keys: dict[str, int] = {}
    for table_row in rows:
        index, raw = table_row.number, table_row.cells
        errors = []

        def error(column, message, _errors=errors, _row=index):
            _errors.append(RowError(_row, column, message))

        cell_errors = _cell_errors(raw)
        if cell_errors:
            for column, message in cell_errors:
                error(column, message)
            result.errors += errors
            continue  # the other checks would quote the unreadable cell back

        title = raw.get("title", "")
        if not title:
            error("title", _("The title is missing."))
        elif len(title) > 255:
            error("title", _("The title is longer than 255 characters."))
        pledger_type = _choice(raw.get("pledger_type", ""), PledgerType.choices)
        pledger = raw.get("pledger", "")
        state_id = mechanism_id = None
        pledger_name = ""
        if pledger_type is None:
            error("pledger_type", _("Unknown pledger type “%(value)s”.") % {"value": raw.get("pledger_type", "")})
        elif pledger_type == PledgerType.STATE:
            state_id = lookups.states.get(pledger.upper())
            if state_id is None:
                error("pledger", _("Unknown State “%(value)s” (use the ISO alpha-3 code).") % {"value": pledger})
        elif pledger_type == PledgerType.ISCM:
            mechanism_id = lookups.mechanisms.get(pledger.lower())
            if mechanism_id is None:
                error("pledger", _("Unknown mechanism “%(value)s”.") % {"value": pledger})
        elif not pledger:
            error("pledger", _("The pledger is missing."))
        else:
            pledger_name = pledger[:255]

        def codes(column, table, normalise, label, _error=error, _raw=raw):
            ids = []
            for value in _split(_raw.get(column, "")):
                pk = table.get(normalise(value))
                if pk is None:
                    _error(column, label % {"value": value})
                else:
                    ids.append(pk)
            return ids

        objective_ids = codes(
            "objectives",
            lookups.objectives,
            lambda value: int(value) if value.isdigit() else None,
            _("Unknown objective number “%(value)s” (1 to 23)."),
        )
        if not _split(raw.get("objectives", "")):
            error("objectives", _("At least one GCM objective number is needed."))
        principle_ids = codes(
            "guiding_principles", lookups.principles, str.lower, _("Unknown guiding principle “%(value)s”.")
        )
        region_ids = codes("regions", lookups.regions, str.lower, _("Unknown region “%(value)s”."))
        state_ids = codes("states", lookups.states, str.upper, _("Unknown State “%(value)s”."))
        co_state_ids = codes("co_pledger_states", lookups.states, str.upper, _("Unknown State “%(value)s”."))
        edition = _choice(raw.get("imrf_edition", ""), ImrfEdition.choices)
        if edition is None:
            error(
                "imrf_edition",
                _("Unknown IMRF edition “%(value)s” (one of %(choices)s).")
                % {"value": raw.get("imrf_edition", ""), "choices": ", ".join(str(v) for v in ImrfEdition.values)},
            )
        announced_on = None
        try:
            announced_on = datetime.date.fromisoformat(raw.get("announced_on", ""))
        except ValueError:
            error("announced_on", _("Bad date “%(value)s” (use YYYY-MM-DD).") % {"value": raw.get("announced_on", "")})
        scope = _choice(raw.get("scope") or PledgeScope.NATIONAL, PledgeScope.choices)
        if scope is None:
            error("scope", _("Unknown scope “%(value)s”.") % {"value": raw.get("scope", "")})
        status = _choice(raw.get("status") or PledgeStatus.ANNOUNCED, PledgeStatus.choices)
        if status is None:
            error("status", _("Unknown status “%(value)s”.") % {"value": raw.get("status", "")})
        sources = [value for value in re.split(r"[\s;]+", raw.get("sources", "")) if value]
        for value in sources:
            if not value.startswith(("http://", "https://")):
                error("sources", _("“%(value)s” is not a web address.") % {"value": value})
        published = raw.get("published", "").strip().lower()
        if published not in ("", "yes", "no", "true", "false", "1", "0"):
            error("published", _("Write yes or no, not “%(value)s”.") % {"value": raw.get("published", "")})
        key = import_key_for(
            reference=raw.get("reference", ""),
            pledger_type=pledger_type or "",
            pledger=pledger,
            title=title,
            edition=edition,
        )
        if key in seen_keys and not errors:
            error("reference", _("Same pledge as row %(row)d.") % {"row": seen_keys[key]})
        seen_keys.setdefault(key, index)
        result.errors += errors
        if errors:
            continue
        result.rows.append(
            {
                "row": index,
                "import_key": key,
                "fields": {
                    "title": title,
                    "text": raw.get("text", ""),
                    "pledger_type": pledger_type,
                    "pledger_state_id": state_id,
                    "pledger_mechanism_id": mechanism_id,
                    "pledger_name": pledger_name,
                    "co_pledgers": raw.get("co_pledgers", "")[:500],
                    "imrf_edition": edition,
                    "announced_on": announced_on.isoformat(),
                    "scope": scope,
                    "status": status,
                    "sources": sources,
                    "is_published": published not in ("no", "false", "0"),
                },
                "relations": {
                    "objectives": objective_ids,
                    "guiding_principles": principle_ids,
                    "regions": region_ids,
                    "states": state_ids,
                    "co_pledger_states": co_state_ids,
                },
            }
        )
    return result


def export_row(pledge, relations: dict[str, dict[int, list]], site_url: str) -> list:
    if pledge.pledger_type == PledgerType.STATE:
        pledger = pledge.pledger_state.iso3
    elif pledge.pledger_type == PledgerType.ISCM:
        pledger = pledge.pledger_mechanism.slug
    else:
        pledger = pledge.pledger_name

    def related(name):
        return relations[name].get(pledge.pk, [])

    return [
        pledge.reference,
        pledge.title,
        pledge.text,
        pledge.pledger_type,
        pledger,
        join_list(related("co_pledger_states")),
        pledge.co_pledgers,
        join_list(related("objectives")),
        join_list(related("guiding_principles")),
        pledge.imrf_edition,
        pledge.announced_on.isoformat(),
        pledge.scope,
        join_list(related("regions")),
        join_list(related("states")),
        pledge.status,
        join_list(pledge.sources),
        "yes" if pledge.is_published else "no",
        pledge.pk,
        pledge.last_activity_on.isoformat(),
        pledge.activity_flag,
        site_url + pledge.get_absolute_url(),
    ]


def write_csv(pledges, relations, stream, site_url: str) -> None:
    writer = csv.writer(stream)
    writer.writerow(COLUMNS + EXPORT_ONLY_COLUMNS)
    for pledge in pledges:
        writer.writerow([escape_cell(value) for value in export_row(pledge, relations, site_url)])


def write_xlsx(pledges, relations, stream, site_url: str) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pledges")
    sheet.append(COLUMNS + EXPORT_ONLY_COLUMNS)
    for pledge in pledges:
        sheet.append([escape_xlsx_cell(value) for value in export_row(pledge, relations, site_url)])
    workbook.save(stream)
