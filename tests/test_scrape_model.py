"""Scraped tables: a cell that got no number was an empty cell the scraper dropped (or a 0).

Issue 12's own case: a web-page scrape writes one cell per line and drops empty cells, so its
table 4 may hold ``5 0 1 1 7 0 5 5``, eight numbers for fifteen cells.  Where the layout proves
that (one cell per line, not one empty cell in the region), recovery also tries the placements
with the cells they leave without a number as 0: changing the written 7 to 8 is then proven
inconsistent, and ``行政复议7件`` in part 一 decides the review group.  The identities alone
still place numbers with those cells unknown (a scrape may have lost a number), and a cell left
without a number is never given the 0.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from conftest import shared_path
from hypothesis import given
from hypothesis import strategies as st
from reportgen import (
    APP_COLUMNS,
    OUTCOME_COLUMNS,
    OUTCOME_GROUPS,
    SHAPES,
    GenReport,
    build_report,
    derived_keys,
    render_markdown,
    render_scrape,
    reports,
)
from scoring import score
from test_proof import ISSUER, T4, scraped_table4

import gxnianbao
from gxnianbao.bind.bound import drops_empty_cells
from gxnianbao.common.lines import Cell
from gxnianbao.common.values import CellValue
from gxnianbao.recover.narrative import DECIDED
from gxnianbao.recover.proof import IMPOSSIBLE, identities_named

WRITTEN = ("5", "0", "1", "1", "7", "0", "5", "5")
"""Seed 004's table 4 as its scrape writes it (the only numbers taken from it)."""
SENTENCE = "全年因政府信息公开被申请行政复议7件。"
REVIEW = ("upheld", "corrected", "other", "pending", "total")
GOLDEN = Path(__file__).parent / "golden" / "seed_004.json"


def scrape(numbers: Sequence[str] = WRITTEN, sentence: str | None = None) -> str:
    """A scraped report whose table 4 writes ``numbers`` (one per line, a blank line after
    each), with ``sentence`` added to part 一 when given."""
    empty = {g: (0, 0, 0, 0) for g in OUTCOME_GROUPS}
    lines = scraped_table4(empty).split("\n")  # (every table-4 cell is 0: all dropped)
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    lines[end:end] = [line for n in numbers for line in (n, "")]
    if sentence is not None:
        at = next(i for i, line in enumerate(lines) if "认真落实" in line)
        lines[at] += sentence
    return "\n".join(lines)


def _t4(report: gxnianbao.Report) -> dict[tuple[str, str], tuple[object, str]]:
    return {(c.row, c.column): (c.value, c.status.value) for c in report.cells() if c.table == T4}


def test_the_layout_is_told_by_its_cells() -> None:
    def cell(text: str, row: int, kind: str = "number", at: int = 0) -> Cell:
        value = CellValue(kind, None, 0, len(text))  # type: ignore[arg-type]
        return Cell(text, 0, len(text), row, 1, row, at, value)

    one_per_line = [cell("总计", 1, "label"), cell("5", 2), cell("7", 3)]
    assert drops_empty_cells(one_per_line)
    assert not drops_empty_cells([*one_per_line, cell("", 4, "blank")])  # an empty cell shown
    assert not drops_empty_cells([*one_per_line, cell("1", 3, at=1)])  # a row of two cells
    assert not drops_empty_cells([])


def test_the_issue_scrape_as_written_leaves_table_4_open() -> None:
    """Two placements keep every identity (行政复议 = 5 0 1 1 7, or 行政复议 empty and
    直接起诉 = 5 0 1 1 7): nothing is decided, nothing is inconsistent."""
    report = gxnianbao.parse_report(scrape())
    assert set(_t4(report).values()) == {(None, "ambiguous")}
    assert not [d for d in report.diagnostics if d.code == IMPOSSIBLE]
    assert not [f for f in gxnianbao.validate(report) if f.rule == "identities-unsatisfiable"]
    (mismatch,) = [d for d in report.diagnostics if d.code == "row-count-mismatch"]
    assert [t.raw for t in mismatch.numbers] == list(WRITTEN)


