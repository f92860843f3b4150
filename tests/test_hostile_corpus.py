"""The hostile corpus of issue 16: every file ends in bounded time and memory, typed.

Why: a batch of files from the open web holds bombs, floods and traps.  Each must end within
5 s and 512 MiB with a ``gxnianbao`` error or a parse (never another exception, a hang or a
crash), and ``gxnianbao batch`` over all of them must write one row per file and finish.
The files are made by ``tests/hostile.py``; each runs in a child (``tests/bounded.py``).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from bounded import bounded, within
from hostile import CASES, FIXTURES, SECRET, make_corpus

import gxnianbao
from gxnianbao.limits import Limits

SECONDS = 5
MEMORY_MIB = 512
_BUDGETS = [field.name for field in attrs.fields(Limits)]
"""What a DocumentTooLargeError's message must name: the budget that ran out."""

_UNDER_WAY: dict[str, str] = {
    # case name -> a budget still being built elsewhere (none now)
}
_BUGS: dict[str, str] = {
    # case name -> an untyped error found here, not yet fixed (none now)
}


def _marks(name: str) -> list[pytest.MarkDecorator]:
    if name in _UNDER_WAY:
        return [pytest.mark.xfail(strict=False, reason=f"budget under way: {_UNDER_WAY[name]}")]
    if name in _BUGS:
        return [pytest.mark.xfail(strict=True, reason=f"bug: {_BUGS[name]}")]
    return []


_CHILD = """
import json
import gxnianbao
path = {path!r}
try:
    r = gxnianbao.parse_file(path)
except gxnianbao.GxnianbaoError as e:
    report(outcome=type(e).__name__, message=str(e), leaked={secret!r} in str(e))
except BaseException as e:
    report(outcome="untyped", error=type(e).__name__, message=str(e)[:500])
else:
    text = json.dumps(r.to_dict(), ensure_ascii=False)
    report(outcome="parse", issuer=r.meta.issuer, cells=sum(1 for c in r.cells()
           if str(c.status) == "reported"), leaked={secret!r} in text)
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param(name, marks=_marks(name)) for name in CASES])
def test_hostile_file_ends_typed_within_bounds(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = case.build(tmp_path)
    out = bounded(
        _CHILD.format(path=str(path), secret=SECRET), seconds=SECONDS, memory_mib=MEMORY_MIB
    )
    assert not within(out, seconds=SECONDS, memory_mib=MEMORY_MIB), (out.result, out.stderr[-800:])
    assert out.result is not None
    assert out.result["outcome"] != "untyped", out.result
    assert case.accepts(str(out.result["outcome"])), out.result
    assert not out.result["leaked"], "a local file's content came back"
    if case.reference is not None:
        expected = gxnianbao.parse_report(case.reference())
        reported = sum(1 for c in expected.cells() if str(c.status) == "reported")
        assert (out.result["issuer"], out.result["cells"]) == (expected.meta.issuer, reported)
    if out.result["outcome"] == "DocumentTooLargeError":
        named = [budget for budget in _BUDGETS if budget in str(out.result["message"])]
        assert named, f"the message names no budget: {out.result['message']}"


def test_corpus_is_small_and_every_case_documented(tmp_path: Path) -> None:
    """One file per case, none over the issue's sizes, each builder saying what it attacks."""
    paths = make_corpus(tmp_path)
    assert len(paths) == len(set(paths)) == len(CASES)
    for case, path in zip(CASES.values(), paths, strict=True):
        assert case.build.__doc__ and len(case.build.__doc__) > 30, case
        assert path.parent == tmp_path
        if path.is_file():
            assert path.stat().st_size <= 46_000_000, path
    assert (tmp_path / "pipe.txt").is_fifo()


# --- batch over the whole corpus ------------------------------------------------------------

_GOOD = [
    FIXTURES / "word_cells.txt",
    FIXTURES / "pdf" / "basic-small.pdf",
    FIXTURES / "docx" / "libreoffice-plain-2022.docx",
    FIXTURES / "html" / "cms_article.html",
]
_BATCH_SECONDS = 180


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}


def _cap_memory() -> None:  # pragma: no cover - runs in the child
    """Each process of the batch may map at most 3 GiB: a runaway file fails instead of
    swapping a shared machine (workers inherit the limit, one each)."""
    limit = 3 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.slow
def test_batch_over_the_corpus_writes_one_row_per_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    paths = make_corpus(folder)
    for good in _GOOD:
        shutil.copy(good, folder / f"good-{good.name}")
    expected = {p.name for p in paths} | {f"good-{g.name}" for g in _GOOD}
    output = tmp_path / "out.jsonl"
    command = [
        sys.executable,
        "-m",
        "gxnianbao",
        "batch",
        str(folder),
        "-o",
        str(output),
        "--jobs",
        "2",
        "--quiet",
        "--timeout",
        str(2 * SECONDS),
    ]
    child = subprocess.Popen(
        command,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_cap_memory,
        start_new_session=True,
    )
    try:
        _, err = child.communicate(timeout=_BATCH_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"batch still running after {_BATCH_SECONDS} s")
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines() if line]
    names = [Path(row["file"]).name for row in rows]
    assert sorted(names) == sorted(expected), err.decode("utf-8", "replace")[-2000:]
    good = [row for row, name in zip(rows, names, strict=True) if name.startswith("good-")]
    assert all(row["status"] == "ok" for row in good), good
    untyped = [
        (name, row["error_type"])
        for row, name in zip(rows, names, strict=True)
        if row["error_type"] and not _typed(str(row["error_type"]))
    ]
    assert not untyped, untyped


def _typed(error_type: str) -> bool:
    """A library error's class name, or one of batch's own (a worker killed: timeout, memory)."""
    error = getattr(gxnianbao, error_type, None)
    library = isinstance(error, type) and issubclass(error, gxnianbao.GxnianbaoError)
    return library or any(word in error_type.lower() for word in ("timeout", "memory"))


def test_every_budget_is_documented() -> None:
    """docs/inputs.md lists every field of Limits, the one budget object."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "inputs.md").read_text("utf-8")
    assert [name for name in _BUDGETS if f"`{name}`" not in page] == []
