"""Reports per second for ``parse_report``: the shared seeds and generated reports.

Goal: at least 1,000 reports per second on one core for a 10 KB report.  Prints numbers; it
does not pass or fail.  Run: ``python benchmarks/parse_text.py`` from the project root.

Every figure is CPU time of this process (``time.process_time``), the median of several runs,
so that a machine shared with other work gives comparable numbers; the yardstick line (CPU
time of ``sum(range(10**6))``) says how fast the machine was at the time.

Two kinds of input, because the parser caches what recurs across reports (label wordings,
cell texts, heading lines):

- *the same text again and again* (each seed, one generated report per layout): the caches
  are as warm as they can be;
- *reports never seen before*: distinct generated reports (other numbers, layouts and label
  perturbations), timed in one pass after warming up on as many others.  This is what a batch
  of real reports costs, and the honest number to hold against the goal.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import regex

import gxnianbao

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from reportgen import PERTURBATIONS, RENDERERS, Style, build_report  # noqa: E402

RUNS = 5

TOKEN = regex.compile(r"\d+(?:\.\d+)?|[^\W\d_]+|\S")
"""The yardstick of the goal: one regex pass over the text, each number, word and mark a token
(what any reader of the text must at least do)."""


def regex_pass(text: str) -> int:
    return sum(1 for _ in TOKEN.finditer(text))


def yardstick() -> float:
    """CPU milliseconds of ``sum(range(10**6))`` (median of 5): how fast the machine is now."""
    times = []
    for _ in range(5):
        t0 = time.process_time()
        sum(range(10**6))
        times.append(time.process_time() - t0)
    return statistics.median(times) * 1000


def cpu_per_call(fn: Callable[[], object], seconds: float) -> float:
    """CPU seconds per call of ``fn``: the median of ``RUNS`` runs of ~``seconds`` each."""
    fn()
    per_call = []
    for _ in range(RUNS):
        n = 0
        t0 = time.process_time()
        while (elapsed := time.process_time() - t0) < seconds / RUNS or n == 0:
            fn()
            n += 1
        per_call.append(elapsed / n)
    return statistics.median(per_call)


def generated(seed: int) -> object:
    rnd = random.Random(seed)
    values = {
        ("applications", "granted", "natural_person"): rnd.randint(0, 40),
        ("applications", "partially_granted", "commercial"): rnd.randint(0, 9),
        ("applications", "unavailable.not_held", "natural_person"): rnd.randint(0, 9),
        ("active_disclosure", "licensing", "decisions"): rnd.randint(0, 90000),
        ("review_litigation", "review", "upheld"): rnd.randint(0, 5),
    }
    return build_report("示例市东湖区教育局", 2023, None, values)


def distinct(count: int, seed: int) -> list[str]:
    """``count`` distinct rendered reports: other numbers, layouts, label perturbations."""
    rnd = random.Random(seed)
    layouts = list(RENDERERS)
    texts = []
    for i in range(count):
        report = generated(rnd.randrange(10**9))
        flags = {name: rnd.random() < 0.3 for name in PERTURBATIONS}
        style = Style(seed=rnd.randrange(2**32), **flags)
        render = RENDERERS[layouts[i % len(layouts)]]
        texts.append(render(report, style=style))  # type: ignore[arg-type]
    return texts


def unseen_cpu(texts: Sequence[str], warm: Sequence[str], **options: bool) -> float:
    """CPU seconds per report over ``texts`` parsed once each, after parsing ``warm``."""
    for text in warm:
        gxnianbao.parse_report(text, **options)
    t0 = time.process_time()
    for text in texts:
        gxnianbao.parse_report(text, **options)
    return (time.process_time() - t0) / len(texts)


def kb(text: str) -> float:
    return len(text.encode("utf-8")) / 1024


def main() -> None:
    shared = Path(os.environ.get("GXNIANBAO_SHARED", ROOT.parent / "shared"))
    print(f"yardstick: sum(range(10**6)) takes {yardstick():.1f} ms CPU on this machine now")
    print(f"\n{'input (the same text again and again)':44} {'KB':>6} {'reports/s':>10} "
          f"{'ms/report':>10} {'no recover':>11} {'x regex':>8}")  # fmt: skip
    rows: list[tuple[str, float, float, float, float]] = []
    inputs = [(f"seed {p.name}", p.read_text(encoding="utf-8"))
              for p in sorted((shared / "seeds").glob("*.txt"))]  # fmt: skip
    report = generated(1)
    inputs += [(f"generated, {layout}", render(report)) for layout, render in RENDERERS.items()]
    for name, text in inputs:
        cpu = cpu_per_call(lambda text=text: gxnianbao.parse_report(text), 1.0)
        bare = cpu_per_call(lambda text=text: gxnianbao.parse_report(text, recover=False), 0.5)
        scan = cpu_per_call(lambda text=text: regex_pass(text), 0.2)
        rows.append((name, kb(text), cpu, bare, scan))
    for name, size, cpu, bare, scan in rows:
        print(f"{name:44} {size:6.1f} {1 / cpu:10.0f} {cpu * 1000:10.2f} {bare * 1000:11.2f} "
              f"{cpu / scan:8.1f}")  # fmt: skip
    per_kb = statistics.mean(cpu * 1000 / size for _, size, cpu, *_ in rows)
    clean = statistics.median(c / k for n, k, c, *_ in rows if n.startswith("generated"))
    messy = max((c / k, n) for n, k, c, *_ in rows if n.startswith("seed"))
    print(f"the slowest real text per KB ({messy[1]}) is {messy[0] / clean:.1f}x a clean "
          f"generated one (goal: at most 3x)")  # fmt: skip
    ratio = statistics.median(cpu / scan for _, _, cpu, _, scan in rows)
    print(f"parse_report is {ratio:.1f}x one regex token pass over the same text (median; "
          f"goal: at most 2.5x)")  # fmt: skip
    print(f"mean {per_kb:.3f} ms per KB -> a 10 KB report in {10 * per_kb:.2f} ms "
          f"({1000 / (10 * per_kb):.0f} reports/s)")  # fmt: skip

    # Each timed pass is over reports no pass has seen: warm-up, 3 passes with recovery, 3
    # without, each of its own reports.
    chunk = 100
    texts = distinct(7 * chunk, seed=2)
    warm, passes = texts[:chunk], [texts[i : i + chunk] for i in range(chunk, len(texts), chunk)]
    size = statistics.mean(kb(t) for t in texts)
    scan = statistics.median(
        cpu_per_call(lambda p=p: [regex_pass(t) for t in p], 0.3) / len(p) for p in passes[:3]
    )
    cpu = statistics.median(unseen_cpu(p, warm) for p in passes[:3])
    bare = statistics.median(unseen_cpu(p, warm, recover=False) for p in passes[3:])
    print(f"\nreports never seen before (3 passes of {chunk} generated, {size:.1f} KB on average):")
    print(
        f"  {cpu * 1000:.2f} ms per report ({1 / cpu:.0f} reports/s), {cpu * 1000 / size:.3f} ms "
        f"per KB -> a 10 KB report in {10 * cpu * 1000 / size:.2f} ms "
        f"({size / (10 * cpu):.0f} reports/s); {cpu / scan:.1f}x one regex token pass "
        f"({scan * 1000:.2f} ms per report)"
    )
    print(
        f"  without recovery: {bare * 1000:.2f} ms per report, a 10 KB report in "
        f"{10 * bare * 1000 / size:.2f} ms ({size / (10 * bare):.0f} reports/s)"
    )


if __name__ == "__main__":
    main()
