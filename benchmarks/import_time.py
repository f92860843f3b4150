"""CPU time of ``python -c "import gxnianbao"`` against ``python -c pass``, in the same run.

Goal: importing the package costs the whole process at most 3x an empty interpreter.  Prints
numbers; it does not pass or fail.  Run: ``python benchmarks/import_time.py`` from the project
root (with the package importable, as the tests run it).

Each figure is the CPU time (user + system) of a fresh child interpreter, read from
``resource.getrusage(RUSAGE_CHILDREN)``, the median of several runs; the three commands take
turns so that a machine busy with other work slows them alike.  A third line times a one-text
parse of the shipped sample, what ``gxnianbao parse report.txt`` pays at least.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"
RUNS = 15

COMMANDS = {
    "python -c pass": "pass",
    'python -c "import gxnianbao"': "import gxnianbao",
    "import attrs, regex (the floor)": "import attrs, regex",
    "import + parse_report(sample)": (
        f"import gxnianbao; gxnianbao.parse_report(open({str(SAMPLE)!r}, encoding='utf-8').read())"
    ),
    "gxnianbao parse sample": (
        f"import sys; sys.argv = ['gxnianbao', 'parse', {str(SAMPLE)!r}, '--format', 'json']; "
        "import io, contextlib; from gxnianbao.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass"
    ),
}
"""The floor: the two libraries every parse needs, imported and nothing else (``attrs``
builds the record classes, ``regex`` compiles the patterns; both are dependencies)."""

# Children read compiled bytecode, as an installed package does, even where the environment
# says not to write it (PYTHONDONTWRITEBYTECODE): a private cache folder, filled by a first
# run of each command that is not timed.
_CACHE = tempfile.mkdtemp(prefix="gxnianbao-pycache-")
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_ENV["PYTHONPYCACHEPREFIX"] = _CACHE


def child_cpu(code: str) -> float:
    """CPU seconds (user + system) of one new interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True, env=_ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    times: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for code in COMMANDS.values():
        child_cpu(code)  # fills the bytecode cache
    for _ in range(RUNS):
        for label, code in COMMANDS.items():
            times[label].append(child_cpu(code))
    medians = {label: statistics.median(values) for label, values in times.items()}
    empty = medians["python -c pass"]
    print(f"CPU time of a fresh interpreter, median of {RUNS} runs ({sys.executable}):")
    for label, median in medians.items():
        print(f"  {label:32} {median * 1000:7.1f} ms   {median / empty:4.1f}x python -c pass")
    imported = medians['python -c "import gxnianbao"']
    cli = medians["gxnianbao parse sample"]
    print(
        f"goals: import at most 3x python -c pass ({imported / empty:.1f}x); a one-file parse at "
        f"most 2x the import ({cli / imported:.1f}x; the floor alone is "
        f"{medians['import attrs, regex (the floor)'] / imported:.1f}x)"
    )


if __name__ == "__main__":
    main()
