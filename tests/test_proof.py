"""Inconsistency proven: written numbers that no placement can fit are a fail, not a doubt.

The clerk's case of issue 12: a scraped report whose table 4 lost its empty cells, with the
written 行政复议 总计 changed from 7 to 8.  Before, every identity of table 4 was only "not
assessable"; now ``identities-unsatisfiable`` fails and names the numbers as written.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportgen import (
    OUTCOME_COLUMNS,
    OUTCOME_GROUPS,
    build_report,
    render_scrape,
    rendered,
)

import gxnianbao
import gxnianbao.parse
from gxnianbao.bind.table import BoundTable
from gxnianbao.recover import Recovery, RecoverySettings, recover_table
from gxnianbao.recover.proof import IMPOSSIBLE, identities_named
from gxnianbao.templates.identities import Equation, equations

T4 = "review_litigation"
ISSUER = "某市某区人民政府"
TABLE4 = {
    "review": (1, 2, 1, 3),
    "litigation_direct": (3, 4, 1, 2),
    "litigation_after_review": (1, 3, 0, 2),
}
"""Results of table 4 (the 总计 follow): 行政复议 adds up to 7; one cell is 0, so empty."""


def scraped_table4(results: Mapping[str, Sequence[int]], *, review_total: int | None = None) -> str:
    """A scraped report whose table 4 lost its empty cells (its 0 cells dropped), with the
    written 行政复议 总计 replaced by ``review_total`` when given."""
    values = {
        (T4, group, column): results[group][i]
        for group in OUTCOME_GROUPS
        for i, column in enumerate(OUTCOME_COLUMNS[:4])
    }
    lines = render_scrape(build_report(ISSUER, 2022, Decimal(0), values)).split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("复议后起诉"))
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    numbers = [i for i in range(start + 1, end) if lines[i].strip().isdigit()]
    if review_total is not None:
        at = numbers[4]  # (all fifteen are written before the empty ones are dropped)
        assert lines[at] == str(sum(results["review"]))
        lines[at] = str(review_total)
    dropped = {i for i in numbers if lines[i].strip() == "0"}
    return "\n".join(line for i, line in enumerate(lines) if i not in dropped)


def _impossible(report: gxnianbao.Report) -> list[gxnianbao.Diagnostic]:
    return [d for d in report.diagnostics if d.code == IMPOSSIBLE]


def test_the_consistent_scrape_has_no_proof_of_inconsistency() -> None:
    report = gxnianbao.parse_report(scraped_table4(TABLE4))
    assert _impossible(report) == []
    assert [f for f in gxnianbao.validate(report) if f.rule == "identities-unsatisfiable"] == []
    assert report.cell(T4, "review", "total").value == 7


def test_total_changed_from_7_to_8_fails_naming_the_numbers_as_written() -> None:
    text = scraped_table4(TABLE4, review_total=8)
    report = gxnianbao.parse_report(text)
    (d,) = _impossible(report)
    assert (d.severity, d.table, d.row) == ("error", T4, None)
    written = ["1", "2", "1", "3", "8", "3", "4", "1", "2", "10", "1", "3", "2", "6"]
    assert [t.raw for t in d.numbers] == written
    for token in d.numbers:
        assert text[token.span.start : token.span.end] == token.raw
    assert d.span is not None and d.span == d.numbers[0].span
    assert identities_named(d.message) == (
        "t4-group-total/review",
        "t4-group-total/litigation_after_review",
    )
    # Nothing was placed from the broken row: no wrong number.
    assert all(
        report.cell(T4, g, c).status.value == "ambiguous"
        for g in OUTCOME_GROUPS
        for c in OUTCOME_COLUMNS
    )
    (f,) = [f for f in gxnianbao.validate(report) if f.rule == "identities-unsatisfiable"]
    assert (f.status, f.severity) == ("fail", "error")
    assert f.message == (
        f"表四的数据行（原文第{d.span.line}行）写有的数字（1、2、1、3、8、3、4、1、2、10、1、3、2、6）"
        "无论怎样放入该行的单元格，都不能使以下勾稽关系同时成立："
        '表四"行政复议"：总计应等于结果维持、结果纠正、其他结果、尚未审结之和；'
        '表四"行政诉讼（复议后起诉）"：总计应等于结果维持、结果纠正、其他结果、尚未审结之和。'
        "请核对这些数字。"
    )
    assert f.span == d.span
    assert f.cells[:5] == tuple(
        f"{T4}.review.{c}" for c in ("total", "upheld", "corrected", "other", "pending")
    )
    # Selected by its id and by its family, like every rule.
    assert gxnianbao.validate(report, rules=["identities-unsatisfiable"]) == [f]
    assert f in gxnianbao.validate(report, rules=["identities"])


def test_a_row_cut_short_by_the_budget_proves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    text = scraped_table4(TABLE4, review_total=8)
    assert _impossible(gxnianbao.parse_report(text))
    tight = RecoverySettings(budget=5)

    def recover_tightly(table: BoundTable, eqs: Iterable[Equation]) -> Recovery:
        return recover_table(table, eqs, tight)

    monkeypatch.setattr(gxnianbao.parse, "recover_table", recover_tightly)
    cut = gxnianbao.parse_report(text)
    assert _impossible(cut) == []
    assert any(d.code == "recovery-budget-exhausted" for d in cut.diagnostics)
    assert not any(f.rule == "identities-unsatisfiable" for f in gxnianbao.validate(cut))


@settings(max_examples=settings.default.max_examples // 2)
@given(rendered())
def test_a_consistent_report_is_never_proven_inconsistent(case: tuple[str, object, str]) -> None:
    """Soundness: a report whose numbers keep every identity gets no such fail, whatever its
    layout dropped or merged."""
    _, _, text = case
    report = gxnianbao.parse_report(text)
    assert _impossible(report) == []
    assert not any(f.rule == "identities-unsatisfiable" for f in gxnianbao.validate(report))


@given(
    st.fixed_dictionaries(
        {g: st.tuples(*[st.sampled_from([0, 0, 1, 2, 3])] * 4) for g in OUTCOME_GROUPS}
    ),
    st.integers(1, 3),
)
def test_a_proof_names_only_a_total_that_was_broken(
    results: Mapping[str, Sequence[int]], more: int
) -> None:
    """With 行政复议 总计 raised, any proof found names the broken identity, and the row's
    cells stay unknown or are right where placed."""
    if not sum(results["review"]):
        return
    report = gxnianbao.parse_report(
        scraped_table4(results, review_total=sum(results["review"]) + more)
    )
    for d in _impossible(report):
        assert "t4-group-total/review" in identities_named(d.message)
    clean = gxnianbao.parse_report(scraped_table4(results))
    assert _impossible(clean) == []


def test_check_fails_the_report_through_the_real_entry_point(tmp_path: Path) -> None:
    """``gxnianbao check``: the consistent scrape exits 0; with 8 it exits 1 on this rule."""
    outcomes = {}
    for name, total in (("seven", None), ("eight", 8)):
        path = tmp_path / f"{name}.txt"
        path.write_text(scraped_table4(TABLE4, review_total=total), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "gxnianbao", "check", str(path)],
            capture_output=True,
            timeout=120,
        )
        outcomes[name] = (proc.returncode, proc.stdout.decode("utf-8"))
    assert outcomes["seven"][0] == 0
    assert "identities-unsatisfiable" not in outcomes["seven"][1]
    assert outcomes["eight"][0] == 1
    assert "identities-unsatisfiable" in outcomes["eight"][1]
    assert "（1、2、1、3、8、3、4、1、2、10、1、3、2、6）" in outcomes["eight"][1]


def test_a_glued_row_no_split_fits_is_proven_too() -> None:
    """A run of digits (a flattened page) no split of which satisfies the identities, every
    split tried: proven, beside its ``glued-digits-inconsistent`` note."""
    from test_glued_digits import _long_run, glued_table

    r = build_report(ISSUER, 2022, Decimal(0), {})
    bound, _ = glued_table(r, "applications", ["received"])
    _long_run(bound, "received", "9999999")
    recover_table(bound, equations("2021"))
    (d,) = [d for d in bound.diagnostics if d.code == IMPOSSIBLE]
    assert (d.severity, d.row, [t.raw for t in d.numbers]) == ("error", "received", ["9999999"])
    assert "9999999" in d.message and identities_named(d.message)
    assert [d.code for d in bound.diagnostics if d.row == "received"].count(
        "glued-digits-inconsistent"
    ) == 1
    # A run that cannot be cut into the row's cells at all is no proof about identities.
    bound, _ = glued_table(r, "applications", ["received"])
    _long_run(bound, "received", "1" * 400)
    recover_table(bound, equations("2021"))
    assert not [d for d in bound.diagnostics if d.code == IMPOSSIBLE]
