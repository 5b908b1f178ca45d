"""Canonical lines held compactly, one year at a time, so that a file of any size is checked
and written in bounded memory.

A file is read in chunks; each chunk's canonical lines have their text columns turned into small
integer codes (each distinct code or name is held once, in memory) and their numbers into the
smallest integer types, and are appended to a temporary file of their year (LineStore, on disk:
about 40 bytes a line). The checks and the write then load one year's lines at a time
(LineStore.lines(year)) as a frame of pandas categoricals: the lines of a file only ever meet lines
of their own year (codes, parents and sums are within a year, table and account). Memory then
grows with the largest year and the number of distinct codes and names, not with the file's size.
The codes are the same across chunks and years (one encoder per column), and `code` and `parent`
share one set of categories, so that a line's parent is found by comparing codes (merges and
groupbys on the compact columns never turn them back into Python strings).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

TEXT = ("table", "account", "code", "parent", "name")
SHARED = ("code", "parent")  # one set of categories: a parent is one of the codes
INTEGERS = {"line": "int32", "year": "int16", "amount": "int64", "depth": "int8"}


class _Encoder:
    """Text values -> int32 codes, one code per distinct value across every chunk (the first
    string read of each value is kept, the chunks' copies are freed with their chunk)."""

    def __init__(self):
        self.codes: dict[str, int] = {}
        self.values: list[str] = []
        self._categories: pd.Index | None = None

    def encode(self, values: pd.Series) -> np.ndarray:
        if isinstance(values.dtype, pd.CategoricalDtype):
            if values.cat.categories is self._categories:  # as LineStore.lines() made it: its codes are ours
                return values.cat.codes.to_numpy(dtype="int32")
            local = values.array
        else:
            local = pd.Categorical(values.astype(object))
        mapping = np.empty(len(local.categories), dtype="int32")
        for position, value in enumerate(local.categories):
            code = self.codes.get(value)
            if code is None:
                code = self.codes[value] = len(self.values)
                self.values.append(value)
                self._categories = None
            mapping[position] = code
        return mapping[local.codes]

    def categories(self) -> pd.Index:
        if self._categories is None:
            self._categories = pd.Index(self.values, dtype=object)
        return self._categories


class LineStore:
    """Canonical lines, added chunk by chunk and kept on disk by year; lines(year) loads one year,
    put(year, lines) stores a year's lines again (checked, with lines derived from them)."""

    def __init__(self):
        self.encoders: dict[str, _Encoder] = {}
        shared = _Encoder()
        for column in SHARED:
            self.encoders[column] = shared
        self._folder = tempfile.TemporaryDirectory(prefix="budget-import-")
        self._dtypes: dict[int, np.dtype] = {}  # year -> the record type of its file
        self._counts: dict[int, int] = {}  # year -> lines

    @property
    def years(self) -> list[int]:
        return sorted(self._counts)

    def __len__(self) -> int:
        return sum(self._counts.values())

    def close(self) -> None:
        """Remove the files now (else when the store is freed)."""
        self._folder.cleanup()

    def _path(self, year: int) -> Path:
        return Path(self._folder.name) / f"{year}.bin"

    def add(self, lines: pd.DataFrame) -> None:
        """A chunk's lines, appended to the files of their years. The item lines are encoded first:
        the codes' order (which orders the groups of a year, so the plan's units) is as it has
        always been."""
        from .layouts import ITEM_TABLES

        is_item = lines["table"].isin(ITEM_TABLES).to_numpy()
        for part in (lines[is_item], lines[~is_item]):
            records = self._records(part)
            years = records["year"]
            for year in np.unique(years).tolist():
                if self._dtypes.setdefault(year, records.dtype) != records.dtype:
                    raise ValueError("every chunk has the same columns")
                with open(self._path(year), "ab") as handle:
                    records[years == year].tofile(handle)
                self._counts[year] = self._counts.get(year, 0) + int((years == year).sum())

    def put(self, year: int, lines: pd.DataFrame) -> None:
        """Replace the year's lines (they may have other columns than those read)."""
        records = self._records(lines)
        with open(self._path(year), "wb") as handle:
            records.tofile(handle)
        self._dtypes[year] = records.dtype
        self._counts[year] = len(records)

    def lines(self, year: int) -> pd.DataFrame:
        """The year's lines in the file's order, item lines (purpose, nature, revenue) first so that
        items_of() is a view, not a copy; text columns are categoricals of every value read."""
        records = self._read(year)
        return self._frame(records[np.argsort(~self._is_item(records), kind="stable")])

    def others(self) -> pd.DataFrame:
        """The lines of every year that are not item lines (accounts, funds, stated totals: a few a
        year), in the order of the file."""
        parts = []
        for year in self.years:
            records = self._read(year)
            parts.append(records[~self._is_item(records)])
        records = np.concatenate(parts)
        return self._frame(records[np.argsort(records["line"], kind="stable")])

    def _read(self, year: int) -> np.ndarray:
        return np.fromfile(self._path(year), dtype=self._dtypes[year])

    def _is_item(self, records: np.ndarray) -> np.ndarray:
        from .layouts import ITEM_TABLES

        tables = self.encoders["table"].codes
        return np.isin(records["table"], [tables[table] for table in ITEM_TABLES if table in tables])

    def _frame(self, records: np.ndarray) -> pd.DataFrame:
        out = {}
        for column in records.dtype.names:
            encoder = self.encoders.get(column)
            values = records[column]
            out[column] = pd.Categorical.from_codes(values, categories=encoder.categories()) if encoder else values.copy()
        return pd.DataFrame(out, copy=False)

    def _records(self, lines: pd.DataFrame) -> np.ndarray:
        """The lines as one record array: text as int32 codes, numbers in their smallest types."""
        columns = {}
        for column in lines.columns:
            values = lines[column]
            if column in INTEGERS:
                columns[column] = values.to_numpy(dtype=INTEGERS[column])
            elif values.dtype == bool:
                columns[column] = values.to_numpy()
            else:
                columns[column] = self.encoders.setdefault(column, _Encoder()).encode(values)
        records = np.empty(len(lines), dtype=[(column, array.dtype) for column, array in columns.items()])
        for column, array in columns.items():
            records[column] = array
        return records


def items_of(lines: pd.DataFrame) -> pd.DataFrame:
    """The item lines (purpose, nature, revenue): a view of the first rows when they come first (as
    LineStore.lines() puts them), else a copy."""
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
            # Sorted whenever rows are added, whether their values are new (a whole file at once) or
            # already read (for another year): a year's groups come in the same order either way.
            categories = lines[column].cat.categories.union(pd.Index(values.dropna().unique()))
        lines[column] = lines[column].cat.set_categories(categories)
        rows[column] = pd.Categorical(values, categories=categories)
    for column, dtype in lines.dtypes.items():
        if not isinstance(dtype, pd.CategoricalDtype):
            rows[column] = rows[column].astype(dtype)
    return pd.concat([lines, rows], ignore_index=True)
