"""CSV upload (UTF-8 or Shift_JIS, or an Excel sheet; the platform's reader): every row checked, an error list by row and column, all rows or none."""
from django.utils.translation import gettext as _

from asahikawa.spreadsheets import SpreadsheetError, read_table

from . import services
from .forms import HistoryRecordForm
from .models import Source

HEADER = ["date", "steps", "weight_kg", "body_fat_pct", "systolic", "diastolic"]
MAX_ROWS = 1000
COLUMN_OF_FIELD = {"day": "date", "__all__": "", **{name: name for name in HEADER[1:]}}


def records_import_csv(*, user, upload) -> tuple[services.UpsertResult | None, list[dict]]:
    """Returns (result, []) when every row was written, or (None, errors) when nothing was.

    Each error: {"row": line number in the file (header = 1), "column": ..., "message": ...}.
    """
    try:
        frame = read_table(upload)
    except SpreadsheetError as error:
        return None, [{"row": e.row or 0, "column": e.column, "message": e.message} for e in error.errors]
    columns = list(frame.columns)
    if columns != HEADER:
        return None, [{"row": 1, "column": "", "message": _("1行目（見出し）は %(header)s にしてください。") % {"header": ",".join(HEADER)}}]
    if frame.empty:
        return None, [{"row": 2, "column": "", "message": _("データの行がありません。")}]
    if len(frame) > MAX_ROWS:
        return None, [{"row": 0, "column": "", "message": _("一度に取り込めるのは%(n)s行までです。") % {"n": MAX_ROWS}}]

    frame.columns = HEADER
    errors, rows, seen = [], [], {}
    for index, values in enumerate(frame.to_dict("records")):
        line = index + 2
        data = {"day": values["date"].strip(), **{name: values[name].strip() for name in HEADER[1:]}}
        form = HistoryRecordForm(data)
        if not form.is_valid():
            for field, messages in form.errors.items():
                for message in messages:
                    errors.append({"row": line, "column": COLUMN_OF_FIELD.get(field, field), "message": message})
            continue
        day = form.cleaned_data["day"]
        if day in seen:
            errors.append({"row": line, "column": "date", "message": _("%(line)s行目と同じ日付です。") % {"line": seen[day]}})
            continue
        seen[day] = line
        rows.append(form.cleaned_data)
    if errors:
        return None, errors
    result = services.records_upsert(user=user, rows=rows, source=Source.CSV)
    return result, []
