"""``gxnianbao batch`` stopped by signals, through the real entry point.

Each run is ``python -m gxnianbao batch`` in a process group of its own, so that every process
of the batch (the command and its workers) can be found by its group in ``/proc`` whatever
happens to the command.  Two SIGINTs 0.2 s apart, one SIGTERM, SIGKILL of the command: each
time no process of the batch is left, the output is valid (the CSV parses, the Parquet file
opens), and ``--resume`` finishes the job.  Everything waits by polling with a deadline, never
by a fixed sleep, so a loaded machine only makes the tests slower.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gxnianbao.export.rows import wide_columns

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc"),
]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"
FILES = 60
DEADLINE = 120.0


def corpus(folder: Path, n: int = FILES) -> list[str]:
    """``n`` copies of the sample report; their normalised paths, sorted (the row order)."""
    folder.mkdir()
    for i in range(n):
        shutil.copy(SAMPLE, folder / f"r{i:04d}.txt")
    return sorted(os.path.normpath(p) for p in folder.iterdir())


def start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "gxnianbao", "batch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the group is the batch
    )


def group(pgid: int) -> list[int]:
    """The live processes of process group ``pgid`` (zombies excluded: they are gone)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(entry))
    return found


def poll(what: Callable[[], bool], message: str, deadline: float = DEADLINE) -> None:
    end = time.monotonic() + deadline
    while not what():
        assert time.monotonic() < end, message
        time.sleep(0.05)


