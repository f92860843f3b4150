"""Many files to one dataset: a process pool, rows written in file order, Ctrl-C and crashes.

:func:`build_dataset` is the whole ``gxnianbao batch`` command as a function.  Files go to the
workers in chunks; results come back in any order and are written in sorted file order, so
the output is the same for any number of workers and a stopped run leaves a complete prefix.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

import attrs

from .files import DatasetError, collect_files
from .process import ProcessFile, process_file
from .resume import done_files
from .sinks import RowEncoder, open_sink, output_format, require_pyarrow
from .worker import ChunkJob, FileResult, crashed, init_worker, ping, run_chunk, warm_up

__all__ = ["MAX_FAILURES", "BatchStats", "build_dataset", "start_method"]

MAX_FAILURES = 200


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


def _chunks(paths: Sequence[str], jobs: int) -> list[list[str]]:
    """Chunks of up to 32 files: few enough tasks that sending them costs nothing next to a
    parse (~20 ms a file), small enough that the last ones keep every worker busy."""
    size = max(1, min(32, len(paths) // (jobs * 8)))
    return [list(paths[i : i + size]) for i in range(0, len(paths), size)]


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
) -> BatchStats:
    """Parse every supported file under ``paths`` into one dataset file at ``output``.

    Rows are written as files finish, in sorted file order whatever ``jobs`` (results that
    come back early wait in memory for the earlier ones), so the output is the same on every
    run and a stopped run leaves a valid file holding a complete prefix.  ``should_stop`` is
    polled between results (the CLI sets it from Ctrl-C); ``KeyboardInterrupt`` also stops
    the run cleanly.  Files that fail become error rows; see
    :func:`~gxnianbao.batch.process.process_file`, the default ``process``: the per-file
    function, which must be a module-level function so that it pickles to the workers.
    """
    fmt = output_format(output, fmt)
    if fmt == "parquet":
        require_pyarrow()
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
    job = ChunkJob(process, RowEncoder(fmt, long))
    warm_up()
    sink = open_sink(output, fmt, long, resume)
    stop = should_stop or (lambda: False)

    def record(results: list[FileResult]) -> None:
        for res in results:
            sink.write(res.payload)
            stats.record(res)
        sink.flush()

    try:
        if jobs == 1:
            for path in todo:
                if stop():
                    stats.interrupted = True
                    break
                results = run_chunk(job, [path])
                stats.done += 1
                record(results)
                if progress is not None:
                    progress(stats)
        else:
            _Pool(job, jobs, stats, record, progress, stop).run(_chunks(todo, jobs))
    except KeyboardInterrupt:
        stats.interrupted = True
    finally:
        sink.close()
    if progress is not None:
        progress(stats)
    return stats


def start_method() -> str:
    """``fork`` where it is safe (POSIX, no other thread running): workers start in
    milliseconds with everything imported; else ``forkserver`` or ``spawn`` (a notebook or
    a threaded host, where forking can deadlock)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


Item = tuple[int, int, list[str]]
"""A task: (chunk index, part index or -1 for the whole chunk, paths)."""


class _Pool:
    """Chunks to a process pool, a bounded number in flight, written back in chunk order.

    A worker that dies (killed for memory, a crash in a native library) breaks the whole pool:
    the chunks in flight are redone file by file, each alone in a new pool, so that the file
    that kills a worker again is known and recorded as ``WorkerCrashed``.
    """

    def __init__(
        self,
        job: ChunkJob,
        jobs: int,
        stats: BatchStats,
        record: Callable[[list[FileResult]], None],
        progress: Callable[[BatchStats], None] | None,
        stop: Callable[[], bool],
    ) -> None:
        self.job = job
        self.jobs = jobs
        self.stats = stats
        self.record = record
        self.progress = progress
        self.stop = stop
        self.ctx = multiprocessing.get_context(start_method())
        self.queue: list[Item] = []
        self.pending: dict[Future[list[FileResult]], Item] = {}
        self.ready: dict[int, list[FileResult]] = {}
        self.parts: dict[int, list[list[FileResult] | None]] = {}

    def new_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(self.jobs, mp_context=self.ctx, initializer=init_worker)
        # A pool whose workers cannot start at all (a main module that cannot be re-imported
        # under spawn, no memory for a process) would otherwise blame every file in turn.
        try:
            pool.submit(ping).result()
        except BrokenProcessPool:
            pool.shutdown(wait=True, cancel_futures=True)
            raise DatasetError(
                f"the worker processes ({self.ctx.get_start_method()}) cannot start; "
                "run with --jobs 1 (jobs=1) to parse in this process"
            ) from None
        return pool

    def store(self, item: Item, results: list[FileResult]) -> None:
        idx, part, _ = item
        self.stats.done += len(results)
        if part == -1:
            self.ready[idx] = results
            return
        slots = self.parts[idx]
        slots[part] = results
        if all(s is not None for s in slots):
            self.ready[idx] = [r for s in slots if s is not None for r in s]
            del self.parts[idx]

    def split(self, item: Item) -> None:
        idx, _, paths = item
        self.parts[idx] = [None] * len(paths)
        self.queue.extend((idx, j, [p]) for j, p in reversed(list(enumerate(paths))))

    def submit(self, pool: ProcessPoolExecutor) -> None:
        """Fill the window; a suspect file (a part of a split chunk) runs alone, so that a
        crash names it."""
        queue, pending = self.queue, self.pending
        alone = any(it[1] != -1 for it in pending.values())
        while queue and len(pending) < self.jobs * 3 and not alone:
            if queue[-1][1] != -1:
                if not pending:
                    item = queue.pop()
                    pending[pool.submit(run_chunk, self.job, item[2])] = item
                break
            item = queue.pop()
            pending[pool.submit(run_chunk, self.job, item[2])] = item

    def recover(self, pool: ProcessPoolExecutor, broken: BrokenProcessPool) -> None:
        """After a worker died: keep what finished, blame a file that ran alone, split the
        chunks in flight into single files to be run again."""
        pool.shutdown(wait=True, cancel_futures=True)
        for fut, item in list(self.pending.items()):
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                self.store(item, fut.result())
            elif item[1] != -1:
                self.store(item, [crashed(self.job, item[2][0], broken)])
            elif len(item[2]) == 1:
                self.queue.append((item[0], 0, item[2]))
                self.parts[item[0]] = [None]
            else:
                self.split(item)
        self.pending.clear()
        self.queue.sort(key=lambda it: (it[0], it[1]), reverse=True)

    def run(self, chunks: list[list[str]]) -> None:
        self.queue = [(i, -1, c) for i, c in enumerate(chunks)]
        self.queue.reverse()  # popped from the end: lowest chunk first
        pool = self.new_pool()
        next_write = 0
        finished = False
        try:
            while next_write < len(chunks):
                self.submit(pool)
                if self.stop():
                    self.stats.interrupted = True
                    break
                done, _ = wait(list(self.pending), timeout=0.2, return_when=FIRST_COMPLETED)
                broken: BrokenProcessPool | None = None
                for fut in done:
                    exc = fut.exception()
                    if isinstance(exc, BrokenProcessPool):
                        broken = exc
                        continue
                    self.store(self.pending.pop(fut), fut.result())
                if broken is not None:
                    self.recover(pool, broken)
                    pool = self.new_pool()
                while next_write in self.ready:
                    self.record(self.ready.pop(next_write))
                    next_write += 1
                if self.progress is not None:
                    self.progress(self.stats)
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
