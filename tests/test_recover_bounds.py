"""Identity-based recovery stays within its work budget and never yields a wrong value.

Rows with many more (or fewer) numbers than cells used to make recovery enumerate millions of
placements.  Here such inputs are built on purpose: the tab-rows fixture with extra zeros in the
rows of tables 3 and 4, rows with numbers dropped, and generated reports with random extra
numbers.  Every value recovery gives must be the true one (a cell may stay unknown), and the
evaluations it spends per table (the ``Recovery`` that ``recover_table`` returns) stay within
the budget of its ``RecoverySettings``.  Wall-clock time is not asserted.
"""

from __future__ import annotations

import random
import re
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gxnianbao
from gxnianbao import Status
from gxnianbao.bind.table import BoundTable, bind_table
from gxnianbao.common.lines import split_lines
from gxnianbao.locate.parts import find_parts
from gxnianbao.read.text import read_cells
from gxnianbao.recover import Recovery, RecoverySettings, recover_table
from gxnianbao.templates import TEMPLATES
from gxnianbao.templates.identities import equations

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reportgen import GenReport, render_scrape, render_tab_rows, reports

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tab_rows.txt"
KNOWN = (Status.REPORTED, Status.INFERRED)
UNKNOWN = (Status.AMBIGUOUS, Status.MISSING)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
SETTINGS = RecoverySettings()


def _region(lines: list[str]) -> tuple[int, int, int]:
    """Indexes of the headings of tables 3 and 4, and of part 五."""
    t3 = next(i for i, x in enumerate(lines) if "收到和处理政府信息公开申请" in x and "、" in x)
    t4 = next(
        i for i, x in enumerate(lines) if i > t3 and "行政复议" in x and x.strip().startswith("四")
    )
    end = next(i for i, x in enumerate(lines) if i > t4 and x.strip().startswith("五"))
    return t3, t4, end


def _number_fields(line: str) -> list[int]:
    return [i for i, f in enumerate(line.split("\t")) if _NUMBER.fullmatch(f.strip())]


def _reshape(text: str, extra: int, tables: str, drop: int = 0) -> str:
    """Tab rows of tables 3 and/or 4 with ``extra`` zeros appended and ``drop`` numbers removed.

    Rows are changed alternately: even rows get the extra zeros, odd rows (when ``drop``) lose
    numbers from the middle, and their empty fields, so that the binder cannot mistake the
    shortened row for a full one with an empty cell; with ``drop == 0`` every row gets the
    zeros.  Only rows written in full lose numbers: a row that already has a number too many
    (the fixture has one) and loses one would have as many numbers as cells, and the binder
    would take it as written, which is not recovery's business.
    """
    lines = text.split("\n")
    t3, t4, end = _region(lines)
    spans = {"t3": [(t3, t4)], "t4": [(t4, end)], "both": [(t3, t4), (t4, end)]}[tables]
    n = 0
    for lo, hi in spans:
        k = 7 if lo == t3 else 15
        for i in range(lo + 1, hi):
            fields = lines[i].split("\t")
            numeric = _number_fields(lines[i])
            if not numeric:
                continue
            n += 1
            if drop and n % 2 and len(numeric) == k:
                middle = len(numeric) // 2
                gone = set(numeric[middle : middle + min(drop, k - 1)])
                fields = [f for j, f in enumerate(fields) if j not in gone and f.strip()]
            else:
                while fields and not fields[-1].strip():
                    fields.pop()
                fields += ["0"] * extra
            lines[i] = "\t".join(fields)
    return "\n".join(lines)


def _check_against(report: gxnianbao.Report, truth: dict[tuple[str, str, str], object]) -> None:
    for cell in report.cells():
        if cell.table == "active_disclosure":
            continue
        if cell.status in KNOWN:
            want = truth.get((cell.table, cell.row, cell.column))
            assert want is not None, f"{cell.key}: {cell.value} given, unknown in the clean text"
            assert cell.value == want, (cell, want)
        if cell.status is Status.INFERRED:
            assert cell.identity and cell.span is None, cell


def _check_spans(text: str, report: gxnianbao.Report) -> None:
    for cell in report.cells():
        if cell.status is Status.REPORTED and cell.table != "active_disclosure":
            assert cell.span is not None, cell
            assert Decimal(text[cell.span.start : cell.span.end]) == cell.value, cell


