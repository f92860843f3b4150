"""Where a batch's rows go: CSV, JSON lines or Parquet, written in file order.

Rows are encoded where they are made (in a worker: :class:`RowEncoder`), so that what comes
back to the writing process is small and cheap to pickle; a sink only appends the encoded
payloads.  Every sink leaves a valid file when it is closed, also after Ctrl-C.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from decimal import Context, Decimal, InvalidOperation
from typing import IO, Any

import attrs

from ..errors import GxnianbaoError
from ..export.rows import cell_kinds, column_types, dataset_columns
from .files import DatasetError

__all__ = [
    "FORMATS",
    "ExcelSink",
    "ParquetSink",
    "RowEncoder",
    "Sink",
    "TextSink",
    "UnstorableValueError",
    "open_sink",
    "output_format",
    "parquet_kinds",
    "parquet_schema",
    "part_files",
    "parts_folder",
    "require_pyarrow",
]

FORMATS = ("csv", "jsonl", "parquet", "xlsx")


def output_format(path: str, fmt: str | None = None) -> str:
    """``csv``, ``jsonl`` or ``parquet``: ``fmt`` if given, else from the output's suffix
    (standard output, ``-``: CSV)."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise DatasetError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    if path == "-":
        return "csv"
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

AMOUNT_PRECISION = 38
AMOUNT_SCALE = 6
"""Parquet amounts are ``decimal128(38, 6)``: six decimals hold an amount in 万元 to the 分
(0.000001 万元 is 0.01 元); a value that needs more is never rounded (see
:class:`UnstorableValueError`)."""

_QUANTUM = Decimal(1).scaleb(-AMOUNT_SCALE)
_AMOUNT_CONTEXT = Context(prec=AMOUNT_PRECISION, traps=[InvalidOperation])


class UnstorableValueError(GxnianbaoError):
    """A value that a typed output cannot hold exactly (an amount with more than
    :data:`AMOUNT_SCALE` decimals or more than 38 digits, a date that is not one): the file
    becomes an error row rather than a rounded number."""


def _csv_cell(value: object) -> object:
    return "" if value is None else value


def _typed(value: object, kind: str) -> object:
    if value is None:
        return None
    if kind == "str":
        return value if isinstance(value, str) else str(value)
    if kind == "date":
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise UnstorableValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if isinstance(value, int) and kind == "int":
        return value
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        number = None
    if kind == "decimal":
        if number is None or not number.is_finite():
            raise UnstorableValueError(f"{value!r} is not an amount")
        try:
            stored: Decimal | None = number.quantize(_QUANTUM, context=_AMOUNT_CONTEXT)
        except ArithmeticError:  # more digits than the column holds
            stored = None
        if stored is None or stored != number:
            raise UnstorableValueError(
                f"the amount {value} needs more than {AMOUNT_SCALE} decimals or "
                f"{AMOUNT_PRECISION} digits"
            )
        return stored
    if number is None or not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else None


def parquet_kinds(long: bool, status_columns: bool = False) -> dict[str, str]:
    """The stored kind of every dataset column: ``int`` (counts and other integers),
    ``decimal`` (amounts: the fee cells and ``processing_fee``), ``date`` (``published``) or
    ``str`` (the status columns too).  The long format's ``value`` holds counts and amounts:
    a string there."""
    types = column_types(long, status_columns)
    amounts = {key for key, kind in cell_kinds().items() if kind == "amount"}
    kinds: dict[str, str] = {}
    for column in dataset_columns(long, status_columns):
        if types.get(column) == "int":
            kinds[column] = "int"
        elif not long and (column in amounts or column == "processing_fee"):
            kinds[column] = "decimal"
        elif column == "published":
            kinds[column] = "date"
        else:
            kinds[column] = "str"
    return kinds


