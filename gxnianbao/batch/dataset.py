"""Reports as dataset rows: one flat row per report (wide) or one per cell (long).

These are the pieces the ``batch`` command and :func:`gxnianbao.to_dataframe` share, and the
function a user maps over millions of files on Dask or Spark: :func:`process_file` is pure
(its result depends only on the file's bytes and the arguments) and picklable (a module-level
function), and it never raises for a bad file, so one broken download cannot stop a job.

Values are JSON/CSV-friendly: counts are ``int``, amounts are decimal ``str`` (never a float,
so nothing is rounded), a cell without a number is ``None``.
"""

from __future__ import annotations

import csv
import functools
import importlib
import io
import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from ..check.findings import Finding
from ..errors import GxnianbaoError, UnreadableDocument
from ..export.dicts import json_number, report_to_records
from ..model.classes import Report, Status
from ..read.formats import collected_suffixes
from ..templates import TEMPLATES

__all__ = [
    "FORMATS",
    "LONG_COLUMNS",
    "META_COLUMNS",
    "RECORD_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "BatchStats",
    "DatasetError",
    "FileResult",
    "build_dataset",
    "cell_kinds",
    "collect_files",
    "column_types",
    "dataset_columns",
    "done_files",
    "error_row",
    "long_error_row",
    "long_rows",
    "output_format",
    "process_file",
    "read_report",
    "wide_columns",
    "wide_row",
]

SUPPORTED_SUFFIXES = collected_suffixes()
"""What ``batch`` picks up when it walks a folder.  ``.doc`` and ``.wps`` (old binary Word and
WPS files) are included on purpose: they cannot be read, and a dataset should say which files
it could not read rather than skip them silently."""

_SEVERITIES = ("error", "warning", "info")

META_COLUMNS: tuple[str, ...] = (
    "file",
    "status",
    "error_type",
    "error_message",
    "issuer",
    "year",
    "title",
    "published",
    "template",
    "processing_fee",
    *(f"findings.{s}" for s in _SEVERITIES),
    "diagnostics",
    *(f"cells.{s.value}" for s in Status),
    "extra_rows",
)
"""The columns every wide row has, before the cell columns: where the row came from, whether
it could be read (``status`` ``ok``/``error``, with the error's type and message), the
report's metadata, how many findings of each severity :func:`gxnianbao.validate` gives, how
many parse diagnostics, and how many cells have each status."""

RECORD_COLUMNS: tuple[str, ...] = (
    "template",
    "table",
    "row",
    "label",
    "column",
    "value",
    "status",
    "raw",
    "unit",
    "identity",
    "line",
    "start",
    "end",
    "page",
)
"""The keys of :meth:`Report.to_records`, in a fixed order (a dataset's shape never depends
on which report came first)."""

LONG_COLUMNS: tuple[str, ...] = (
    "file",
    "issuer",
    "year",
    *RECORD_COLUMNS,
    "report_status",
    "error_type",
    "error_message",
)
"""The long format of :meth:`Report.to_records` with the file and report it belongs to;
``status`` is the cell's status, ``report_status`` whether the file could be read."""


@functools.cache
def _cell_keys(template: str) -> tuple[str, ...]:
    spec = TEMPLATES[template]
    return tuple(
        f"{table.key}.{row.key}.{col.key}"
        for table in spec.tables
        for row in table.rows
        for col in row.columns
    )


@functools.cache
def _all_cell_keys() -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in ("2021", "2019"):
        seen.update(dict.fromkeys(_cell_keys(name)))
    return tuple(seen)


def wide_columns(template: str | None = None) -> list[str]:
    """The wide columns in a stable order: :data:`META_COLUMNS`, then one per template cell.

    With ``template=None`` the cells of both templates (2021's first, then those only 2019
    has), so that one table holds reports of either template.
    """
    if template is None:
        cells = _all_cell_keys()
    elif template in TEMPLATES:
        cells = _cell_keys(template)
    else:
        raise ValueError(f"unknown template {template!r}; known: {sorted(TEMPLATES)}")
    return [*META_COLUMNS, *cells]


def cell_kinds() -> dict[str, str]:
    """``count``, ``signed`` or ``amount`` for every wide cell column (for typed storage)."""
    return dict(_cell_kinds())


