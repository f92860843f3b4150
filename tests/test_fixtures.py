"""Hand-written reports, one per text layout, against hand-written expectations.

Each ``tests/fixtures/NAME.txt`` has a ``NAME.expected.json`` beside it:

- ``meta``: issuer, year, title, published (``YYYY-MM-DD`` or null), template;
- ``processing_fee``: 信息处理费 in yuan as a decimal string, or null;
- ``tables`` (optional): table keys whose typed table must be None (the 2019 template);
- ``cells``: ``"table.row.column": [value, status]`` for every cell ``report.cells()`` yields,
  in template order; value is a decimal string or null; an optional third element is the number
  exactly as written when that differs from the value (``"１２"``, ``"1,234"``);
- ``diagnostics``: ``[code, table, row]``, the exact multiset of the diagnostics whose code is in
  ``ASSERTED_CODES`` (other codes are not asserted here).

The expectations follow the binding rules (rows by label, merge artefacts ignored, a row whose
numbers do not fit its cells keeps only the values every placement agrees on), not the parser's
current behaviour; a failure lists every differing cell at once.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

import gxnianbao

ASSERTED_CODES = frozenset(
    {"row-count-mismatch", "not-a-report", "noise-ignored"}
)
REQUIRED = (
    "tab_rows", "word_cells", "scrape", "markdown", "variants", "template2019", "not_a_report",
    "template2019_word_cells", "template2019_markdown", "template2019_tab_rows",
)  # fmt: skip

APP_COLS = (
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
)  # fmt: skip
OUTCOME_ROWS = (
    "granted", "partially_granted",
    "withheld.state_secret", "withheld.prohibited_by_law", "withheld.security_stability",
    "withheld.third_party_rights", "withheld.internal_affairs", "withheld.process_information",
    "withheld.enforcement_files", "withheld.inquiry_matters",
    "unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear_after_correction",
    "not_processed.petition_complaint", "not_processed.duplicate", "not_processed.publication",
    "not_processed.mass_repetitive", "not_processed.confirmation",
    "other.overdue_correction", "other.unpaid_fee", "other.other",
)  # fmt: skip
APP_ROWS = ("received", "carried_over", *OUTCOME_ROWS, "total", "carried_forward")
# 2019: （六）其他处理 is a single row.
OUTCOME_ROWS_2019 = (*(r for r in OUTCOME_ROWS if not r.startswith("other.")), "other")
APP_ROWS_2019 = ("received", "carried_over", *OUTCOME_ROWS_2019, "total", "carried_forward")
RL_ROWS = ("review", "litigation_direct", "litigation_after_review")
RL_PARTS = ("upheld", "corrected", "other", "pending")

FIXTURE_PATHS = sorted(FIXTURES.glob("*.txt"))
SAMPLE = Path(gxnianbao.__file__).resolve().parent / "samples" / "sample-2022.txt"


# --- helpers -------------------------------------------------------------------------------


def _read(path: Path) -> str:
    """The exact text (no newline translation), so offsets match the file."""
    return path.read_bytes().decode("utf-8")


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8")
    )
    return data


@functools.cache
def _parsed(name: str) -> tuple[str, Any]:
    """Parse each fixture once (non-strict, binder only: recovery is tested apart)."""
    text = _read(FIXTURES / f"{name}.txt")
    return text, gxnianbao.parse_report(text, recover=False)


def _split_key(key: str) -> tuple[str, str, str]:
    table, rest = key.split(".", 1)
    row, column = rest.rsplit(".", 1)
    return table, row, column


def _show(value: object) -> str:
    return "None" if value is None else f"{type(value).__name__}({value})"


def _value_ok(key: str, expected: str | None, got: object) -> bool:
    """Counts are ints; money (2021's 万元 fee, 2019's 采购总金额) is a Decimal; None otherwise."""
    if expected is None:
        return got is None
    if key.endswith((".amount_wan_yuan", ".procurement.amount")):
        return isinstance(got, Decimal) and got == Decimal(expected)
    return type(got) is int and got == int(expected)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _identity_check(values: Mapping[str, Decimal | None]) -> tuple[int, list[str]]:
    """Template identities over ``table.row.column`` values; a None term skips the identity.

    Returns how many identities could be checked and the ones that fail.
    """
    checked = 0
    failures: list[str] = []

    def check(name: str, lhs: list[str], rhs: list[str]) -> None:
        nonlocal checked
        terms = [values.get(k) for k in (*lhs, *rhs)]
        if any(t is None for t in terms):
            return
        checked += 1
        left = sum((values[k] or Decimal(0)) for k in lhs)
        right = sum((values[k] or Decimal(0)) for k in rhs)
        if left != right:
            failures.append(f"{name}: {left} != {right}")

    app = "applications"
    template_2019 = f"{app}.other.natural_person" in values
    outcome_rows = OUTCOME_ROWS_2019 if template_2019 else OUTCOME_ROWS
    app_rows = APP_ROWS_2019 if template_2019 else APP_ROWS
    if any(k.startswith(app + ".") for k in values):
        for col in (*APP_COLS, "total"):
            check(
                f"{col}: 一+二 = 三（七）+四",
                [f"{app}.received.{col}", f"{app}.carried_over.{col}"],
                [f"{app}.total.{col}", f"{app}.carried_forward.{col}"],
            )
            check(
                f"{col}: （七）总计 = sum of results",
                [f"{app}.total.{col}"],
                [f"{app}.{row}.{col}" for row in outcome_rows],
            )
        for row in app_rows:
            check(
                f"{row}: 总计 = sum of applicants",
                [f"{app}.{row}.total"],
                [f"{app}.{row}.{col}" for col in APP_COLS],
            )
    for row in RL_ROWS:
        check(
            f"{row}: 总计 = sum of outcomes",
            [f"review_litigation.{row}.total"],
            [f"review_litigation.{row}.{part}" for part in RL_PARTS],
        )
    return checked, failures


def _fixture_ids() -> list[Any]:
    return [pytest.param(p.stem, id=p.stem) for p in FIXTURE_PATHS]


# --- the fixture set itself ----------------------------------------------------------------


def test_fixture_set_is_complete() -> None:
    stems = {p.stem for p in FIXTURE_PATHS}
    assert set(REQUIRED) <= stems
    expectations = {p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json")}
    assert expectations == stems


@pytest.mark.parametrize("name", _fixture_ids())
def test_fixture_data_obeys_identities(name: str) -> None:
    """The fixtures' own numbers satisfy the template identities (blank read as 0).

    A blank 总计 is unknown, not 0: 2019 reports often leave the whole 总计 column empty.
    """
    expected = _expected(FIXTURES / f"{name}.txt")
    values: dict[str, Decimal | None] = {}
    for key, (value, status, *_raw) in expected["cells"].items():
        if status == "reported":
            values[key] = Decimal(value)
        elif status == "blank" and not key.endswith(".total"):
            values[key] = Decimal(0)
        else:
            values[key] = None
    checked, failures = _identity_check(values)
    assert failures == []
    if name not in ("not_a_report",):
        assert checked > 0


# --- parse results against expectations ----------------------------------------------------


@pytest.mark.parametrize("name", _fixture_ids())
def test_meta(name: str) -> None:
    _, report = _parsed(name)
    meta = report.meta
    published = meta.published
    if published is not None:
        assert isinstance(published, datetime.date)
        published = published.isoformat()
    got = {
        "issuer": meta.issuer,
        "year": meta.year,
        "title": meta.title,
        "published": published,
        "template": meta.template,
    }
    assert got == _expected(FIXTURES / f"{name}.txt")["meta"]


@pytest.mark.parametrize("name", _fixture_ids())
def test_processing_fee(name: str) -> None:
    _, report = _parsed(name)
    expected = _expected(FIXTURES / f"{name}.txt")["processing_fee"]
    if expected is None:
        assert report.processing_fee is None
    else:
        assert isinstance(report.processing_fee, Decimal)
        assert report.processing_fee == Decimal(expected)


@pytest.mark.parametrize("name", _fixture_ids())
def test_tables_present_or_absent(name: str) -> None:
    _, report = _parsed(name)
    absent = _expected(FIXTURES / f"{name}.txt").get("tables") or {}
    for key in ("active_disclosure", "applications", "review_litigation"):
        table = getattr(report, key)
        if key in absent:
            assert table is None, key
        else:
            assert table is not None, key
            assert table.key == key


@pytest.mark.parametrize("name", _fixture_ids())
def test_cells(name: str) -> None:
    """Every cell, in template order: status, value and its type; listed all at once."""
    _, report = _parsed(name)
    expected: dict[str, list[Any]] = _expected(FIXTURES / f"{name}.txt")["cells"]
    records = list(report.cells())
    got_keys = [f"{r.table}.{r.row}.{r.column}" for r in records]
    assert got_keys == list(expected), "cells() must yield every template cell in order"
    problems: list[str] = []
    for rec, (key, (value, status, *_raw)) in zip(records, expected.items(), strict=True):
        want_status = gxnianbao.Status(status)
        if rec.status != want_status or not _value_ok(key, value, rec.value):
            problems.append(
                f"{name}: {key}: expected {value} {status}, "
                f"got {_show(rec.value)} {rec.status.value}"
            )
        same = report.cell(*_split_key(key))
        if same != rec:
            problems.append(f"{name}: {key}: report.cell() differs from report.cells()")
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("name", _fixture_ids())
def test_provenance(name: str) -> None:
    """A reported cell's span is exactly the number as written; spans agree with line/column."""
    text, report = _parsed(name)
    expected: dict[str, list[Any]] = _expected(FIXTURES / f"{name}.txt")["cells"]
    problems: list[str] = []
    for rec in report.cells():
        key = f"{rec.table}.{rec.row}.{rec.column}"
        value, status, *raw = expected[key]
        if status != "reported" or rec.status != gxnianbao.Status.REPORTED:
            continue
        want = raw[0] if raw else value
        span = rec.span
        if span is None:
            problems.append(f"{name}: {key}: reported without a span")
            continue
        written = text[span.start : span.end]
        if written != want:
            problems.append(f"{name}: {key}: span gives {written!r}, expected {want!r}")
        if (span.line, span.column) != _line_col(text, span.start):
            problems.append(
                f"{name}: {key}: line/column {(span.line, span.column)} do not match offset "
                f"{span.start} {_line_col(text, span.start)}"
            )
    for diag in report.diagnostics:
        for token in diag.numbers:
            written = text[token.span.start : token.span.end]
            if written != token.raw:
                problems.append(
                    f"{name}: {diag.code} number {token.raw!r} spans {written!r} in the text"
                )
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("name", _fixture_ids())
def test_diagnostics(name: str) -> None:
    _, report = _parsed(name)
    got = Counter((d.code, d.table, d.row) for d in report.diagnostics if d.code in ASSERTED_CODES)
    want = Counter(tuple(d) for d in _expected(FIXTURES / f"{name}.txt")["diagnostics"])
    assert got == want


