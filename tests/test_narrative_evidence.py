"""The narrative as evidence: a count part 一 states decides between placements of a row.

A scraped table 4 that lost its empty cells leaves its data row ambiguous; ``行政复议7件`` in
part 一 leaves only the placements that give 行政复议 总计 7, and the cells they agree on are
``inferred`` with the sentence as evidence.  The narrative never overrules a written number, and
when it contradicts every placement that is a finding, not a placement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportgen import (
    APPLICANTS,
    OUTCOME_COLUMNS,
    OUTCOME_GROUPS,
    GenReport,
    build_report,
    render_scrape,
)
from scoring import score
from test_proof import ISSUER, T4, scraped_table4

import gxnianbao
from gxnianbao.recover.narrative import CONTRADICTS, DECIDED, fragments_named

SENTENCE = "全年因政府信息公开被申请行政复议{}件。"
TABLE4 = {
    "review": (0, 0, 0, 7),
    "litigation_direct": (2, 7, 1, 7),
    "litigation_after_review": (0, 1, 2, 0),
}
"""Ten numbers for fifteen cells (7 7 | 2 7 1 7 17 | 1 2 3): the identities leave all open."""


def with_sentence(text: str, count: int) -> str:
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "认真落实" in line)
    lines[at] += SENTENCE.format(count)
    return "\n".join(lines)


def _t4(report: gxnianbao.Report) -> dict[tuple[str, str], gxnianbao.CellRecord]:
    return {(c.row, c.column): c for c in report.cells() if c.table == T4}


def test_without_the_sentence_the_row_stays_ambiguous() -> None:
    report = gxnianbao.parse_report(scraped_table4(TABLE4))
    assert {c.status.value for c in _t4(report).values()} == {"ambiguous"}


def test_the_stated_count_decides_the_cells_it_can_and_names_the_sentence() -> None:
    text = with_sentence(scraped_table4(TABLE4), 7)
    report = gxnianbao.parse_report(text)
    cells = _t4(report)
    inferred = {k: c.value for k, c in cells.items() if c.status.value == "inferred"}
    assert inferred == {
        ("review", "total"): 7,
        ("litigation_direct", "upheld"): 2,
        ("litigation_direct", "corrected"): 7,
        ("litigation_direct", "other"): 1,
        ("litigation_direct", "pending"): 7,
        ("litigation_direct", "total"): 17,
        # (A scrape drops only empty cells: counted as 0, 1 2 3 are 复议后起诉's, 3 its 总计.)
        ("litigation_after_review", "total"): 3,
    }
    for key in inferred:
        cell = cells[key]
        assert cell.evidence is not None and cell.span is None
        assert text[cell.evidence.start : cell.evidence.end] == SENTENCE.format(7).rstrip("。")
        assert cell.identity is not None and cell.identity.split()[0] == "narrative-review-total"
    assert cells[("litigation_direct", "total")].identity == (
        "narrative-review-total t4-group-total/litigation_direct"
    )
    # The others stay unknown: the narrative says nothing that decides them.
    assert {c.status.value for k, c in cells.items() if k not in inferred} == {"ambiguous"}
    (mismatch,) = [d for d in report.diagnostics if d.code == "row-count-mismatch"]
    assert "7 inferred from the identities (7 of them with a count part 一 states)" in (
        mismatch.message
    )
    assert [t.raw for t in mismatch.numbers] == ["7", "7", "2", "7", "1", "7", "17", "1", "2", "3"]
    (d,) = [d for d in report.diagnostics if d.code == DECIDED]
    assert (d.severity, d.table, d.span) == ("info", T4, cells[("review", "total")].evidence)
    # The narrative rule now holds; nothing fails.
    assert not [f for f in gxnianbao.validate(report) if f.status == "fail"]
    # The evidence is in the JSON of the cell, and the JSON keeps to the schema.
    data = report.to_dict()
    review = data["tables"]["review_litigation"]["review"]["total"]
    assert review["evidence"]["start"] == cells[("review", "total")].evidence.start
    assert "evidence" not in data["tables"]["review_litigation"]["review"]["upheld"]
    jsonschema = pytest.importorskip("jsonschema")
    from gxnianbao.export.dicts import json_schema

    jsonschema.validate(data, json_schema())


def test_a_narrative_that_contradicts_every_placement_is_a_finding() -> None:
    # 行政复议 written whole (1 2 3 1 7), one cell of 直接起诉 dropped: no placement that keeps
    # every identity gives 行政复议 总计 5.
    whole = {
        "review": (1, 2, 3, 1),
        "litigation_direct": (0, 1, 0, 0),
        "litigation_after_review": (2, 2, 2, 2),
    }
    text = with_sentence(scraped_table4(whole), 5)
    report = gxnianbao.parse_report(text)
    assert {c.status.value for c in _t4(report).values()} == {"ambiguous"}
    (d,) = [d for d in report.diagnostics if d.code == CONTRADICTS]
    assert fragments_named(d.message) == ("全年因政府信息公开被申请行政复议5件",)
    assert [t.raw for t in d.numbers] == [
        "1",
        "2",
        "3",
        "1",
        "7",
        "1",
        "1",
        "2",
        "2",
        "2",
        "2",
        "8",
    ]
    (f,) = [f for f in gxnianbao.validate(report) if f.rule == "narrative-placements"]
    assert (f.status, f.severity, f.span) == ("fail", "warning", d.span)
    assert f.message == (
        "总体情况所述“全年因政府信息公开被申请行政复议5件”，"
        f"与表四的数据行（原文第{d.span.line}行）写有的数字（1、2、3、1、7、1、1、2、2、2、2、8）"
        "的任何一种符合勾稽关系的排列都不一致：正文或表格必有一处有误，请核对。"
    )


def test_the_narrative_never_overrules_a_written_number() -> None:
    # Every cell written (no zero): nothing is ambiguous, and a wrong sentence changes nothing.
    full = {g: (1, 2, 3, 1) for g in OUTCOME_GROUPS}
    text = with_sentence(scraped_table4(full), 9)
    report = gxnianbao.parse_report(text)
    assert report.cell(T4, "review", "total").value == 7
    assert report.cell(T4, "review", "total").status.value == "reported"
    assert not [d for d in report.diagnostics if d.code in (DECIDED, CONTRADICTS)]
    assert any(f.rule == "narrative-review-total" for f in gxnianbao.validate(report))


@given(
    st.fixed_dictionaries(
        {g: st.tuples(*[st.sampled_from([0, 0, 1, 2, 7])] * 4) for g in OUTCOME_GROUPS}
    )
)
def test_a_consistent_narrative_count_never_gives_a_wrong_number(
    results: Mapping[str, Sequence[int]],
) -> None:
    written = tuple(enumerate(OUTCOME_COLUMNS[:4]))
    values = {(T4, g, c): results[g][i] for g in OUTCOME_GROUPS for i, c in written}
    truth = build_report(ISSUER, 2022, None, values)
    text = with_sentence(scraped_table4(results), sum(results["review"]))
    report = gxnianbao.parse_report(text)
    # (Table 4's dropped cells were 0 in truth: a scrape drops what is empty.)
    assert not score(report, truth, text).wrong
    for c in report.cells():
        if c.evidence is not None:
            assert c.status.value == "inferred"
            assert c.value == truth.cells[(c.table, c.row, c.column)]


@st.composite
def scrapes_with_dropped_zeros(draw: st.DrawFn) -> tuple[GenReport, str]:
    """A report with many zero cells, scraped, then some of its ``0`` lines in tables 3 and 4
    dropped, as a page drops its empty cells.  Part 一 states what the generator writes there
    (``全年共收到政府信息公开申请N件``) and, true too, ``被申请行政复议N件``."""
    few = st.sampled_from([0, 0, 0, 1, 2, 7])
    values = {(T4, g, c): draw(few) for g in OUTCOME_GROUPS for c in OUTCOME_COLUMNS[:4]}
    for column in APPLICANTS:
        values[("applications", "granted", column)] = draw(few)
    r = build_report(ISSUER, 2022, None, values)
    lines = render_scrape(r).split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    zeros = [i for i in range(start, end) if lines[i].strip() == "0"]
    dropped = set(draw(st.lists(st.sampled_from(zeros), max_size=12))) if zeros else set()
    text = "\n".join(line for i, line in enumerate(lines) if i not in dropped)
    return r, with_sentence(text, int(r.cells[(T4, "review", "total")]))


@given(scrapes_with_dropped_zeros())
def test_narrative_evidence_never_gives_a_wrong_number(case: tuple[GenReport, str]) -> None:
    truth, text = case
    report = gxnianbao.parse_report(text)
    assert not score(report, truth, text).wrong
    for c in report.cells():
        if c.evidence is not None:
            assert c.status.value == "inferred" and c.span is None
            assert c.identity is not None and c.identity.startswith("narrative-")
            assert c.value == truth.cells[(c.table, c.row, c.column)]
            assert "件" in text[c.evidence.start : c.evidence.end]