def running(proc: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    """Wait until the command and its two workers are up and ``ready`` holds."""
    poll(
        lambda: proc.poll() is not None or (len(group(proc.pid)) >= 3 and ready()),
        "the batch did not get going",
    )
    assert proc.poll() is None, "the batch ended before it could be stopped"


def finish(proc: subprocess.Popen[bytes]) -> str:
    """Wait for the command, then for every process of its group to be gone."""
    _, err = proc.communicate(timeout=DEADLINE)
    poll(lambda: not group(proc.pid), f"processes of the batch left: {group(proc.pid)}", 30)
    stderr = err.decode("utf-8")
    assert "Traceback" not in stderr, stderr
    return stderr


def csv_rows(path: Path) -> int:
    if not path.exists():
        return 0
    return max(0, path.read_bytes().count(b"\n") - 1)


def read_files(path: Path, fmt: str) -> list[str]:
    """The ``file`` column of a dataset, checking that it is valid as it goes."""
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            records = list(csv.reader(fh))
        assert records[0] == wide_columns()
        assert all(len(r) == len(records[0]) for r in records)
        return [r[0] for r in records[1:]]
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(path)
    assert table.column_names == wide_columns()
    return [str(f) for f in table.column("file").to_pylist()]


def resume_to_the_end(folder: Path, out: Path, files: list[str]) -> None:
    command = ["batch", str(folder), "-o", str(out), "--resume", "-q"]
    proc = subprocess.run(
        [sys.executable, "-m", "gxnianbao", *command], capture_output=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    fmt = "csv" if out.suffix == ".csv" else "parquet"
    assert read_files(out, fmt) == files


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_two_sigints_stop_with_a_valid_output_and_no_process_left(tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    folder = tmp_path / "in"
    files = corpus(folder)
    out = tmp_path / f"data.{fmt}"
    proc = start(str(folder), "-o", str(out), "-j", "2", "--row-group", "4")
    parts = Path(f"{out}.parts")
    if fmt == "csv":
        running(proc, lambda: csv_rows(out) >= 4)
    else:
        running(proc, lambda: parts.is_dir() and any(parts.glob("part-*.parquet")))
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)  # the gap between the two signals, not an assertion
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    stderr = finish(proc)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "--resume" in stderr
    written = read_files(out, fmt)
    assert 0 < len(written) < len(files)
    assert written == files[: len(written)]  # a complete prefix, in order
    assert not parts.exists()
    if fmt == "parquet":  # (CSV: tests/test_cli.py resumes after Ctrl-C)
        resume_to_the_end(folder, out, files)


@pytest.mark.parametrize(("fmt", "to_group"), [("csv", False), ("parquet", False), ("csv", True)])
def test_sigterm_stops_with_the_summary_and_143(tmp_path: Path, fmt: str, to_group: bool) -> None:
    """SIGTERM to the command, or to its whole group as a service manager sends it (the
    workers then die of it too, and no file is taken for one that crashed)."""
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    folder = tmp_path / "in"
    files = corpus(folder)
    out = tmp_path / f"data.{fmt}"
    proc = start(str(folder), "-o", str(out), "-j", "2", "--row-group", "4")
    if fmt == "csv":
        running(proc, lambda: csv_rows(out) >= 4)
    else:
        parts = Path(f"{out}.parts")
        running(proc, lambda: parts.is_dir() and any(parts.glob("part-*.parquet")))
    if to_group:
        os.killpg(proc.pid, signal.SIGTERM)
    else:
        proc.send_signal(signal.SIGTERM)
    stderr = finish(proc)
    assert proc.returncode == 143, stderr
    assert "files written to" in stderr and "interrupted" in stderr
    assert "0 failed" in stderr and "WorkerCrashed" not in stderr
    written = read_files(out, fmt)
    assert 0 < len(written) < len(files) and written == files[: len(written)]


def test_sigkill_of_the_command_leaves_no_worker_and_resume_continues(tmp_path: Path) -> None:
    """``kill -9`` gives the command no chance to do anything: its workers still go (the
    kernel's parent-death signal, or their watch of the parent), the Parquet row groups
    already full are on disk, and ``--resume`` continues from them."""
    pq = pytest.importorskip("pyarrow.parquet")
    folder = tmp_path / "in"
    files = corpus(folder)
    out = tmp_path / "data.parquet"
    parts = Path(f"{out}.parts")

    def groups() -> list[Path]:
        return sorted(parts.glob("part-*.parquet")) if parts.is_dir() else []

    proc = start(str(folder), "-o", str(out), "-j", "2", "--row-group", "4")
    running(proc, lambda: len(groups()) >= 2)
    workers = [pid for pid in group(proc.pid) if pid != proc.pid]
    assert workers
    proc.send_signal(signal.SIGKILL)
    finish(proc)
    assert proc.returncode == -signal.SIGKILL
    assert all(not Path(f"/proc/{pid}/stat").exists() or pid not in group(proc.pid)
               for pid in workers)  # fmt: skip
    kept: list[str] = []
    for part in groups():  # every group on disk is a complete Parquet file
        kept += [str(f) for f in pq.read_table(part).column("file").to_pylist()]
    assert len(kept) >= 8 and kept == files[: len(kept)]
    proc = subprocess.run(
        [sys.executable, "-m", "gxnianbao", "batch", str(folder), "-o", str(out), "--resume"],
        capture_output=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    assert f"{len(kept)} already there" in proc.stderr.decode("utf-8")
    assert read_files(out, "parquet") == files
    assert not parts.exists()


_ORPHAN = """
import os, sys, time
from gxnianbao.batch import signals
parent = os.getpid()
child = os.fork()
if child == 0:
    signals._pdeathsig = lambda: False  # the watch alone, as on a system without prctl
    signals.die_with_parent(parent, interval=0.05)
    while True:
        time.sleep(1)
print(child, flush=True)
while True:
    time.sleep(1)
"""


def test_the_portable_watch_ends_a_worker_whose_parent_was_killed() -> None:
    """Without Linux's parent-death signal, the worker's own watch of its parent ends it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN],
        stdout=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None
        child = int(proc.stdout.readline())
        assert child in group(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=DEADLINE)
        poll(lambda: child not in group(proc.pid), "the orphaned worker is still running", 30)
    finally:
        if group(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
