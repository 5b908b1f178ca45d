"""Reading a budget file: CSV (UTF-8 or Shift_JIS) or Excel, through the platform's one reader.

Whatever cannot be read is an asahikawa.spreadsheets.SpreadsheetError naming file, row and column.
"""
from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from asahikawa.spreadsheets import CellError, SpreadsheetError, file_name, read_table


def read_budget_file(file, *, name: str = "") -> pd.DataFrame:
    """The file (a path, or an uploaded/opened binary file) as a frame of stripped text cells with
    lower-cased headings; row i is line i + 2 of the file. A file without data rows is refused."""
    name = name or file_name(file)
    frame = read_table(file, name=name)
    if frame.empty:
        raise SpreadsheetError([CellError(name, None, "", _("データの行がありません。"))])
    return frame


def read_budget_chunks(file, *, name: str = "", chunksize: int = 50_000):
    """The same, as frames of at most chunksize rows (the index continues across them). A file
    without data rows is refused."""
    name = name or file_name(file)
    empty = True
    for frame in read_table(file, name=name, chunksize=chunksize):
        if frame.empty:
            continue
        empty = False
        yield frame
    if empty:
        raise SpreadsheetError([CellError(name, None, "", _("データの行がありません。"))])
