"""What ``validate`` adds to ``parse_report``: parse time against parse + validate time.

Goal: validation adds at most 20% to the time of parsing a typical report.  Prints numbers for
the shared seeds and for generated reports in every layout; it does not pass or fail.
Run: ``python benchmarks/validate.py`` from the project root.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import gxnianbao

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from reportgen import RENDERERS, build_report  # noqa: E402


def per_call(fn: Callable[[], object], seconds: float, runs: int = 5) -> float:
    """Seconds per call: CPU time, the best of ``runs`` runs of ``seconds / runs`` each (the
    best run is the one least disturbed by other processes)."""
    fn()
    best = float("inf")
    for _ in range(runs):
        n = 0
        t0 = time.process_time()
        while (elapsed := time.process_time() - t0) < seconds / runs:
            fn()
            n += 1
        best = min(best, elapsed / n)
    return best


def generated_text(layout: str, seed: int) -> str:
    rnd = random.Random(seed)
    values = {
        ("applications", "granted", "natural_person"): rnd.randint(0, 40),
        ("applications", "partially_granted", "commercial"): rnd.randint(0, 9),
        ("applications", "unavailable.not_held", "natural_person"): rnd.randint(0, 9),
        ("applications", "carried_forward", "natural_person"): rnd.randint(0, 5),
        ("active_disclosure", "licensing", "decisions"): rnd.randint(0, 90000),
        ("review_litigation", "review", "upheld"): rnd.randint(0, 5),
    }
    report = build_report("示例市东湖区教育局", 2023, None, values)
    return RENDERERS[layout](report)  # type: ignore[operator]


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
    shared = Path(os.environ.get("GXNIANBAO_SHARED", ROOT.parent / "shared"))
    inputs = [(f"seed {p.name}", p.read_text(encoding="utf-8"))
              for p in sorted((shared / "seeds").glob("*.txt"))]  # fmt: skip
    inputs += [(f"generated, {layout}", generated_text(layout, 1)) for layout in RENDERERS]
    print(
        f"{'input':36} {'parse ms':>9} {'validate ms':>12} {'both ms':>8} "
        f"{'added':>7} {'both/parse':>11}"
    )
    added: list[float] = []
    for name, text in inputs:
        report = gxnianbao.parse_report(text)
        parse = per_call(lambda text=text: gxnianbao.parse_report(text), seconds)  # type: ignore[misc]
        alone = per_call(lambda report=report: gxnianbao.validate(report), seconds)  # type: ignore[misc]
        both = per_call(
            lambda text=text: gxnianbao.validate(gxnianbao.parse_report(text)),  # type: ignore[misc]
            seconds,
        )
        added.append(alone / parse)
        print(
            f"{name:36} {parse * 1e3:9.2f} {alone * 1e3:12.3f} {both * 1e3:8.2f} "
            f"{alone / parse:7.1%} {both / parse:11.3f}"
        )
    added.sort()
    print(
        f"\nvalidate adds {added[len(added) // 2]:.1%} to parse_report (median; most "
        f"{added[-1]:.1%}); goal: at most 20%"
    )
    print("'added' is validate's own time over parse time; 'both/parse' is noisier.")


if __name__ == "__main__":
    main()
