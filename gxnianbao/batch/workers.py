"""Worker processes the batch manages itself, so that it can bound and kill each one.

A ``ProcessPoolExecutor`` cannot stop one task: a file that hangs or eats memory would stall
the whole batch.  Here each worker is a ``multiprocessing`` process with a pipe, given one
file at a time (and the next one queued); the parent knows which file every worker reads and
since when, kills a worker whose file runs past the time bound (or whose process dies),
records that file as an error row, puts the files queued behind it back, and starts a fresh
worker.  Results are written in file order; at most :attr:`Workers.window`
files past the first unwritten one are handed out, so memory held for waiting rows is bounded.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from .files import DatasetError
from .worker import (
    READY,
    ChunkJob,
    FileMemoryError,
    FileResult,
    FileTimeoutError,
    bound_result,
    crashed,
    serve,
)

__all__ = ["Workers"]

START_FAILURES = 3
"""Workers that die before they are ready, in a row with none ready, before the batch gives
up: a main module that cannot be re-imported under ``spawn``, no memory for a process."""


DEPTH = 2
"""Files handed to a worker at once: the next one waits in its pipe, so that the worker never
idles while the parent answers; the deadline of each starts when the one before it ends."""


class _Worker:
    """One worker process, its end of the pipe and the files it holds, the first being read."""

    def __init__(self, ctx: BaseContext, job: ChunkJob, memory_mib: int) -> None:
        here, there = ctx.Pipe()
        self.conn: Connection = here
        self.proc: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=serve, args=(there, job, memory_mib, os.getpid()), daemon=True
        )
        self.proc.start()
        there.close()
        self.ready = False
        self.broken = False
        """Its pipe broke when a file was sent: no more files for it."""
        self.tasks: deque[tuple[int, str]] = deque()
        self.started = 0.0
        """When the first of ``tasks`` started (as far as the parent can tell)."""

    def give(self, index: int, path: str) -> bool:
        """Queue a file in the worker's pipe; False when the pipe is broken (the worker died
        since it was last heard from: its death is found by its sentinel, and the file, never
        sent, is not its to answer for)."""
        if self.broken:
            return False
        started = self.started
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append((index, path))
        try:
            self.conn.send((index, path))
        except OSError:  # BrokenPipeError, ConnectionResetError
            self.tasks.pop()
            self.started = started
            self.broken = True
            return False
        return True

    def done(self, index: int) -> None:
        """The first file's result came back: the next one starts now."""
        assert self.tasks and self.tasks[0][0] == index
        self.tasks.popleft()
        self.started = time.monotonic()

    def stop(self, *, kill: bool) -> None:
        """End the process: at once (``kill``) or by closing its pipe, then reap it."""
        if kill and self.proc.is_alive():
            self.proc.kill()
        self.conn.close()
        self.proc.join(5)
        if self.proc.is_alive():  # pragma: no cover - a worker that ignores a closed pipe
            self.proc.kill()
            self.proc.join()


