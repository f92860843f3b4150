"""The parser now against an earlier commit, on reports neither has seen: instructions and time.

Run: ``python benchmarks/before_after.py REV`` from the project root (``REV``: any commit, say
the one before a change).  Prints numbers; it does not pass or fail.

Why instructions: on a shared or virtual machine, CPU time of the same work varies by ±10 %
from run to run, more than most changes move it.  The count of machine instructions executed
(measured by valgrind's callgrind when installed, ``PYTHONHASHSEED=0``) is the same on every
run, so it tells a 2 % change apart; the CPU time of both, interleaved run by run, is printed
beside it as the check that instructions did not hide a cost (say, memory traffic).

Each side parses 100 distinct generated reports (today's four text layouts, perturbations as
in ``parse_text.py``) after warming up on 100 others; a figure is per report.  The earlier
commit's package is taken with ``git archive`` into a temporary folder and imported from
there: no checkout changes.
"""

from __future__ import annotations

import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT = 100
RUNS = 9

_CHILD = r"""
import pickle, sys, time
sys.path.insert(0, sys.argv[1])
import gxnianbao
assert gxnianbao.__file__.startswith(sys.argv[1]), gxnianbao.__file__
texts = pickle.load(open(sys.argv[2], "rb"))
for t in texts["warm"]:
    gxnianbao.parse_report(t)
if sys.argv[3] == "full":
    t0 = time.process_time()
    for t in texts["unseen"]:
        gxnianbao.parse_report(t)
    print((time.process_time() - t0) / len(texts["unseen"]) * 1000)
"""


def _texts(path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from parse_text import distinct

    with path.open("wb") as f:
        pickle.dump({"warm": distinct(COUNT, 1), "unseen": distinct(COUNT, 2)}, f)


def _run(
    package_root: Path, texts: Path, mode: str, *prefix: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    # (the project's own editable install must not win over the folder given)
    cmd = [*prefix, sys.executable, "-S", "-c", _CHILD, str(package_root), str(texts), mode]
    return subprocess.run(
        cmd, capture_output=True, text=True, check=True, env=env, cwd=package_root
    )


def _instructions(package_root: Path, texts: Path) -> float:
    """Instructions per unseen report: a run with them less a run without (callgrind)."""
    counts = []
    for mode in ("warm", "full"):
        done = _run(
            package_root,
            texts,
            mode,
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
        )
        line = next(x for x in done.stderr.splitlines() if "Collected" in x)
        counts.append(int(line.split()[-1]))
    return (counts[1] - counts[0]) / COUNT


def _site_packages() -> list[str]:
    """Where attrs and regex are installed (``-S`` leaves out site-packages, and with it the
    editable install of this checkout)."""
    import attrs
    import regex

    return sorted({str(Path(m.__file__).resolve().parent.parent) for m in (attrs, regex)})


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python benchmarks/before_after.py REV")
    rev = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        before, now = base / "before", base / "now"
        for folder in (before, now):
            folder.mkdir()
        archive = subprocess.run(
            ["git", "archive", rev, "gxnianbao"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        shutil.copytree(ROOT / "gxnianbao", now / "gxnianbao")
        paths = os.pathsep.join(_site_packages())
        os.environ["PYTHONPATH"] = paths
        texts = base / "texts.pkl"
        _texts(texts)
        print(f"{COUNT} unseen generated reports after {COUNT} others; per report")
        if shutil.which("valgrind"):
            ir = {
                name: _instructions(folder, texts)
                for name, folder in (("before", before), ("now", now))
            }
            before_ir, now_ir = ir["before"] / 1e6, ir["now"] / 1e6
            print(
                f"instructions: before ({rev}) {before_ir:.2f} M, now {now_ir:.2f} M"
                f" ({now_ir / before_ir - 1:+.1%})"
            )
        else:
            print("instructions: valgrind is not installed (apt-get install valgrind)")
        cpu: dict[str, list[float]] = {"before": [], "now": []}
        for i in range(RUNS):  # interleaved, each side first in turn
            order = (
                [("before", before), ("now", now)] if i % 2 else [("now", now), ("before", before)]
            )
            for name, folder in order:
                cpu[name].append(float(_run(folder, texts, "full").stdout))
        b, n = cpu["before"], cpu["now"]
        mb, mn = statistics.median(b), statistics.median(n)
        print(
            f"CPU ms: before min {min(b):.2f} median {mb:.2f}; now min {min(n):.2f} median"
            f" {mn:.2f} (median ratio {mn / mb:.3f}, {RUNS} interleaved runs each)"
        )


if __name__ == "__main__":
    main()