def test_seven_changed_to_eight_is_proven_inconsistent() -> None:
    written = ["5", "0", "1", "1", "8", "0", "5", "5"]
    text = scrape(written)
    report = gxnianbao.parse_report(text)
    (d,) = [d for d in report.diagnostics if d.code == IMPOSSIBLE]
    assert (d.severity, d.table) == ("error", T4)
    assert [t.raw for t in d.numbers] == written
    # (Without 直接起诉's identity, 5 0 1 1 8 could stand there and 行政复议 be empty.)
    assert identities_named(d.message) == (
        "t4-group-total/review",
        "t4-group-total/litigation_direct",
    )
    assert set(_t4(report).values()) == {(None, "ambiguous")}  # nothing placed from it
    (f,) = [f for f in gxnianbao.validate(report) if f.rule == "identities-unsatisfiable"]
    assert (f.status, f.severity) == ("fail", "error")
    assert "（5、0、1、1、8、0、5、5）" in f.message
    assert '表四"行政复议"：总计应等于结果维持、结果纠正、其他结果、尚未审结之和' in f.message


def test_the_stated_count_decides_the_review_group() -> None:
    text = scrape(sentence=SENTENCE)
    report = gxnianbao.parse_report(text)
    cells = {(c.row, c.column): c for c in report.cells() if c.table == T4}
    expected = dict(zip(REVIEW, (5, 0, 1, 1, 7), strict=True))
    for (row, column), c in cells.items():
        if row == "review":
            assert (c.value, c.status.value) == (expected[column], "inferred"), column
            assert c.span is None and c.evidence is not None
            assert text[c.evidence.start : c.evidence.end] == SENTENCE.rstrip("。")
            assert c.identity is not None and c.identity.split()[0] == "narrative-review-total"
        else:  # 0 5 5 in ten cells: many placements, the narrative says nothing of them
            assert (c.value, c.status.value) == (None, "ambiguous"), (row, column)
    (d,) = [d for d in report.diagnostics if d.code == DECIDED]
    assert d.span == cells[("review", "total")].evidence
    assert not [f for f in gxnianbao.validate(report) if f.status == "fail"]


def test_a_layout_that_shows_empty_cells_keeps_them_unknown() -> None:
    """Markdown writes its empty cells as empty fields: a row with a cell missing there lost
    something else, and recovery may not count it as 0 (7→8 is no proof there)."""
    results = {"review": (1, 0, 2, 0), "litigation_direct": (1, 1, 1, 1),
               "litigation_after_review": (2, 2, 2, 2)}  # fmt: skip
    values = {
        (T4, g, c): results[g][i] for g in OUTCOME_GROUPS for i, c in enumerate(OUTCOME_COLUMNS[:4])
    }
    text = render_markdown(build_report(ISSUER, 2022, Decimal(0), values))
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.replace(" ", "").startswith("|1|0|2|0|3|"))
    # 行政复议 written 1 2 0 4: a cell lost, and its 总计 raised from 3 to 4.
    written = ["1", "2", "0", "4", "1", "1", "1", "1", "4", "2", "2", "2", "2", "8"]
    lines[at] = "| " + " | ".join(written) + " |"
    report = gxnianbao.parse_report("\n".join(lines))
    assert not [d for d in report.diagnostics if d.code == IMPOSSIBLE]
    assert report.cell(T4, "review", "corrected").status.value == "ambiguous"
    # The same numbers in a scrape: the lost cell was empty, so 1 + 2 + 0 cannot make 4.
    scraped = gxnianbao.parse_report(scrape(written))
    assert [d.code for d in scraped.diagnostics if d.code == IMPOSSIBLE] == [IMPOSSIBLE]


