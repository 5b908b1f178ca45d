import pandas as pd

from asahikawa.spreadsheets import frame_spreadsheet_safe, spreadsheet_safe


def test_text_a_spreadsheet_would_evaluate_is_quoted_and_the_rest_kept():
    assert [spreadsheet_safe(v) for v in ["=1+1", "+81", "-x", "@SUM", "\tA", "永山", "", 5, -3, None]] == [
        "'=1+1", "'+81", "'-x", "'@SUM", "'\tA", "永山", "", 5, -3, None,
    ]


def test_frames_are_made_safe_in_their_text_columns_only():
    frame = pd.DataFrame({"name": ["=cmd", "ok"], "amount": [-5, 7]})
    safe = frame_spreadsheet_safe(frame)
    assert safe["name"].tolist() == ["'=cmd", "ok"] and safe["amount"].tolist() == [-5, 7]
    assert frame["name"].tolist() == ["=cmd", "ok"]  # the original is untouched


# --- the one reader ------------------------------------------------------------------------------

import io  # noqa: E402

import pytest  # noqa: E402
from django.utils import translation  # noqa: E402

from asahikawa.spreadsheets import (  # noqa: E402
    CellErrors,
    SpreadsheetError,
    csv_response,
    read_table,
    require_columns,
)

TABLE = "地区,件数\n永山,3\n神楽,12\n"


def named(data: bytes, name="data.csv"):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_utf8_with_or_without_bom_or_shift_jis(encoding):
    frame = read_table(named(TABLE.encode(encoding)))
    assert list(frame.columns) == ["地区", "件数"]
    assert frame.to_dict("records") == [{"地区": "永山", "件数": "3"}, {"地区": "神楽", "件数": "12"}]


def test_excel_first_sheet_as_text_cells(tmp_path):
    path = tmp_path / "book.xlsx"
    pd.DataFrame({"Code": ["01", "02"], "Amount": [1200.0, 3.5]}).to_excel(path, index=False)
    frame = read_table(path)
    assert frame.to_dict("records") == [{"code": "01", "amount": "1200"}, {"code": "02", "amount": "3.5"}]


def test_chunks_keep_the_row_numbers_of_the_file():
    data = "n\n" + "".join(f"{i}\n" for i in range(10))
    chunks = list(read_table(named(data.encode()), chunksize=4))
    assert [len(chunk) for chunk in chunks] == [4, 4, 2]
    assert list(chunks[2].index) == [8, 9] and list(chunks[2]["n"]) == ["8", "9"]


@pytest.mark.parametrize(
    "data, row, message",
    [
        (b"", None, "ファイルが空です。"),
        ("a,b\n1,2\n3,4,5\n".encode(), 3, "列の数が見出しと合いません（見出しは2列、この行は3列）。"),
        ("地区\n".encode("utf-16"), None, "文字コードはUTF-8かShift_JISにしてください。"),
        (b"PK\x03\x04not really a workbook", None, "Excelファイルとして読み取れませんでした。"),
    ],
)
def test_what_goes_wrong_is_named_in_japanese_with_file_and_row(data, row, message):
    with translation.override("ja"), pytest.raises(SpreadsheetError) as caught:
        read_table(named(data, "upload.csv"))
    (error,) = caught.value.errors
    assert (error.file, error.row, error.message) == ("upload.csv", row, message)
    assert str(error).startswith("upload.csv")


def test_the_same_error_in_english():
    with translation.override("en"):
        with pytest.raises(SpreadsheetError) as caught:
            read_table(named("a,b\n1,2\n3,4,5\n".encode(), "upload.csv"))
        assert str(caught.value.errors[0]) == (
            "upload.csv row 3: The number of columns does not match the header (the header has 2, this row has 3)."
        )


def test_cell_errors_are_gathered_and_raised_together_by_row_and_column():
    errors = CellErrors("budget.csv")
    errors.raise_if_any()  # none yet: nothing raised
    errors.add(5, "amount", "b")
    errors.add(None, "", "whole file")
    errors.add(3, "year", "a")
    with translation.override("ja"), pytest.raises(SpreadsheetError) as caught:
        errors.raise_if_any()
    assert [str(error) for error in caught.value.errors] == [
        "budget.csv: whole file", "budget.csv 3行目 「year」列: a", "budget.csv 5行目 「amount」列: b",
    ]


def test_a_missing_column_is_named_in_the_header_row():
    with translation.override("ja"), pytest.raises(SpreadsheetError) as caught:
        require_columns(read_table(named(TABLE.encode())), ["地区", "年度", "金額"], file="data.csv")
    assert [(error.row, error.column, error.message) for error in caught.value.errors] == [
        (1, "年度", "この列がありません。"), (1, "金額", "この列がありません。"),
    ]


def test_csv_response_streams_with_a_bom_and_neutralised_formulas():
    response = csv_response("x.csv", ["name", "flag", "none"], [["=1+1", True, None], {"name": "永山", "flag": False}])
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    assert raw.decode("utf-8-sig").splitlines() == ["name,flag,none", "'=1+1,true,", "永山,false,"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
