"""A batch never stalls: a file that hangs, eats memory or kills its worker becomes one error
row, a fresh worker takes over and the rest of the batch is written, in file order.

The misbehaving files are fakes: per-file functions (``build_dataset(process=...)``, the public
seam) that hang, allocate without end or die on files with a given name, so the mechanism is
proved whatever the readers do.  A FIFO named ``pipe.txt`` (which used to block ``parse_file``
and ``batch`` for ever) goes through the real entry points, under a time bound.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bounded import bounded, within

from gxnianbao import UnsupportedFormatError, parse_file, process_file
from gxnianbao.batch.pool import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, build_dataset
from gxnianbao.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def misbehave(path: str, *, long: bool = False) -> list[dict[str, object]]:
    """``process_file``, except on files whose name says how to misbehave (module-level, so
    that it pickles to the workers by reference)."""
    name = os.path.basename(path)
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("eat"):
        hoard = []
        while True:
            hoard.append(bytearray(32 * 1024 * 1024))
    if name.startswith("sigkill"):  # as the system's out-of-memory killer does
        os.kill(os.getpid(), signal.SIGKILL)
    return process_file(path, long=long)


def folder_with(tmp_path: Path, bad: list[str], good: int = 6) -> Path:
    """``good`` copies of the sample and the ``bad`` files, interleaved in file order."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(good):
        (folder / f"good-{i}.txt").write_text(text, encoding="utf-8")
    for name in bad:
        (folder / name).write_text("x", encoding="utf-8")
    return folder


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def errors_of(rows: list[dict[str, str]]) -> dict[str, str]:
    return {Path(r["file"]).name: r["error_type"] for r in rows if r["status"] == "error"}


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_file_is_one_timeout_row(tmp_path: Path, jobs: int) -> None:
    folder = folder_with(tmp_path, ["hang-1.txt"])
    out = tmp_path / "data.csv"
    start = time.monotonic()
    stats = build_dataset([str(folder)], str(out), jobs=jobs, process=misbehave, timeout=3)
    assert time.monotonic() - start < 30
    rows = rows_of(out)
    assert [r["file"] for r in rows] == sorted(str(p) for p in folder.iterdir())
    assert errors_of(rows) == {"hang-1.txt": "FileTimeoutError"}
    (hung,) = [r for r in rows if r["status"] == "error"]
    assert hung["file"] in hung["error_message"] and "3 s" in hung["error_message"]
    assert "--timeout" in hung["error_message"]
    assert (stats.ok, stats.errors) == (6, 1)
    assert stats.error_types == {"FileTimeoutError": 1}
    # The timed-out file is recorded: a resumed run has nothing left to do.
    before = out.read_bytes()
    again = build_dataset([str(folder)], str(out), jobs=jobs, process=misbehave, resume=True)
    assert (again.skipped, again.total) == (7, 0)
    assert out.read_bytes() == before


@pytest.mark.slow
def test_a_file_that_allocates_without_end_is_one_memory_row(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, ["eat-1.txt", "eat-2.txt"])
    out = tmp_path / "data.jsonl"
    stats = build_dataset(
        [str(folder)], str(out), jobs=2, process=misbehave, timeout=30, max_memory=256
    )
    assert (stats.ok, stats.errors) == (6, 2)
    assert stats.error_types == {"FileMemoryError": 2}
    (_, _, message), _ = stats.failures
    assert "eat-1.txt" in message and "256 MiB" in message and "--max-memory" in message


@pytest.mark.slow
def test_a_worker_killed_by_the_system_is_a_memory_row(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, ["sigkill-1.txt"])
    out = tmp_path / "data.csv"
    stats = build_dataset([str(folder)], str(out), jobs=2, process=misbehave)
    assert errors_of(rows_of(out)) == {"sigkill-1.txt": "FileMemoryError"}
    assert "SIGKILL" in stats.failures[0][2]