@functools.cache
def _cell_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for name in ("2021", "2019"):
        for table in TEMPLATES[name].tables:
            for row in table.rows:
                for col in row.columns:
                    kinds.setdefault(f"{table.key}.{row.key}.{col.key}", col.kind or row.kind)
    return kinds


def _empty_meta(file: str | None) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(META_COLUMNS)
    row["file"] = file
    return row


def wide_row(
    report: Report, *, file: str | None = None, findings: Sequence[Finding] | None = None
) -> dict[str, object]:
    """One flat row for a report: :data:`META_COLUMNS`, then every cell's value by its key.

    ``findings`` are the report's :func:`~gxnianbao.validate` findings when the caller already
    has them (they are computed otherwise).  Keys follow :func:`wide_columns` order.
    """
    if findings is None:
        from ..check.rules import validate

        findings = validate(report)
    meta = report.meta
    row = _empty_meta(file)
    row.update(
        status="ok",
        issuer=meta.issuer,
        year=meta.year,
        title=meta.title,
        published=meta.published.isoformat() if meta.published else None,
        template=meta.template,
        processing_fee=None if report.processing_fee is None else str(report.processing_fee),
        diagnostics=len(report.diagnostics),
        extra_rows=len(report.extra_rows),
    )
    for severity in _SEVERITIES:
        row[f"findings.{severity}"] = sum(1 for f in findings if f.severity == severity)
    statuses = dict.fromkeys(Status, 0)
    for cell in report.cells():
        statuses[cell.status] += 1
        row[cell.key] = json_number(cell.value)
    for status, n in statuses.items():
        row[f"cells.{status.value}"] = n
    return row


def _message(exc: BaseException) -> str:
    """One line: the reason of an unreadable file (the row already names it), else the
    first line of the message (a row is one CSV/JSON line; no caret display there)."""
    text = exc.reason if isinstance(exc, UnreadableDocument) else str(exc)
    text = text.strip()
    return text.splitlines()[0] if text else type(exc).__name__


def error_row(file: str | None, exc: BaseException) -> dict[str, object]:
    """The wide row of a file that could not be read: ``status`` ``error`` and why."""
    row = _empty_meta(file)
    row.update(status="error", error_type=type(exc).__name__, error_message=_message(exc))
    return row


def long_rows(report: Report, *, file: str | None = None) -> list[dict[str, object]]:
    """The long format (one row per cell) of a report, with :data:`LONG_COLUMNS` as keys.

    A report with no cells at all still gives one row (cell fields None), so that every file
    read appears in the dataset (and ``--resume`` knows it was done).
    """
    meta = report.meta
    head: dict[str, object] = {"file": file, "issuer": meta.issuer, "year": meta.year}
    rows: list[dict[str, object]] = []
    for record in report_to_records(report):
        row = dict.fromkeys(LONG_COLUMNS)
        row.update(head)
        for key in RECORD_COLUMNS:
            row[key] = record.get(key)
        row["report_status"] = "ok"
        rows.append(row)
    if not rows:
        row = dict.fromkeys(LONG_COLUMNS)
        row.update(head, template=meta.template, report_status="ok")
        rows.append(row)
    return rows


def long_error_row(file: str | None, exc: BaseException) -> dict[str, object]:
    """The one long-format row of a file that could not be read."""
    row: dict[str, object] = dict.fromkeys(LONG_COLUMNS)
    row.update(
        file=file,
        report_status="error",
        error_type=type(exc).__name__,
        error_message=_message(exc),
    )
    return row


# --- reading -----------------------------------------------------------------------------


def read_report(path: str, **options: Any) -> Report:
    """Parse one file of any supported kind with :func:`gxnianbao.parse_file`.

    Raises an :class:`~gxnianbao.UnreadableDocument` for a file that cannot be read.
    """
    from ..parse import parse_file

    return parse_file(path, **options)


