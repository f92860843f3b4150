"""The per-file function on an existing engine: Dask's local schedulers run
``gxnianbao.process_file`` over a few generated files exactly as a plain loop does.

This is what docs/scaling.md promises for Dask and Spark: the function pickles by reference,
is pure (same file, same rows) and never raises for a bad file, so an engine can retry it, run
it anywhere and keep going.  Spark is not installed here; its ``rdd.flatMap`` makes the same
calls as ``bag.map(...).flatten()``.
"""

from __future__ import annotations

import functools
import json
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reportgen import build_report, render

from gxnianbao import parse_file, process_file
from gxnianbao.batch.files import collect_files
from gxnianbao.export.rows import LONG_COLUMNS, META_COLUMNS, error_row, wide_columns, wide_row

LAYOUTS = ("tab_rows", "word_cells", "markdown")


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Three generated reports, a text that is no report and an old .doc."""
    folder = tmp_path_factory.mktemp("reports")
    out: list[str] = []
    for i, layout in enumerate(LAYOUTS):
        granted = {("applications", "granted", "natural_person"): 3 + 2 * i}
        r = build_report(f"示例市{'甲乙丙'[i]}区", 2021 + i, Decimal("0"), granted)
        path = folder / f"{i}-{layout}.txt"
        path.write_text(render(layout, r), encoding="utf-8")  # type: ignore[arg-type]
        out.append(str(path))
    (folder / "notes.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    out += [str(folder / "notes.txt"), str(folder / "old.doc")]
    (folder / "readme.rst").write_text("not a supported suffix", encoding="utf-8")
    found = collect_files([str(folder)])  # as docs/scaling.md starts
    assert found == out
    return found


@pytest.fixture(scope="module")
def expected(paths: list[str]) -> list[dict[str, object]]:
    """The plain loop that every engine must reproduce, row for row, in order."""
    return [row for path in paths for row in process_file(path)]


def test_plain_loop_rows(paths: list[str], expected: list[dict[str, object]]) -> None:
    assert [list(row) for row in expected] == [wide_columns("2021")] * 4 + [list(META_COLUMNS)]
    summary = [
        (Path(str(r["file"])).name, r["status"], r["error_type"], r["issuer"], r["year"],
         r.get("applications.granted.total"))
        for r in expected
    ]  # fmt: skip
    assert summary == [
        ("0-tab_rows.txt", "ok", None, "示例市甲区", 2021, 3),
        ("1-word_cells.txt", "ok", None, "示例市乙区", 2022, 5),
        ("2-markdown.txt", "ok", None, "示例市丙区", 2023, 7),
        ("notes.txt", "ok", None, None, None, None),
        ("old.doc", "error", "UnsupportedFormatError", None, None, None),
    ]


def test_process_file_pickles_by_reference() -> None:
    assert pickle.loads(pickle.dumps(process_file)) is process_file
    long = pickle.loads(pickle.dumps(functools.partial(process_file, long=True)))
    assert long.func is process_file
    assert long.keywords == {"long": True}


def test_process_file_is_pure(paths: list[str], expected: list[dict[str, object]]) -> None:
    """Same file, same rows, whatever ran before; rows are plain JSON data (for any engine)."""
    backwards = [process_file(path) for path in reversed(paths)]
    assert [row for rows in reversed(backwards) for row in rows] == expected
    assert json.loads(json.dumps(expected)) == expected


@pytest.fixture(scope="module")
def db() -> Any:
    """``dask.bag``; only the tests that run Dask skip without it."""
    return pytest.importorskip(
        "dask.bag", reason="dask is not installed (pip install 'gxnianbao[scale]'; CI installs it)"
    )


def _bag(db: Any, paths: list[str], *, long: bool = False) -> Any:
    """The pipeline of docs/scaling.md."""
    func = functools.partial(process_file, long=True) if long else process_file
    return db.from_sequence(paths, partition_size=2).map(func).flatten()


def test_dask_synchronous_scheduler(
    db: Any, paths: list[str], expected: list[dict[str, object]]
) -> None:
    assert _bag(db, paths).compute(scheduler="synchronous") == expected


@pytest.mark.slow
def test_dask_processes_scheduler(
    db: Any, paths: list[str], expected: list[dict[str, object]]
) -> None:
    """Worker processes: the function and its rows cross process boundaries by pickling."""
    assert _bag(db, paths).compute(scheduler="processes", num_workers=2) == expected


def test_dask_long_format(db: Any, paths: list[str]) -> None:
    rows = _bag(db, paths, long=True).compute(scheduler="synchronous")
    assert rows == [row for path in paths for row in process_file(path, long=True)]
    assert len(rows) == 3 * 200 + 200 + 1  # a text with no tables still has every cell
    assert all(list(row) == list(LONG_COLUMNS) for row in rows)
    assert {r["report_status"] for r in rows} == {"ok", "error"}


def process_bytes(item: tuple[str, bytes]) -> list[dict[str, object]]:
    """The recipe of docs/scaling.md for ``sc.binaryFiles`` (path, content) pairs."""
    path, data = item
    try:
        return [wide_row(parse_file(data), file=path)]
    except Exception as exc:
        return [error_row(path, exc)]


def test_bytes_recipe_gives_the_rows_of_process_file(
    paths: list[str], expected: list[dict[str, object]]
) -> None:
    rows = [row for p in paths for row in process_bytes((p, Path(p).read_bytes()))]
    assert rows[:4] == expected[:4]  # the reports, and the text that is no report
    assert (rows[4]["status"], rows[4]["error_type"]) == ("error", "UnsupportedFormatError")
