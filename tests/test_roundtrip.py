"""Round trips: a generated report rendered in any layout parses back to exactly its cells.

Why: binding by label must give every cell's value and status whatever the layout and however
the labels and numbers are written; a generated report knows the answer for all 200 cells.
"""

from __future__ import annotations

import contextlib
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import reportgen
from reportgen import (
    ALL_KEYS,
    APP_COLUMNS,
    APP_ROWS,
    FEE_KEY,
    GAP_LAYOUTS,
    LAYOUTS,
    OUTCOME_COLUMNS,
    OUTCOME_GROUPS,
    SUBSECTIONS,
    TABLE2_ROWS,
    GenReport,
    Layout,
    Style,
    build_report,
    diagnostic_problems,
    identity_violations,
    render,
    render_scrape,
    reports,
    reports_with_gaps,
    span_position_mismatches,
    styles,
)

import gxnianbao

ROUNDTRIP = settings(reportgen.ROUNDTRIP)


# --- checking one parse --------------------------------------------------------------------


def cell_mismatches(
    report: gxnianbao.Report, r: GenReport, text: str, *, uncertain_ends: bool = False
) -> list[str]:
    """The shared check of every cell, plus: each record names its own key, and each span's
    line and column are where its offset is in the text."""
    problems = reportgen.cell_mismatches(report, r, text, uncertain_ends=uncertain_ends)
    for key in r.keys():
        with contextlib.suppress(KeyError):  # a missing cell is named already
            rec = report.cell(*key)
            if (rec.table, rec.row, rec.column) != key:
                problems.append(f"{'.'.join(key)}: record names {(rec.table, rec.row, rec.column)}")
    return problems + span_position_mismatches(report, r, text)


def check_cells(layout: Layout, r: GenReport, style: Style, *, plain: bool) -> None:
    """Parse the rendering; every cell, and no error or structure diagnostics."""
    text = render(layout, r, style)
    note(text)
    report = gxnianbao.parse_report(text)
    assert isinstance(report, gxnianbao.Report)
    problems = cell_mismatches(report, r, text, uncertain_ends=layout == "tab_rows")
    # Exact layouts give every row exactly its cells, so nothing needs guessing there.  Tab rows
    # as seed 001 writes them carry merged-cell empties at both ends of some rows.
    problems += diagnostic_problems(report, exact=plain and layout != "tab_rows")
    assert not problems, f"{layout}: {len(problems)} problem(s):\n" + "\n".join(problems[:25])


def check_meta(layout: Layout, r: GenReport, style: Style) -> None:
    """Parse the rendering; issuer, year, template, date, title and 信息处理费."""
    text = render(layout, r, style)
    note(text)
    report = gxnianbao.parse_report(text)
    problems: list[str] = []
    meta = report.meta
    if meta.issuer != r.issuer:
        problems.append(f"meta.issuer: expected {r.issuer!r}, got {meta.issuer!r}")
    if meta.year != r.year:
        problems.append(f"meta.year: expected {r.year}, got {meta.year!r}")
    if meta.template != "2021":
        problems.append(f"meta.template: expected '2021', got {meta.template!r}")
    published = r.published if layout == "scrape" else None
    if meta.published != published:
        problems.append(f"meta.published: expected {published!r}, got {meta.published!r}")
    if report.processing_fee != r.fee or (r.fee is None) != (report.processing_fee is None):
        problems.append(f"processing_fee: expected {r.fee!r}, got {report.processing_fee!r}")
    elif r.fee is not None and not isinstance(report.processing_fee, Decimal):
        problems.append(f"processing_fee {report.processing_fee!r} is not a Decimal")
    title = "".join((meta.title or "").split())
    if r.issuer not in title or str(r.year) not in title:
        problems.append(f"meta.title {meta.title!r} lacks the issuer or the year")
    assert not problems, f"{layout}: {len(problems)} problem(s):\n" + "\n".join(problems)


# --- the generator itself (needs no parser) --------------------------------------------------


@settings(max_examples=2 * settings.default.max_examples)
@given(reports())
def test_generated_reports_satisfy_every_identity(r: GenReport) -> None:
    assert set(r.cells) == set(ALL_KEYS)
    assert identity_violations(r) == []
    assert r.gaps == {}


def test_identity_check_catches_a_broken_report() -> None:
    """The generator's oracle must itself be able to fail."""
    r = build_report("某市司法局", 2022, None, {("applications", "granted", "natural_person"): 2})
    assert identity_violations(r) == []
    broken = dict(r.cells)
    broken[("applications", "total", "natural_person")] = 3
    bad = GenReport(r.issuer, r.year, r.fee, broken)
    assert identity_violations(bad) == [
        "（七）总计[natural_person] 3 != sum of results 2",
        "一+二 != （七）+四 in natural_person: 2 != 3",
        "row total: total 2 != 3",
    ]


