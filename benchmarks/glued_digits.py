"""Time per table of recovering glued digit runs, typical and adversarial, against a yardstick.

Each case binds one table from tab rows whose chosen rows have their numbers glued into one
digit run (as a flattened page writes them), then times ``recover_table`` on it and prints the
evaluations it used of its budget.  The yardstick, measured in the same run, is one ``regex``
pass finding the digit runs of the report text the table is cut from: a ratio, not seconds, is
what compares across machines.  Prints numbers; it does not pass or fail.

    PYTHONPATH=. python benchmarks/glued_digits.py
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from reportgen import GenReport, build_report, render_tab_rows, seeded_report  # noqa: E402
from test_glued_digits import _APP_ROWS, _long_run, glued_table  # noqa: E402

from gxnianbao.bind.table import BoundTable  # noqa: E402
from gxnianbao.recover import DEFAULT_SETTINGS, RecoverySettings, recover_table  # noqa: E402
from gxnianbao.templates.identities import equations  # noqa: E402

_RUNS = regex.compile(r"[0-9]+")
SMALL = build_report(
    "某区",
    2022,
    Decimal(0),
    {
        ("applications", "granted", "natural_person"): 3,
        ("applications", "granted", "commercial"): 1,
        ("applications", "carried_forward", "natural_person"): 2,
    },
)
TYPICAL = seeded_report(11, "某局")


def _random_runs(rows: list[str], low: int, high: int) -> Callable[[BoundTable], None]:
    def damage(bound: BoundTable) -> None:
        rng = random.Random(7)
        for row in rows:
            digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(low, high)))
            _long_run(bound, row, digits.lstrip("0") or "0")

    return damage


T2_ROWS = ["regulations", "licensing"]
Case = tuple[GenReport, str, list[str], bool, Callable[[BoundTable], None] | None]
CASES: dict[str, Case] = {
    "t3: one row glued (typical numbers)": (TYPICAL, "applications", ["received"], False, None),
    "t3: 一 and 总计 glued": (TYPICAL, "applications", ["received", "total"], False, None),
    "t3: every row glued (mostly zeros)": (SMALL, "applications", _APP_ROWS, False, None),
    "t3: every row glued (typical numbers)": (TYPICAL, "applications", _APP_ROWS, False, None),
    "t4: one run of 15 cells": (TYPICAL, "review_litigation", [], False, None),
    "t4: three runs of 5 cells": (TYPICAL, "review_litigation", [], True, None),
    "t2: 规章 and 行政许可 glued": (TYPICAL, "active_disclosure", T2_ROWS, False, None),
    "adversarial: '1' * 400": (SMALL, "applications", ["received"], False,
                               lambda b: _long_run(b, "received", "1" * 400)),
    "adversarial: 2,000 digits": (SMALL, "applications", ["received"], False,
                                  lambda b: _long_run(b, "received", "7" * 2000)),
    "adversarial: t3, every row 8-30 random digits": (SMALL, "applications", _APP_ROWS, False,
                                                      _random_runs(_APP_ROWS, 8, 30)),
    "adversarial: t4, 84 random digits": (SMALL, "review_litigation", [], False,
                                          _random_runs([None], 84, 84)),  # type: ignore[list-item]
}  # fmt: skip


WHOLE = (
    "t3: every row glued (typical numbers)",
    "t4: one run of 15 cells",
    "adversarial: t3, every row 8-30 random digits",
)
"""Cases measured again with ``RecoverySettings(glued_blanks=False)`` (every cell written)."""


def measure(
    case: Case, settings: RecoverySettings = DEFAULT_SETTINGS, repeat: int = 3
) -> tuple[float, float, int, int, int]:
    """Best seconds of recovery and of the yardstick, evaluations used, cells known, and
    cells known with another value than the report's (which must stay 0; meaningless for the
    adversarial cases, whose runs replace the report's numbers)."""
    r, table, rows, groups, damage = case
    best, yard = float("inf"), float("inf")
    used = known = wrong = 0
    text = render_tab_rows(r)
    for _ in range(repeat):
        bound, _ = glued_table(r, table, rows, groups)
        if damage is not None:
            damage(bound)
        t0 = time.perf_counter()
        result = recover_table(bound, equations(r.template), settings)
        best = min(best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        sum(1 for _ in _RUNS.finditer(text))
        yard = min(yard, time.perf_counter() - t0)
        used = result.evaluations
        sure = [c for c in bound.cells.values() if c.status.value in ("reported", "inferred")]
        known = len(sure)
        wrong = sum(1 for c in sure if c.value != r.cells[(c.table, c.row, c.column)])
    return best, yard, used, known, wrong


def main() -> None:
    budget = RecoverySettings().budget
    print(
        f"{'case':48} {'ms':>8} {'× regex':>9} {'budget used':>17} {'cells known':>12} {'wrong':>5}"
    )
    whole = RecoverySettings(glued_blanks=False)
    runs = [(name, case, RecoverySettings()) for name, case in CASES.items()]
    runs += [(f"{name}, no blanks", CASES[name], whole) for name in WHOLE]
    for name, case, settings in runs:
        seconds, yard, used, known, wrong = measure(case, settings)
        cells = sum(len(r.columns) for r in glued_table(case[0], case[1], case[2])[0].spec.rows)
        print(
            f"{name:48} {seconds * 1e3:8.2f} {seconds / yard:9.0f} "
            f"{used:>8} of {budget:<6} {known:>5} of {cells:<4} "
            + (f"{wrong:>5}" if case[4] is None else "    -")  # (damaged: no truth to hold)
        )


if __name__ == "__main__":
    main()
