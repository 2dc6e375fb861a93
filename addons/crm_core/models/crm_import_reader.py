"""Reading import files into numbered rows of text cells.

base_import's readers are not reused: they drop blank lines (the row numbers
then no longer match the spreadsheet's, and every problem is reported by row)
and load an xlsx workbook whole, where openpyxl's read-only mode streams it.
"""

import codecs
import csv
import datetime
import io

import openpyxl
import xlrd

# Beyond this a file is split into several imports (memory of one worker).
MAX_ROWS = 200_000
# A cell longer than this is refused, whatever the field (issue: huge cells).
MAX_CELL = 10_000
ENCODINGS = [
    ("auto", "Detect"),
    ("utf-8", "UTF-8"),
    ("gb18030", "GBK / GB18030"),
    ("utf-16", "UTF-16"),
]
# Excel marks a formula by a leading "=": such cells are never stored as text
# (they would turn into live formulas when exported again).
FORMULA_PREFIX = "="


class ImportFileError(Exception):
    """A file that cannot be read; ``code`` and ``params`` are turned into a
    translated message by the import job (this module has no environment)."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def file_kind(file_name, content):
    name = (file_name or "").lower()
    if content[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return "xlsx"
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        return "xls"
    return "csv"


def decode_csv(content, encoding="auto"):
    """Text of a csv file and the encoding used. "auto" reads the BOM, then
    tries UTF-8 and falls back to GB18030, the superset of GBK and GB2312
    that spreadsheets saved on Chinese Windows use."""
    if encoding and encoding != "auto":
        try:
            return content.decode("utf-16" if encoding == "utf-16" else encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ImportFileError("encoding_given", encoding=encoding, error=str(exc)) from exc
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16"), "utf-16"
    for candidate in ("utf-8", "gb18030"):
        try:
            return content.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise ImportFileError("encoding_unknown")


def _csv_rows(content, encoding):
    text, used = decode_csv(content, encoding)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return used, ((number, row) for number, row in enumerate(reader, 1))


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(content):
    try:
        # Not data_only: a formula must be seen as one, not as its cached value.
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a broken file
        raise ImportFileError("xlsx", error=str(exc)) from exc
    sheet = book.worksheets[0]
    return (
        (number, [_xlsx_cell(value) for value in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
    )


def _xls_rows(content):
    try:
        book = xlrd.open_workbook(file_contents=content)
    except Exception as exc:  # noqa: BLE001 - xlrd raises anything on a broken file
        raise ImportFileError("xls", error=str(exc)) from exc
    sheet = book.sheet_by_index(0)

    def cell(c):
        if c.ctype == xlrd.XL_CELL_NUMBER:
            return str(int(c.value)) if float(c.value).is_integer() else repr(c.value)
        if c.ctype == xlrd.XL_CELL_DATE:
            return datetime.datetime(*xlrd.xldate_as_tuple(c.value, book.datemode)).date().isoformat()
        if c.ctype == xlrd.XL_CELL_BOOLEAN:
            return "1" if c.value else "0"
        if c.ctype == xlrd.XL_CELL_ERROR:
            return FORMULA_PREFIX + xlrd.error_text_from_code.get(c.value, "#ERR")
        return str(c.value)

    return ((number + 1, [cell(c) for c in sheet.row(number)]) for number in range(sheet.nrows))


def read_rows(content, file_name, encoding="auto"):
    """(kind, encoding, rows): rows yields (row number as the spreadsheet
    shows it, [cell text stripped]) for every non-blank row."""
    if not content:
        raise ImportFileError("empty")
    kind = file_kind(file_name, content)
    used = False
    if kind == "xlsx":
        rows = _xlsx_rows(content)
    elif kind == "xls":
        rows = _xls_rows(content)
    else:
        used, rows = _csv_rows(content, encoding)

    def clean():
        number = 0
        try:
            for number, cells in rows:
                cells = [(c or "").strip() for c in cells]
                if any(cells):
                    yield number, cells
        except (csv.Error, ValueError, KeyError, IndexError, OSError) as exc:
            # A truncated workbook or a csv cell beyond csv's field limit.
            raise ImportFileError("broken", row=number, error=str(exc)) from exc

    return kind, used, clean()