@settings(max_examples=2 * settings.default.max_examples)
@given(reports_with_gaps())
def test_generated_gaps_are_cells_of_the_template(r: GenReport) -> None:
    assert r.gaps
    assert set(r.gaps) <= set(ALL_KEYS)
    assert set(r.gaps.values()) <= {"blank", "na"}
    # An unlabelled row's empty first cell would read as a merge artefact: never generated.
    assert r.gaps.get(("review_litigation", "review", "upheld")) != "blank"
    assert identity_violations(r) == []


def test_keys_are_the_library_template_keys() -> None:
    """keys.md as written out in reportgen, against the library's own template data."""
    from gxnianbao.templates import TEMPLATE_2021

    library = [
        (table.key, row.key, col.key)
        for table in TEMPLATE_2021.tables
        for row in table.rows
        for col in row.columns
    ]
    assert library == list(ALL_KEYS)
    assert len(ALL_KEYS) == 10 + 25 * 7 + 3 * 5


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=settings.default.max_examples // 2)
@given(r=reports(), data=st.data())
def test_renderers_are_deterministic(layout: Layout, r: GenReport, data: st.DataObject) -> None:
    s = data.draw(styles(layout, perturbed=True))
    assert render(layout, r, s) == render(layout, r, s)


def test_scrape_cannot_show_gaps() -> None:
    r = build_report("某区", 2022, None, {}, gaps={("applications", "total", "total"): "blank"})
    with pytest.raises(ValueError, match="drops empty cells"):
        render_scrape(r)


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
@ROUNDTRIP
@given(data=st.data())
def test_cells_roundtrip(layout: Layout, data: st.DataObject) -> None:
    """Every cell comes back with its value, status ``reported`` and an exact span."""
    r = data.draw(reports(), label="report")
    style = data.draw(styles(layout), label="style")
    check_cells(layout, r, style, plain=True)


@pytest.mark.parametrize("layout", GAP_LAYOUTS)
@ROUNDTRIP
@given(data=st.data())
def test_cells_roundtrip_with_gaps(layout: Layout, data: st.DataObject) -> None:
    """Blank cells come back ``blank`` and ``/`` cells ``not_applicable``, both without value."""
    r = data.draw(reports_with_gaps(), label="report")
    style = data.draw(styles(layout), label="style")
    check_cells(layout, r, style, plain=True)


@pytest.mark.parametrize("layout", LAYOUTS)
@ROUNDTRIP
@given(data=st.data())
def test_cells_roundtrip_perturbed(layout: Layout, data: st.DataObject) -> None:
    """Spaced / variant / split labels, full-width or padded numbers, units, 2、 headings..."""
    gen = reports_with_gaps() if layout in GAP_LAYOUTS else reports()
    r = data.draw(gen, label="report")
    style = data.draw(styles(layout, perturbed=True), label="style")
    check_cells(layout, r, style, plain=False)