def parquet_schema(long: bool, status_columns: bool = False) -> Any:
    """The Arrow schema of a Parquet dataset: the same for every file and every run."""
    pa, _ = require_pyarrow()
    types = {
        "int": pa.int64(),
        "decimal": pa.decimal128(AMOUNT_PRECISION, AMOUNT_SCALE),
        "date": pa.date32(),
        "str": pa.string(),
    }
    return pa.schema([(c, types[k]) for c, k in parquet_kinds(long, status_columns).items()])


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
        types = parquet_kinds(self.long, self.status_columns)
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
    batch of results so that a killed run loses at most a cut-off last row.  ``path`` ``-``
    is standard output."""

    def __init__(self, path: str, header: str | None, append: bool, bom: bool = False) -> None:
        self.fh: IO[str]
        self.stdout: io.TextIOWrapper | None = None
        if path != "-":
            exists = append and os.path.exists(path) and os.path.getsize(path) > 0
            self.fh = open(path, "a" if exists else "w", encoding="utf-8", newline="")
        else:
            exists = False
            self.stdout = io.TextIOWrapper(
                sys.stdout.buffer, encoding="utf-8", newline="", write_through=True
            )
            self.fh = self.stdout
        if header is not None and not exists:
            self.fh.write(f"\ufeff{header}" if bom else header)
            self.fh.flush()

    def write(self, payload: Any) -> None:
        self.fh.write(payload)

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        if self.stdout is None:
            self.fh.close()
        else:
            self.stdout.flush()
            self.stdout.detach()  # standard output stays open for whoever writes after


def parts_folder(path: str) -> str:
    """Where a Parquet run keeps its finished row groups until it closes: ``OUT.parts``."""
    return f"{path}.parts"


def part_files(path: str) -> list[str]:
    """The finished row groups of a Parquet output, in the order they were written."""
    folder = parts_folder(path)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [
        os.path.join(folder, name)
        for name in sorted(names)
        if name.startswith("part-") and name.endswith(".parquet")
    ]


class ParquetSink(Sink):
    """Parquet in row groups, each one durable as soon as it is full.

    Every :attr:`ROW_GROUP` rows, or when :attr:`SECONDS` have passed since the last group
    (checked between results), the rows are written as one small, complete Parquet file in
    ``OUT.parts/``: a run killed without a chance to close (``kill -9``, a power cut) loses at
    most the rows not yet in a group, and ``--resume`` continues from the groups written.
    Closing writes the existing output (when resuming) and every group into one file beside
    the output, moves it over the output and removes the groups.  ``path`` ``-`` is standard
    output (the file is built in a temporary folder and copied there).
    """

    ROW_GROUP = 2048
    SECONDS = 30.0

    def __init__(
        self,
        path: str,
        long: bool,
        append: bool,
        status_columns: bool = False,
        *,
        row_group: int | None = None,
    ) -> None:
        if row_group is not None:
            if row_group < 1:
                raise DatasetError("a Parquet row group holds at least one row")
            self.ROW_GROUP = row_group
        self.pa, self.pq = require_pyarrow()
        self.schema = parquet_schema(long, status_columns)
        self.columns = dataset_columns(long, status_columns)
        self.tmpdir: str | None = None
        if path == "-":
            self.tmpdir = tempfile.mkdtemp(prefix="gxnianbao-")
            path = os.path.join(self.tmpdir, "out.parquet")
        self.path = path
        self.folder = parts_folder(path)
        if os.path.exists(path) and (not append or os.path.getsize(path) == 0):
            os.remove(path)  # a fresh run (CSV is truncated alike), or nothing to keep
        if os.path.exists(path):
            _check_columns(self.pq, path, self.schema)
        held = _files(self.pq, path) if append and os.path.exists(path) else set()
        for part in part_files(path):
            if append:
                _check_columns(self.pq, part, self.schema)
            if not append or _files(self.pq, part) <= held:
                # A fresh run: the groups a killed run left are not this run's.  Resuming:
                # groups the output already holds (a kill between the final move and the
                # removal of the groups) must not be written twice.
                os.remove(part)
        os.makedirs(self.folder, exist_ok=True)
        for name in os.listdir(self.folder):  # a group a kill cut short is not a group
            if name.endswith(".tmp"):
                os.remove(os.path.join(self.folder, name))
        with contextlib.suppress(FileNotFoundError):  # and the file of a close cut short
            os.remove(f"{path}.partial")
        kept = part_files(path)
        self.parts = int(os.path.basename(kept[-1])[5:-8]) if kept else 0
        """The number of the last group written (a new one never replaces one kept)."""
        # pyarrow loads pandas (when installed) at its first array built from Python values:
        # pay it here, not when a stop asks for the last group.
        self.pa.array([], type=self.pa.int64())
        self.buffer: list[tuple[object, ...]] = []
        self.last = time.monotonic()

    def write(self, payload: Any) -> None:
        self.buffer.extend(payload)
        if len(self.buffer) >= self.ROW_GROUP:
            self._write_group()

    def _table(self, rows: list[tuple[object, ...]]) -> Any:
        pa = self.pa
        columns = zip(*rows, strict=True) if rows else ([] for _ in self.schema)
        arrays = [
            pa.array(list(values), type=field.type)
            for values, field in zip(columns, self.schema, strict=True)
        ]
        return pa.Table.from_arrays(arrays, schema=self.schema)

    def _write_group(self) -> None:
        """The buffered rows as the next part: written beside, then renamed, so that a part
        is either complete or absent."""
        self.last = time.monotonic()
        if not self.buffer:
            return
        self.parts += 1
        name = os.path.join(self.folder, f"part-{self.parts:06d}.parquet")
        self.pq.write_table(self._table(self.buffer), name + ".tmp")
        os.replace(name + ".tmp", name)
        self.buffer = []

    def flush(self) -> None:
        """Between results: a group when :attr:`SECONDS` have passed since the last one."""
        if self.buffer and time.monotonic() - self.last >= self.SECONDS:
            self._write_group()

    def _groups(self) -> Iterator[Any]:
        """The rows already written, one table at a time: the existing output's row groups
        (when resuming), then the parts."""
        if os.path.exists(self.path):
            old = self.pq.ParquetFile(self.path)
            for i in range(old.num_row_groups):
                yield old.read_row_group(i)
        for part in part_files(self.path):
            yield self.pq.read_table(part)

    def close(self) -> None:
        self._write_group()
        tmp = f"{self.path}.partial"
        writer = self.pq.ParquetWriter(tmp, self.schema)
        try:
            pending: list[Any] = []
            held = 0
            for table in self._groups():
                pending.append(table.cast(self.schema))
                held += table.num_rows
                if held >= self.ROW_GROUP:
                    writer.write_table(self.pa.concat_tables(pending), self.ROW_GROUP)
                    pending, held = [], 0
            if pending:
                writer.write_table(self.pa.concat_tables(pending), self.ROW_GROUP)
        finally:
            writer.close()
        os.replace(tmp, self.path)
        for part in part_files(self.path):
            os.remove(part)
        with contextlib.suppress(OSError):
            os.rmdir(self.folder)
        if self.tmpdir is not None:
            with open(self.path, "rb") as fh:
                shutil.copyfileobj(fh, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def _files(pq: Any, path: str) -> set[str]:
    return {str(f) for f in pq.read_table(path, columns=["file"]).column("file").to_pylist()}


def _check_columns(pq: Any, path: str, schema: Any) -> None:
    """An output (or a group) to append to must have this run's columns."""
    try:
        names = list(pq.read_schema(path).names)
    except Exception as exc:
        raise DatasetError(
            f"cannot resume: {path} is not a readable Parquet file ({exc})"
        ) from None
    if names != list(schema.names):
        raise DatasetError(f"cannot resume: {path} has other columns (--long or not?)")


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
    *,
    row_group: int | None = None,
) -> Sink:
    """The sink of ``fmt`` at ``path`` (``-``: standard output), with the CSV header when the
    file is new (after a UTF-8 byte-order mark with ``bom``, so that Excel reads the CSV as
    UTF-8); ``row_group``: the rows of a Parquet row group (``--row-group``)."""
    if fmt == "parquet":
        try:
            return ParquetSink(path, long, append, status_columns, row_group=row_group)
        except OSError as exc:
            raise DatasetError(f"cannot write {path}: {exc.strerror or exc}") from None
    if fmt == "xlsx":
        if path == "-":
            raise DatasetError("an .xlsx workbook cannot be written to standard output")
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