def _recover(text: str, report: gxnianbao.Report) -> dict[str, Recovery]:
    """Recovery of tables 3 and 4 of ``text`` through the stage's own seam, per table.

    The tables are bound from their parts' lines (as the parser finds them) and recovered with
    the default settings; their cells must come out as in ``report``, so the costs returned are
    those of the parse.
    """
    lines = split_lines(text)
    parts = find_parts(lines, TEMPLATES["2021"].sections, text)
    template = report.meta.template or "2021"
    out: dict[str, Recovery] = {}
    for key, number in (("applications", 3), ("review_litigation", 4)):
        region = lines[parts[number].first : parts[number].end]
        spec = TEMPLATES[template].table(key)
        bound = bind_table(spec, read_cells(region))
        out[key] = recover_table(bound, equations(template), SETTINGS)
        parsed = [c for c in report.cells() if c.table == key]
        # The parse goes one step further: part 一's stated counts may decide open cells.
        assert [
            c if p.evidence is None or c.status not in (Status.AMBIGUOUS, Status.MISSING) else p
            for c, p in zip(bound.cells.values(), parsed, strict=True)
        ] == parsed
    return out


def _check_budget(text: str, report: gxnianbao.Report) -> dict[str, int]:
    used = {key: r.evaluations for key, r in _recover(text, report).items()}
    for table, n in used.items():
        assert 0 <= n <= SETTINGS.budget, (table, n)
    return used


@pytest.fixture(scope="module")
def clean() -> dict[tuple[str, str, str], object]:
    report = gxnianbao.parse_report(FIXTURE.read_text(encoding="utf-8"))
    return {
        (c.table, c.row, c.column): c.value
        for c in report.cells()
        if c.status in KNOWN and c.value is not None
    }


@pytest.mark.parametrize("tables", ["t3", "t4", "both"])
@pytest.mark.parametrize(("extra", "drop"), [(5, 0), (10, 0), (30, 0), (10, 1), (5, 2), (0, 3)])
def test_extra_and_dropped_numbers_stay_within_the_budget(
    clean: dict[tuple[str, str, str], object], tables: str, extra: int, drop: int
) -> None:
    text = _reshape(FIXTURE.read_text(encoding="utf-8"), extra, tables, drop)
    report = gxnianbao.parse_report(text)
    _check_against(report, clean)
    _check_spans(text, report)
    used = _check_budget(text, report)
    codes = {d.code for d in report.diagnostics}
    assert "row-count-mismatch" in codes
    for d in report.diagnostics:
        if d.code == "recovery-budget-exhausted":
            assert d.severity == "warning" and d.table in used
            assert d.table in d.message and str(SETTINGS.budget) in d.message
            if d.table == "applications":
                assert d.row and d.row in d.message


def test_thirty_extra_zeros_leave_rows_ambiguous_with_a_diagnostic() -> None:
    text = _reshape(FIXTURE.read_text(encoding="utf-8"), 30, "both")
    report = gxnianbao.parse_report(text)
    exhausted = {
        (d.table, d.row) for d in report.diagnostics if d.code == "recovery-budget-exhausted"
    }
    assert ("review_litigation", None) in exhausted
    assert ("applications", "received") in exhausted
    assert {c.status for c in report.applications.received.cells()} == {Status.AMBIGUOUS}  # type: ignore[union-attr]
    _check_budget(text, report)


def test_a_row_of_hundreds_of_numbers_is_refused_without_enumerating() -> None:
    """The cost of a row is known before it is tried: a huge row uses none of the budget."""
    text = _reshape(FIXTURE.read_text(encoding="utf-8"), 400, "t4")
    report = gxnianbao.parse_report(text)
    assert _recover(text, report)["review_litigation"].evaluations == 0
    (d,) = [d for d in report.diagnostics if d.code == "recovery-budget-exhausted"]
    assert d.table == "review_litigation" and d.row is None
    assert {c.status for c in report.review_litigation.cells()} == {Status.AMBIGUOUS}  # type: ignore[union-attr]


def test_five_extra_zeros_are_still_recovered() -> None:
    """The budget is not a cap on ordinary work: 5 extra zeros per row are all tried."""
    text = _reshape(FIXTURE.read_text(encoding="utf-8"), 5, "both")
    report = gxnianbao.parse_report(text)
    assert not any(d.code == "recovery-budget-exhausted" for d in report.diagnostics)
    recovered = {(d.table, d.row) for d in report.diagnostics if d.code == "recovered-row"}
    assert ("applications", "received") in recovered and ("review_litigation", None) in recovered
    _check_budget(text, report)


