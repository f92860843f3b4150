"""``gxnianbao batch`` throughput and memory: reports/second with --jobs 1 and 2, peak RSS.

Why: a researcher's folder holds thousands of reports; the batch must scale with the cores it
is given (goal: >= 1.8x from 1 to 2 jobs) and its memory must not grow with the number of files
(rows are streamed to the output in order, nothing is kept per file).

Run: ``python benchmarks/batch.py [--files 2000] [--jobs 1 2] [--format csv]``.  Generates the
reports (from ``tests/reportgen.py``, all four text layouts) in a temporary folder, runs the real
command in a fresh process per configuration and prints numbers; it asserts nothing.  Peak RSS
is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper process, i.e. the largest process of
the run (the parent or one worker).  Start-up (importing gxnianbao, about a second) is measured
on an empty folder and reported separately.  On a shared machine (other users, CPU steal in a
VM) two CPUs do not do twice the work of one, so the benchmark also measures that ceiling: the
speed-up of independent parsing processes, which no parallel batch can beat there.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import reportgen as rg  # noqa: E402


def report_text(seed: int) -> str:
    """One generated 2021-template report, in a layout chosen by the seed."""
    report = rg.seeded_report(seed, f"测试市第{seed}区人民政府办公室")
    return rg.render(rg.LAYOUTS[seed % len(rg.LAYOUTS)], report)


def make_folder(folder: Path, n: int) -> None:
    for i in range(n):
        sub = folder / f"{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"report-{i:05d}.txt").write_text(report_text(i), encoding="utf-8")


_WRAPPER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": proc.returncode, "wall": wall, "maxrss_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime, "stderr": proc.stderr.decode()[-400:]}))
"""


def run_batch(folder: Path, out: Path, jobs: int) -> dict[str, float]:
    """The command in a fresh wrapper process, so that each run's peak RSS is its own."""
    cmd = [sys.executable, "-m", "gxnianbao", "batch", str(folder), "-o", str(out)]
    cmd += ["--jobs", str(jobs), "--quiet"]
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(proc.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"batch failed: {result['stderr']}")
    return result


_CALIBRATE = """
import sys, time
sys.path.insert(0, sys.argv[1])
import gxnianbao
from batch import report_text
texts = [report_text(i) for i in range(20)]
for t in texts[:5]:
    gxnianbao.parse_report(t)
start = time.perf_counter()
for i in range(int(sys.argv[2])):
    gxnianbao.validate(gxnianbao.parse_report(texts[i % 20]))
print(time.perf_counter() - start)
"""


def machine_ceiling(jobs: int, n: int = 150) -> float:
    """How much faster ``jobs`` independent processes parse than one, on this machine now.

    Why: on a shared or oversubscribed machine (other users, CPU steal in a VM) two CPUs do
    not give twice the work; this is the ceiling any parallel batch can reach here.
    """

    def wall(k: int) -> float:
        here = str(Path(__file__).resolve().parent)
        t0 = time.perf_counter()
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _CALIBRATE, here, str(n)], stdout=subprocess.DEVNULL
            )
            for _ in range(k)
        ]
        for p in procs:
            p.wait()
        return time.perf_counter() - t0

    one = wall(1)
    return jobs * one / wall(jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--format", choices=("csv", "jsonl", "parquet"), default="csv")
    parser.add_argument(
        "--memory-files",
        type=int,
        default=500,
        help="also run the largest --jobs on this many files, to compare peak RSS",
    )
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="gxnianbao-bench-") as tmp:
        base = Path(tmp)
        t0 = time.perf_counter()
        make_folder(base / "reports", args.files)
        print(f"generated {args.files} reports in {time.perf_counter() - t0:.1f} s")
        (base / "empty").mkdir()
        startup = run_batch(base / "empty", base / f"empty.{args.format}", 1)["wall"]
        print(f"start-up (empty folder): {startup:.2f} s")
        rates: dict[int, float] = {}
        for jobs in args.jobs:
            out = base / f"out-{jobs}.{args.format}"
            r = run_batch(base / "reports", out, jobs)
            work = max(r["wall"] - startup, 1e-9)
            rates[jobs] = args.files / work
            print(
                f"--jobs {jobs}: {r['wall']:6.1f} s wall, {args.files / r['wall']:6.1f} reports/s "
                f"({rates[jobs]:6.1f} reports/s without start-up), "
                f"CPU {r['cpu']:.1f} s ({args.files / r['cpu']:.1f} reports per CPU-second, "
                f"{r['cpu'] / r['wall']:.2f} CPUs busy on average), "
                f"peak RSS {r['maxrss_kb'] / 1024:.0f} MiB, "
                f"output {out.stat().st_size >> 10} KiB"
            )
        if len(rates) > 1:
            lo, hi = min(rates), max(rates)
            print(f"scaling --jobs {lo} -> {hi}: {rates[hi] / rates[lo]:.2f}x")
            ceiling = machine_ceiling(hi) / machine_ceiling(lo) if lo > 1 else machine_ceiling(hi)
            print(
                f"machine ceiling now: {hi} independent parsing processes do {ceiling:.2f}x "
                f"the work of {lo} (includes their start-up)"
            )
            print(f"load average now {os.getloadavg()[0]:.1f} (other processes share the CPUs)")
        if args.memory_files and args.memory_files < args.files:
            small = base / "small"
            make_folder(small, args.memory_files)
            jobs = max(args.jobs)
            r = run_batch(small, base / f"small.{args.format}", jobs)
            print(
                f"memory: --jobs {jobs} peak RSS {r['maxrss_kb'] / 1024:.0f} MiB for "
                f"{args.memory_files} files (see above for {args.files})"
            )


if __name__ == "__main__":
    main()
