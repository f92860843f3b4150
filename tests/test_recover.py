"""Identity-based recovery: what it proves on the seeds, and that it never proves a wrong value."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gxnianbao
from gxnianbao import Status

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import shared_path
from reportgen import GenReport, render, reports

SEED_002 = "002_8be755d6938c33ff.txt"
SEED_004 = "004_d3904e969f46d18d.txt"
APP_COLUMNS = (
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
    "total",
)  # fmt: skip


def _seed(name: str) -> tuple[str, gxnianbao.Report]:
    text = shared_path("seeds", name).read_text(encoding="utf-8")
    return text, gxnianbao.parse_report(text)


def _row(report: gxnianbao.Report, row: str) -> list[tuple[int | Decimal | None, str]]:
    return [(c.value, c.status.value) for c in report.applications.row(row).cells()]  # type: ignore[union-attr]


def test_seed_004_received_row_is_proven_with_four_inferred_zeros() -> None:
    text, report = _seed(SEED_004)
    cells = report.applications.received.cells()  # type: ignore[union-attr]
    assert [c.value for c in cells] == [36, 2, 0, 0, 0, 0, 38]
    statuses = [c.status for c in cells]
    # 36, 2 and 38 stand in the same cells in every consistent placement: reported.  The three
    # written zeros and the dropped one can be arranged four ways over 科研机构..其他, so no
    # zero cell has one written number of its own: all four are inferred, without a span.
    assert statuses == [Status.REPORTED] * 2 + [Status.INFERRED] * 4 + [Status.REPORTED]
    # The written numbers keep their places in the source, in order.
    lines = [c.span.line for c in cells if c.status is Status.REPORTED]  # type: ignore[union-attr]
    assert lines == sorted(lines) and lines[0] == 124 and lines[-1] == 134
    for c in cells:
        if c.status is Status.REPORTED:
            assert c.span is not None
            assert text[c.span.start : c.span.end] == str(c.value)
        else:
            assert c.span is None and c.identity  # names the equation(s) that prove it
            assert all(part.startswith("t3-") for part in c.identity.split())
    assert report.applications.received.total == 38  # type: ignore[union-attr]
    codes = [(d.code, d.row) for d in report.diagnostics if d.code == "recovered-row"]
    assert ("recovered-row", "received") in codes
    # The binder's count is restated after recovery, and the row's six numbers stay with it.
    (mismatch,) = [
        d for d in report.diagnostics if (d.code, d.row) == ("row-count-mismatch", "received")
    ]
    assert mismatch.message.endswith(
        "after recovery all are certain: 3 reported, 4 inferred from the identities"
    )
    assert [t.value for t in mismatch.numbers] == [36, 2, 0, 0, 0, 38]


def test_seed_004_other_other_row_and_table_4() -> None:
    _, report = _seed(SEED_004)
    other = report.applications.other.other.cells()  # type: ignore[union-attr]
    assert [c.value for c in other] == [0] * 7
    # Six zeros for seven cells: every cell is the dropped one in some placement, so none has
    # a written zero of its own.  All seven are inferred; the zeros stay in the diagnostic.
    assert {c.status for c in other} == {Status.INFERRED}
    assert all(c.span is None and c.identity for c in other)
    # Table 4 has 8 numbers for 15 cells.  Placements such as review = [?,5,0,1,?],
    # direct = [1,?,?,?,7], after review = [0,5,?,?,5] keep every identity with non-negative
    # unknowns, so no cell is provable: all stay ambiguous rather than guessed.
    rl = report.review_litigation
    assert rl is not None
    assert {c.status for c in rl.cells()} == {Status.AMBIGUOUS}
    assert rl.review.total is None


def test_seed_002_granted_row_single_number_becomes_full_row() -> None:
    text, report = _seed(SEED_002)
    granted = report.applications.granted  # type: ignore[union-attr]
    assert [c.value for c in granted.cells()] == [1, 0, 0, 0, 0, 0, 1]
    # The lone "1" may be 自然人's or 总计's: both placements keep every identity and give the
    # same seven values, but not the same cell for the written number.  So no cell claims its
    # span: all seven are inferred, each naming its identities ...
    assert {c.status for c in granted.cells()} == {Status.INFERRED}
    assert all(c.span is None and c.identity for c in granted.cells())
    # ... and the "1" stays, with its span, in the row's row-count-mismatch diagnostic.
    (mismatch,) = [
        d for d in report.diagnostics if (d.code, d.row) == ("row-count-mismatch", "granted")
    ]
    (one,) = mismatch.numbers
    assert one.span.line == 49 and text[one.span.start : one.span.end] == "1"
    assert "0 reported, 7 inferred" in mismatch.message and "left unknown" not in mismatch.message
    (note,) = [d for d in report.diagnostics if (d.code, d.row) == ("recovered-row", "granted")]
    assert "natural_person, total" in note.message
    # （七）总计 `1 0 0 0 0 0 0 1` for seven cells: the extra zero is set aside, all reported.
    assert _row(report, "total") == [(1, "reported")] + [(0, "reported")] * 5 + [(1, "reported")]


def test_recover_false_leaves_the_binders_result() -> None:
    text = shared_path("seeds", SEED_004).read_text(encoding="utf-8")
    report = gxnianbao.parse_report(text, recover=False)
    assert {c.status for c in report.applications.received.cells()} == {Status.AMBIGUOUS}  # type: ignore[union-attr]
    assert not any(d.code == "recovered-row" for d in report.diagnostics)


def test_recovered_report_satisfies_every_identity_it_used() -> None:
    _, report = _seed(SEED_002)
    from gxnianbao.templates.identities import equations

    for eq in equations():
        values = [report.cell(*key).value for key in eq.cells]
        if None in values:
            continue
        assert sum(report.cell(*k).value or 0 for k in eq.left) == sum(
            report.cell(*k).value or 0 for k in eq.right
        ), eq.id


def test_every_cell_unknown_is_not_an_error() -> None:
    text = (
        "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        "四、行政复议、行政诉讼情况\n"
    )
    report = gxnianbao.parse_report(text)
    assert {c.status for c in report.cells()} == {Status.MISSING}


def _table_number_lines(text: str) -> list[int]:
    """Indexes of the scrape's lines that hold one number inside tables 2–4."""
    lines = text.split("\n")
    start = next(
        i for i, line in enumerate(lines) if "主动公开政府信息情况" in line and "、" in line
    )
    end = next(i for i, line in enumerate(lines) if i > start and line.strip().startswith("五"))
    return [
        i for i in range(start, end)
        if lines[i].strip() and lines[i].strip().replace(".", "", 1).isdigit()
    ]  # fmt: skip