def process_file(path: str, *, long: bool = False) -> list[dict[str, object]]:
    """Parse and check one file and return its dataset rows; never raises for a bad file.

    Wide (default): one row (see :func:`wide_row`).  ``long=True``: one row per cell (see
    :func:`long_rows`).  A file that cannot be read, or whose parsing fails for any reason,
    gives one row with ``status``/``report_status`` ``error`` and the error's type and
    message.  Pure and picklable: map it over paths with any engine (Dask, Spark,
    :mod:`concurrent.futures`).
    """
    try:
        report = read_report(path)
        if long:
            return long_rows(report, file=path)
        return [wide_row(report, file=path)]
    except Exception as exc:  # a batch records every failure and goes on
        return [long_error_row(path, exc) if long else error_row(path, exc)]


# --- building a dataset from many files --------------------------------------------------


class DatasetError(GxnianbaoError):
    """The dataset cannot be built as asked: a missing path, an output that cannot be resumed,
    Parquet without pyarrow.  (A file that cannot be read is not this: it becomes an error
    row.)"""


FORMATS = ("csv", "jsonl", "parquet")


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
            f"{path}: cannot tell the format from the suffix; name it .csv, .jsonl or .parquet "
            "or pass --format"
        )
    return suffix


def collect_files(paths: Iterable[str]) -> list[str]:
    """Every supported file under ``paths`` (files given by name are always taken), sorted.

    Sorting the whole list makes the dataset's row order the same on every run and for any
    number of workers; paths are normalised so ``--resume`` recognises them.
    """
    found: set[str] = set()
    for top in paths:
        if os.path.isfile(top):
            found.add(os.path.normpath(top))
            continue
        if not os.path.isdir(top):
            raise DatasetError(f"{top}: no such file or directory")
        for root, dirs, names in os.walk(top):
            dirs.sort()
            for name in names:
                if os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
                    found.add(os.path.normpath(os.path.join(root, name)))
    return sorted(found)


def dataset_columns(long: bool) -> tuple[str, ...]:
    """The columns of a ``batch`` dataset: :data:`LONG_COLUMNS` or every wide column."""
    return LONG_COLUMNS if long else tuple(wide_columns(None))


_INT_META = frozenset(
    {
        "year",
        "diagnostics",
        "extra_rows",
        "line",
        "start",
        "end",
        "page",
        *(f"findings.{s}" for s in _SEVERITIES),
        *(f"cells.{s.value}" for s in Status),
    }
)


def column_types(long: bool) -> dict[str, str]:
    """``int`` or ``str`` for each dataset column, for typed stores such as Parquet.

    Counts are integers; amounts (万元, 元) stay decimal strings; the long format's ``value``
    holds both kinds, so it is a string there.
    """
    kinds = _cell_kinds()
    out: dict[str, str] = {}
    for col in dataset_columns(long):
        if col in _INT_META or kinds.get(col) in ("count", "signed"):
            out[col] = "int"
        else:
            out[col] = "str"
    return out


class FileResult(NamedTuple):
    """One file's outcome as sent back from a worker: small and cheap to pickle."""

    file: str
    ok: bool
    error_type: str | None
    error_message: str | None
    payload: Any
    """The file's rows already encoded for the output: CSV or JSON-lines text, or a list of
    value tuples for Parquet."""


_STATE: tuple[bool, str, tuple[str, ...], tuple[str, ...]] | None = None
"""Per-process settings of :func:`_run_chunk`: long, format, columns, column types."""


def _init_state(long: bool, fmt: str) -> None:
    global _STATE
    columns = dataset_columns(long)
    types = column_types(long)
    _STATE = (long, fmt, columns, tuple(types[c] for c in columns))
    # Import and warm up everything a parse needs once per process, not once per file.
    from ..check import rules

    _ = rules.validate


