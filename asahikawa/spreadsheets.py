"""Spreadsheets in and out, for every app.

In: `read_table(source)` reads a CSV (UTF-8 with or without BOM, or Shift_JIS/CP932, which Japanese
offices still write) or an Excel workbook (.xlsx: its first sheet) into a DataFrame of stripped
text cells, the header lower-cased; with `chunksize`, an iterator of such frames (for files of any
size). Whatever goes wrong is a `SpreadsheetError` whose errors name the file, row and column in
the user's language: no library message in English reaches a user.

Out: `csv_response` (streamed, for tables of any length) and `excel_response`. Every text cell
that a spreadsheet program would run as a formula is neutralised (`spreadsheet_safe`).
The one choice on BOM: every CSV the portal writes starts with a UTF-8 BOM, because Excel, which
residents and city offices open CSV files with, reads UTF-8 without one as Shift_JIS and garbles
Japanese; CSV readers for machines accept it (Python's `utf-8-sig`, pandas, R, LibreOffice).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

# A text cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
EXCEL_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx (a zip); an old .xls starts with the OLE2 magic below
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_SAMPLE = 1 << 16


# --- errors ------------------------------------------------------------------------------------

@dataclass
class CellError:
    """One problem in a spreadsheet. row: the line in the file (the header is 1), None for the
    whole file; column: the column's heading ("" when not one column)."""

    file: str
    row: int | None
    column: str
    message: str

    def place(self) -> str:
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(_("%(row)s行目") % {"row": self.row})
        if self.column:
            parts.append(_("「%(column)s」列") % {"column": self.column})
        return " ".join(parts)

    def __str__(self):
        place = self.place()
        return f"{place}: {self.message}" if place else self.message


