"""Datasets for Excel: ``batch -o out.xlsx`` (data, codebook and failures sheets, typed cells,
never a formula) and ``batch --excel`` (a CSV with a UTF-8 BOM that round-trips)."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxnianbao.batch.files import DatasetError
from gxnianbao.batch.pool import build_dataset
from gxnianbao.export import excel
from gxnianbao.export.codebook import CODEBOOK_FIELDS, codebook_records
from gxnianbao.export.rows import LONG_COLUMNS, dataset_columns

openpyxl = pytest.importorskip("openpyxl", reason="optional: pip install 'gxnianbao[xlsx]'")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "gxnianbao" / "samples" / "sample-2022.txt"
OLD = Path(__file__).resolve().parent / "fixtures" / "template2019.txt"
IN_PROCESS = ("-j", "1", "--timeout", "0", "--max-memory", "0", "-q")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a-2020.txt").write_bytes(OLD.read_bytes())
    (reports / "b-broken.pdf").write_bytes(b"")
    (reports / "c-2022.txt").write_bytes(SAMPLE.read_bytes())
    return reports


def main(*args: str) -> int:
    from gxnianbao.cli.main import main as entry

    try:
        return entry(list(args))
    except SystemExit as exc:  # argparse
        return int(exc.code or 0)


def values(sheet: Any) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def check_workbook(path: Path, reports: Path, *, status_columns: bool = False) -> None:
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["data", "codebook", "failures"]
    data = values(book["data"])
    columns = list(dataset_columns(False, status_columns))
    assert data[0] == columns
    rows = [dict(zip(columns, row, strict=True)) for row in data[1:]]
    assert [r["file"] for r in rows] == [
        str(reports / name) for name in ("a-2020.txt", "b-broken.pdf", "c-2022.txt")
    ]
    old, broken, new = rows
    assert (broken["status"], broken["error_type"]) == ("error", "CorruptDocumentError")
    assert (new["year"], new["applications.received.total"]) == (2022, 57)
    assert book["data"]["F4"].data_type == "n"  # year, a number
    assert new["active_disclosure.fees.amount_wan_yuan"] == pytest.approx(12.6)
    assert new["processing_fee"] == 1200
    assert old["active_disclosure.procurement.amount"] == 251000
    assert old["applications.other.total"] == 1 and new["applications.other.total"] is None
    if status_columns:
        assert new["applications.received.total.status"] == "reported"
        assert old["applications.other.other.total.status"] is None
    codebook = values(book["codebook"])
    assert codebook[0] == list(CODEBOOK_FIELDS)
    expected = [[r[f] or None for f in CODEBOOK_FIELDS] for r in codebook_records(status_columns)]
    assert codebook[1:] == expected
    assert values(book["failures"]) == [
        ["file", "error_type", "error_message"],
        [str(reports / "b-broken.pdf"), "CorruptDocumentError", "the file is empty"],
    ]


@pytest.mark.slow
def test_batch_xlsx_through_the_real_entry_point(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "gxnianbao", "batch", str(folder), "-o", str(out), "-j", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    check_workbook(out, folder)
    assert not (tmp_path / "dataset.xlsx.partial").exists()


def test_batch_xlsx_with_status_columns(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset.xlsx"
    assert main("batch", str(folder), "-o", str(out), "--status-columns", *IN_PROCESS) == 0
    check_workbook(out, folder, status_columns=True)


def test_batch_xlsx_long(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "long.xlsx"
    assert main("batch", str(folder), "-o", str(out), "--long", *IN_PROCESS) == 0
    book = openpyxl.load_workbook(out)
    data = values(book["data"])
    assert data[0] == list(LONG_COLUMNS)
    assert len(data) == 1 + 198 + 1 + 200
    rows = [dict(zip(LONG_COLUMNS, row, strict=True)) for row in data[1:]]
    fee = [r for r in rows if r["row"] == "fees" and r["column"] == "amount_wan_yuan"]
    assert [r["value"] for r in fee] == [pytest.approx(12.6)]
    assert len(values(book["failures"])) == 2


def test_resume_an_xlsx(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset.xlsx"
    later = folder / "c-2022.txt"
    kept = later.read_bytes()
    later.unlink()
    assert main("batch", str(folder), "-o", str(out), *IN_PROCESS) == 0
    assert len(values(openpyxl.load_workbook(out)["data"])) == 3
    later.write_bytes(kept)
    stats = build_dataset([str(folder)], str(out), jobs=1, timeout=0, max_memory=0, resume=True)
    assert (stats.skipped, stats.written) == (2, 1)
    check_workbook(out, folder)  # the old rows (and their failure) are still there
    with pytest.raises(DatasetError, match="other columns"):
        build_dataset([str(folder)], str(out), resume=True, status_columns=True)


def test_a_full_sheet_goes_on_in_the_next(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel, "MAX_ROWS", 3)  # the header and two rows
    out = tmp_path / "dataset.xlsx"
    assert main("batch", str(folder), "-o", str(out), *IN_PROCESS) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["data", "data 2", "codebook", "failures"]
    assert [len(values(book[s])) for s in ("data", "data 2")] == [3, 2]
    header, rows = excel.data_rows(str(out))
    assert header == list(dataset_columns(False))
    assert [row[0] for row in rows] == sorted(str(p) for p in folder.iterdir())


def test_without_openpyxl_the_error_says_what_to_install(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(DatasetError, match=r"pip install 'gxnianbao\[xlsx\]'"):
        build_dataset([str(folder)], str(tmp_path / "out.xlsx"), jobs=1)
    assert not (tmp_path / "out.xlsx").exists()


# --- cells: what Excel shows is what the dataset holds -----------------------------------


COLUMNS = list(dataset_columns(False))


def one_row(tmp_path: Path, **given: object) -> dict[str, Any]:
    """The data-sheet cells of one wide row holding ``given`` (by column), read back."""
    path = tmp_path / "one.xlsx"
    book = excel.ExcelBook(str(path), COLUMNS, long=False)
    book.append([tuple(given.get(c.replace(".", "_")) for c in COLUMNS)])
    book.close()
    cells = openpyxl.load_workbook(path)["data"][2]
    return {c: cell for c, cell in zip(COLUMNS, cells, strict=True)}


def cells_of(**given: object) -> dict[str, Any]:
    """The cells a row becomes before the workbook is saved (fast: for many examples)."""
    book = excel.ExcelBook(os.devnull, COLUMNS, long=False)
    book.sheet = book.book.create_sheet("data")
    cells = book._cells(tuple(given.get(c.replace(".", "_")) for c in COLUMNS))
    return dict(zip(COLUMNS, cells, strict=True))


@given(st.text(max_size=40))
def test_text_is_text_never_a_formula(text: str) -> None:
    cell = cells_of(title=text)["title"]
    assert cell.data_type == "s"
    assert cell.value == excel.ILLEGAL.sub("", text)


def test_formulas_numbers_and_dates_in_the_saved_file(tmp_path: Path) -> None:
    cells = one_row(
        tmp_path,
        title="=HYPERLINK(1)",
        issuer="+1 局\x07\ufffe",
        year=2022,
        processing_fee="0.10",
        published="2023-01-31",
        applications_received_total=12345678901234567890,
        applications_granted_total=-0,
    )
    assert (cells["title"].value, cells["title"].data_type) == ("=HYPERLINK(1)", "s")
    assert (cells["issuer"].value, cells["issuer"].data_type) == ("+1 局", "s")
    assert (cells["year"].value, cells["year"].data_type) == (2022, "n")
    assert cells["processing_fee"].value == pytest.approx(0.1)
    assert cells["processing_fee"].data_type == "n"
    assert cells["published"].value == datetime.datetime(2023, 1, 31)
    assert cells["published"].number_format == "yyyy-mm-dd"
    # More digits than Excel keeps: text, not a rounded number.
    huge = cells["applications.received.total"]
    assert (huge.value, huge.data_type) == ("12345678901234567890", "s")
    assert cells["applications.granted.total"].value == 0
    assert cells["error_type"].value is None


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**14))
def test_amounts_are_exact_numbers_or_text(amount: Decimal) -> None:
    cell = cells_of(processing_fee=str(amount))["processing_fee"]
    if isinstance(cell, Decimal):
        assert cell == amount
        assert len(amount.normalize().as_tuple().digits) <= 15
    else:
        assert (cell.data_type, Decimal(cell.value)) == ("s", amount)


# --- CSV with a byte-order mark ------------------------------------------------------------


def test_csv_for_excel_starts_with_the_bom_and_round_trips(folder: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    plain, marked = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert main("batch", str(folder), "-o", str(plain), *IN_PROCESS) == 0
    assert main("batch", str(folder), "-o", str(marked), "--excel", *IN_PROCESS) == 0
    data = marked.read_bytes()
    assert data.startswith(b"\xef\xbb\xbffile,status,")
    assert data[3:] == plain.read_bytes()
    frame = pd.read_csv(marked)
    assert list(frame.columns) == list(dataset_columns(False))
    assert frame.equals(pd.read_csv(plain))
    assert frame["issuer"].tolist()[::2] == ["示例县水利局", "示例市临江区人力资源和社会保障局"]


def test_resume_a_csv_for_excel(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    later = folder / "c-2022.txt"
    kept = later.read_bytes()
    later.unlink()
    assert main("batch", str(folder), "-o", str(out), "--bom", *IN_PROCESS) == 0
    later.write_bytes(kept)
    with open(out, "ab") as fh:
        fh.write(b'"cut off')  # a row half written by a killed run
    assert main("batch", str(folder), "-o", str(out), "--bom", "--resume", *IN_PROCESS) == 0
    fresh = tmp_path / "fresh.csv"
    assert main("batch", str(folder), "-o", str(fresh), "--excel", *IN_PROCESS) == 0
    assert out.read_bytes() == fresh.read_bytes()
    assert out.read_bytes().count(b"\xef\xbb\xbf") == 1


def test_excel_option_is_for_csv(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert main("batch", str(folder), "-o", str(out), "--excel", *IN_PROCESS) == 2
    assert "--excel applies to a CSV output" in capsys.readouterr().err
    assert not os.path.exists(out)


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet", "xlsx"])
def test_status_columns_in_every_format(folder: Path, tmp_path: Path, suffix: str) -> None:
    """The same status values whatever the output; a resumed run keeps the columns."""
    out = tmp_path / f"dataset.{suffix}"
    later = folder / "c-2022.txt"
    kept = later.read_bytes()
    later.unlink()
    run = {"jobs": 1, "timeout": 0, "max_memory": 0, "status_columns": True}
    build_dataset([str(folder)], str(out), **run)
    later.write_bytes(kept)
    stats = build_dataset([str(folder)], str(out), resume=True, **run)
    assert (stats.skipped, stats.written) == (2, 1)
    columns = list(dataset_columns(False, True))
    if suffix == "parquet":
        pq = pytest.importorskip("pyarrow.parquet")
        table = pq.read_table(out)
        header, rows = table.column_names, [list(r.values()) for r in table.to_pylist()]
    elif suffix == "xlsx":
        header, rows = excel.data_rows(str(out))
        rows = [list(r) for r in rows]
    else:
        pd = pytest.importorskip("pandas")
        frame = pd.read_csv(out) if suffix == "csv" else pd.read_json(out, lines=True)
        header = list(frame.columns)
        rows = [[None if pd.isna(v) else v for v in r] for r in frame.values.tolist()]
    assert list(header) == columns
    status = [
        dict(zip(columns, r, strict=True))["applications.received.total.status"] for r in rows
    ]
    assert status == ["reported", None, "reported"]