def _init_worker(long: bool, fmt: str) -> None:
    """Worker initializer: the parent handles Ctrl-C and stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _init_state(long, fmt)


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


def _encode(rows: list[dict[str, object]]) -> Any:
    assert _STATE is not None
    _, fmt, columns, types = _STATE
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for row in rows:
            writer.writerow([_csv_cell(row.get(c)) for c in columns])
        return buf.getvalue()
    if fmt == "jsonl":
        return "".join(
            json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n" for row in rows
        )
    return [
        tuple(_typed(row.get(c), t) for c, t in zip(columns, types, strict=True)) for row in rows
    ]


def _run_chunk(paths: Sequence[str]) -> list[FileResult]:
    """What a worker does with one chunk of files (module-level, so it pickles)."""
    assert _STATE is not None
    long = _STATE[0]
    out: list[FileResult] = []
    for path in paths:
        rows = process_file(path, long=long)
        first = rows[0]
        ok = first["report_status" if long else "status"] == "ok"
        out.append(
            FileResult(
                path,
                ok,
                None if ok else str(first["error_type"]),
                None if ok else str(first["error_message"]),
                _encode(rows),
            )
        )
    return out


# --- sinks -------------------------------------------------------------------------------


class _Sink:
    """Where encoded rows go, in input order; always left valid when closed."""

    def write(self, payload: Any) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _TextSink(_Sink):
    def __init__(self, path: str, header: str | None, append: bool) -> None:
        exists = append and os.path.exists(path) and os.path.getsize(path) > 0
        self.fh = open(path, "a" if exists else "w", encoding="utf-8", newline="")
        if header is not None and not exists:
            self.fh.write(header)
            self.fh.flush()

    def write(self, payload: Any) -> None:
        self.fh.write(payload)

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


def _pyarrow() -> tuple[Any, Any]:
    try:
        pa = importlib.import_module("pyarrow")
        pq = importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise DatasetError(
            "writing Parquet needs pyarrow, which is not installed: "
            "pip install 'gxnianbao[parquet]' (or write .csv or .jsonl)"
        ) from None
    return pa, pq


class _ParquetSink(_Sink):
    """Row groups written as they fill; the file is built beside the output and moved over it
    on close, so an interrupted or resumed run never leaves a Parquet file without a footer."""

    ROW_GROUP = 2048

    def __init__(self, path: str, long: bool, append: bool) -> None:
        self.pa, pq = _pyarrow()
        pa = self.pa
        types = column_types(long)
        self.columns = dataset_columns(long)
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


def _open_sink(path: str, fmt: str, long: bool, append: bool) -> _TextSink | _ParquetSink:
    if fmt == "parquet":
        return _ParquetSink(path, long, append)
    header = None
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(dataset_columns(long))
        header = buf.getvalue()
    try:
        return _TextSink(path, header, append)
    except OSError as exc:
        raise DatasetError(f"cannot write {path}: {exc.strerror or exc}") from None


# --- resuming ----------------------------------------------------------------------------


def _repair_tail(path: str, good_end: int) -> None:
    """Cut a half-written last record (a run killed without a chance to close the file)."""
    if good_end < os.path.getsize(path):
        with open(path, "r+b") as fh:
            fh.truncate(good_end)


def done_files(path: str, fmt: str, long: bool) -> set[str]:
    """The files an existing dataset already holds (for ``--resume``); repairs a cut-off tail.

    Raises :class:`DatasetError` when the output was written with other columns (``--long``
    or not, another version), since appending would mix two shapes.
    """
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return set()
    columns = list(dataset_columns(long))
    if fmt == "parquet":
        _, pq = _pyarrow()
        try:
            names = list(pq.read_schema(path).names)
            files = pq.read_table(path, columns=["file"]).column("file").to_pylist()
        except Exception as exc:
            raise DatasetError(
                f"cannot resume: {path} is not a readable Parquet file ({exc})"
            ) from None
        if names != columns:
            raise DatasetError(f"cannot resume: {path} has other columns (--long or not?)")
        return {str(f) for f in files}
    with open(path, "rb") as fh:
        data = fh.read()
    text = data.decode("utf-8", errors="replace")
    seen: set[str] = set()
    if fmt == "jsonl":
        good = 0
        for raw in io.BytesIO(data):
            if not raw.endswith(b"\n"):
                break
            try:
                obj = json.loads(raw)
            except ValueError:
                break
            if not isinstance(obj, dict) or list(obj) != columns:
                raise DatasetError(f"cannot resume: {path} has other columns (--long or not?)")
            seen.add(str(obj["file"]))
            good += len(raw)
        _repair_tail(path, good)
        return seen
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
        raise DatasetError(f"cannot resume: {path} has other columns (--long or not?)")
    good_lines = reader.line_num
    try:
        for record in reader:
            if len(record) != len(columns) or not lines[reader.line_num - 1].endswith("\n"):
                break
            seen.add(record[0])
            good_lines = reader.line_num
    except csv.Error:
        pass
    _repair_tail(path, len("".join(lines[:good_lines]).encode("utf-8")))
    return seen


# --- the run -----------------------------------------------------------------------------


@attrs.define
class BatchStats:
    """How a batch went, updated as it runs (passed to the progress callback)."""

    total: int = 0
    """Files to process in this run (after skipping those already done)."""
    skipped: int = 0
    """Files skipped because the output already holds them (``--resume``)."""
    done: int = 0
    """Files processed (written or waiting for an earlier file to be written)."""
    written: int = 0
    ok: int = 0
    errors: int = 0
    error_types: dict[str, int] = attrs.field(factory=dict)
    failures: list[tuple[str, str, str]] = attrs.field(factory=list)
    """``(file, error type, message)`` of the first :data:`MAX_FAILURES` failing files."""
    interrupted: bool = False
    started: float = attrs.field(factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


MAX_FAILURES = 200


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _chunks(paths: Sequence[str], jobs: int) -> list[list[str]]:
    """Chunks of up to 32 files: few enough tasks that sending them costs nothing next to a
    parse (~20 ms a file), small enough that the last ones keep every worker busy."""
    size = max(1, min(32, len(paths) // (jobs * 8)))
    return [list(paths[i : i + size]) for i in range(0, len(paths), size)]


def _crashed(path: str, exc: BaseException) -> FileResult:
    """A file whose worker process died (killed for memory, a crash in a native reader)."""
    assert _STATE is not None
    long = _STATE[0]
    err = RuntimeError(f"the worker process reading this file died ({type(exc).__name__})")
    row = long_error_row(path, err) if long else error_row(path, err)
    row["error_type"] = "WorkerCrashed"
    return FileResult(path, False, "WorkerCrashed", str(row["error_message"]), _encode([row]))


def build_dataset(
    paths: Sequence[str],
    output: str,
    *,
    fmt: str | None = None,
    long: bool = False,
    jobs: int = 0,
    resume: bool = False,
    progress: Callable[[BatchStats], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BatchStats:
    """Parse every supported file under ``paths`` into one dataset file at ``output``.

    Rows are written as files finish, in sorted file order whatever ``jobs`` (results that
    come back early wait in memory for the earlier ones), so the output is the same on every
    run and a stopped run leaves a valid file holding a complete prefix.  ``should_stop`` is
    polled between results (the CLI sets it from Ctrl-C); ``KeyboardInterrupt`` also stops
    the run cleanly.  Files that fail become error rows; see :func:`process_file`.
    """
    fmt = output_format(output, fmt)
    if fmt == "parquet":
        _pyarrow()
    files = collect_files(paths)
    out_abs = os.path.abspath(output)
    files = [f for f in files if os.path.abspath(f) != out_abs]
    stats = BatchStats()
    if resume:
        already = done_files(output, fmt, long)
        todo = [f for f in files if f not in already]
        stats.skipped = len(files) - len(todo)
    else:
        todo = files
    stats.total = len(todo)
    jobs = jobs if jobs > 0 else _default_jobs()
    jobs = max(1, min(jobs, len(todo)))
    _init_state(long, fmt)
    sink = _open_sink(output, fmt, long, resume)
    stop = should_stop or (lambda: False)

    def record(results: list[FileResult]) -> None:
        for res in results:
            sink.write(res.payload)
            stats.written += 1
            if res.ok:
                stats.ok += 1
            else:
                stats.errors += 1
                etype = res.error_type or "Error"
                stats.error_types[etype] = stats.error_types.get(etype, 0) + 1
                if len(stats.failures) < MAX_FAILURES:
                    stats.failures.append((res.file, etype, res.error_message or ""))
        sink.flush()

    try:
        if jobs == 1:
            for path in todo:
                if stop():
                    stats.interrupted = True
                    break
                results = _run_chunk([path])
                stats.done += 1
                record(results)
                if progress is not None:
                    progress(stats)
        else:
            _run_pool(_chunks(todo, jobs), jobs, long, fmt, stats, record, progress, stop)
    except KeyboardInterrupt:
        stats.interrupted = True
    finally:
        sink.close()
    if progress is not None:
        progress(stats)
    return stats


def _ping() -> bool:
    return True


def start_method() -> str:
    """``fork`` where it is safe (POSIX, no other thread running): workers start in
    milliseconds with everything imported; else ``forkserver`` or ``spawn`` (a notebook or
    a threaded host, where forking can deadlock)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _run_pool(
    chunks: list[list[str]],
    jobs: int,
    long: bool,
    fmt: str,
    stats: BatchStats,
    record: Callable[[list[FileResult]], None],
    progress: Callable[[BatchStats], None] | None,
    stop: Callable[[], bool],
) -> None:
    """Chunks to a process pool, a bounded number in flight, written back in chunk order.

    A worker that dies (killed for memory, a crash in a native library) breaks the whole pool:
    the chunks in flight are redone file by file, each alone in a new pool, so that the file
    that kills a worker again is known and recorded as ``WorkerCrashed``.
    """
    ctx = multiprocessing.get_context(start_method())

    def new_pool() -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            jobs, mp_context=ctx, initializer=_init_worker, initargs=(long, fmt)
        )
        # A pool whose workers cannot start at all (a main module that cannot be re-imported
        # under spawn, no memory for a process) would otherwise blame every file in turn.
        try:
            pool.submit(_ping).result()
        except BrokenProcessPool:
            pool.shutdown(wait=True, cancel_futures=True)
            raise DatasetError(
                f"the worker processes ({ctx.get_start_method()}) cannot start; "
                "run with --jobs 1 (jobs=1) to parse in this process"
            ) from None
        return pool

    Item = tuple[int, int, list[str]]
    """(chunk index, part index or -1 for the whole chunk, paths)."""
    pool = new_pool()
    window = jobs * 3
    queue: list[Item] = [(i, -1, c) for i, c in enumerate(chunks)]
    queue.reverse()  # popped from the end: lowest chunk first
    pending: dict[Future[list[FileResult]], Item] = {}
    ready: dict[int, list[FileResult]] = {}
    parts: dict[int, list[list[FileResult] | None]] = {}
    next_write = 0

    def store(item: Item, results: list[FileResult]) -> None:
        idx, part, _ = item
        stats.done += len(results)
        if part == -1:
            ready[idx] = results
            return
        slots = parts[idx]
        slots[part] = results
        if all(s is not None for s in slots):
            ready[idx] = [r for s in slots if s is not None for r in s]
            del parts[idx]

    def split(item: Item) -> None:
        idx, _, paths = item
        parts[idx] = [None] * len(paths)
        queue.extend((idx, j, [p]) for j, p in reversed(list(enumerate(paths))))

    finished = False
    try:
        while next_write < len(chunks):
            alone = any(it[1] != -1 for it in pending.values())
            while queue and len(pending) < window and not alone:
                if queue[-1][1] != -1:  # a suspect file runs alone, so a crash names it
                    if not pending:
                        item = queue.pop()
                        pending[pool.submit(_run_chunk, item[2])] = item
                    break
                item = queue.pop()
                pending[pool.submit(_run_chunk, item[2])] = item
            if stop():
                stats.interrupted = True
                break
            done, _ = wait(list(pending), timeout=0.2, return_when=FIRST_COMPLETED)
            broken: BrokenProcessPool | None = None
            for fut in done:
                exc = fut.exception()
                if isinstance(exc, BrokenProcessPool):
                    broken = exc
                    continue
                store(pending.pop(fut), fut.result())
            if broken is not None:
                pool.shutdown(wait=True, cancel_futures=True)
                for fut, item in list(pending.items()):
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        store(item, fut.result())
                    elif item[1] != -1:
                        store(item, [_crashed(item[2][0], broken)])
                    elif len(item[2]) == 1:
                        queue.append((item[0], 0, item[2]))
                        parts[item[0]] = [None]
                    else:
                        split(item)
                pending.clear()
                queue.sort(key=lambda it: (it[0], it[1]), reverse=True)
                pool = new_pool()
            while next_write in ready:
                record(ready.pop(next_write))
                next_write += 1
            if progress is not None:
                progress(stats)
        finished = True
    finally:
        if not finished:
            _terminate(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now (a stopped run should not wait for chunks nobody will write)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    processes = getattr(pool, "_processes", None) or {}
    for proc in list(processes.values()):
        try:
            proc.terminate()
        except Exception:  # already gone
            pass
