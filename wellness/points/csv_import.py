"""CSV upload (UTF-8 or Shift_JIS, or an Excel sheet; the platform's reader): every row checked, an error list by row and column, all rows or none."""
from django.utils.translation import gettext as _

from asahikawa.spreadsheets import CellError, CellErrors, SpreadsheetError, file_name, read_table

from . import services
from .forms import HistoryRecordForm
from .models import Source

HEADER = ["date", "steps", "weight_kg", "body_fat_pct", "systolic", "diastolic"]
MAX_ROWS = 1000
COLUMN_OF_FIELD = {"day": "date", "__all__": "", **{name: name for name in HEADER[1:]}}


def records_import_csv(*, user, upload) -> tuple[services.UpsertResult | None, list[CellError]]:
    """Returns (result, []) when every row was written, or (None, errors) when nothing was.

    Each error is the platform's CellError: file, row (the line in the file, header = 1; None for
    the whole file), column and message.
    """
    errors = CellErrors(file_name(upload))
    try:
        frame = read_table(upload)
    except SpreadsheetError as error:
        return None, error.errors
    if list(frame.columns) != HEADER:
        errors.add(1, "", _("1行目（見出し）は %(header)s にしてください。") % {"header": ",".join(HEADER)})
    elif frame.empty:
        errors.add(2, "", _("データの行がありません。"))
    elif len(frame) > MAX_ROWS:
        errors.add(None, "", _("一度に取り込めるのは%(n)s行までです。") % {"n": MAX_ROWS})
    if errors:
        return None, errors

    rows, seen = [], {}
    for index, values in enumerate(frame.to_dict("records")):
        line = index + 2
        data = {"day": values["date"].strip(), **{name: values[name].strip() for name in HEADER[1:]}}
        form = HistoryRecordForm(data)
        if not form.is_valid():
            for field, messages in form.errors.items():
                for message in messages:
                    errors.add(line, COLUMN_OF_FIELD.get(field, field), message)
            continue
        day = form.cleaned_data["day"]
        if day in seen:
            errors.add(line, "date", _("%(line)s行目と同じ日付です。") % {"line": seen[day]})
            continue
        seen[day] = line
        rows.append(form.cleaned_data)
    if errors:
        return None, errors
    result = services.records_upsert(user=user, rows=rows, source=Source.CSV)
    return result, []
