"""The codebook: one record per wide column and one column per record, in dataset order, in
the template's words; ``gxnianbao.codebook()`` and ``gxnianbao codebook`` give the same."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gxnianbao
from gxnianbao.export.codebook import CODEBOOK_FIELDS, SEPARATOR, codebook_records
from gxnianbao.export.rows import (
    META_COLUMNS,
    cell_kinds,
    column_types,
    dataset_columns,
    status_column,
    wide_columns,
)
from gxnianbao.templates import TEMPLATES
from gxnianbao.templates.names import without_note

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"

CELLS = [
    (name, table, row, col)
    for name, spec in TEMPLATES.items()
    for table in spec.tables
    for row in table.rows
    for col in row.columns
]


def by_key(status_columns: bool = False) -> dict[str, dict[str, str]]:
    return {r["key"]: r for r in codebook_records(status_columns)}


@pytest.mark.parametrize("status_columns", [False, True])
def test_every_wide_column_has_exactly_one_record_and_back(status_columns: bool) -> None:
    keys = [r["key"] for r in codebook_records(status_columns)]
    columns = list(dataset_columns(False, status_columns))
    assert keys == columns  # the same columns, once each, in the dataset's order
    assert len(set(keys)) == len(keys)
    assert all(list(r) == list(CODEBOOK_FIELDS) for r in codebook_records(status_columns))


def test_the_columns_of_a_real_frame_are_the_codebook(pytest_pandas: Any) -> None:
    report = gxnianbao.parse_file(SAMPLE)
    for status_columns in (False, True):
        frame = gxnianbao.to_dataframe(report, status_columns=status_columns)
        book = gxnianbao.codebook(status_columns=status_columns)
        assert list(frame.columns) == list(book.index)
        assert list(book.columns) == [f for f in CODEBOOK_FIELDS if f != "key"]


def test_label_path_in_the_templates_words() -> None:
    book = by_key()
    cell = book["applications.granted.natural_person"]
    assert cell["label_path"] == "表三 / 三、本年度办理结果 / （一）予以公开 / 自然人"
    assert (cell["table"], cell["row"], cell["column"]) == (
        "applications",
        "granted",
        "natural_person",
    )
    # A sub-group sits under its group; a note in brackets is not part of the label.
    assert book["applications.withheld.state_secret.total"]["label_path"] == (
        "表三 / 三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密 / 总计"
    )
    assert book["applications.partially_granted.total"]["label_path"] == (
        "表三 / 三、本年度办理结果 / （二）部分公开 / 总计"
    )
    assert book["applications.received.total"]["label_path"] == (
        "表三 / 一、本年新收政府信息公开申请数量 / 总计"
    )
    assert book["review_litigation.litigation_after_review.total"]["label_path"] == (
        "表四 / 行政诉讼（复议后起诉） / 总计"
    )


def test_units_types_and_templates() -> None:
    book = by_key()
    current, older = list(TEMPLATES)[:2]
    fee = book["active_disclosure.fees.amount_wan_yuan"]
    assert (fee["unit"], fee["type"], fee["kind"], fee["templates"]) == (
        "万元",
        "decimal",
        "amount",
        current,
    )
    assert fee[f"label_path.{older}"] == ""
    procurement = book["active_disclosure.procurement.amount"]
    assert procurement["unit"] == "元、万元、亿元"  # written in the cell, so it varies
    assert procurement["templates"] == older
    received = book["applications.received.total"]
    assert (received["unit"], received["type"], received["kind"]) == ("", "integer", "count")
    assert received["templates"] == f"{current} {older}"
    assert book["published"]["type"] == "date"
    assert (book["processing_fee"]["type"], book["processing_fee"]["unit"]) == ("decimal", "元")
    # The same key worded differently in two templates keeps both wordings.
    decisions = book["active_disclosure.licensing.decisions"]
    assert decisions[f"label_path.{current}"].endswith("本年处理决定数量")
    assert decisions[f"label_path.{older}"].endswith(SEPARATOR + "处理决定数量")
    assert decisions["label_path"] == decisions[f"label_path.{current}"]


def test_types_agree_with_the_stored_types() -> None:
    types = column_types(False, True)
    kinds = cell_kinds()
    for record in codebook_records(True):
        key = record["key"]
        assert (record["type"] == "integer") == (types[key] == "int"), key
        if record["group"] == "cell":
            assert record["kind"] == kinds[key]
        if record["group"] == "meta":
            assert key in META_COLUMNS and record["label_path"]


def test_status_records_follow_their_cells() -> None:
    book = by_key(True)
    cell = book["applications.received.total"]
    status = book[status_column("applications.received.total")]
    assert status["group"] == "status"
    assert status["label_path"] == cell["label_path"] + SEPARATOR + "状态"
    assert (status["table"], status["row"], status["column"]) == (
        cell["table"],
        cell["row"],
        cell["column"],
    )
    assert status["templates"] == cell["templates"]


@given(st.sampled_from(CELLS))
def test_every_template_cell_is_described_in_its_own_words(cell: Any) -> None:
    name, table, row, col = cell
    record = by_key()[f"{table.key}.{row.key}.{col.key}"]
    path = record[f"label_path.{name}"]
    parts = path.split(SEPARATOR)
    assert parts[0] == table.words
    assert parts[-1] == without_note(col.label)
    assert parts[-2] == (row.name or without_note(row.label))
    assert name in record["templates"].split()
    assert (record["table"], record["row"], record["column"]) == (table.key, row.key, col.key)


def test_templates_lacking_a_cell_have_no_words_for_it() -> None:
    for record in codebook_records():
        having = set(record["templates"].split())
        for name in TEMPLATES:
            assert bool(record[f"label_path.{name}"]) == (name in having), record["key"]


def test_records_need_no_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    assert gxnianbao.codebook(records=True) == codebook_records()
    with pytest.raises(ImportError, match=r"codebook\(records=True\)"):
        gxnianbao.codebook()


def test_records_are_copies() -> None:
    first = codebook_records()
    first[0]["key"] = "changed"
    assert codebook_records()[0]["key"] == META_COLUMNS[0]


# --- gxnianbao codebook ------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    from gxnianbao.cli.main import main

    assert main(["codebook", *args]) == 0
    return capsys.readouterr().out


def test_cli_csv_is_the_codebook(capsys: pytest.CaptureFixture[str]) -> None:
    out = cli(capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows == codebook_records()
    assert [r["key"] for r in rows] == wide_columns()


def test_cli_json_with_status_columns(capsys: pytest.CaptureFixture[str]) -> None:
    out = cli(capsys, "--format", "json", "--status-columns")
    assert json.loads(out) == codebook_records(True)


def test_cli_csv_for_excel_starts_with_the_bom(capsys: pytest.CaptureFixture[str]) -> None:
    out = cli(capsys, "--excel")
    assert out.startswith("\ufeffkey,group,")
    assert list(csv.DictReader(io.StringIO(out[1:]))) == codebook_records()


@pytest.fixture(scope="module")
def pytest_pandas() -> Any:
    return pytest.importorskip("pandas", reason="optional: pip install 'gxnianbao[pandas]'")
