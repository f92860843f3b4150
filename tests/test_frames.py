"""``to_dataframe``: the wide and long frames, their exact values and dtypes, and the hint
given when pandas is not installed."""

from __future__ import annotations

import sys
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import reportgen as rg
from conftest import FIXTURES
from hypothesis import given, settings

import gxnianbao
from gxnianbao.export.frames import to_dataframe
from gxnianbao.export.rows import LONG_COLUMNS, META_COLUMNS, wide_columns

SAMPLE = Path(str(resources.files("gxnianbao") / "samples" / "sample-2022.txt"))


@pytest.fixture(scope="module")
def pd() -> Any:
    return pytest.importorskip("pandas", reason="optional: pip install 'gxnianbao[pandas]'")


@pytest.fixture(scope="module")
def sample() -> gxnianbao.Report:
    return gxnianbao.parse_report(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def old() -> gxnianbao.Report:
    """A 2019-template report (its table 2 has 政府集中采购, its （六）其他处理 is one row)."""
    return gxnianbao.parse_report((FIXTURES / "template2019.txt").read_text(encoding="utf-8"))


def test_without_pandas_the_error_says_what_to_install(
    sample: gxnianbao.Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError) as info:
        to_dataframe([sample])
    assert str(info.value) == (
        "gxnianbao.to_dataframe needs pandas, which is not installed: "
        "pip install 'gxnianbao[pandas]'"
    )


@pytest.mark.usefixtures("pd")
def test_wide_one_row_per_report(sample: gxnianbao.Report, old: gxnianbao.Report) -> None:
    frame = to_dataframe([sample, old])
    assert frame.shape == (2, 248)
    assert list(frame.columns) == wide_columns()  # mixed templates: the cells of both
    assert frame.index.name == "report"
    assert frame.index.tolist() == [0, 1]
    assert frame["issuer"].tolist() == ["示例市临江区人力资源和社会保障局", "示例县水利局"]
    assert frame["template"].tolist() == ["2021", "2019"]
    assert frame["status"].tolist() == ["ok", "ok"]
    assert frame["cells.reported"].tolist() == [200, 198]
    assert frame["applications.received.total"].tolist() == [57, 6]
    assert frame["processing_fee"].tolist() == [Decimal("1200"), None]
    assert frame["active_disclosure.fees.amount_wan_yuan"].tolist() == [Decimal("12.6"), None]
    assert frame["active_disclosure.procurement.amount"].tolist() == [None, Decimal("251000")]


def test_wide_dtypes_keep_numbers_exact(pd: Any, sample: gxnianbao.Report) -> None:
    """Counts are nullable Int64 (no float NaN), money is Decimal (no float rounding)."""
    frame = to_dataframe([sample])
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["applications.received.total"].dtype) == "Int64"
    assert str(frame["findings.warning"].dtype) == "Int64"
    assert frame["active_disclosure.fees.amount_wan_yuan"].dtype == object
    assert frame["processing_fee"].dtype == object


def test_wide_columns_do_not_depend_on_the_reports(
    pd: Any, sample: gxnianbao.Report, old: gxnianbao.Report
) -> None:
    assert list(to_dataframe([sample]).columns) == wide_columns()
    only_2019 = to_dataframe([old])
    assert list(only_2019.columns) == wide_columns()
    assert str(only_2019["active_disclosure.procurement.projects"].dtype) == "Int64"
    assert only_2019["active_disclosure.procurement.projects"].tolist() == [4]


@pytest.mark.usefixtures("pd")
def test_mixed_templates_leave_the_other_templates_cells_empty(
    sample: gxnianbao.Report, old: gxnianbao.Report
) -> None:
    frame = to_dataframe([sample, old])
    assert frame["applications.other.total"].isna().tolist() == [True, False]
    assert frame["applications.other.total"].iloc[1] == 1
    assert frame["applications.other.other.total"].isna().tolist() == [False, True]


@pytest.mark.usefixtures("pd")
def test_accepts_one_report_a_generator_or_nothing(sample: gxnianbao.Report) -> None:
    assert to_dataframe(sample).shape == (1, 248)
    assert to_dataframe(r for r in [sample, sample]).shape == (2, 248)
    empty = to_dataframe([])
    assert empty.shape == (0, 248)