@pytest.mark.slow
def test_misbehaving_files_give_the_same_output_whatever_jobs(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, ["eat-1.txt", "hang-1.txt", "sigkill-1.txt"], good=10)
    outputs = []
    for jobs in (1, 3):
        out = tmp_path / f"data-{jobs}.csv"
        build_dataset(
            [str(folder)], str(out), jobs=jobs, process=misbehave, timeout=3, max_memory=256
        )
        assert errors_of(rows_of(out)) == {
            "eat-1.txt": "FileMemoryError",
            "hang-1.txt": "FileTimeoutError",
            "sigkill-1.txt": "FileMemoryError",
        }
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_stopping_while_a_file_hangs_leaves_a_prefix_at_once(tmp_path: Path) -> None:
    """Ctrl-C (``should_stop``) does not wait for a hanging file or its timeout."""
    folder = folder_with(tmp_path, ["hang-3.txt"])
    out = tmp_path / "data.csv"
    start = time.monotonic()
    stats = build_dataset(
        [str(folder)],
        str(out),
        jobs=2,
        process=misbehave,
        timeout=600,
        should_stop=lambda: time.monotonic() - start > 2,
    )
    assert time.monotonic() - start < 10
    assert stats.interrupted
    rows = rows_of(out)
    names = [Path(r["file"]).name for r in rows]
    assert names == [f"good-{i}.txt" for i in range(6)]  # all sorted before hang-3.txt


@needs_fifo
@pytest.mark.slow
def test_parse_file_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    code = (
        "import gxnianbao\n"
        "try:\n"
        f"    gxnianbao.parse_file({str(fifo)!r})\n"
        "except gxnianbao.GxnianbaoError as e:\n"
        "    report(error=type(e).__name__, message=str(e))\n"
    )
    out = bounded(code, seconds=5, memory_mib=512)
    assert within(out, seconds=5, memory_mib=512) == []
    assert out.result is not None
    assert out.result["error"] == "UnsupportedFormatError"
    assert "pipe.txt" in str(out.result["message"])
    assert "not a regular file" in str(out.result["message"])


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_parse_file_refuses_a_device() -> None:
    with pytest.raises(UnsupportedFormatError, match="not a regular file"):
        parse_file("/dev/zero")


@needs_fifo
@pytest.mark.slow
def test_batch_over_a_folder_with_a_fifo_writes_one_row_per_file(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, [], good=2)
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe.csv")  # no supported suffix: not collected, as any other file
    named = tmp_path / "named.pdf"
    os.mkfifo(named)  # named on the command line: always taken
    out = tmp_path / "data.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "gxnianbao", "batch", str(folder), str(named), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    rows = rows_of(out)
    assert [Path(r["file"]).name for r in rows] == [
        "good-0.txt",
        "good-1.txt",
        "pipe.txt",
        "named.pdf",
    ]
    assert errors_of(rows) == {
        "pipe.txt": "UnsupportedFormatError",
        "named.pdf": "UnsupportedFormatError",
    }
    assert all("not a regular file" in r["error_message"] for r in rows[2:])


def test_cli_defaults_are_the_library_defaults() -> None:
    args = build_parser().parse_args(["batch", "x", "-o", "y.csv"])
    assert (args.timeout, args.max_memory) == (DEFAULT_TIMEOUT, DEFAULT_MAX_MEMORY)
    args = build_parser().parse_args(
        ["batch", "x", "-o", "y.csv", "--timeout", "2.5", "--max-memory", "0"]
    )
    assert (args.timeout, args.max_memory) == (2.5, 0)


def test_a_file_is_not_sent_to_a_worker_whose_pipe_broke() -> None:
    """A worker can die between two results (a crash on the file it holds): the parent's next
    send fails with a broken pipe.  The file was never sent, so it stays the parent's to hand
    out again, and the worker's death is found by its sentinel (it raised BrokenPipeError)."""
    import multiprocessing
    from collections import deque

    from gxnianbao.batch.workers import _Worker

    here, there = multiprocessing.Pipe()
    there.close()
    worker = _Worker.__new__(_Worker)
    worker.conn, worker.tasks, worker.broken, worker.started = here, deque(), False, 0.0
    worker.tasks.append((0, "crash.txt"))
    assert worker.give(1, "next.txt") is False
    assert list(worker.tasks) == [(0, "crash.txt")] and worker.broken and worker.started == 0.0
    assert worker.give(2, "later.txt") is False  # no second try on a broken pipe
    here.close()
