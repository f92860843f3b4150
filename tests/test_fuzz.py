"""Fuzzing: no input makes the parser or a reader crash, and what it reports is self-consistent.

Why: real reports arrive truncated, with lines lost or doubled, or are not reports at all; the
tolerant parser must still return a Report, strict mode must raise only the library's errors,
and every reported number must point at the text it came from.  The readers get real PDF,
DOCX, HTML and text files damaged the same ways (``tests/mutations.py``; a longer run
is ``benchmarks/fuzz_readers.py``) and must return a Report or raise a ``gxnianbao`` error.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutations import KINDS, MUTATIONS, SEED_FILES, Mutation, kind_of, mutate
from reportgen import (
    APP_GROUP_LABELS,
    APP_HEADERS,
    APP_ROW_LABELS,
    LAYOUTS,
    OUTCOME_HEADERS,
    SECTION_TITLES,
    T2_ROW_LABELS,
    mutate_lines,
    mutated_texts,
    render,
    reports,
    styles,
)

import gxnianbao
from gxnianbao.templates import TEMPLATES

FUZZ = settings(
    max_examples=3 * settings.default.max_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STATUSES = {"reported", "blank", "not_applicable", "missing", "inferred", "ambiguous"}
WITH_VALUE = {"reported", "inferred"}

_NUMBER_TEXT = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+", ",，")


def _number(written: str) -> Decimal:
    """The value of a span's text (full-width digits and thousands separators allowed)."""
    try:
        return Decimal(written.translate(_NUMBER_TEXT))
    except InvalidOperation:
        raise AssertionError(f"span text {written!r} is not a number") from None


def check_consistent(report: Any, text: str) -> None:
    """What holds for any parse of any text: statuses, values, spans, exports."""
    assert isinstance(report, gxnianbao.Report)
    keys = []
    for rec in report.cells():
        keys.append((rec.table, rec.row, rec.column))
        status = str(rec.status)
        assert status in STATUSES, rec
        assert (rec.value is not None) == (status in WITH_VALUE), rec
        if status == "reported":
            span = rec.span
            assert span is not None, rec
            assert 0 <= span.start < span.end <= len(text), rec
            assert _number(text[span.start : span.end]) == rec.value, rec
            assert span.line == text.count("\n", 0, span.start) + 1, rec
    # Tables present list their cells in template order.
    template = TEMPLATES[report.meta.template or "2021"]
    expected = [(t.key, r.key, c.key) for t in template.tables for r in t.rows for c in r.columns]
    assert keys == [k for k in expected if k[0] in {t.key for t in report.tables()}]
    for diag in report.diagnostics:
        assert diag.severity in ("error", "warning", "info"), diag
        assert isinstance(diag.code, str) and diag.code, diag
        if diag.span is not None:
            assert 0 <= diag.span.start <= diag.span.end <= len(text), diag
        for token in diag.numbers:
            assert _number(text[token.span.start : token.span.end]) == token.value, token
    if report.processing_fee is not None:
        assert isinstance(report.processing_fee, Decimal)
        assert report.processing_fee >= 0
    json.dumps(report.to_dict())
    records = report.to_records()
    assert len(records) == len(keys) + sum(len(e.cells) for e in report.extra_rows)
    json.dumps(records)


def check_strict(text: str) -> None:
    """Strict mode returns a Report or raises a GxnianbaoError; anything else is a bug."""
    try:
        report = gxnianbao.parse_report(text, strict=True)
    except gxnianbao.GxnianbaoError as err:
        if isinstance(err, gxnianbao.ParseError):
            assert err.line >= 1 and err.column >= 1, err
            assert isinstance(err.line_text, str)
        return
    assert isinstance(report, gxnianbao.Report)


# --- arbitrary text ------------------------------------------------------------------------

