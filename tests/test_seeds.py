"""Golden tests on the five real seed reports in ../shared/seeds.

Every cell of tables 2-4 is checked against a hand-written expectation (value and status), with
the source span of every reported number, the row-count diagnostics, and a check that no number
written inside the tables is silently dropped.  The seeds are read in place, never copied.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from conftest import GOLDEN, SEEDS, shared_path

import gxnianbao
from gxnianbao import Report, Span, Status

SEED_IDS = ("000", "001", "002", "003", "004")
MISMATCH = "row-count-mismatch"

# A table cell that holds only a number: the number may be wrapped in spaces of any width
# (en space, ideographic space) and followed by a unit, but nothing else shares the cell, so
# digits inside labels ("1.属于国家秘密", "（单位：万元，保留4位小数）", "第二十条") never match.
_CELL_NUMBER = re.compile(
    r"(?:^|\t)[^\S\t\n]*"
    r"(?P<num>[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?)"
    r"[^\S\t\n]*(?:万元|元)?[^\S\t\n]*(?=\t|$)",
    re.MULTILINE,
)
_WRITTEN_NUMBER = re.compile(r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.", ",，")


def _decimal(written: str) -> Decimal:
    """The value of a number as written (full-width digits, thousands separators)."""
    return Decimal(written.translate(_FULL_WIDTH))


def _as_decimal(value: object) -> Decimal:
    assert isinstance(value, (int, Decimal)) and not isinstance(value, bool), repr(value)
    return Decimal(value)


@cache
def _golden(seed_id: str) -> dict[str, Any]:
    with (GOLDEN / f"seed_{seed_id}.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@cache
def _parsed(seed_id: str) -> tuple[str, Report]:
    """The seed's text and what the binder alone makes of it (recovery is tested apart)."""
    path = shared_path("seeds", _golden(seed_id)["seed"])
    text = path.read_text(encoding="utf-8")
    return text, gxnianbao.parse_report(text, recover=False)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _line_start(text: str, line: int) -> int:
    """Offset of the first character of a 1-based line."""
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


def _split_key(key: str) -> tuple[str, str, str]:
    table, rest = key.split(".", 1)
    row, column = rest.rsplit(".", 1)
    return table, row, column


def _check_span_position(text: str, span: Span, what: str) -> None:
    assert 0 <= span.start < span.end <= len(text), f"{what}: span {span} out of range"
    assert (span.line, span.column) == _line_col(text, span.start), (
        f"{what}: span says line {span.line} column {span.column}, "
        f"offset {span.start} is at {_line_col(text, span.start)}"
    )


seeds = pytest.mark.parametrize("seed_id", SEED_IDS)


def test_golden_files_cover_every_seed() -> None:
    shared_path("seeds")
    on_disk = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert on_disk == sorted(_golden(s)["seed"] for s in SEED_IDS)
    for seed_id in SEED_IDS:
        assert _golden(seed_id)["seed"].startswith(seed_id + "_")


@seeds
def test_every_cell_value_and_status(seed_id: str) -> None:
    _, report = _parsed(seed_id)
    problems = []
    for key, (value, status) in _golden(seed_id)["cells"].items():
        table, row, column = _split_key(key)
        cell = report.cell(table, row, column)
        assert (cell.table, cell.row, cell.column) == (table, row, column)
        got_value = None if cell.value is None else _as_decimal(cell.value)
        want_value = None if value is None else Decimal(value)
        if cell.status is not Status(status) or got_value != want_value:
            problems.append(f"{key}: expected {value} {status}, got {cell.value!r} {cell.status}")
            continue
        if cell.value is not None:
            wanted_type = Decimal if key == "active_disclosure.fees.amount_wan_yuan" else int
            if type(cell.value) is not wanted_type:
                problems.append(f"{key}: {cell.value!r} should be a {wanted_type.__name__}")
    assert not problems, f"seed {seed_id}:\n" + "\n".join(problems)


@seeds
def test_cells_are_exactly_the_template_in_order(seed_id: str) -> None:
    _, report = _parsed(seed_id)
    assert [c.key for c in report.cells()] == list(_golden(seed_id)["cells"])


@seeds
def test_meta(seed_id: str) -> None:
    _, report = _parsed(seed_id)
    want = _golden(seed_id)["meta"]
    published = want["published"]
    assert report.meta.issuer == want["issuer"]
    assert report.meta.year == want["year"]
    assert report.meta.title == want["title"]
    assert report.meta.published == (
        None if published is None else datetime.date.fromisoformat(published)
    )
    assert report.meta.template == want["template"]


@seeds
def test_processing_fee(seed_id: str) -> None:
    _, report = _parsed(seed_id)
    want = _golden(seed_id)["processing_fee"]
    if want is None:
        assert report.processing_fee is None
    else:
        assert isinstance(report.processing_fee, Decimal)
        assert report.processing_fee == Decimal(want)


@seeds
def test_row_count_mismatch_diagnostics(seed_id: str) -> None:
    _, report = _parsed(seed_id)
    got = Counter((d.code, d.table, d.row) for d in report.diagnostics if d.code == MISMATCH)
    want = Counter(tuple(d) for d in _golden(seed_id)["diagnostics"])
    assert got == want, f"seed {seed_id}: missing {want - got}, unexpected {got - want}"
    for d in report.diagnostics:
        if d.code == MISMATCH:
            assert d.severity == "warning"


