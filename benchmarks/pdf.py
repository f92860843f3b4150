"""PDF engines, end to end: ``parse_file`` with PDFium (the default) and with pdfminer.six,
against pdfminer's ``extract_text`` on the same file, measured in the same run.

Goal (issue 13): PDFium at least 4x faster than pdfminer end to end, and at most 60 MiB for
the 6-page real report.  For each PDF fixture that is a report and the shared corpus PDF it
prints the median CPU milliseconds of each (the three are run in turn, round after round, so
that a busy machine slows them alike), the ratios, and the memory of a fresh process parsing
the file: its peak resident size, and what it grew by during the parse (the libraries were
imported before; PDFium allocates in C++, out of ``tracemalloc``'s sight, so the resident size
is measured).
Prints numbers; it does not pass or fail.  Run: ``python benchmarks/pdf.py [ROUNDS]`` from the
project root.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GXNIANBAO_SHARED", ROOT.parent / "shared")).resolve()
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"

MEMORY_CHILD = """
import json, resource, sys
import gxnianbao, pdfminer.pdfdocument, pypdfium2
from gxnianbao.read.pdf import read_pdf

def peak_mib():
    # the high-water mark of this process's memory since exec (ru_maxrss is inherited from
    # the parent on Linux, so /proc is read where it exists)
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

path, engine = sys.argv[1], sys.argv[2]
before = peak_mib()
gxnianbao.parse_file(path, engine=engine)
print(json.dumps({"before": before, "after": peak_mib()}))
"""


def files() -> list[Path]:
    out = sorted(p for p in FIXTURES.glob("*.pdf") if p.with_suffix(".expected.json").exists())
    corpus = SHARED / "corpus" / "huaian-2024.pdf"
    if corpus.exists():
        out.append(corpus)
    return out


def medians(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median CPU milliseconds of each function, run in turn ``rounds`` times (after one
    warm-up call each)."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = time.process_time()
            fn()
            times[name].append((time.process_time() - t0) * 1000)
    return {name: statistics.median(ts) for name, ts in times.items()}


def memory(path: Path, engine: str) -> tuple[float, float]:
    """A fresh process parsing ``path``: its peak resident MiB, and the MiB it grew by during
    the parse (the libraries imported before)."""
    code = MEMORY_CHILD
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), engine],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    data = json.loads(out.stdout)
    return data["after"], data["after"] - data["before"]


def main() -> None:
    from pdfminer.high_level import extract_text

    import gxnianbao
    from gxnianbao.read.files import read_document

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(
        f"median CPU ms over {rounds} rounds; memory (a fresh process parsing the file): "
        "peak resident MiB / MiB grown during the parse"
    )
    head = (
        f"{'file':<24} {'pages':>5} {'pdfium':>8} {'pdfminer':>9} {'extract':>8} "
        f"{'speed-up':>8} {'vs extract':>10} {'MiB pdfium':>12} {'MiB pdfminer':>12}"
    )
    print(head)
    speedups = []
    for path in files():
        doc = read_document(path)
        pages = getattr(doc, "pages", 0)
        ms = medians(
            {
                "pdfium": lambda p=path: gxnianbao.parse_file(p, engine="pdfium"),
                "pdfminer": lambda p=path: gxnianbao.parse_file(p, engine="pdfminer"),
                "extract": lambda p=path: extract_text(str(p)),
            },
            rounds,
        )
        speedup = ms["pdfminer"] / ms["pdfium"]
        speedups.append(speedup)
        print(
            f"{path.name[:24]:<24} {pages:>5} {ms['pdfium']:>8.1f} {ms['pdfminer']:>9.1f} "
            f"{ms['extract']:>8.1f} {speedup:>7.1f}x {ms['extract'] / ms['pdfium']:>9.1f}x "
            f"{_mib(memory(path, 'pdfium')):>12} {_mib(memory(path, 'pdfminer')):>12}"
        )
    print(
        f"speed-up of PDFium over pdfminer, end to end: median {statistics.median(speedups):.1f}x "
        f"(goal >= 4x); 'vs extract': pdfminer's extract_text time over PDFium's parse_file"
    )


def _mib(m: tuple[float, float]) -> str:
    return f"{m[0]:.0f} / {m[1]:.1f}"


if __name__ == "__main__":
    main()