def test_a_proven_row_has_no_stale_mismatch_message() -> None:
    """After recovery proved a row, its row-count-mismatch says so, and keeps every number."""
    text = _reshape(FIXTURE.read_text(encoding="utf-8"), 0, "t3", drop=1)
    report = gxnianbao.parse_report(text)
    proven = {
        d.row for d in report.diagnostics if d.code == "recovered-row" and "7 of 7" in d.message
    }
    assert proven
    for d in report.diagnostics:
        if d.code == "row-count-mismatch" and d.row in proven:
            assert "left unknown" not in d.message, d.message
            assert "after recovery all are certain" in d.message, d.message
            # Every number the row still has: all written on the line of its first number.
            line = text.split("\n")[d.numbers[0].span.line - 1]
            assert len(d.numbers) == len(_number_fields(line)), line


# --- table 4 group by group agrees with the whole row -------------------------------------


def _table4(numbers: list[int]) -> BoundTable:
    spec = TEMPLATES["2021"].table("review_litigation")
    return bind_table(spec, read_cells(split_lines("\t".join(map(str, numbers)))))


def _seen(bound: BoundTable) -> list[tuple[object, ...]]:
    """Each cell's value, status and written number (the identity named may differ)."""
    return [(c.value, c.status, c.raw, c.span) for c in bound.cells.values()]


@given(st.lists(st.integers(0, 3), min_size=0, max_size=18))
def test_table_4_split_into_groups_agrees_with_the_whole_row(numbers: list[int]) -> None:
    split, whole = _table4(numbers), _table4(numbers)
    if not split.unfitted:
        return
    eqs = equations("2021")
    roomy = RecoverySettings(budget=10**6)
    recover_table(split, eqs, roomy)
    recover_table(whole, eqs, attrs.evolve(roomy, split_rows=False))
    assert _seen(split) == _seen(whole)


# --- generated reports with random extra numbers ---------------------------------------------


def _inject_tab_rows(text: str, rng: random.Random, count: int) -> str:
    lines = text.split("\n")
    t3, _, end = _region(lines)
    rows = [i for i in range(t3 + 1, end) if _number_fields(lines[i])]
    for _ in range(count):
        i = rng.choice(rows)
        fields = lines[i].split("\t")
        first = _number_fields(lines[i])[0]
        fields.insert(rng.randint(first, len(fields)), str(rng.choice([0, 0, 1, 2, 7])))
        lines[i] = "\t".join(fields)
    return "\n".join(lines)


def _inject_scrape(text: str, rng: random.Random, count: int) -> str:
    lines = text.split("\n")
    t3, _, end = _region(lines)
    numbered = [i for i in range(t3 + 1, end) if _NUMBER.fullmatch(lines[i].strip())]
    at = sorted(rng.choice(numbered) for _ in range(count))
    for i in reversed(at):
        lines[i + 1 : i + 1] = ["", str(rng.choice([0, 0, 1, 2, 7]))]
    return "\n".join(lines)


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(reports(), st.sampled_from(["tab_rows", "scrape"]), st.integers(1, 12), st.randoms())
def test_random_extra_numbers_never_yield_a_wrong_value(
    r: GenReport, layout: str, count: int, rng: random.Random
) -> None:
    if layout == "tab_rows":
        text = _inject_tab_rows(render_tab_rows(r), rng, count)
    else:
        text = _inject_scrape(render_scrape(r), rng, count)
    report = gxnianbao.parse_report(text)
    _check_against(report, dict(r.cells))
    _check_spans(text, report)
    _check_budget(text, report)


def test_the_budget_is_a_setting() -> None:
    """A smaller budget is kept to, and the rows past it say so with that budget."""
    text = _reshape(FIXTURE.read_text(encoding="utf-8"), 10, "t4")
    lines = split_lines(text)
    part = find_parts(lines, TEMPLATES["2021"].sections, text)[4]
    spec = TEMPLATES["2021"].table("review_litigation")
    bound = bind_table(spec, read_cells(lines[part.first : part.end]))
    small = recover_table(bound, equations("2021"), RecoverySettings(budget=100))
    assert small == Recovery("review_litigation", small.evaluations, 100)
    assert small.evaluations <= 100
    (d,) = [d for d in bound.diagnostics if d.code == "recovery-budget-exhausted"]
    assert "of 100 evaluations" in d.message
