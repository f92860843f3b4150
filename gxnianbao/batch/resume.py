"""``--resume``: which files an existing dataset already holds, and a cut-off tail repaired.

A run killed without a chance to close its output (``kill -9``, a power cut) can leave half a
row at the end of a CSV or JSON-lines file; it is cut before new rows are appended.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os

from ..export.rows import dataset_columns
from .files import DatasetError
from .sinks import require_pyarrow

__all__ = ["done_files"]


def _repair_tail(path: str, good_end: int) -> None:
    """Cut a half-written last record (a run killed without a chance to close the file)."""
    if good_end < os.path.getsize(path):
        with open(path, "r+b") as fh:
            fh.truncate(good_end)


def _other_columns(path: str) -> DatasetError:
    return DatasetError(f"cannot resume: {path} has other columns (--long or not?)")


def _parquet_files(path: str, columns: list[str]) -> set[str]:
    _, pq = require_pyarrow()
    try:
        names = list(pq.read_schema(path).names)
        files = pq.read_table(path, columns=["file"]).column("file").to_pylist()
    except Exception as exc:
        raise DatasetError(
            f"cannot resume: {path} is not a readable Parquet file ({exc})"
        ) from None
    if names != columns:
        raise _other_columns(path)
    return {str(f) for f in files}


def _xlsx_files(path: str, columns: list[str]) -> set[str]:
    from ..export.excel import data_rows

    try:
        header, rows = data_rows(path)
    except (ValueError, ImportError) as exc:
        raise DatasetError(f"cannot resume: {path}: {exc}") from None
    if header != columns:
        raise _other_columns(path)
    return {str(row[0]) for row in rows if row and row[0] is not None}


def _jsonl_files(path: str, data: bytes, columns: list[str]) -> set[str]:
    seen: set[str] = set()
    good = 0
    for raw in io.BytesIO(data):
        if not raw.endswith(b"\n"):
            break
        try:
            obj = json.loads(raw)
        except ValueError:
            break
        if not isinstance(obj, dict) or list(obj) != columns:
            raise _other_columns(path)
        seen.add(str(obj["file"]))
        good += len(raw)
    _repair_tail(path, good)
    return seen


def _csv_files(path: str, data: bytes, columns: list[str]) -> set[str]:
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # (--excel)
    text = data[bom:].decode("utf-8", errors="replace")
    seen: set[str] = set()
    # Split on "\n" only: the rows end in "\n"; other line breaks are data inside a field.
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    if not lines[0].endswith("\n"):  # not even the header was written in full
        _repair_tail(path, 0)
        return seen
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise DatasetError(f"cannot resume: {path} is not a CSV file") from None
    if header != columns:
        raise _other_columns(path)
    good_lines = reader.line_num
    try:
        for record in reader:
            if len(record) != len(columns) or not lines[reader.line_num - 1].endswith("\n"):
                break
            seen.add(record[0])
            good_lines = reader.line_num
    except csv.Error:
        pass
    _repair_tail(path, bom + len("".join(lines[:good_lines]).encode("utf-8")))
    return seen


def done_files(path: str, fmt: str, long: bool, status_columns: bool = False) -> set[str]:
    """The files an existing dataset already holds (for ``--resume``); repairs a cut-off tail.

    Raises :class:`~gxnianbao.batch.files.DatasetError` when the output was written with other
    columns (``--long`` or not, another version), since appending would mix two shapes.
    """
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return set()
    columns = list(dataset_columns(long, status_columns))
    if fmt == "parquet":
        return _parquet_files(path, columns)
    if fmt == "xlsx":
        return _xlsx_files(path, columns)
    with open(path, "rb") as fh:
        data = fh.read()
    if fmt == "jsonl":
        return _jsonl_files(path, data, columns)
    return _csv_files(path, data, columns)
