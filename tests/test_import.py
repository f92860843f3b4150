"""``import gxnianbao`` is lazy: the public names load on first use, and a fresh interpreter that
only imports the package, or parses one text, never loads the batch pool, the PDF and DOCX
readers' libraries or pandas. Each check runs in a new interpreter, where ``sys.modules`` is not
already full of what other tests imported.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import gxnianbao

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"
HEAVY = ("multiprocessing", "concurrent.futures", "pdfminer", "lxml", "pandas")
"""Modules a plain ``import gxnianbao`` must not load: the batch pool, the PDF and DOCX readers'
libraries and pandas; each costs time a one-file parse of text does not need."""


def loaded_after(code: str) -> set[str]:
    """The names among :data:`HEAVY` in ``sys.modules`` after a new interpreter runs ``code``."""
    report = f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    probe = f"{code}\nimport json, sys\n{report}"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_import_loads_nothing_heavy() -> None:
    assert loaded_after("import gxnianbao") == set()


@pytest.mark.slow
def test_parse_and_validate_of_text_load_no_pool_or_file_reader() -> None:
    code = (
        "import gxnianbao\n"
        f"report = gxnianbao.parse_report(open({str(SAMPLE)!r}, encoding='utf-8').read())\n"
        "assert report.applications.received.total is not None\n"
        "gxnianbao.validate(report)\n"
    )
    assert loaded_after(code) == set()


@pytest.mark.slow
def test_cli_parse_of_one_text_file_loads_no_pool() -> None:
    """``gxnianbao parse file.txt`` through its real entry point, traced with ``-X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gxnianbao", "parse", str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    assert "gxnianbao.parse" in imported  # the trace is read correctly
    assert not {m for m in HEAVY if m in imported}


def test_type_checkers_see_the_objects_that_are_loaded() -> None:
    """The ``if TYPE_CHECKING:`` imports (what mypy and IDEs read) name, for every public name,
    a module that holds the very object the lazy loader returns."""
    tree = ast.parse(Path(gxnianbao.__file__).read_text(encoding="utf-8"))
    [guarded] = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    seen = {
        alias.name: "." * node.level + (node.module or "")
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert sorted([*seen, "__version__"]) == sorted(gxnianbao.__all__)
    for name, module in seen.items():
        home = importlib.import_module(module, "gxnianbao")
        assert getattr(home, name) is getattr(gxnianbao, name), name


def test_from_import_star_and_dir_show_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from gxnianbao import *", namespace)
    assert set(gxnianbao.__all__) <= set(namespace)
    assert set(gxnianbao.__all__) <= set(dir(gxnianbao))


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'parse_pdf'"):
        gxnianbao.parse_pdf  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(gxnianbao, "nothing_here")
