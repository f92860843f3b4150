"""``gxnianbao.validate_series``: one issuer's reports over consecutive years.

Why: this year's 上年结转 is last year's 结转下年度继续办理, and the stock of 现行有效 documents
moves only by what was issued and repealed; a break between two reports that each look right
is invisible to the single-report rules.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportgen import APP_COLUMNS, APPLICANTS, CellKey, GenReport, build_report, reports
from test_rules import make_report

import gxnianbao
from gxnianbao import Report, Status

SERIES = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ISSUER = "某县司法局"
CARRY = tuple(f"series-carry-over/{c}" for c in APP_COLUMNS)
IN_FORCE = ("series-in-force/regulations", "series-in-force/normative_documents")


def year_report(
    year: int,
    *,
    over: dict[str, int] | None = None,
    forward: dict[str, int] | None = None,
    docs: dict[str, tuple[int, int, int]] | None = None,
    issuer: str = ISSUER,
) -> Report:
    """A valid report: 上年结转 / 结转下年度 per applicant column; (制发, 废止, 现行有效) per
    table 2 row."""
    values: dict[CellKey, int | Decimal] = {}
    for col, n in (over or {}).items():
        values[("applications", "carried_over", col)] = n
        values[("applications", "granted", col)] = n  # keeps 一 non-negative
    for col, n in (forward or {}).items():
        values[("applications", "carried_forward", col)] = n
    for row, (issued, repealed, in_force) in (docs or {}).items():
        values[("active_disclosure", row, "issued")] = issued
        values[("active_disclosure", row, "repealed")] = repealed
        values[("active_disclosure", row, "in_force")] = in_force
    return make_report(build_report(issuer, year, Decimal(0), values))


def summary(findings: list[gxnianbao.Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity, f.status) for f in findings]


def test_a_consistent_pair_gives_nothing_and_nine_passes_when_asked() -> None:
    last = year_report(2022, forward={"natural_person": 2}, docs={"normative_documents": (1, 0, 7)})
    this = year_report(2023, over={"natural_person": 2}, docs={"normative_documents": (3, 1, 9)})
    assert gxnianbao.validate_series([last, this]) == []
    passed = gxnianbao.validate_series([last, this], include_passed=True)
    assert [f.rule for f in passed] == [*CARRY, *IN_FORCE]
    assert {f.status for f in passed} == {"pass"}
    assert {f.severity for f in passed} == {"warning"}
    in_force = passed[-1]
    assert (in_force.left, in_force.right, in_force.difference) == (9, 9, 0)
    assert in_force.message == (
        '表二"行政规范性文件"：2023年现行有效件数（9）等于2022年现行有效件数（7）加2023年制发件数'
        "（3）减2023年废止件数（1）（9）。"
    )


def test_carry_over_broken_in_one_column() -> None:
    last = year_report(2022, forward={"natural_person": 2, "commercial": 1})
    this = year_report(2023, over={"natural_person": 3, "commercial": 1})
    findings = gxnianbao.validate_series([last, this])
    assert summary(findings) == [
        ("series-carry-over/natural_person", "warning", "fail"),
        ("series-carry-over/total", "warning", "fail"),
    ]
    person, total = findings
    assert person.cells == (
        "2023:applications.carried_over.natural_person",
        "2022:applications.carried_forward.natural_person",
    )
    assert (person.left, person.right, person.difference) == (3, 2, 1)
    assert (total.left, total.right, total.difference) == (4, 3, 1)
    assert person.message == (
        '表三"自然人"列：2023年报告的"二、上年结转政府信息公开申请数量"（3）不等于2022年报告的'
        '"四、结转下年度继续办理"（2），相差1。'
    )
    assert person.expression == (
        '本年"二、上年结转政府信息公开申请数量" = 上年"四、结转下年度继续办理"（自然人）'
    )
    assert person.spans == (
        this.cell("applications", "carried_over", "natural_person").span,
        last.cell("applications", "carried_forward", "natural_person").span,
    )


def test_in_force_stock_flow_broken() -> None:
    last = year_report(2021, docs={"regulations": (0, 0, 4)})
    this = year_report(2022, docs={"regulations": (2, 1, 4)})
    (finding,) = gxnianbao.validate_series([this, last])  # any order
    assert (finding.rule, finding.severity, finding.status) == (
        "series-in-force/regulations",
        "warning",
        "fail",
    )
    assert finding.cells == (
        "2022:active_disclosure.regulations.in_force",
        "2021:active_disclosure.regulations.in_force",
        "2022:active_disclosure.regulations.issued",
        "2022:active_disclosure.regulations.repealed",
    )
    assert (finding.left, finding.right, finding.difference) == (4, 5, -1)
    assert finding.message == (
        '表二"规章"：2022年现行有效件数（4）不等于2021年现行有效件数（4）加2022年制发件数（2）'
        "减2022年废止件数（1）（5），相差1。清理、机构调整等可能造成合理差异，请核实。"
    )
    assert (
        finding.expression
        == "规章：本年现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数"
    )


def test_unknown_cells_are_not_assessable() -> None:
    last = year_report(2022)
    this = year_report(2023)
    hidden = attrs.evolve(
        this,
        applications=None,
    )
    findings = gxnianbao.validate_series([last, hidden])
    assert summary(findings) == [(rule, "warning", "not_assessable") for rule in CARRY]
    assert findings[0].message == (
        '表三"自然人"列：2023年"二、上年结转政府信息公开申请数量"应等于2022年"四、结转下年度'
        '继续办理"，无法核对：2023年"二、上年结转政府信息公开申请数量·自然人"的数字未能确定。'
    )
    assert (findings[0].left, findings[0].right, findings[0].difference) == (None, None, None)


def test_blank_counts_as_zero_and_ambiguous_is_unknown() -> None:
    gen = build_report(ISSUER, 2023, Decimal(0), {})
    blank_over = attrs.evolve(gen, gaps={("applications", "carried_over", "research"): "blank"})
    this = make_report(
        blank_over,
        statuses={("active_disclosure", "regulations", "issued"): Status.AMBIGUOUS},
    )
    last = year_report(2022)
    findings = gxnianbao.validate_series([last, this], include_passed=True)
    by_rule = {f.rule: f.status for f in findings}
    assert by_rule["series-carry-over/research"] == "pass"
    assert by_rule["series-in-force/regulations"] == "not_assessable"
    assert by_rule["series-in-force/normative_documents"] == "pass"


def test_only_consecutive_years_are_compared() -> None:
    a = year_report(2021, forward={"natural_person": 1})
    b = year_report(2022)
    c = year_report(2024, forward={"natural_person": 5})
    d = year_report(2025)
    findings = gxnianbao.validate_series([d, c, b, a], include_passed=True)
    pairs = [f.cells[0].split(":")[0] for f in findings]
    assert pairs == ["2022"] * 9 + ["2025"] * 9
    assert [f.rule for f in findings if f.status == "fail"] == [
        "series-carry-over/natural_person",
        "series-carry-over/total",
        "series-carry-over/natural_person",
        "series-carry-over/total",
    ]
    assert gxnianbao.validate_series([a, c]) == []
    assert gxnianbao.validate_series([a]) == []
    assert gxnianbao.validate_series([]) == []


def test_more_than_one_issuer_is_refused() -> None:
    a = year_report(2022, issuer="甲县司法局")
    b = year_report(2023, issuer="乙县民政局")
    with pytest.raises(ValueError, match="one issuer") as err:
        gxnianbao.validate_series([a, b])
    assert "'甲县司法局'" in str(err.value) and "'乙县民政局'" in str(err.value)
    unnamed = attrs.evolve(b, meta=attrs.evolve(b.meta, issuer=None))
    with pytest.raises(ValueError, match="None"):
        gxnianbao.validate_series([a, unnamed])


def test_years_must_be_known_and_distinct() -> None:
    a = year_report(2022)
    b = year_report(2022)
    with pytest.raises(ValueError, match=r"more than one report for \[2022\]"):
        gxnianbao.validate_series([a, b])
    no_year = attrs.evolve(b, meta=attrs.evolve(b.meta, year=None))
    with pytest.raises(ValueError, match="year"):
        gxnianbao.validate_series([a, no_year])
    with pytest.raises(TypeError, match="Report"):
        gxnianbao.validate_series([a, "2023年度报告"])  # type: ignore[list-item]


def test_fingerprints_differ_between_years() -> None:
    reports = [year_report(y, forward={"natural_person": 1}) for y in (2021, 2022, 2023)]
    findings = gxnianbao.validate_series(reports)
    assert [f.rule for f in findings] == [
        "series-carry-over/natural_person",
        "series-carry-over/total",
    ] * 2
    assert len({f.fingerprint for f in findings}) == 4
    assert findings == gxnianbao.validate_series(list(reversed(reports)))


@SERIES
@given(reports(), reports())
def test_series_oracle(first: GenReport, second: GenReport) -> None:
    """Any two generated reports a year apart: exactly the columns and rows that disagree fail."""
    last = make_report(attrs.evolve(first, issuer=ISSUER, year=2022))
    this = make_report(attrs.evolve(second, issuer=ISSUER, year=2023))
    findings = gxnianbao.validate_series([this, last], include_passed=True)
    expected: dict[str, str] = {}
    for col in (*APPLICANTS, "total"):
        now = second.cells[("applications", "carried_over", col)]
        before = first.cells[("applications", "carried_forward", col)]
        expected[f"series-carry-over/{col}"] = "pass" if now == before else "fail"
    for row in ("regulations", "normative_documents"):
        a = second.cells[("active_disclosure", row, "in_force")]
        b = first.cells[("active_disclosure", row, "in_force")]
        flow = (
            second.cells[("active_disclosure", row, "issued")]
            - second.cells[("active_disclosure", row, "repealed")]
        )
        expected[f"series-in-force/{row}"] = "pass" if a == b + flow else "fail"
    assert {f.rule: f.status for f in findings} == expected
    assert len(findings) == 9
    for f in findings:
        if f.status == "fail":
            assert f.difference == f.left - f.right != 0  # type: ignore[operator]


@SERIES
@given(st.integers(2021, 2030), st.integers(0, 50), st.integers(0, 50), st.integers(0, 9))
def test_series_of_a_chain_holds(start: int, stock: int, issued: int, forward: int) -> None:
    """Reports built to chain correctly never fail, however many years."""
    reports = []
    in_force, carried = stock, 0
    for year in range(start, start + 3):
        repealed = min(issued, in_force)
        in_force = in_force + issued - repealed
        reports.append(
            year_report(
                year,
                over={"legal_service": carried} if carried else None,
                forward={"legal_service": forward},
                docs={"normative_documents": (issued, repealed, in_force)},
            )
        )
        carried = forward
    findings = gxnianbao.validate_series(reports, include_passed=True)
    assert len(findings) == 18
    assert {f.status for f in findings} == {"pass"}
