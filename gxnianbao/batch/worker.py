"""What a batch worker does with a chunk of files: rows made, encoded and sent back small.

Everything a worker needs travels with each task as a :class:`ChunkJob` (the per-file
function and the output's encoding), so no process keeps settings in module state, and two
batches in one program cannot see each other's.  Imports no process machinery itself.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from typing import Any, NamedTuple

import attrs

from ..export.rows import error_row, long_error_row
from .process import ProcessFile
from .sinks import RowEncoder

__all__ = ["ChunkJob", "FileResult", "crashed", "init_worker", "run_chunk"]


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
        out.append(
            FileResult(
                path,
                ok,
                None if ok else str(first["error_type"]),
                None if ok else str(first["error_message"]),
                job.encoder.encode(rows),
            )
        )
    return out


def crashed(job: ChunkJob, path: str, exc: BaseException) -> FileResult:
    """A file whose worker process died (killed for memory, a crash in a native reader)."""
    err = RuntimeError(f"the worker process reading this file died ({type(exc).__name__})")
    row = long_error_row(path, err) if job.long else error_row(path, err)
    row["error_type"] = "WorkerCrashed"
    return FileResult(
        path, False, "WorkerCrashed", str(row["error_message"]), job.encoder.encode([row])
    )


def warm_up() -> None:
    """Import everything a parse needs once per process, not once per file."""
    from ..check import rules

    _ = rules.validate


def init_worker() -> None:
    """Worker initializer: the parent handles Ctrl-C and stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()


def ping() -> bool:
    """A task that only proves a new worker can start."""
    return True
