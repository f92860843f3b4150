"""Run a piece of Python in a child process under a time and memory bound, and measure it.

Why a child: a hostile input must be shown to end in bounded time and memory, and neither can
be measured (or survived) inside the test process.  The child gets an address-space limit a
little above the bound, so a runaway allocation fails there instead of swapping the machine,
and it is killed at twice the time bound.  The child reports its own peak RSS when it exits,
so other processes do not blur the figure.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent


@attrs.frozen
class Outcome:
    """What the child did: how it ended, in what time and with what peak memory."""

    seconds: float
    peak_mib: float
    returncode: int
    killed: bool
    result: dict[str, object] | None
    """What the child printed as its last line of JSON (``outcome`` in :func:`bounded`)."""
    stderr: str


_PRELUDE = """
import atexit, json, resource, sys
def report(**fields):
    print(json.dumps(fields, ensure_ascii=False, default=str), flush=True)
def _peak():
    # VmHWM is this program's own peak; ru_maxrss also counts the forked test process's pages
    # from before exec, so a child of a big pytest process would seem as big.
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as f:
            kib = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    print("PEAK " + str(kib), flush=True)
atexit.register(_peak)
"""


def bounded(code: str, *, seconds: float = 5.0, memory_mib: int = 512) -> Outcome:
    """Run ``code`` in a fresh interpreter (the project importable, ``report(**fields)``
    available to say what happened) and return how it went.  The child may use at most
    ``memory_mib`` plus an allowance for the interpreter's own mappings as address space."""
    limit = (memory_mib + 512) * 1024 * 1024

    def _limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", _PRELUDE + code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limit,
        env=env,
        cwd=ROOT,
    )
    killed = False
    try:
        out, err = child.communicate(timeout=2 * seconds)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        killed = True
    elapsed = time.monotonic() - start
    text = out.decode("utf-8", "replace").splitlines()
    peaks = [int(line[5:]) for line in text if line.startswith("PEAK ")]
    peak = peaks[-1] / 1024 if peaks else float("nan")
    lines = [line for line in text if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else None
    return Outcome(elapsed, peak, child.returncode, killed, result, err.decode("utf-8", "replace"))


def within(outcome: Outcome, *, seconds: float = 5.0, memory_mib: int = 512) -> list[str]:
    """The ways ``outcome`` broke its bounds (empty when it kept them)."""
    problems = []
    if outcome.killed:
        problems.append(f"still running after {2 * seconds:.0f} s: killed")
    elif outcome.seconds > seconds:
        problems.append(f"took {outcome.seconds:.1f} s (bound {seconds} s)")
    if not outcome.peak_mib <= memory_mib:  # NaN (no figure: killed) fails too
        problems.append(f"peak RSS {outcome.peak_mib:.0f} MiB (bound {memory_mib} MiB)")
    if outcome.result is None:
        tail = outcome.stderr.strip().splitlines()[-3:]
        problems.append(f"no result (exit {outcome.returncode}): {' | '.join(tail)}")
    return problems
