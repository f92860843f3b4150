"""Where a batch's rows go: CSV, JSON lines or Parquet, written in file order.

Rows are encoded where they are made (in a worker: :class:`RowEncoder`), so that what comes
back to the writing process is small and cheap to pickle; a sink only appends the encoded
payloads.  Every sink leaves a valid file when it is closed, also after Ctrl-C.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
from decimal import Decimal
from typing import Any

import attrs

from ..export.rows import column_types, dataset_columns
from .files import DatasetError

__all__ = [
    "FORMATS",
    "ExcelSink",
    "ParquetSink",
    "RowEncoder",
    "Sink",
    "TextSink",
    "open_sink",
    "output_format",
    "require_pyarrow",
]

FORMATS = ("csv", "jsonl", "parquet", "xlsx")


def output_format(path: str, fmt: str | None = None) -> str:
    """``csv``, ``jsonl`` or ``parquet``: ``fmt`` if given, else from the output's suffix."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise DatasetError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    suffix = {"ndjson": "jsonl", "pq": "parquet"}.get(suffix, suffix)
    if suffix not in FORMATS:
        raise DatasetError(
            f"{path}: cannot tell the format from the suffix; name it .csv, .jsonl, .parquet or "
            ".xlsx or pass --format"
        )
    return suffix


def require_pyarrow() -> tuple[Any, Any]:
    """``pyarrow`` and ``pyarrow.parquet``, or a :class:`DatasetError` saying what to install."""
    try:
        pa = importlib.import_module("pyarrow")
        pq = importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise DatasetError(
            "writing Parquet needs pyarrow, which is not installed: "
            "pip install 'gxnianbao[parquet]' (or write .csv or .jsonl)"
        ) from None
    return pa, pq


# --- encoding rows -----------------------------------------------------------------------


def _csv_cell(value: object) -> object:
    return "" if value is None else value


def _typed(value: object, kind: str) -> object:
    if value is None:
        return None
    if kind == "str":
        return value if isinstance(value, str) else str(value)
    if isinstance(value, int):
        return value
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return int(number) if number == number.to_integral_value() else None


@attrs.frozen(slots=True)
class RowEncoder:
    """Rows of one dataset shape (wide or ``long``) as the payload a sink of ``fmt`` takes:
    CSV or JSON-lines text, or a list of value tuples for Parquet."""

    fmt: str
    long: bool
    status_columns: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return dataset_columns(self.long, self.status_columns)

    def encode(self, rows: list[dict[str, object]]) -> Any:
        columns = self.columns
        if self.fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            for row in rows:
                writer.writerow([_csv_cell(row.get(c)) for c in columns])
            return buf.getvalue()
        if self.fmt == "jsonl":
            return "".join(
                json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n"
                for row in rows
            )
        if self.fmt == "xlsx":  # typed for Excel by the sink (export.excel)
            return [tuple(row.get(c) for c in columns) for row in rows]
        types = column_types(self.long, self.status_columns)
        kinds = [types[c] for c in columns]
        return [
            tuple(_typed(row.get(c), t) for c, t in zip(columns, kinds, strict=True))
            for row in rows
        ]


# --- sinks -------------------------------------------------------------------------------


class Sink:
    """Where encoded rows go, in input order; always left valid when closed."""

    def write(self, payload: Any) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class TextSink(Sink):
    """CSV or JSON lines, appended to (``--resume``) or written anew, flushed after each
    batch of results so that a killed run loses at most a cut-off last row."""

    def __init__(self, path: str, header: str | None, append: bool, bom: bool = False) -> None:
        exists = append and os.path.exists(path) and os.path.getsize(path) > 0
        self.fh = open(path, "a" if exists else "w", encoding="utf-8", newline="")
        if header is not None and not exists:
            self.fh.write(f"\ufeff{header}" if bom else header)
            self.fh.flush()

    def write(self, payload: Any) -> None:
        self.fh.write(payload)

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


class ParquetSink(Sink):
    """Row groups written as they fill; the file is built beside the output and moved over it
    on close, so an interrupted or resumed run never leaves a Parquet file without a footer."""

    ROW_GROUP = 2048

    def __init__(self, path: str, long: bool, append: bool, status_columns: bool = False) -> None:
        self.pa, pq = require_pyarrow()
        pa = self.pa
        types = column_types(long, status_columns)
        self.columns = dataset_columns(long, status_columns)
        self.schema = pa.schema(
            [(c, pa.int64() if types[c] == "int" else pa.string()) for c in self.columns]
        )
        self.path = path
        self.tmp = f"{path}.partial"
        self.writer = pq.ParquetWriter(self.tmp, self.schema)
        self.buffer: list[tuple[object, ...]] = []
        if append and os.path.exists(path):
            old = pq.ParquetFile(path)
            for i in range(old.num_row_groups):
                self.writer.write_table(old.read_row_group(i).cast(self.schema))

    def write(self, payload: Any) -> None:
        self.buffer.extend(payload)
        if len(self.buffer) >= self.ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if not self.buffer:
            return
        pa = self.pa
        arrays = [
            pa.array(list(values), type=field.type)
            for values, field in zip(zip(*self.buffer, strict=True), self.schema, strict=True)
        ]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
        self.buffer = []

    def flush(self) -> None:
        """Parquet rows are flushed by row group; nothing to do between files."""

    def close(self) -> None:
        try:
            self._flush()
        finally:
            self.writer.close()
            os.replace(self.tmp, self.path)


class ExcelSink(Sink):
    """An ``.xlsx`` workbook (:class:`~gxnianbao.export.excel.ExcelBook`): data, codebook and
    failures, saved when closed (also after Ctrl-C); ``--resume`` copies the old rows over."""

    def __init__(self, path: str, long: bool, append: bool, status_columns: bool) -> None:
        from ..export.excel import ExcelBook, data_rows

        columns = dataset_columns(long, status_columns)
        try:
            self.book = ExcelBook(path, columns, long=long)
        except ImportError as exc:
            raise DatasetError(str(exc)) from None
        if append and os.path.exists(path):
            try:
                _, rows = data_rows(path)
                self.book.append(list(rows))
            except ValueError as exc:
                raise DatasetError(f"cannot resume: {path}: {exc}") from None

    def write(self, payload: Any) -> None:
        self.book.append(payload)

    def flush(self) -> None:
        """The workbook is saved whole when closed."""

    def close(self) -> None:
        self.book.close()


def open_sink(
    path: str,
    fmt: str,
    long: bool,
    append: bool,
    status_columns: bool = False,
    bom: bool = False,
) -> Sink:
    """The sink of ``fmt`` at ``path``, with the CSV header when the file is new (after a
    UTF-8 byte-order mark with ``bom``, so that Excel reads the CSV as UTF-8)."""
    if fmt == "parquet":
        return ParquetSink(path, long, append, status_columns)
    if fmt == "xlsx":
        return ExcelSink(path, long, append, status_columns)
    header = None
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(dataset_columns(long, status_columns))
        header = buf.getvalue()
    try:
        return TextSink(path, header, append, bom and fmt == "csv")
    except OSError as exc:
        raise DatasetError(f"cannot write {path}: {exc.strerror or exc}") from None
