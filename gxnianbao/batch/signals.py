"""Stopping a batch: SIGINT and SIGTERM for the parent, the parent's death for a worker.

The parent (:class:`StopSignals`): the first SIGINT or SIGTERM asks the run to stop: no new
file is handed out, the files in flight are dropped and their workers killed, the output is
closed valid and the summary printed.  The worker loop polls the request at least every
0.2 s; where the run is busy in its own process (walking folders, a file parsed there) the
signal raises ``KeyboardInterrupt`` at once.  A second signal is only noted: the clean-up
that keeps the output valid and ends the workers, well under a second, is never cut short,
which is what used to leave a run hanging or its workers orphaned.

A worker (:func:`die_with_parent`): it must not outlive its parent whatever kills the parent,
``kill -9`` included.  On Linux the kernel sends it SIGKILL when the parent dies
(``PR_SET_PDEATHSIG``); elsewhere a daemon thread watches the parent's PID.  Reading its pipe
is not enough: forked siblings hold copies of its parent's end.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["EXIT_STATUS", "StopSignals", "die_with_parent"]

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

EXIT_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}
"""The exit status of a run stopped by each signal: 128 + the signal's number, as a shell
reports a process killed by it."""


class StopSignals:
    """SIGINT and SIGTERM handlers for one batch run in the main thread: a context manager
    that restores the previous handlers on exit when no signal came.  After a stop it leaves
    both signals ignored instead, since the process was asked to end and is about to: a
    second signal during the interpreter's shutdown (which puts Python's own handlers back to
    the default action) would otherwise kill it, or print a traceback, instead of letting it
    exit with 130 or 143.  Outside the main thread it installs nothing, and only the default
    ``KeyboardInterrupt`` stops a run."""

    def __init__(self) -> None:
        self.count = 0
        """Signals received so far."""
        self.first: int | None = None
        """The first signal received (its exit status is the run's)."""
        self._armed = 0
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        self._armed = 0
        for signum, handler in self._previous.items():
            signal.signal(signum, signal.SIG_IGN if self.count else handler)  # type: ignore[arg-type]
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        if self.first is None:
            self.first = signum
        if self._armed:
            raise KeyboardInterrupt

    def stop_requested(self) -> bool:
        """True once a first signal came: hand out no more files."""
        return self.count > 0

    @property
    def exit_status(self) -> int | None:
        """130 after SIGINT, 143 after SIGTERM, None when no signal came."""
        return None if self.first is None else EXIT_STATUS.get(signal.Signals(self.first), 130)

    @contextlib.contextmanager
    def cancellable(self) -> Iterator[None]:
        """A stretch of work that polls nothing (walking folders, parsing one file in this
        process): a signal during it, or one that came before, raises ``KeyboardInterrupt``
        there and then, so that the run stops without waiting for the work to end."""
        if self.count:
            raise KeyboardInterrupt
        self._armed += 1
        try:
            yield
        finally:
            self._armed -= 1


_PR_SET_PDEATHSIG = 1


def _pdeathsig() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where it cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process by now, or not ours to signal: it exists
        return True
    return True


def _watch(parent: int, direct: int, interval: float) -> None:
    import time

    while os.getppid() == direct and _alive(parent):
        time.sleep(interval)
    os._exit(1)


def die_with_parent(parent: int, *, interval: float = 0.5) -> None:
    """End this (worker) process when ``parent`` (the batch's process) dies, whatever kills it.

    ``PR_SET_PDEATHSIG`` on Linux (the kernel's SIGKILL when the process that started this
    one ends: the batch itself under ``fork`` and ``spawn``, the fork server under
    ``forkserver``, which ends with the batch), and a daemon thread that checks every
    ``interval`` seconds that ``parent`` is alive and this process not re-parented: it covers
    the other systems and a parent that died before the request was made.  Call it before a
    memory cap: the thread needs a stack.
    """
    _pdeathsig()
    direct = os.getppid()
    if not _alive(parent):
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, direct, interval), daemon=True).start()