@pytest.mark.parametrize("name", _fixture_ids())
def test_to_dict_is_json(name: str) -> None:
    _, report = _parsed(name)
    json.dumps(report.to_dict(), ensure_ascii=False)
    records = report.to_records()
    extra = sum(len(row.cells) for row in report.extra_rows)  # local rows follow the template's
    assert len(records) == len(list(report.cells())) + extra
    json.dumps(records, ensure_ascii=False)


def test_row_count_mismatch_rows_in_detail() -> None:
    """The exact tokens of the two tab-rows mismatches and the dropped-cell scrape row."""
    _, report = _parsed("tab_rows")
    by_row = {d.row: d for d in report.diagnostics if d.code == "row-count-mismatch"}
    assert {d.severity for d in by_row.values()} == {"warning"}
    assert [t.raw for t in by_row["withheld.prohibited_by_law"].numbers] == ["0"] * 8
    assert [t.raw for t in by_row["unavailable.not_held"].numbers] == [
        "4", "0", "0", "0", "1", "0", "5", "5",
    ]  # fmt: skip
    _, report = _parsed("scrape")
    (diag,) = [d for d in report.diagnostics if d.code == "row-count-mismatch"]
    assert [t.raw for t in diag.numbers] == ["41", "3", "1", "0", "0", "45"]