@pytest.mark.parametrize("layout", LAYOUTS)
@ROUNDTRIP
@given(data=st.data())
def test_meta_roundtrip(layout: Layout, data: st.DataObject) -> None:
    """Issuer, year, publication date (scrape) and 信息处理费 come back exactly."""
    r = data.draw(reports(), label="report")
    style = data.draw(styles(layout, perturbed=data.draw(st.booleans())), label="style")
    check_meta(layout, r, style)


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(
    max_examples=settings.default.max_examples // 2, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_narrative_parts(layout: Layout, data: st.DataObject) -> None:
    """Part 一's five sub-heads with their keys; parts 五 and 六 present."""
    r = data.draw(reports(), label="report")
    style = data.draw(styles(layout, perturbed=data.draw(st.booleans())), label="style")
    text = render(layout, r, style)
    note(text)
    report = gxnianbao.parse_report(text)
    assert report.overview is not None
    subs = report.overview.subsections
    assert [(s.number, s.key) for s in subs] == [(num, key) for num, key, _ in SUBSECTIONS]
    assert report.problems is not None and "仍存在一些不足" in "".join(report.problems.split())
    assert report.other_matters is not None


# --- a worked example, read through the typed attributes -----------------------------------

WORKED = build_report(
    "重庆市綦江区司法局",
    2023,
    Decimal(3940),
    {
        ("active_disclosure", "normative_documents", "issued"): 14,
        ("active_disclosure", "normative_documents", "repealed"): 35,
        ("active_disclosure", "normative_documents", "in_force"): 199,
        ("active_disclosure", "licensing", "decisions"): 75458,
        ("active_disclosure", "punishment", "decisions"): 229036,
        ("active_disclosure", "coercion", "decisions"): 11908,
        FEE_KEY: Decimal("16197.02"),
        ("applications", "granted", "natural_person"): 16,
        ("applications", "granted", "commercial"): 1,
        ("applications", "partially_granted", "natural_person"): 8,
        ("applications", "partially_granted", "legal_service"): 1,
        ("applications", "withheld.state_secret", "natural_person"): 3,
        ("applications", "withheld.internal_affairs", "natural_person"): 2,
        ("applications", "unavailable.not_held", "natural_person"): 9,
        ("applications", "not_processed.duplicate", "other_org"): 4,
        ("applications", "other.other", "research"): 1,
        ("applications", "carried_over", "natural_person"): 2,
        ("applications", "carried_forward", "natural_person"): 5,
        ("review_litigation", "review", "upheld"): 5,
        ("review_litigation", "review", "other"): 1,
        ("review_litigation", "review", "pending"): 1,
        ("review_litigation", "litigation_direct", "corrected"): 2,
        ("review_litigation", "litigation_after_review", "upheld"): 1,
    },
)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("perturbed", [False, True], ids=["plain", "perturbed"])
def test_worked_example_through_typed_attributes(layout: Layout, perturbed: bool) -> None:
    style = Style(seed=7) if not perturbed else Style(
        seed=11, spaced_labels=True, variant_labels=True, fullwidth_digits=True,
        thousands=True, units=True, padded_values=True, arabic_headings=True, bookmark=True,
    )  # fmt: skip
    text = render(layout, WORKED, style)
    report = gxnianbao.parse_report(text)
    ad = report.active_disclosure
    assert ad is not None
    assert (ad.normative_documents.issued, ad.normative_documents.repealed) == (14, 35)
    assert ad.normative_documents.in_force == 199
    assert ad.regulations.in_force == 0
    assert (ad.licensing.decisions, ad.punishment.decisions) == (75458, 229036)
    assert ad.coercion.decisions == 11908
    assert ad.fees.amount_wan_yuan == Decimal("16197.02")
    apps = report.applications
    assert apps is not None
    assert apps.received.natural_person == 41  # 38 results + 5 forward - 2 over
    assert apps.received.total == 48
    assert apps.withheld.state_secret.natural_person == 3
    assert apps.withheld.internal_affairs.total == 2
    assert apps.unavailable.not_held.total == 9
    assert apps.not_processed.duplicate.other_org == 4
    assert apps.other.other.research == 1
    assert apps.total.total == 45
    assert apps.carried_forward.total == 5
    rl = report.review_litigation
    assert rl is not None
    assert (rl.review.upheld, rl.review.other, rl.review.pending, rl.review.total) == (5, 1, 1, 7)
    assert (rl.litigation_direct.corrected, rl.litigation_direct.total) == (2, 2)
    assert rl.litigation_after_review.total == 1
    assert cell_mismatches(report, WORKED, text) == []
    assert report.processing_fee == Decimal(3940)
    assert (report.meta.issuer, report.meta.year) == ("重庆市綦江区司法局", 2023)


def test_worked_example_is_consistent() -> None:
    assert identity_violations(WORKED) == []
    rows = [row for row, _ in TABLE2_ROWS]
    assert rows[-1] == "fees" and APP_ROWS[-2:] == ("total", "carried_forward")
    assert WORKED.cells[("applications", "total", "total")] == 45
    assert WORKED.cells[("applications", "received", "total")] == 48
    assert sum(WORKED.cells[("review_litigation", g, "total")] for g in OUTCOME_GROUPS) == 10
    assert len(APP_COLUMNS) == 7 and len(OUTCOME_COLUMNS) == 5


def test_checker_reports_exactly_the_wrong_cells() -> None:
    """The comparison must be able to fail, and name the cell, the expectation and the result."""
    text = render("word_cells", WORKED, Style(seed=3))
    report = gxnianbao.parse_report(text)
    wrong = dict(WORKED.cells)
    wrong[("applications", "granted", "natural_person")] = 17
    gaps = {("active_disclosure", "regulations", "issued"): "na"}
    other = GenReport(WORKED.issuer, WORKED.year, WORKED.fee, wrong, gaps)  # type: ignore[arg-type]
    found = cell_mismatches(report, other, text)
    assert [line.split(" (raw=")[0] for line in found] == [
        "active_disclosure.regulations.issued: expected not_applicable None, got reported 0",
        "applications.granted.natural_person: expected reported 17, got reported 16",
    ]


TITLES = {
    "one-line": "{i}{y}年政府信息公开工作年度报告",
    "one-line-niandu": "{i}{y}年度政府信息公开工作年度报告",
    "issuer-above": "{i}\n{y}年政府信息公开工作年度报告",
    "issuer-above-blank-lines": "\n\n{i}\n\n{y} 年政府信息公开年度报告\n",
    "year-split": "{i}{y}年\n政府信息公开工作年度报告",
    "year-split-niandu": "{i}{y}年度\n政府信息公开工作年度报告",
    "year-split-niandu-blank-line": "{i}{y}年度\n\n政府信息公开工作年度报告",
    "markdown": "# {i}{y}年政府信息公开工作年度报告",
    "markdown-two-lines": "# {i}\n\n# {y}年度政府信息公开工作年度报告",
}


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
def test_title_shapes(title: str) -> None:
    """Issuer and year from every title shape the renderers produce (seeds 000–004 and kin)."""
    body = render("word_cells", WORKED, Style(seed=1)).split("\n\n", 1)[1]
    text = title.format(i="佳木斯市前进区司法局", y=2023) + "\n\n" + body
    meta = gxnianbao.parse_report(text).meta
    assert (meta.issuer, meta.year) == ("佳木斯市前进区司法局", 2023)
