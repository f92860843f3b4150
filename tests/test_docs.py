"""The documentation's examples, run as tests.

Every page (``docs/*.md`` and ``README.md``) is checked in a fresh directory that holds
``report.md``, the example report of ``docs/usage.md`` (its ```text block starting ``# 某县``):

- all ```python blocks of a page are one doctest session, with ELLIPSIS on;
- every ```console block's ``$ `` commands run in order through the shell, with ``python`` (and a
  leading ``gxnianbao``) turned into ``sys.executable -m ...``; each command must exit with 0 and
  print exactly the lines the page shows under it.

A failure names the page and the line of every failing example or command.

Examples may read the shared material (``../shared`` or ``$GXNIANBAO_SHARED``) only through
``SHARED_FILES``: the test links the file from ``conftest.SHARED`` into the example's directory,
and is skipped when it is absent.  The executed blocks never name a path in the shared folder.
"""

from __future__ import annotations

import difflib
import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import ROOT, shared_path

PAGES = (*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md")

# Files in the shared folder that a page's examples read, by page: the name the example opens
# in its directory -> the path inside SHARED.
SHARED_FILES: dict[str, dict[str, tuple[str, ...]]] = {
    "README.md": {"report.txt": ("seeds", "004_d3904e969f46d18d.txt")},
    "docs/inputs.md": {"huaian-2024.pdf": ("corpus", "huaian-2024.pdf")},
}

_FENCE = re.compile(
    r"^```(?P<lang>[\w-]*)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL
)
_EXAMPLE_REPORT = ("docs/usage.md", "# 某县")
_PYTHON = re.compile(r"(?<![\w./-])python3?(?=\s|$)")
_SCRIPT = re.compile(r"^gxnianbao(?=\s|$)")


class Block(NamedTuple):
    lang: str
    line: int
    """1-based line of the page on which the block's body starts."""
    body: str


def _rel(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(m["lang"], text.count("\n", 0, m.start("body")) + 1, m["body"])
        for m in _FENCE.finditer(text)
    ]


def _pages_with(lang: str) -> list[Path]:
    return [page for page in PAGES if any(b.lang == lang for b in _blocks(page))]


def _ids(pages: list[Path]) -> list[str]:
    return [_rel(page) for page in pages]


@pytest.fixture
def example_dir(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory with ``report.md`` and the page's shared files in it."""
    usage, first_line = _EXAMPLE_REPORT
    reports = [
        b.body for b in _blocks(ROOT / usage) if b.lang == "text" and b.body.startswith(first_line)
    ]
    if len(reports) != 1:
        pytest.fail(
            f"{usage}: expected one ```text block starting {first_line!r}, found {len(reports)}"
        )
    (tmp_path / "report.md").write_text(reports[0], encoding="utf-8")
    for name, parts in SHARED_FILES.get(_rel(page), {}).items():
        source = shared_path(*parts)  # skips the test when the shared material is absent
        try:
            (tmp_path / name).symlink_to(source)
        except OSError:  # no symlinks here: a copy in the temporary directory will do
            shutil.copyfile(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _doctest_source(page: Path) -> str:
    """The page's python blocks at their own line numbers, every other line blank.

    Doctest then reports each example at its line in the page, and the blank lines end the
    expected output of the last example of a block.
    """
    lines = [""] * (page.read_text(encoding="utf-8").count("\n") + 1)
    for block in _blocks(page):
        if block.lang == "python":
            for i, line in enumerate(block.body.splitlines()):
                lines[block.line - 1 + i] = line
    return "\n".join(lines)


@pytest.mark.parametrize("page", _pages_with("python"), ids=_ids(_pages_with("python")))
@pytest.mark.usefixtures("example_dir")
def test_python_examples(page: Path) -> None:
    name = _rel(page)
    test = doctest.DocTestParser().get_doctest(
        _doctest_source(page), {"__name__": "__main__"}, name, name, 0
    )
    assert test.examples, f"{name}: no examples found in its python blocks"
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failed, attempted = runner.run(test, out=report.append)
    if failed:
        pytest.fail(f"{name}: {failed} of {attempted} examples failed\n" + "".join(report))


class Command(NamedTuple):
    line: int
    command: str
    expected: list[str]


def _commands(page: Path) -> list[Command]:
    out: list[Command] = []
    for block in _blocks(page):
        if block.lang != "console":
            continue
        for i, line in enumerate(block.body.splitlines()):
            if line.startswith("$ "):
                out.append(Command(block.line + i, line[2:], []))
            elif out and out[-1].line >= block.line:
                out[-1].expected.append(line)
            else:
                pytest.fail(f"{_rel(page)}, line {block.line + i}: output before any `$ ` command")
    return out


def _shell_command(command: str) -> str:
    python = shlex.quote(sys.executable)
    command = _SCRIPT.sub(f"{python} -m gxnianbao", command)
    return _PYTHON.sub(python, command)


@pytest.mark.slow
@pytest.mark.parametrize("page", _pages_with("console"), ids=_ids(_pages_with("console")))
def test_console_examples(page: Path, example_dir: Path) -> None:
    name = _rel(page)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONIOENCODING": "utf-8",
    }
    failures: list[str] = []
    for line, command, expected in _commands(page):
        done = subprocess.run(
            _shell_command(command),
            shell=True,
            cwd=example_dir,
            env=env,
            capture_output=True,
            encoding="utf-8",
            check=False,
        )
        got = done.stdout.splitlines()
        if done.returncode != 0:
            failures.append(
                f"{name}, line {line}: `{command}` exited with {done.returncode}\n{done.stderr}"
            )
        elif got != expected:
            diff = "\n".join(
                difflib.unified_diff(expected, got, "shown on the page", "printed", lineterm="")
            )
            failures.append(f"{name}, line {line}: `{command}` printed other output\n{diff}")
    if failures:
        pytest.fail("\n\n".join(failures))


@pytest.mark.parametrize("page", PAGES, ids=_ids(list(PAGES)))
def test_examples_name_no_shared_path(page: Path) -> None:
    """Shared material reaches the examples through SHARED_FILES, never by a path of its own."""
    for block in _blocks(page):
        if block.lang in ("python", "console") and re.search(r"shared[/\\]|/work/", block.body):
            pytest.fail(
                f"{_rel(page)}, line {block.line}: a {block.lang} block names a path in the "
                "shared folder; add the file to SHARED_FILES instead"
            )