class Workers:
    """``jobs`` managed workers over a list of files: each file's result goes to ``store``
    (called in any order), ``flush`` writes what can be written and returns the index of the
    first file not yet written; ``stop`` is polled at least every 0.2 s."""

    def __init__(
        self,
        ctx: BaseContext,
        job: ChunkJob,
        jobs: int,
        *,
        timeout: float,
        memory_mib: int,
    ) -> None:
        self.ctx = ctx
        self.job = job
        self.jobs = jobs
        self.timeout = timeout
        self.memory_mib = memory_mib
        self.window = jobs * 32
        self.workers: list[_Worker] = []
        self.todo: list[int] = []
        """Indices of the files not yet handed out, the next one last."""
        self.start_failures = 0

    def _start(self) -> None:
        self.workers.append(_Worker(self.ctx, self.job, self.memory_mib))

    def _replace(self, worker: _Worker, *, kill: bool) -> None:
        """Stop ``worker`` and start another; the files it held but had not begun (innocent)
        go back to the queue."""
        worker.stop(kill=kill)
        self.workers.remove(worker)
        if worker.tasks:
            self.todo.extend(index for index, _ in worker.tasks)
            self.todo.sort(reverse=True)
        self._start()

    def run(
        self,
        paths: Sequence[str],
        store: Callable[[int, FileResult], None],
        flush: Callable[[], int],
        stop: Callable[[], bool],
    ) -> bool:
        """Process every file; False when ``stop`` ended the run early."""
        self.todo = list(range(len(paths)))
        self.todo.reverse()  # popped from the end: the first file first
        try:
            for _ in range(self.jobs):
                self._start()
            while True:
                written = flush()
                if written >= len(paths):
                    return True
                if stop():
                    return False
                self._hand_out(paths, written)
                self._wait(store)
                if stop():  # before writing: a worker ended by the same signal is no crash
                    return False
        finally:
            for worker in self.workers:
                worker.stop(kill=True)
            self.workers.clear()

    def _hand_out(self, paths: Sequence[str], written: int) -> None:
        """Top every ready worker up to :data:`DEPTH` files, within the window."""
        todo = self.todo
        for depth in range(1, DEPTH + 1):
            for worker in self.workers:
                if not (todo and todo[-1] < written + self.window):
                    return
                if worker.ready and len(worker.tasks) < depth and not worker.broken:
                    index = todo.pop()
                    if not worker.give(index, paths[index]):
                        todo.append(index)  # (the next file again)

    def _wait(self, store: Callable[[int, FileResult], None]) -> None:
        """Wait up to 0.2 s (or the next deadline) for results, deaths and deadlines."""
        now = time.monotonic()
        delay = 0.2
        if self.timeout > 0:
            for worker in self.workers:
                if worker.tasks:
                    delay = min(delay, max(0.0, worker.started + self.timeout - now))
        handles: list[object] = [w.conn for w in self.workers]
        handles += [w.proc.sentinel for w in self.workers]
        ready = set(wait(handles, timeout=delay))  # type: ignore[arg-type]
        for worker in list(self.workers):
            if worker.conn in ready:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    message = None
                if message == READY:
                    worker.ready = True
                    self.start_failures = 0
                    continue
                if message is not None:
                    index, res, retiring = message
                    worker.done(index)
                    store(index, res)
                    if retiring:
                        self._replace(worker, kill=False)
                    continue
            if worker.proc.sentinel in ready or worker.conn in ready:
                self._died(worker, store)
        if self.timeout > 0:
            now = time.monotonic()
            for worker in list(self.workers):
                if worker.tasks and now - worker.started > self.timeout:
                    index, path = worker.tasks.popleft()
                    err = FileTimeoutError(
                        f"{path}: reading it took more than {self.timeout:g} s (the per-file "
                        "timeout, --timeout); its worker was stopped"
                    )
                    store(index, bound_result(self.job, path, err))
                    self._replace(worker, kill=True)

    def _died(self, worker: _Worker, store: Callable[[int, FileResult], None]) -> None:
        """A worker's process ended (or its pipe broke): blame the file it was reading,
        start another."""
        worker.stop(kill=True)
        if not worker.ready:
            self.start_failures += 1
            if self.start_failures >= START_FAILURES and not any(w.ready for w in self.workers):
                raise DatasetError(
                    f"the worker processes ({self.ctx.get_start_method()}) cannot start; "
                    "run with --jobs 1 --timeout 0 --max-memory 0 (jobs=1, timeout=0, "
                    "max_memory=0) to parse in this process"
                )
        elif worker.tasks:
            index, path = worker.tasks.popleft()
            store(index, self._death(path, worker.proc.exitcode))
        self._replace(worker, kill=True)

    def _death(self, path: str, code: int | None) -> FileResult:
        """The row of a file whose worker died under it."""
        if code == -signal.SIGKILL:  # not by us: the system's out-of-memory killer
            err = FileMemoryError(
                f"{path}: its worker was killed by the system (SIGKILL), most likely for "
                "lack of memory; a fresh worker took its place"
            )
            return bound_result(self.job, path, err)
        if code is not None and code < 0:
            how = f"signal {signal.Signals(-code).name}" if -code in _SIGNALS else str(code)
        else:
            how = f"exit status {code}"
        return crashed(self.job, path, how)


_SIGNALS = frozenset(int(s) for s in signal.Signals)
