"""What a batch worker does with its files: rows made, encoded and sent back small.

Everything a worker needs travels with it as a :class:`ChunkJob` (the per-file function and
the output's encoding), given when the worker starts, so no process keeps settings in module
state, and two batches in one program cannot see each other's.  :func:`serve` is a worker's
whole life under its memory cap.  Imports no process machinery itself (the pipe is passed in).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

import attrs

from ..errors import GxnianbaoError
from ..export.rows import error_row, long_error_row
from .process import ProcessFile
from .signals import die_with_parent
from .sinks import RowEncoder, UnstorableValueError

__all__ = [
    "READY",
    "ChunkJob",
    "FileMemoryError",
    "FileResult",
    "FileTimeoutError",
    "bound_result",
    "crashed",
    "run_chunk",
    "serve",
]

READY = "ready"
"""What a managed worker sends once it has started and imported what a parse needs."""


class FileTimeoutError(GxnianbaoError):
    """A batch stopped a file that took longer than its per-file time bound (``--timeout``):
    its worker was killed and a fresh one took its place."""

    kind = "timeout"


class FileMemoryError(GxnianbaoError):
    """A batch stopped a file whose worker needed more than its memory cap
    (``--max-memory``), or whose worker the system killed (most likely for memory)."""

    kind = "memory"


class FileResult(NamedTuple):
    """One file's outcome as sent back from a worker: small and cheap to pickle."""

    file: str
    ok: bool
    error_type: str | None
    error_message: str | None
    payload: Any
    """The file's rows already encoded for the output: CSV or JSON-lines text, or a list of
    value tuples for Parquet."""


@attrs.frozen(slots=True)
class ChunkJob:
    """How to turn each file of a chunk into output: ``process`` (a module-level function,
    so that it pickles by reference) and the output's :class:`RowEncoder`."""

    process: ProcessFile
    encoder: RowEncoder

    @property
    def long(self) -> bool:
        return self.encoder.long


def run_chunk(job: ChunkJob, paths: Sequence[str]) -> list[FileResult]:
    """What a worker does with one chunk of files (module-level, so it pickles)."""
    long = job.long
    out: list[FileResult] = []
    for path in paths:
        rows = job.process(path, long=long)
        first = rows[0]
        ok = first["report_status" if long else "status"] == "ok"
        try:
            payload = job.encoder.encode(rows)
        except UnstorableValueError as exc:  # never a rounded number: the file fails
            out.append(_failed(job, path, UnstorableValueError(f"{path}: {exc}")))
            continue
        out.append(
            FileResult(
                path,
                ok,
                None if ok else str(first["error_type"]),
                None if ok else str(first["error_message"]),
                payload,
            )
        )
    return out


def crashed(job: ChunkJob, path: str, how: str) -> FileResult:
    """A file whose worker process died (a crash in a native reader, an ``os._exit``)."""
    err = RuntimeError(f"the worker process reading this file died ({how})")
    row = long_error_row(path, err) if job.long else error_row(path, err)
    row["error_type"] = "WorkerCrashed"
    return FileResult(
        path, False, "WorkerCrashed", str(row["error_message"]), job.encoder.encode([row])
    )


def bound_result(job: ChunkJob, path: str, err: GxnianbaoError) -> FileResult:
    """The row of a file stopped by a batch bound (:class:`FileTimeoutError`,
    :class:`FileMemoryError`)."""
    return _failed(job, path, err)


def memory_error(path: str, memory_mib: int) -> FileMemoryError:
    return FileMemoryError(
        f"{path}: reading it needed more than {memory_mib} MiB of memory (the per-worker "
        "cap, --max-memory); its worker was replaced"
    )


class Connection(Protocol):
    """The worker's end of its pipe (a :mod:`multiprocessing` connection, passed in, so that
    this module imports no process machinery)."""

    def send(self, obj: Any) -> None: ...

    def recv(self) -> Any: ...


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def cap_memory(memory_mib: int) -> None:
    """Let this process grow by at most ``memory_mib`` MiB of address space beyond what it
    holds now, so that a runaway allocation raises ``MemoryError`` here instead of taking the
    machine's memory.  (``RLIMIT_AS``: POSIX only; elsewhere the cap is not enforced.)"""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    limit = (_address_space() or 0) + memory_mib * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _failed(job: ChunkJob, path: str, exc: BaseException) -> FileResult:
    """The row of a file whose per-file function raised (``process_file`` never does)."""
    row = long_error_row(path, exc) if job.long else error_row(path, exc)
    return FileResult(
        path, False, type(exc).__name__, str(row["error_message"]), job.encoder.encode([row])
    )


def _one(job: ChunkJob, path: str, memory_mib: int) -> tuple[FileResult, bool]:
    """One file in a managed worker, and whether the worker must be replaced after it
    (it ran out of memory: a fresh process has an unspoilt heap)."""
    try:
        (res,) = run_chunk(job, [path])
    except MemoryError as exc:
        if memory_mib <= 0:
            return _failed(job, path, exc), True
        return bound_result(job, path, memory_error(path, memory_mib)), True
    except Exception as exc:
        return _failed(job, path, exc), False
    if res.error_type == "MemoryError":  # process_file turned it into a row
        if memory_mib > 0:
            res = bound_result(job, path, memory_error(path, memory_mib))
        return res, True
    return res, False


def serve(conn: Connection, job: ChunkJob, memory_mib: int, parent: int) -> None:
    """A managed worker's life: start, say :data:`READY`, then read ``(index, path)``
    tasks and send back ``(index, FileResult, retiring)`` until told ``None`` or the pipe
    closes; it ends when ``parent`` (the batch's process) dies, whatever kills it.

    After a ``MemoryError`` it answers with ``retiring`` true and exits, so that a fresh
    process (with an unspoilt heap) takes its place.  Module-level, so that it pickles under
    ``spawn``.
    """
    # The parent handles Ctrl-C (a terminal sends it to the whole group) and stops this worker
    # itself.  SIGTERM keeps its default action, so that multiprocessing's clean-up at exit
    # (SIGTERM, then join) can always end a worker; the parent, stopping on the same signal,
    # writes no row for a worker that it ended.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    warm_up()
    if memory_mib > 0:
        cap_memory(memory_mib)
    conn.send(READY)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        res, retire = _one(job, path, memory_mib)
        conn.send((index, res, retire))
        if retire:
            return


def warm_up() -> None:
    """Import everything a parse needs once per process, not once per file."""
    from ..check import rules

    _ = rules.validate