@seeds
def test_mismatch_diagnostics_carry_the_row_numbers(seed_id: str) -> None:
    text, report = _parsed(seed_id)
    for table, row, numbers in _golden(seed_id)["diagnostic_numbers"]:
        found = [
            d for d in report.diagnostics if (d.code, d.table, d.row) == (MISMATCH, table, row)
        ]
        assert len(found) == 1, f"no single {MISMATCH} for {table}.{row}"
        tokens = found[0].numbers
        got = [(_as_decimal(t.value), t.span.line) for t in tokens]
        assert got == [(Decimal(raw), line) for raw, line in numbers], f"{table}.{row}"
        for token, (raw, _) in zip(tokens, numbers, strict=True):
            _check_span_position(text, token.span, f"{table}.{row} token {raw}")
            assert text[token.span.start : token.span.end] == raw


@seeds
def test_reported_cells_point_at_their_number(seed_id: str) -> None:
    text, report = _parsed(seed_id)
    for cell in report.cells():
        if cell.status is not Status.REPORTED:
            continue
        assert cell.span is not None, f"{cell.key}: reported without a span"
        _check_span_position(text, cell.span, cell.key)
        written = text[cell.span.start : cell.span.end]
        assert _WRITTEN_NUMBER.fullmatch(written), f"{cell.key}: span covers {written!r}"
        assert _decimal(written) == _as_decimal(cell.value), f"{cell.key}: {written!r}"


@seeds
def test_hand_picked_spans(seed_id: str) -> None:
    text, report = _parsed(seed_id)
    for key, line, column, written in _golden(seed_id)["spans"]:
        cell = report.cell(*_split_key(key))
        assert cell.status is Status.REPORTED, key
        assert cell.span is not None, key
        assert (cell.span.line, cell.span.column) == (line, column), key
        assert cell.span.start == _line_start(text, line) + column - 1, key
        assert text[cell.span.start : cell.span.end] == written, key


def test_licensing_span_skips_the_en_space_in_seed_000() -> None:
    text, report = _parsed("000")
    assert report.active_disclosure is not None
    span = report.active_disclosure.licensing.cell("decisions").span
    assert span is not None
    assert text.split("\n")[34] == "\t\u20023"
    assert (span.line, span.column) == (35, 3)
    assert text[span.start - 2 : span.end] == "\t\u20023"


def test_fee_amount_span_in_seed_004() -> None:
    text, report = _parsed("004")
    cell = report.cell("active_disclosure", "fees", "amount_wan_yuan")
    assert cell.span is not None
    assert (cell.span.line, cell.span.column) == (91, 1)
    assert text[cell.span.start : cell.span.end] == "16197.02"
    assert cell.value == Decimal("16197.02")


@seeds
def test_no_number_in_the_tables_is_lost(seed_id: str) -> None:
    """Each number written in a table cell is a reported cell or is named by a diagnostic."""
    text, report = _parsed(seed_id)
    golden = _golden(seed_id)
    first, last = golden["table_region"]
    lines = text.split("\n")
    assert "主动公开政府信息" in lines[first - 1], lines[first - 1]
    assert "问题" in lines[last - 1] and "五" in lines[last - 1], lines[last - 1]
    start, end = _line_start(text, first + 1), _line_start(text, last)
    written = [m.span("num") for m in _CELL_NUMBER.finditer(text, start, end)]
    assert len(written) == golden["region_numbers"]

    spans = [c.span for c in report.cells() if c.status is Status.REPORTED and c.span]
    spans += [t.span for d in report.diagnostics for t in d.numbers]
    lost = [
        f"line {_line_col(text, s)[0]} column {_line_col(text, s)[1]}: {text[s:e]!r}"
        for s, e in written
        if not any(span.start <= s and e <= span.end for span in spans)
    ]
    assert not lost, f"seed {seed_id}: numbers neither bound nor diagnosed:\n" + "\n".join(lost)


def test_attribute_access_on_seed_004() -> None:
    _, report = _parsed("004")
    ad, apps, rl = report.active_disclosure, report.applications, report.review_litigation
    assert ad is not None and apps is not None and rl is not None
    assert ad.normative_documents.issued == 14
    assert ad.normative_documents.in_force == 199
    assert ad.licensing.decisions == 75458
    assert ad.punishment.decisions == 229036
    fee = ad.fees.amount_wan_yuan
    assert isinstance(fee, Decimal) and fee == Decimal("16197.02")
    assert apps.received.total is None  # six numbers for seven cells
    assert apps.received.natural_person is None
    assert apps.carried_over.total == 0
    assert apps.granted.natural_person == 16
    assert apps.granted.total == 17
    assert apps.partially_granted.commercial == 1
    assert apps.withheld.internal_affairs.natural_person == 2
    assert apps.unavailable.not_held.total == 9
    assert apps.other.unpaid_fee.total == 0
    assert apps.other.other.total is None  # six zeros for seven cells
    assert apps.total.natural_person == 36
    assert apps.total.total == 38
    assert apps.carried_forward.total == 0
    assert rl.review.upheld is None
    assert rl.litigation_after_review.total is None
    assert report.cell("applications", "received", "total").status is Status.AMBIGUOUS
    assert report.cell("applications", "total", "total").status is Status.REPORTED


@seeds
def test_records_one_per_cell_with_the_same_statuses(seed_id: str) -> None:
    _, report = _parsed(seed_id)
    records = report.to_records()
    cells = _golden(seed_id)["cells"]
    assert len(records) == len(cells) == 200
    got = [(f"{r['table']}.{r['row']}.{r['column']}", r["status"]) for r in records]
    assert got == [(key, status) for key, (_, status) in cells.items()]
    for record, (value, _) in zip(records, cells.values(), strict=True):
        if value is None:
            assert record["value"] is None
        else:
            assert Decimal(str(record["value"])) == Decimal(value)