_TOKENS: list[str] = [
    "\t", "\t", "\n", "\n", "\n\n", " ", "\u3000", "\u2002", "|", "| ", " |", "|---|---|", "\\|",
    "0", "0", "3", "12", "３", "１２", "1,234", "16197.02", "3940元", "16197.02万元", "-8", "+1036",
    "/", "—", "无", "不适用", "-3-", "第2页", "[bookmark: _GoBack]", "# ", "## ", "2022年",
    "第二十条第（一）项", "第二十条第（八）项", "信息内容", "本年制发件数",
    "本年收费金额（单位：万元）",
    "申请人情况", "法人或其他组织", "日期:2023-03-31", "未收取信息处理费", "收取信息处理费3940元",
    "政府信息公开工作年度报告", "重庆市綦江区司法局", "本年新制作数量", "本年增/减",
    *(f"{n}、{t}" for n, ts in zip("一二三四五六", SECTION_TITLES.values(), strict=True)
      for t in ts),
    *(p + b for p, b, _ in APP_ROW_LABELS.values()),
    *(p + b for p, b, _ in APP_GROUP_LABELS.values()),
    *(b for _, b, _ in T2_ROW_LABELS.values()),
    *(h for hs in APP_HEADERS.values() for h in hs),
    *OUTCOME_HEADERS, "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉",
]  # fmt: skip

report_soup = st.lists(st.sampled_from(_TOKENS), max_size=300).map("".join)
"""Text made of report vocabulary: reaches the table and section code, unlike random text."""

any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("\t\n |/-—０１２0123456789一二三四五六（）().、总计其他元")),
    report_soup,
)


@FUZZ
@given(any_text)
@example("")
@example("\n\n\t\t\n")
@example("|")
@example("二、主动公开政府信息情况\n规章\t1\t2\t3\t4\t5\n")
@example("三、收到和处理政府信息公开申请情况\n（七）总计\t1\t0\t0\t0\t0\t0\t1\t9\n")
@example("四、政府信息公开行政复议、行政诉讼情况\n1\n")
def test_any_text_returns_a_consistent_report(text: str) -> None:
    check_consistent(gxnianbao.parse_report(text), text)


@FUZZ
@given(any_text)
def test_strict_mode_raises_only_library_errors(text: str) -> None:
    check_strict(text)


@pytest.mark.parametrize(
    "value",
    [b"\xe4\xb8\x80", bytearray(b"abc"), None, 0, 3.5, ["二、主动公开政府信息情况"], Path("x.txt")],
    ids=lambda v: type(v).__name__,
)
def test_non_str_input_raises_type_error_naming_the_type(value: object) -> None:
    with pytest.raises(TypeError) as info:
        gxnianbao.parse_report(value)  # type: ignore[arg-type]
    assert type(value).__name__ in str(info.value)


@given(st.one_of(st.binary(), st.integers(), st.none(), st.lists(st.text(), max_size=3)))
def test_any_non_str_raises_type_error(value: object) -> None:
    with pytest.raises(TypeError, match=type(value).__name__):
        gxnianbao.parse_report(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world",
        "今天天气很好。\n明天也是。\n",
        "\t\t\n\t\n",
        "| a | b |\n|---|---|\n| 1 | 2 |",
    ],
    ids=["empty", "english", "chinese-prose", "tabs", "markdown-table"],
)
def test_text_that_is_not_a_report(text: str) -> None:
    report = gxnianbao.parse_report(text)
    found = [d for d in report.diagnostics if d.code == "not-a-report"]
    assert len(found) == 1 and found[0].severity == "error"
    assert report.meta.issuer is None and report.meta.year is None
    assert all(str(c.status) == "missing" for c in report.cells())
    with pytest.raises(gxnianbao.NotAReportError) as info:
        gxnianbao.parse_report(text, strict=True)
    err = info.value
    assert isinstance(err, gxnianbao.ParseError) and isinstance(err, gxnianbao.GxnianbaoError)
    assert err.line >= 1 and err.column >= 1 and isinstance(err.line_text, str)


# --- rendered reports, damaged -------------------------------------------------------------


@FUZZ
@given(mutated_texts())
def test_damaged_reports_never_raise(text: str) -> None:
    """Lines deleted, duplicated, swapped, the text cut short: still a consistent Report."""
    note(text)
    check_consistent(gxnianbao.parse_report(text), text)