# --- strict mode ---------------------------------------------------------------------------


def _first_number_line_after(text: str, label: str) -> int:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == label)
    for i in range(start + 1, len(lines)):
        if re.fullmatch(r"\d+", lines[i].strip()):
            return i + 1
    raise AssertionError(f"no number after {label!r}")


def test_strict_not_a_report_raises_with_position() -> None:
    text = _read(FIXTURES / "not_a_report.txt")
    with pytest.raises(gxnianbao.NotAReportError) as info:
        gxnianbao.parse_report(text, strict=True)
    err = info.value
    assert isinstance(err, gxnianbao.ParseError)
    assert isinstance(err, gxnianbao.GxnianbaoError)
    assert isinstance(err.line, int) and err.line >= 1
    assert isinstance(err.column, int) and err.column >= 1
    assert err.line_text.rstrip("\r\n") == text.split("\n")[err.line - 1]


def test_strict_scrape_raises_ambiguous_at_first_number_of_the_row() -> None:
    text = _read(FIXTURES / "scrape.txt")
    with pytest.raises(gxnianbao.AmbiguousCellError) as info:
        gxnianbao.parse_report(text, strict=True, recover=False)
    err = info.value
    assert isinstance(err, gxnianbao.ParseError)
    line = _first_number_line_after(text, "一、本年新收政府信息公开申请数量")
    assert err.line == line
    assert err.column == 1
    assert err.line_text.strip() == "41"