@settings(
    max_examples=2 * settings.default.max_examples, suppress_health_check=[HealthCheck.too_slow]
)
@given(reports(), st.data())
def test_dropping_numbers_from_a_scrape_never_yields_a_wrong_value(
    r: GenReport, data: st.DataObject
) -> None:
    text = render("scrape", r)
    numbered = _table_number_lines(text)
    k = data.draw(st.integers(1, 4), label="k")
    dropped = set(data.draw(st.lists(st.sampled_from(numbered), min_size=k, max_size=k,
                                     unique=True), label="dropped"))  # fmt: skip
    lines = [line for i, line in enumerate(text.split("\n")) if i not in dropped]
    report = gxnianbao.parse_report("\n".join(lines))
    for cell in report.cells():
        if cell.status in (Status.REPORTED, Status.INFERRED):
            expected = r.cells[(cell.table, cell.row, cell.column)]
            assert cell.value == expected, (cell, expected)
        if cell.status is Status.INFERRED:
            assert cell.identity, cell


@pytest.mark.parametrize("layout", ["tab_rows", "word_cells", "markdown", "scrape"])
def test_recovery_changes_nothing_in_a_complete_report(layout: str) -> None:
    from reportgen import build_report

    r = build_report(
        "示例市东湖区教育局", 2023, None,
        {("applications", "granted", "natural_person"): 7,
         ("applications", "unavailable.not_held", "commercial"): 2,
         ("review_litigation", "review", "upheld"): 1},
    )  # fmt: skip
    text = render(layout, r)  # type: ignore[arg-type]
    with_recovery = gxnianbao.parse_report(text)
    without = gxnianbao.parse_report(text, recover=False)
    assert [(c.value, c.status) for c in with_recovery.cells()] == [
        (c.value, c.status) for c in without.cells()
    ]
    assert all(c.status is Status.REPORTED for c in with_recovery.cells())
