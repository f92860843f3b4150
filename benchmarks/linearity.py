"""Time per KB of ``parse_report`` on adversarial inputs of growing size.

Linear time means the last column stays roughly flat as the input grows tenfold; a pattern
that backtracks badly shows up as a column that grows with the size.  Prints numbers; it does
not pass or fail.
"""

from __future__ import annotations

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


def main() -> None:
    sizes = (10_000, 100_000, 1_000_000)
    print(f"{'input':34} " + " ".join(f"{s // 1000:>9} KB" for s in sizes) + "   (µs per KB)")
    for name, make in CASES.items():
        per_kb = [seconds(make(size)) / (size / 1000) * 1e6 for size in sizes]
        print(f"{name:34} " + " ".join(f"{v:12.1f}" for v in per_kb))


if __name__ == "__main__":
    main()
