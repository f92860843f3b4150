"""Time per KB of ``parse_report`` on adversarial inputs of growing size, and what a 1 MB one
costs in time and memory.

Linear time means the per-KB columns stay roughly flat as the input grows tenfold; a pattern
that backtracks badly shows up as a column that grows with the size.  The second table parses
each 1 MB input in a fresh process and prints its CPU time and peak memory (the process's peak
resident size, and what the parse itself allocated at most, from ``tracemalloc``) against the
goal: at most 1 s and 100 MiB.  Prints numbers; it does not pass or fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable

import gxnianbao

HEAD = "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、行政复议、行政诉讼情况\n"

CASES: dict[str, Callable[[int], str]] = {
    "one long line of digits": lambda n: "1" * n,
    "digits and spaces": lambda n: "2022 " * (n // 5),
    "fee sentence without a full stop": lambda n: (
        "六、其他需要报告的事项\n" + "收取信息处理费" * (n // 7)
    ),
    "long line in a table": lambda n: HEAD + "\t" + "规章0" * (n // 3),
    "many tab fields": lambda n: HEAD + "规章" + "\t0" * (n // 2),
    "many one-cell lines": lambda n: HEAD + "\t0\n" * (n // 3),
    "many headings": lambda n: "二、主动公开政府信息情况\n" * (n // 13),
    "nested brackets": lambda n: HEAD + "（" * (n // 2) + "）" * (n // 2),
    "bookmark artefacts": lambda n: HEAD + "[bookmark: _GoBack]" * (n // 19),
    "pipes": lambda n: HEAD + "|" * n,
    "cjk text": lambda n: "政府信息公开工作年度报告" * (n // 12),
}


def seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        gxnianbao.parse_report(text)
        best = min(best, time.perf_counter() - t0)
    return best


_CHILD = """
import importlib.util, json, resource, sys, time, tracemalloc
# loaded by path: the child runs with nothing of benchmarks/ on sys.path (a file there named
# like a standard module would hide it)
spec = importlib.util.spec_from_file_location("linearity", {here!r})
linearity = importlib.util.module_from_spec(spec)
spec.loader.exec_module(linearity)
CASES = linearity.CASES
import gxnianbao
gxnianbao.parse_report("warm up")
text = CASES[{name!r}](1_000_000)
t0 = time.process_time()
gxnianbao.parse_report(text)
cpu = time.process_time() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # before tracemalloc's own
tracemalloc.start()
gxnianbao.parse_report(text)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps([cpu, peak, rss]))
"""


def megabyte(name: str) -> tuple[float, float, float]:
    """CPU seconds, MiB allocated at most by the parse, MiB peak resident of the process."""
    from pathlib import Path

    code = _CHILD.format(here=str(Path(__file__).resolve()), name=name)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    cpu, peak, rss = json.loads(out.stdout)
    return cpu, peak / 2**20, rss / 2**20


def main() -> None:
    print(f"{'a 1 MB input, fresh process':34} {'CPU s':>7} {'parse MiB':>10} {'peak RSS':>9}")
    for name in CASES:
        cpu, peak, rss = megabyte(name)
        print(f"{name:34} {cpu:7.2f} {peak:10.1f} {rss:9.1f}")
    print("goal: at most 1 s and 100 MiB (the peak RSS includes the interpreter and libraries)\n")
    sizes = (10_000, 100_000, 1_000_000)
    print(f"{'input':34} " + " ".join(f"{s // 1000:>9} KB" for s in sizes) + "   (µs per KB)")
    for name, make in CASES.items():
        per_kb = [seconds(make(size)) / (size / 1000) * 1e6 for size in sizes]
        print(f"{name:34} " + " ".join(f"{v:12.1f}" for v in per_kb))


if __name__ == "__main__":
    main()
