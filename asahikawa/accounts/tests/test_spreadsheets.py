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
