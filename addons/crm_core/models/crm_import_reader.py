"""Reading import files into numbered rows of text cells.

base_import's readers are not reused: they drop blank lines (the row numbers
then no longer match the spreadsheet's, and every problem is reported by row)
and load an xlsx workbook whole, where openpyxl's read-only mode streams it.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile

import openpyxl
import xlrd

# Beyond this a file is split into several imports (memory of one worker).
MAX_ROWS = 200_000
# A cell longer than this is refused, whatever the field (issue: huge cells).
MAX_CELL = 10_000
# An xlsx is a zip: what it unpacks to is read, not its size. MAX_ROWS rows of
# a customer template unpack to about 190 MB; a zip bomb to gigabytes.
MAX_UNPACKED = 256 * 1024 * 1024
# Columns after this one are not read: no target has as many, and a cell in
# the sheet's last column (XFD) would make each row 16,384 cells wide.
MAX_COLUMNS = 200
ENCODINGS = [
    ("auto", "Detect"),
    ("utf-8", "UTF-8"),
    ("gb18030", "GBK / GB18030"),
    ("utf-16", "UTF-16"),
]
# Excel marks a formula by a leading "=": such cells are never stored as text
# (they would turn into live formulas when exported again).
FORMULA_PREFIX = "="
# Excel also runs a cell that starts with "@", "+" or "-" as a formula:
# +cmd|' /C calc'!A0, -2+3+cmd|... (dynamic data exchange). A phone number
# (+86 139 ...) or a negative amount is no formula.
FORMULA = re.compile(r"[=@]|[+-](?![\d\s.,()/-]*$)")
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(Exception):
    """A file that cannot be read; ``code`` and ``params`` are turned into a
    translated message by the import job (this module has no environment)."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def is_formula(text):
    return bool(FORMULA.match(text))


def file_kind(content):
    """The file's format by its content, not its name: a csv saved as
    "customers.xlsx" is read as the csv it is."""
    if content.startswith(ZIP_SIGNATURE):
        return "xlsx"
    if content.startswith(OLE_SIGNATURE):
        return "xls"
    return "csv"


def _row_of(content, position):
    """The row number of a byte position of a csv file."""
    return content.count(b"\n", 0, position) + 1


def decode_csv(content, encoding="auto"):
    """Text of a csv file and the encoding used. "auto" reads the BOM, then
    tries UTF-8 and falls back to GB18030, the superset of GBK and GB2312
    that spreadsheets saved on Chinese Windows use."""
    if encoding and encoding != "auto":
        try:
            return content.decode("utf-16" if encoding == "utf-16" else encoding), encoding
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "encoding_given", encoding=encoding, error=f"row {_row_of(content, exc.start)}: {exc.reason}"
            ) from exc
        except LookupError as exc:
            raise ImportFileError("encoding_given", encoding=encoding, error=str(exc)) from exc
    try:
        if content.startswith(codecs.BOM_UTF8):
            return content[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8"
        if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return content.decode("utf-16"), "utf-16"
    except UnicodeDecodeError as exc:
        raise ImportFileError("encoding_unknown", row=_row_of(content, exc.start)) from exc
    first_error = None
    for candidate in ("utf-8", "gb18030"):
        try:
            return content.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    raise ImportFileError("encoding_unknown", row=_row_of(content, first_error.start))


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
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # The sizes the archive declares bound what zipfile unpacks.
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise ImportFileError("unpacked", size=unpacked // 2**20, max=MAX_UNPACKED // 2**20)
        # Not data_only: a formula must be seen as one, not as its cached value.
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a broken file
        raise ImportFileError("xlsx", error=str(exc)) from exc
    # The size the sheet declares may be anything (A1:XFD1048576): rows are
    # read as they are, not padded to it.
    sheet.reset_dimensions()
    return (
        # Blank rows (a million of them in a sheet formatted to its end) are
        # not converted cell by cell.
        (number, [] if values.count(None) == len(values) else ["" if v is None else _xlsx_cell(v) for v in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1)
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
    kind = file_kind(content)
    used = False
    if kind == "xlsx":
        rows = _xlsx_rows(content)
    elif kind == "xls":
        rows = _xls_rows(content)
    else:
        try:
            used, rows = _csv_rows(content, encoding)
        except ImportFileError as exc:
            # Not text either: a broken or foreign file under an Excel name.
            if exc.code == "encoding_unknown" and (file_name or "").lower().endswith((".xlsx", ".xls")):
                raise ImportFileError("not_a_workbook") from exc
            raise

    def clean():
        number = 0
        try:
            for number, cells in rows:
                cells = [(c or "").strip() for c in cells]
                if any(cells):
                    # No text holds one (PostgreSQL refuses it): binary data.
                    if any("\x00" in cell for cell in cells):
                        raise ImportFileError("broken", row=number, error="NUL character (binary data)")
                    yield number, cells
        except (csv.Error, ValueError, KeyError, IndexError, OSError) as exc:
            # A truncated workbook or a csv cell beyond csv's field limit.
            raise ImportFileError("broken", row=number, error=str(exc)) from exc

    return kind, used, clean()