@pytest.mark.usefixtures("pd")
def test_rejects_what_is_not_a_report(sample: gxnianbao.Report) -> None:
    with pytest.raises(TypeError, match=r"not text or a path: parse it first"):
        to_dataframe(SAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(TypeError, match=r"^item 1 is a dict, not a gxnianbao.Report$"):
        to_dataframe([sample, sample.to_dict()])  # type: ignore[list-item]


@pytest.mark.usefixtures("pd")
def test_long_one_row_per_cell(sample: gxnianbao.Report, old: gxnianbao.Report) -> None:
    frame = to_dataframe([sample, old], long=True)
    assert list(frame.columns) == list(LONG_COLUMNS)
    assert frame.shape == (398, len(LONG_COLUMNS))
    assert frame.index.name == "report"
    assert frame.index.tolist() == [0] * 200 + [1] * 198
    first = frame.iloc[0]
    assert (first["issuer"], first["year"], first["table"], first["row"], first["column"]) == (
        "示例市临江区人力资源和社会保障局", 2022, "active_disclosure", "regulations", "issued",
    )  # fmt: skip
    assert (first["value"], first["status"], first["line"], first["start"]) == (
        0, "reported", 33, 869,
    )  # fmt: skip
    assert str(frame["line"].dtype) == "Int64"
    assert frame["value"].dtype == object  # int and Decimal, exact
    amount = frame[(frame["row"] == "procurement") & (frame["column"] == "amount")]
    assert amount.index.tolist() == [1]
    assert amount["value"].tolist() == [Decimal("251000")]
    assert amount["raw"].tolist() == ["251000元"]
    assert amount["unit"].tolist() == ["元"]


@pytest.mark.usefixtures("pd")
def test_long_values_are_those_of_to_records(sample: gxnianbao.Report) -> None:
    frame = to_dataframe(sample, long=True)
    records = sample.to_records()
    expected = [Decimal(r["value"]) if isinstance(r["value"], str) else r["value"] for r in records]
    assert frame["value"].tolist() == expected
    assert frame["status"].tolist() == [r["status"] for r in records]
    keys = zip(frame["table"], frame["row"], frame["column"], strict=True)
    assert [f"{t}.{r}.{c}" for t, r, c in keys] == [c.key for c in sample.cells()]
    grouped = frame.groupby(level="report")["value"].count()
    assert grouped.tolist() == [200]


# --- the file a report came from, and the cells' statuses -------------------------------


@pytest.mark.usefixtures("pd")
def test_file_is_where_parse_file_read_the_report(tmp_path: Path) -> None:
    copy = tmp_path / "某局.txt"
    copy.write_bytes(SAMPLE.read_bytes())
    from_path = gxnianbao.parse_file(copy)
    from_str = gxnianbao.parse_file(str(copy))
    from_bytes = gxnianbao.parse_file(copy.read_bytes())
    from_text = gxnianbao.parse_report(copy.read_text(encoding="utf-8"))
    assert (from_path.file, from_str.file) == (str(copy), str(copy))
    assert (from_bytes.file, from_text.file) == (None, None)
    assert from_path == from_text  # the file is not part of what the report says
    frame = to_dataframe([from_path, from_text])
    assert frame["file"].iloc[0] == str(copy)
    assert frame["file"].isna().tolist() == [False, True]
    long = to_dataframe([from_path, from_text], long=True)
    assert set(long.loc[0, "file"]) == {str(copy)}
    assert long.loc[1, "file"].isna().all()


def test_status_columns_follow_the_value_columns(
    pd: Any, sample: gxnianbao.Report, old: gxnianbao.Report
) -> None:
    frame = to_dataframe([sample, old], status_columns=True)
    columns = wide_columns(status_columns=True)
    assert list(frame.columns) == columns
    cells = wide_columns()[len(META_COLUMNS) :]
    assert columns == [*wide_columns(), *(f"{c}.status" for c in cells)]
    # Each report's statuses add up to its own cell counts, status by status.
    for i in range(2):
        statuses = frame.iloc[i][[f"{c}.status" for c in cells]].dropna().value_counts()
        for status in gxnianbao.Status:
            assert statuses.get(status.value, 0) == frame.iloc[i][f"cells.{status.value}"]
    # A cell the report's template lacks has no status, not "missing".
    assert frame["applications.other.total.status"].isna().tolist() == [True, False]
    assert frame["applications.other.other.total.status"].isna().tolist() == [False, True]


@pytest.mark.usefixtures("pd")
@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(rg.rendered())
def test_status_columns_tell_apart_what_the_values_cannot(case: Any) -> None:
    """Blank, ``/`` and missing cells all have no value; their status columns differ."""
    import pandas

    _, _, text = case
    report = gxnianbao.parse_report(text)
    row = to_dataframe(report, status_columns=True).iloc[0]
    for cell in report.cells():
        assert row[f"{cell.key}.status"] == cell.status.value
        assert bool(pandas.isna(row[cell.key])) == (cell.value is None)


@pytest.mark.usefixtures("pd")
def test_status_columns_change_nothing_else(sample: gxnianbao.Report) -> None:
    plain = to_dataframe(sample)
    with_status = to_dataframe(sample, status_columns=True)
    assert with_status[list(plain.columns)].equals(plain)
    assert to_dataframe(sample, long=True, status_columns=True).equals(
        to_dataframe(sample, long=True)
    )
