"""``gxnianbao.read_reports``: a folder to a DataFrame in one call, through ``batch``'s own
per-file function and workers; failures are rows, never exceptions."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import gxnianbao
from gxnianbao.batch.files import DatasetError
from gxnianbao.export.rows import LONG_COLUMNS, wide_columns

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"
OLD = Path(__file__).resolve().parent / "fixtures" / "template2019.txt"

AMOUNTS = ("processing_fee", "active_disclosure.fees.amount_wan_yuan")

IN_PROCESS: dict[str, Any] = {"jobs": 1, "timeout": 0, "max_memory": 0}
"""No worker processes: fast, and the same per-file function."""


@pytest.fixture(scope="module")
def pd() -> Any:
    return pytest.importorskip("pandas", reason="optional: pip install 'gxnianbao[pandas]'")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two readable reports (one per template) in sub-folders and an empty (broken) file."""
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "2022.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "a" / "2020.txt").write_bytes(OLD.read_bytes())
    (tmp_path / "a" / "broken.pdf").write_bytes(b"")
    (tmp_path / "notes.xyz").write_text("not a report", encoding="utf-8")  # not collected
    return tmp_path


@pytest.mark.usefixtures("pd")
def test_one_row_per_file_in_file_order_failures_as_rows(folder: Path) -> None:
    frame = gxnianbao.read_reports(folder, **IN_PROCESS)
    files = [str(folder / "a" / "2020.txt"), str(folder / "a" / "broken.pdf")]
    files.append(str(folder / "b" / "2022.txt"))
    assert frame["file"].tolist() == files
    assert list(frame.columns) == wide_columns()
    assert frame.index.name == "report"
    assert frame["status"].tolist() == ["ok", "error", "ok"]
    assert frame["error_type"].isna().tolist() == [True, False, True]
    assert frame.loc[1, "error_type"] == "CorruptDocumentError"
    assert frame.loc[1, "error_message"] == "the file is empty"
    assert frame["template"].tolist()[::2] == ["2019", "2021"]
    assert frame["issuer"].tolist()[::2] == ["示例县水利局", "示例市临江区人力资源和社会保障局"]


def test_the_same_values_and_types_as_to_dataframe(pd: Any, folder: Path) -> None:
    """Read back from the batch dataset, the numbers are exact and typed as to_dataframe types
    them (counts Int64, amounts Decimal)."""
    frame = gxnianbao.read_reports(folder, **IN_PROCESS)
    ok = [gxnianbao.parse_file(f) for f in frame["file"] if not f.endswith(".pdf")]
    expected = gxnianbao.to_dataframe(ok)
    got = frame[frame["status"] == "ok"].reset_index(drop=True)
    expected = expected.reset_index(drop=True)
    assert got.columns.equals(expected.columns)
    for column in expected.columns:
        values = [None if pd.isna(v) else v for v in got[column]]
        assert values == [None if pd.isna(v) else v for v in expected[column]], column
        if str(expected[column].dtype) == "Int64" or column in AMOUNTS:
            assert got[column].dtype == expected[column].dtype, column
    assert got.loc[1, "active_disclosure.fees.amount_wan_yuan"] == Decimal("12.6")
    assert str(got["applications.received.total"].dtype) == "Int64"


@pytest.mark.usefixtures("pd")
def test_long_and_status_columns(folder: Path) -> None:
    long = gxnianbao.read_reports(folder, long=True, **IN_PROCESS)
    assert list(long.columns) == list(LONG_COLUMNS)
    assert sorted(set(long.index)) == [0, 1, 2]  # the file's position, as in to_dataframe
    assert long.loc[1, "report_status"] == "error"  # one row for the broken file
    assert (long.loc[2, "file"] == str(folder / "b" / "2022.txt")).all()
    assert len(long.loc[2]) == 200
    wide = gxnianbao.read_reports(folder, status_columns=True, **IN_PROCESS)
    assert list(wide.columns) == wide_columns(status_columns=True)
    status = wide["applications.received.total.status"]
    assert status.isna().tolist() == [False, True, False]  # no status for a file not read
    assert status[0] == "reported"
    for i in (0, 2):
        counted = wide.filter(like=".status").iloc[i].value_counts()
        assert counted.get("reported", 0) == wide.loc[i, "cells.reported"]


@pytest.mark.usefixtures("pd")
def test_paths_files_and_lists(folder: Path) -> None:
    one = gxnianbao.read_reports(folder / "b" / "2022.txt", **IN_PROCESS)
    assert one["file"].tolist() == [str(folder / "b" / "2022.txt")]
    listed = gxnianbao.read_reports([str(folder / "a"), folder / "b"], **IN_PROCESS)
    assert len(listed) == 3
    empty = folder / "empty"
    empty.mkdir()
    nothing = gxnianbao.read_reports(empty, **IN_PROCESS)
    assert nothing.shape == (0, len(wide_columns()))
    with pytest.raises(DatasetError, match="no such file or directory"):
        gxnianbao.read_reports(folder / "nowhere", **IN_PROCESS)
    with pytest.raises(TypeError):
        gxnianbao.read_reports(os.fsencode(folder), **IN_PROCESS)  # type: ignore[arg-type]


def test_without_pandas_nothing_is_read(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"read_reports needs pandas"):
        gxnianbao.read_reports(folder / "nowhere")  # refused before any path is looked at


@pytest.mark.slow
@pytest.mark.usefixtures("pd")
def test_worker_processes_give_the_same_frame(folder: Path) -> None:
    alone = gxnianbao.read_reports(folder, **IN_PROCESS)
    pooled = gxnianbao.read_reports(folder, jobs=2)
    assert pooled.equals(alone)
    assert not list(folder.rglob("*.jsonl"))  # the intermediate dataset is not left behind
