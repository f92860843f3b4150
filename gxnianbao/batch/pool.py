"""Many files to one dataset: worker processes, rows written in file order, Ctrl-C, bounds.

:func:`build_dataset` is the whole ``gxnianbao batch`` command as a function.  Files go to the
workers (:mod:`~gxnianbao.batch.workers`, which bound each file's time and memory) one at a
time; results come back in any order and are written in sorted file order, so the output is
the same for any number of workers and a stopped run leaves a complete prefix.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence

import attrs

from .files import DatasetError, collect_files
from .process import ProcessFile, process_file
from .resume import done_files
from .sinks import RowEncoder, open_sink, output_format, require_pyarrow
from .worker import ChunkJob, FileResult, run_chunk, warm_up
from .workers import Workers

__all__ = [
    "DEFAULT_MAX_MEMORY",
    "DEFAULT_TIMEOUT",
    "MAX_FAILURES",
    "BatchStats",
    "build_dataset",
    "start_method",
]

MAX_FAILURES = 200
DEFAULT_TIMEOUT = 60.0
"""Seconds one file may take (``--timeout``): a real report parses in well under a second and
the largest in a few; a minute leaves room for a slow, shared machine."""
DEFAULT_MAX_MEMORY = 2048
"""MiB a worker may grow by (``--max-memory``): a large report takes a few hundred MiB; this
stops a hostile file long before a machine with one worker per CPU runs out."""


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

    def record(self, res: FileResult) -> None:
        """Count one written file."""
        self.written += 1
        if res.ok:
            self.ok += 1
            return
        self.errors += 1
        etype = res.error_type or "Error"
        self.error_types[etype] = self.error_types.get(etype, 0) + 1
        if len(self.failures) < MAX_FAILURES:
            self.failures.append((res.file, etype, res.error_message or ""))


def _default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


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
    process: ProcessFile = process_file,
    timeout: float = DEFAULT_TIMEOUT,
    max_memory: int = DEFAULT_MAX_MEMORY,
    status_columns: bool = False,
    bom: bool = False,
) -> BatchStats:
    """Parse every supported file under ``paths`` into one dataset file at ``output``.

    Rows are written as files finish, in sorted file order whatever ``jobs`` (results that
    come back early wait in memory for the earlier ones), so the output is the same on every
    run and a stopped run leaves a valid file holding a complete prefix.  ``should_stop`` is
    polled between results (the CLI sets it from Ctrl-C); ``KeyboardInterrupt`` also stops
    the run cleanly.  Files that fail become error rows; see
    :func:`~gxnianbao.batch.process.process_file`, the default ``process``: the per-file
    function, which must be a module-level function so that it pickles to the workers.

    ``timeout`` (seconds per file) and ``max_memory`` (MiB a worker may grow by) bound each
    file: one that passes either is stopped with its worker and recorded as a
    ``FileTimeoutError`` or ``FileMemoryError`` row, a fresh worker takes its place and the
    batch goes on.  0 disables a bound.  With ``jobs=1`` and both bounds off, files are parsed
    in this process.

    ``status_columns`` adds each cell's status to the wide rows (``process`` is then called
    with ``status_columns=True``); ``bom`` starts a CSV with a UTF-8 byte-order mark (Excel).
    """
    if timeout < 0 or max_memory < 0:
        raise DatasetError("timeout and max_memory must be 0 (no bound) or more")
    fmt = output_format(output, fmt)
    if fmt == "parquet":
        require_pyarrow()
    files = collect_files(paths)
    out_abs = os.path.abspath(output)
    files = [f for f in files if os.path.abspath(f) != out_abs]
    stats = BatchStats()
    if resume:
        already = done_files(output, fmt, long, status_columns)
        todo = [f for f in files if f not in already]
        stats.skipped = len(files) - len(todo)
    else:
        todo = files
    stats.total = len(todo)
    jobs = jobs if jobs > 0 else _default_jobs()
    jobs = max(1, min(jobs, len(todo)))
    if status_columns and not long:  # (a process of one's own must take status_columns=)
        call: Callable[..., list[dict[str, object]]] = process
        process = functools.partial(call, status_columns=True)
    job = ChunkJob(process, RowEncoder(fmt, long, status_columns and not long))
    warm_up()
    sink = open_sink(output, fmt, long, resume, status_columns and not long, bom)
    stop = should_stop or (lambda: False)

    def record(results: list[FileResult]) -> None:
        for res in results:
            sink.write(res.payload)
            stats.record(res)
        sink.flush()

    try:
        if jobs == 1 and timeout == 0 and max_memory == 0:
            for path in todo:
                if stop():
                    stats.interrupted = True
                    break
                results = run_chunk(job, [path])
                stats.done += 1
                record(results)
                if progress is not None:
                    progress(stats)
        elif todo:
            ctx = multiprocessing.get_context(start_method())
            workers = Workers(ctx, job, jobs, timeout=timeout, memory_mib=max_memory)
            writer = _InOrder(stats, record, progress)
            stats.interrupted = not workers.run(todo, writer.store, writer.flush, stop)
    except KeyboardInterrupt:
        stats.interrupted = True
    finally:
        sink.close()
    if progress is not None:
        progress(stats)
    return stats


class _InOrder:
    """Results that come back in any order, written in file order as soon as they can be."""

    def __init__(
        self,
        stats: BatchStats,
        record: Callable[[list[FileResult]], None],
        progress: Callable[[BatchStats], None] | None,
    ) -> None:
        self.stats = stats
        self.record = record
        self.progress = progress
        self.waiting: dict[int, FileResult] = {}
        self.written = 0

    def store(self, index: int, res: FileResult) -> None:
        self.waiting[index] = res
        self.stats.done += 1

    def flush(self) -> int:
        """Write what can be written; the index of the first file not yet written."""
        ready: list[FileResult] = []
        while self.written in self.waiting:
            ready.append(self.waiting.pop(self.written))
            self.written += 1
        if ready:
            self.record(ready)
        if self.progress is not None:
            self.progress(self.stats)
        return self.written


def start_method() -> str:
    """``fork`` where it is safe (POSIX, no other thread running): workers start in
    milliseconds with everything imported; else ``forkserver`` or ``spawn`` (a notebook or
    a threaded host, where forking can deadlock)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"
