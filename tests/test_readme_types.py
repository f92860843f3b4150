"""The README's Python example passes ``mypy --strict`` as written.

The example is what a new user copies first; typed access (``report.as_2021()``) is only worth
showing if a strict type checker accepts it without the narrowing the plain attributes need.
The ``>>>`` examples of every ```python block are extracted in order into one module and
checked with the package of this checkout; a control module with the plain attribute chain
proves the check sees the package's types (it must fail).
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_FENCE = re.compile(r"^```python[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)

CONTROL = """\
import gxnianbao
report = gxnianbao.parse_report("")
total: int | None = report.applications.received.total
"""
"""The attribute chain the README used to show: Optional and a union, refused by mypy."""


def readme_python() -> str:
    """The source of every ``>>>`` example of the README's ```python blocks, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    sources = [
        example.source
        for block in _FENCE.finditer(text)
        for example in parser.get_examples(block["body"])
    ]
    return "".join(sources)


def test_the_extraction_finds_the_typed_example() -> None:
    source = readme_python()
    compile(source, "README.md", "exec")  # the examples form a module
    assert "report.as_2021()" in source
    assert "received: int | None = tables.applications.received.total" in source


@pytest.mark.slow
def test_readme_example_passes_mypy_strict(tmp_path: Path) -> None:
    (tmp_path / "readme_example.py").write_text(readme_python(), encoding="utf-8")
    (tmp_path / "control.py").write_text(CONTROL, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--cache-dir", os.devnull, "readme_example.py", "control.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert [e for e in errors if e.startswith("readme_example.py")] == [], proc.stdout
    control = [e for e in errors if e.startswith("control.py")]
    assert len(control) == 1 and "union-attr" in control[0], proc.stdout + proc.stderr