class SpreadsheetError(Exception):
    """A file that cannot be taken, with every error found (file, row, column, message)."""

    def __init__(self, errors: list[CellError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


class CellErrors(list):
    """The errors a check finds in one file, gathered before the file is refused as a whole:

        errors = CellErrors(file="budget.csv")
        errors.add(5, "amount", _("金額が空です。"))
        errors.raise_if_any()      # SpreadsheetError with every error, by row and column
    """

    def __init__(self, file: str = ""):
        super().__init__()
        self.file = file

    def add(self, row: int | None, column: str, message: str) -> None:
        self.append(CellError(self.file, None if row is None else int(row), column or "", message))

    def raise_if_any(self) -> None:
        if self:
            raise SpreadsheetError(sorted(self, key=lambda error: (error.row or 0, error.column)))


def _fail(file: str, message: str, row: int | None = None, column: str = ""):
    raise SpreadsheetError([CellError(file, row, column, message)])


# --- reading -----------------------------------------------------------------------------------

_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _parser_message(exc: Exception, file: str) -> CellError:
    """pandas' English parser messages, in the user's language and with the line."""
    if match := _FIELDS.search(str(exc)):
        expected, line, saw = (int(value) for value in match.groups())
        return CellError(file, line, "", _("列の数が見出しと合いません（見出しは%(expected)s列、この行は%(saw)s列）。")
                         % {"expected": expected, "saw": saw})
    return CellError(file, None, "", _("CSVとして読み取れませんでした（引用符「\"」の対応などを確かめてください）。"))


def file_name(source) -> str:
    """The name a file is called by in messages (no folder): of a path, or of an uploaded/opened file."""
    if isinstance(source, (str, Path)):
        return Path(source).name
    return Path(getattr(source, "name", "") or "").name


def _open_bytes(source) -> tuple[io.BufferedIOBase, str]:
    """(a binary file object positioned at the start, the file's name for messages)."""
    if isinstance(source, (str, Path)):
        return Path(source).open("rb"), file_name(source)
    if hasattr(source, "seek"):
        source.seek(0)
    return source, file_name(source)


def _encoding(sample: bytes) -> str | None:
    """utf-8-sig or cp932 (Shift_JIS as Windows writes it), by what the first bytes decode as.
    NUL bytes mean UTF-16 or a binary file, which cp932 would otherwise take as text."""
    if b"\x00" in sample:
        return None
    for encoding in ("utf-8-sig", "cp932"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def _cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    return frame.apply(lambda column: column.map(_cell_text))


def _csv_cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The same for a CSV read with dtype=str, vectorised (each cell is text already; a short row's
    missing cells are NaN): about 5x faster than a Python call per cell, for files of any size."""
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    return frame.apply(lambda column: column.str.strip().fillna(""))


def _cell_text(value) -> str:
    """Any cell as stripped text: Excel's whole floats lose their '.0', empty cells become ''."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def read_table(source, *, chunksize: int | None = None, name: str = ""):
    """A CSV or Excel file (a path, or an uploaded/opened binary file) as text cells.

    Returns a DataFrame; with chunksize, an iterator of DataFrames of at most that many rows, whose
    index continues across chunks (row i of the data is line i + 2 of the file). Raises
    SpreadsheetError for an empty file, an unknown encoding or a malformed table.
    """
    handle, file_name = _open_bytes(source)
    file_name = name or file_name
    head = handle.read(_SAMPLE)
    handle.seek(0)
    if not head.strip():
        _fail(file_name, _("ファイルが空です。"))
    if head.startswith((_ZIP_MAGIC, _OLE2_MAGIC)):
        frame = _read_excel(handle, file_name)
        if chunksize is None:
            return frame
        return (frame.iloc[start:start + chunksize] for start in range(0, len(frame), chunksize))
    encoding = _encoding(head)
    if encoding is None:
        _fail(file_name, _("文字コードはUTF-8かShift_JISにしてください。"))
    options = {"dtype": str, "keep_default_na": False, "encoding": encoding, "skipinitialspace": True}
    if chunksize is None:
        return _read_csv(handle, file_name, options)
    return _read_csv_chunks(handle, file_name, options, chunksize)


def _read_excel(handle, file_name: str) -> pd.DataFrame:
    try:
        frame = pd.read_excel(handle, sheet_name=0, dtype=object, header=0)
    except Exception as exc:  # a broken workbook: say so in the user's language, not the library's
        raise SpreadsheetError([CellError(file_name, None, "", _("Excelファイルとして読み取れませんでした。"))]) from exc
    return _cells_as_text(frame).reset_index(drop=True)


def _read_csv(handle, file_name: str, options: dict) -> pd.DataFrame:
    try:
        frame = pd.read_csv(handle, **options)
    except pd.errors.EmptyDataError as exc:
        raise SpreadsheetError([CellError(file_name, None, "", _("見出しの行がありません。"))]) from exc
    except pd.errors.ParserError as exc:
        raise SpreadsheetError([_parser_message(exc, file_name)]) from exc
    except UnicodeDecodeError as exc:
        raise SpreadsheetError([CellError(file_name, None, "", _("文字コードはUTF-8かShift_JISにしてください。"))]) from exc
    return _csv_cells_as_text(frame)


def _read_csv_chunks(handle, file_name: str, options: dict, chunksize: int) -> Iterator[pd.DataFrame]:
    try:
        reader = pd.read_csv(handle, chunksize=chunksize, **options)
        for chunk in reader:
            yield _csv_cells_as_text(chunk)
    except pd.errors.EmptyDataError as exc:
        raise SpreadsheetError([CellError(file_name, None, "", _("見出しの行がありません。"))]) from exc
    except pd.errors.ParserError as exc:
        raise SpreadsheetError([_parser_message(exc, file_name)]) from exc
    except UnicodeDecodeError as exc:
        raise SpreadsheetError([CellError(file_name, None, "", _("文字コードはUTF-8かShift_JISにしてください。"))]) from exc


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, file: str = "") -> None:
    """Every named column is in the header, or a SpreadsheetError naming each one missing."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise SpreadsheetError([CellError(file, 1, column, _("この列がありません。")) for column in missing])


# --- writing -----------------------------------------------------------------------------------

def spreadsheet_safe(value):
    """Text that a spreadsheet would evaluate is prefixed with ' (shown as text); anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def frame_spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The same, for every text cell of a pandas DataFrame (a copy)."""
    from pandas.api.types import is_numeric_dtype

    frame = frame.copy()
    for column in frame.columns:
        if not is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(spreadsheet_safe)
    return frame


def csv_cell(value):
    """A value as a CSV cell: None empty, booleans true/false, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return spreadsheet_safe(value)


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable, *, bom: bool = True) -> StreamingHttpResponse:
    """A CSV download streamed row by row (rows: sequences in the header's order, or dicts)."""
    writer = csv.writer(_Echo())

    def stream():
        yield (BOM if bom else "") + writer.writerow(header)
        for row in rows:
            values = [row.get(column) for column in header] if isinstance(row, dict) else row
            yield writer.writerow([csv_cell(value) for value in values])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def frame_csv_response(filename: str, frame: pd.DataFrame) -> StreamingHttpResponse:
    return csv_response(filename, [str(column) for column in frame.columns], frame.itertuples(index=False, name=None))


def excel_response(filename: str, frame: pd.DataFrame, *, sheet_name: str = "data") -> HttpResponse:
    """An .xlsx download of one sheet (openpyxl), text cells neutralised like the CSV."""
    buffer = io.BytesIO()
    frame_spreadsheet_safe(frame).to_excel(buffer, index=False, sheet_name=sheet_name[:31], engine="openpyxl")
    response = HttpResponse(buffer.getvalue(), content_type=EXCEL_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