def _seed() -> tuple[str, dict[str, list[object]]]:
    text = shared_path("seeds", json.loads(GOLDEN.read_text("utf-8"))["seed"]).read_text("utf-8")
    return text, json.loads(GOLDEN.read_text("utf-8"))["cells"]


SEED_DECIDED = {
    **{
        f"applications.received.{c}": (v, "reported" if v else "inferred")
        for c, v in zip(APP_COLUMNS, (36, 2, 0, 0, 0, 0, 38), strict=True)
    },
    **{f"applications.other.other.{c}": (0, "inferred") for c in APP_COLUMNS},
}
"""Seed 004's cells recovery decides beyond what the binder reads (the golden file holds the
binder's reading).  Its 新收 row writes ``36 2 0 0 0 38`` for seven cells: the row's total and
the columns' identities (新收 + 结转 = the column's results) prove every cell, wherever the
dropped one was; its （七）其他 row writes six 0s for seven cells, proven 0 by its total.  These
are proven without counting a dropped cell as 0 (they are the same on main): the scrape model
loses nothing the identities prove."""


def test_seed_004_has_no_wrong_cell() -> None:
    text, golden = _seed()
    report = gxnianbao.parse_report(text)
    for c in report.cells():
        got = (c.value, c.status.value)
        want_value, want_status = golden[c.key]
        if c.key in SEED_DECIDED:
            assert got == SEED_DECIDED[c.key], c.key
        elif want_status in ("reported", "inferred"):
            assert got == (Decimal(str(want_value)), want_status) or got == (
                want_value,
                want_status,
            ), c.key
        else:
            assert c.status.value in ("ambiguous", "missing"), c.key
    assert not [d for d in report.diagnostics if d.code == IMPOSSIBLE]


def test_seed_004_with_eight_fails_and_with_the_sentence_is_decided() -> None:
    text, _ = _seed()
    lines = text.split("\n")
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    numbers = [i for i in range(end) if lines[i].strip().isdigit()][-len(WRITTEN) :]
    assert tuple(lines[i].strip() for i in numbers) == WRITTEN
    eight = list(lines)
    eight[numbers[4]] = "8"
    report = gxnianbao.parse_report("\n".join(eight))
    (d,) = [d for d in report.diagnostics if d.code == IMPOSSIBLE]
    assert [t.raw for t in d.numbers] == ["5", "0", "1", "1", "8", "0", "5", "5"]
    assert any(f.rule == "identities-unsatisfiable" for f in gxnianbao.validate(report))
    told = list(lines)
    at = next(i for i, line in enumerate(lines) if line.startswith("(二)依申请公开情况"))
    told[at] += SENTENCE
    cells = _t4(gxnianbao.parse_report("\n".join(told)))
    assert [cells[("review", c)] for c in REVIEW] == [(v, "inferred") for v in (5, 0, 1, 1, 7)]


@st.composite
def scraped_zeros(draw: st.DrawFn) -> tuple[Mapping[str, Sequence[int]], int | None]:
    few = st.sampled_from([0, 0, 0, 1, 2, 5])
    results = {g: tuple(draw(few) for _ in range(4)) for g in OUTCOME_GROUPS}
    return results, draw(st.one_of(st.none(), st.integers(1, 3)))


@given(scraped_zeros())
def test_scraped_reports_never_give_a_wrong_number(
    case: tuple[Mapping[str, Sequence[int]], int | None],
) -> None:
    """Table 4 scraped with its 0 cells dropped: never a wrong number, and a consistent one is
    never proven inconsistent; with the 总计 raised, any proof names 行政复议's identity."""
    results, more = case
    values = {
        (T4, g, c): results[g][i] for g in OUTCOME_GROUPS for i, c in enumerate(OUTCOME_COLUMNS[:4])
    }
    truth = build_report(ISSUER, 2022, Decimal(0), values)
    text = scraped_table4(results)
    report = gxnianbao.parse_report(text)
    assert not score(report, truth, text).wrong
    assert not [f for f in gxnianbao.validate(report) if f.rule == "identities-unsatisfiable"]
    for c in report.cells():
        if c.table == T4 and c.status.value in ("reported", "inferred"):
            assert c.value != 0 or c.span is not None  # a 0 only where one was written
    total = sum(results["review"])
    if more is not None and total:
        broken = gxnianbao.parse_report(scraped_table4(results, review_total=total + more))
        for d in broken.diagnostics:
            if d.code == IMPOSSIBLE:
                assert "t4-group-total/review" in identities_named(d.message)