def test_strict_word_cells_parses_blank_and_not_applicable() -> None:
    text = _read(FIXTURES / "word_cells.txt")
    report = gxnianbao.parse_report(text, strict=True)
    status = gxnianbao.Status
    assert report.cell("applications", "carried_over", "commercial").status == status.BLANK
    assert report.cell("active_disclosure", "regulations", "issued").status == (
        status.NOT_APPLICABLE
    )
    assert report.cell("active_disclosure", "coercion", "decisions").status == (
        status.NOT_APPLICABLE
    )
    assert report.applications is not None and report.active_disclosure is not None
    assert report.applications.received.total == 10
    assert report.active_disclosure.licensing.decisions == 37


# --- the packaged sample -------------------------------------------------------------------


def test_sample_is_packaged_and_clean() -> None:
    """The demo report parses strictly, every cell reported, no warnings, identities hold."""
    text = _read(SAMPLE)
    report = gxnianbao.parse_report(text, strict=True)
    assert report.meta.issuer == "示例市临江区人力资源和社会保障局"
    assert report.meta.year == 2022
    assert report.meta.template == "2021"
    records = list(report.cells())
    assert len(records) == 10 + 25 * 7 + 15
    assert {r.status for r in records} == {gxnianbao.Status.REPORTED}
    assert [d for d in report.diagnostics if d.severity != "info"] == []
    values: dict[str, Decimal | None] = {
        f"{r.table}.{r.row}.{r.column}": Decimal(r.value or 0) for r in records
    }
    checked, failures = _identity_check(values)
    assert failures == []
    assert checked == 7 * 2 + 25 + 3
    assert report.processing_fee == Decimal(1200)
    assert report.active_disclosure is not None
    assert report.active_disclosure.fees.amount_wan_yuan == Decimal("12.6")


def test_sample_narrative_agrees_with_tables() -> None:
    """Counts the part 一 narrative states are the table's (what validators compare)."""
    text = _read(SAMPLE)
    report = gxnianbao.parse_report(text)
    apps = report.applications
    ad = report.active_disclosure
    rl = report.review_litigation
    assert apps is not None and ad is not None and rl is not None

    def stated(pattern: str) -> int:
        match = re.search(pattern, text)
        assert match is not None, pattern
        return int(match.group(1))

    assert stated(r"新收政府信息公开申请(\d+)件") == apps.received.total == 57
    assert stated(r"上年结转(\d+)件") == apps.carried_over.total
    assert stated(r"予以公开(\d+)件") == apps.granted.total
    assert stated(r"部分公开(\d+)件") == apps.partially_granted.total
    assert stated(r"共办结(\d+)件") == apps.total.total
    assert stated(r"结转下年度继续办理(\d+)件") == apps.carried_forward.total
    assert stated(r"制发行政规范性文件(\d+)件") == ad.normative_documents.issued
    assert stated(r"现行有效(\d+)件") == ad.normative_documents.in_force
    assert stated(r"行政许可决定(\d+)件") == ad.licensing.decisions
    assert stated(r"被申请行政复议(\d+)件") == rl.review.total
    direct, after_review = rl.litigation_direct.total, rl.litigation_after_review.total
    assert direct is not None and after_review is not None
    litigation = direct + after_review
    assert stated(r"被提起行政诉讼(\d+)件") == litigation