@FUZZ
@given(mutated_texts())
def test_damaged_reports_in_strict_mode_raise_only_library_errors(text: str) -> None:
    note(text)
    check_strict(text)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_truncation_of_a_small_report_is_consistent(data: st.DataObject) -> None:
    """Cutting a report at any point never raises (checked at every line end of one report)."""
    layout = data.draw(st.sampled_from(LAYOUTS))
    r = data.draw(reports())
    text = render(layout, r, data.draw(styles(layout)))
    ends = [i for i, ch in enumerate(text) if ch == "\n"]
    cut = data.draw(st.sampled_from(ends)) if ends else len(text)
    check_consistent(gxnianbao.parse_report(text[:cut]), text[:cut])


def test_mutate_lines_does_what_it_says() -> None:
    """The mutation helper itself: indices wrap, truncation is modulo the length."""
    text = "a\nb\nc"
    assert mutate_lines(text, [("delete", 1, 0)]) == "a\nc"
    assert mutate_lines(text, [("duplicate", 4, 0)]) == "a\nb\nb\nc"
    assert mutate_lines(text, [("swap", 0, 2)]) == "c\nb\na"
    assert mutate_lines(text, [], truncate_at=3) == "a\nb"
    assert mutate_lines(text, [], truncate_at=6) == ""


# --- the readers: real files, damaged (issue 16) -------------------------------------------

_SEED_BYTES = {path.name: path.read_bytes() for path in SEED_FILES}
_edits = st.lists(
    st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 2**32), st.integers(0, 2**32)),
    min_size=1,
    max_size=4,
)
_READERS = settings(
    max_examples=settings.default.max_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_file(data: bytes, kind: str | None, strict: bool) -> None:
    """``parse_file`` returns a Report or raises a GxnianbaoError; anything else is a bug.

    A damaged scan is not recognised here (OCR costs seconds a page: tests/test_ocr*.py read
    scans); without the extra it ends in the typed NeedsOCRError, which is what is checked."""
    try:
        with mock.patch("gxnianbao.read.ocr.available.ocr_available", return_value=False):
            report = gxnianbao.parse_file(data, kind=kind, strict=strict)
    except gxnianbao.GxnianbaoError:
        return
    assert isinstance(report, gxnianbao.Report)
    json.dumps(report.to_dict())
    json.dumps(report.to_records())


@_READERS
@given(
    seed=st.sampled_from(sorted(_SEED_BYTES)),
    other=st.sampled_from(sorted(_SEED_BYTES)),
    edits=_edits,
    kind=st.sampled_from(KINDS),
    strict=st.booleans(),
)
@example(seed="basic-small.pdf", other="cms_article.html", edits=[("splice", 60_000, 4000)],
         kind=None, strict=False)  # fmt: skip
@example(
    seed="libreoffice-plain-2022.docx",
    other="word_cells.txt",
    edits=[("flip", 2000, 7), ("duplicate", 9000, 900)],
    kind="docx",
    strict=True,
)
def test_damaged_files_give_a_report_or_a_typed_error(
    seed: str, other: str, edits: list[Mutation], kind: str | None, strict: bool
) -> None:
    """Real PDF, DOCX, HTML and text files cut short, with bytes flipped, chunks doubled or
    another file spliced in, read as what they are or forced to any kind."""
    data = mutate(_SEED_BYTES[seed], _SEED_BYTES[other], edits)
    note(f"{len(data)} bytes")
    check_file(data, kind_of(seed, kind), strict)


_TEXT_SEEDS = sorted(name for name in _SEED_BYTES if name.endswith(".txt"))


@_READERS
@given(seed=st.sampled_from(_TEXT_SEEDS), other=st.sampled_from(sorted(_SEED_BYTES)), edits=_edits)
def test_damaged_text_files_parse_consistently(
    seed: str, other: str, edits: list[Mutation]
) -> None:
    """The same damage to a text report, decoded as a crawler would (UTF-8, errors replaced):
    ``parse_report`` returns a consistent Report (a binary splice brings in any character)."""
    text = mutate(_SEED_BYTES[seed], _SEED_BYTES[other], edits).decode("utf-8", "replace")
    check_consistent(gxnianbao.parse_report(text), text)
    check_strict(text)
