"""Canonical lines held compactly, so that a file of any size is checked in bounded memory.

A file is read in chunks; each chunk's canonical lines have their text columns turned into
pandas categoricals (each distinct code or name is held once, a line holds small integer codes) and
their numbers into the smallest integer types. The codes are the same across chunks (one encoder per
column, kept while reading), and `code` and `parent` share one set of categories, so that a line's parent is
found by comparing codes (merges and groupbys on the compact columns never turn them back into
millions of Python strings). Memory then grows with the number of lines (about 35 bytes each) and
of distinct codes and names, not with the size of the text.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

TEXT = ("table", "account", "code", "parent", "name")
SHARED = ("code", "parent")  # one set of categories: a parent is one of the codes
INTEGERS = {"line": "int32", "year": "int16", "amount": "int64"}


class _Encoder:
    """Text values -> int32 codes, one code per distinct value across every chunk (the first
    string read of each value is kept, the chunks' copies are freed with their chunk)."""

    def __init__(self):
        self.codes: dict[str, int] = {}
        self.values: list[str] = []

    def encode(self, values: pd.Series) -> np.ndarray:
        local = pd.Categorical(values.astype(object))
        mapping = np.empty(len(local.categories), dtype="int32")
        for position, value in enumerate(local.categories):
            code = self.codes.get(value)
            if code is None:
                code = self.codes[value] = len(self.values)
                self.values.append(value)
            mapping[position] = code
        return mapping[local.codes]

    def categories(self) -> pd.Index:
        return pd.Index(self.values, dtype=object)


class Compactor:
    """Canonical lines added chunk by chunk, held compactly; frame() joins them."""

    def __init__(self):
        self.columns: dict[str, list] = {}  # item lines
        self.others: dict[str, list] = {}
        self.encoders: dict[str, _Encoder] = {}
        shared = _Encoder()
        for column in SHARED:
            self.encoders[column] = shared

    def add(self, lines: pd.DataFrame) -> None:
        """A chunk's lines: item lines (purpose, nature, revenue) kept apart from the others, so that
        frame() puts them first and items_of() is a view, not a copy."""
        from .layouts import ITEM_TABLES

        is_item = lines["table"].isin(ITEM_TABLES).to_numpy()
        self._add(lines[is_item], self.columns)
        self._add(lines[~is_item], self.others)

    def _add(self, lines: pd.DataFrame, columns: dict) -> None:
        for column in lines.columns:
            values = lines[column]
            if column in INTEGERS:
                piece = values.to_numpy(dtype=INTEGERS[column], copy=True)  # not a view keeping the chunk's block
            elif values.dtype == bool:
                piece = values.to_numpy(copy=True)
            else:
                piece = self.encoders.setdefault(column, _Encoder()).encode(values)
            columns.setdefault(column, []).append(piece)

    def frame(self) -> pd.DataFrame:
        """One frame (a RangeIndex: the file's line is the `line` column); each column's pieces
        are freed as it is joined."""
        out = {}
        for column in list(self.columns):
            pieces = self.columns.pop(column) + self.others.pop(column, [])
            joined = np.concatenate(pieces)
            del pieces
            encoder = self.encoders.get(column)
            out[column] = pd.Categorical.from_codes(joined, categories=encoder.categories()) if encoder else joined
        frame = pd.DataFrame(out, copy=False)
        release_freed_memory()  # the chunks' many small arrays, freed: give their pages back
        return frame


def release_freed_memory() -> None:
    """Return the heap's freed pages to the system (glibc's malloc_trim; elsewhere nothing): the
    chunks' small arrays, freed once joined, would otherwise stay counted in the process's memory."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def items_of(lines: pd.DataFrame) -> pd.DataFrame:
    """The item lines (purpose, nature, revenue): a view of the first rows when they come first (as
    Compactor.frame() puts them), else a copy."""
    from .layouts import ITEM_TABLES

    is_item = lines["table"].isin(ITEM_TABLES).to_numpy()
    count = int(is_item.sum())
    if is_item[:count].all():
        return lines.iloc[:count]
    return lines[is_item]


def _categorical_columns(frame: pd.DataFrame) -> list[str]:
    return [column for column in frame.columns if isinstance(frame[column].dtype, pd.CategoricalDtype)]


def key(frame: pd.DataFrame, code_column: str = "code") -> np.ndarray:
    """(year, table, account, code) as one int64 per line (code and parent share categories, so a
    line's parent key equals its parent line's key): lookups without a Python object per line.
    Computed in place: one array of the frame's length."""
    tables = len(frame["table"].cat.categories) + 1
    accounts = len(frame["account"].cat.categories) + 1
    codes = len(frame[code_column].cat.categories) + 1
    out = frame["year"].to_numpy().astype("int64")
    out *= tables
    out += frame["table"].cat.codes.to_numpy()
    out *= accounts
    out += frame["account"].cat.codes.to_numpy()
    out *= codes
    out += frame[code_column].cat.codes.to_numpy()
    return out


def lookup(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each of `wanted`, the position of the first equal key in `keys`, -1 when none: by sorting
    (no hash table, a few arrays of the length of keys)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    found = np.searchsorted(ordered, wanted)
    found[found >= len(ordered)] = 0
    hit = ordered[found] == wanted if len(ordered) else np.zeros(len(wanted), dtype=bool)
    return np.where(hit, order[found] if len(ordered) else -1, -1)


def append(lines: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """lines (compact) with more rows (plain values) appended, keeping the compact types."""
    if rows.empty:
        return lines
    rows = rows.reindex(columns=lines.columns)
    shared = None
    for column in _categorical_columns(lines):
        values = rows[column].astype(object)
        if column in SHARED:
            if shared is None:
                new = pd.Index(pd.concat([rows[c].astype(object) for c in SHARED if c in rows]).dropna().unique())
                shared = lines["code"].cat.categories.union(new.difference(lines["code"].cat.categories))
            categories = shared
        else:
            current = lines[column].cat.categories
            categories = current.union(pd.Index(values.dropna().unique()).difference(current))
        lines[column] = lines[column].cat.set_categories(categories)
        rows[column] = pd.Categorical(values, categories=categories)
    for column, dtype in lines.dtypes.items():
        if not isinstance(dtype, pd.CategoricalDtype):
            rows[column] = rows[column].astype(dtype)
    return pd.concat([lines, rows], ignore_index=True)