@given(reports())
def test_whole_scrapes_with_dropped_zeros_never_give_a_wrong_number(r: GenReport) -> None:
    """Any scraped report (tables 2–4), every ``0`` line dropped as a page drops empty cells."""
    text = render_scrape(r)
    kept = [line for line in text.split("\n") if line.strip() != "0"]
    scraped = "\n".join(kept)
    report = gxnianbao.parse_report(scraped)
    assert not score(report, r, scraped).wrong
    assert not [f for f in gxnianbao.validate(report) if f.rule == "identities-unsatisfiable"]


def _sparse_scrape(seed: int) -> tuple[GenReport, str]:
    """A report of mostly 0 cells (numbers from ``random.Random(seed)``), scraped, every ``0``
    line dropped."""
    rng = random.Random(seed)
    shape = SHAPES["2021"]
    derived = derived_keys()
    values: dict[tuple[str, str, str], int | Decimal] = {
        key: rng.choice([0, 0, 0, 0, 0, 1, 2, 3, 5, 8, 13])
        for key in shape.all_keys
        if key not in derived
    }
    values[shape.money_key] = Decimal(rng.randint(0, 9999)) / 100
    r = build_report(ISSUER, 2022, Decimal(0), values)
    return r, "\n".join(line for line in render_scrape(r).split("\n") if line.strip() != "0")


def test_identities_alone_place_numbers_as_in_any_layout() -> None:
    """上年结转 written ``1 3 2 6`` for seven cells: with the empty cells counted as 0 one
    placement would hold, but the identities alone place numbers with the dropped cells
    unknown, as in any layout (a scrape may have lost a number, not an empty cell): this row
    stays open, and the other rows' cells are the same as without the scrape model."""
    truth, text = _sparse_scrape(5)
    report = gxnianbao.parse_report(text)
    row = report.applications.carried_over  # type: ignore[union-attr]
    assert {c.status.value for c in row.cells()} == {"ambiguous"}
    assert not score(report, truth, text).wrong
    assert not [d for d in report.diagnostics if d.code == IMPOSSIBLE]


def test_a_scrape_that_lost_a_number_gets_no_wrong_one() -> None:
    """行政复议 1 1 2, 直接起诉 3 3, 复议后起诉 2 2 (their empty cells dropped), and the 2 of
    行政复议 总计 lost too: ``1 1 3 3 2 2`` fits the three groups with the dropped cells as 0,
    which would make 行政复议 总计 1.  Placed with them unknown, nothing is guessed."""
    results = {
        "review": (1, 1, 0, 0),
        "litigation_direct": (3, 0, 0, 0),
        "litigation_after_review": (2, 0, 0, 0),
    }
    values = {
        (T4, g, c): results[g][i] for g in OUTCOME_GROUPS for i, c in enumerate(OUTCOME_COLUMNS[:4])
    }
    truth = build_report(ISSUER, 2022, Decimal(0), values)
    lines = scraped_table4(results).split("\n")
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    at = [i for i in range(end) if lines[i].strip().isdigit()][-5]
    assert lines[at] == "2"  # 行政复议 总计
    text = "\n".join(line for i, line in enumerate(lines) if i != at)
    report = gxnianbao.parse_report(text)
    assert not score(report, truth, text).wrong
    assert report.cell(T4, "review", "total").value is None
