"""CSV downloads that a spreadsheet opens safely, for every area."""

# A text cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would evaluate is prefixed with ' (shown as text); anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def frame_spreadsheet_safe(frame):
    """The same, for every text cell of a pandas DataFrame (a copy)."""
    from pandas.api.types import is_numeric_dtype

    frame = frame.copy()
    for column in frame.columns:
        if not is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(spreadsheet_safe)
    return frame
