"""Reports per second for ``parse_report``: the shared seeds and generated 10 KB reports.

Goal: at least 1,000 reports per second on one core for a 10 KB report.  Prints numbers; it
does not pass or fail.  Run: ``python benchmarks/parse_text.py`` from the project root.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import gxnianbao

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from reportgen import RENDERERS, build_report  # noqa: E402


def rate(text: str, seconds: float = 1.0) -> tuple[float, float]:
    """Reports per second (CPU time, best of three runs of ~``seconds``) and KB."""
    gxnianbao.parse_report(text)
    best = 0.0
    for _ in range(3):
        n = 0
        t0 = time.process_time()
        while time.process_time() - t0 < seconds / 3:
            gxnianbao.parse_report(text)
            n += 1
        best = max(best, n / (time.process_time() - t0))
    return best, len(text.encode("utf-8")) / 1024


def generated(seed: int) -> gxnianbao.Report | object:
    rnd = random.Random(seed)
    values = {
        ("applications", "granted", "natural_person"): rnd.randint(0, 40),
        ("applications", "partially_granted", "commercial"): rnd.randint(0, 9),
        ("applications", "unavailable.not_held", "natural_person"): rnd.randint(0, 9),
        ("active_disclosure", "licensing", "decisions"): rnd.randint(0, 90000),
        ("review_litigation", "review", "upheld"): rnd.randint(0, 5),
    }
    return build_report("示例市东湖区教育局", 2023, None, values)


def main() -> None:
    shared = Path(os.environ.get("GXNIANBAO_SHARED", ROOT.parent / "shared"))
    print(f"{'input':44} {'KB':>6} {'reports/s':>10} {'ms/report':>10}")
    rows: list[tuple[str, float, float]] = []
    for path in sorted((shared / "seeds").glob("*.txt")):
        per_s, kb = rate(path.read_text(encoding="utf-8"))
        rows.append((f"seed {path.name}", kb, per_s))
    report = generated(1)
    for layout, render in RENDERERS.items():
        per_s, kb = rate(render(report))  # type: ignore[arg-type]
        rows.append((f"generated, {layout}", kb, per_s))
    for name, kb, per_s in rows:
        print(f"{name:44} {kb:6.1f} {per_s:10.0f} {1000 / per_s:10.2f}")
    per_kb = sum(1000 / p / kb for _, kb, p in rows) / len(rows)
    print(f"\nmean {per_kb:.3f} ms per KB -> a 10 KB report in {10 * per_kb:.2f} ms "
          f"({1000 / (10 * per_kb):.0f} reports/s)")


if __name__ == "__main__":
    main()
