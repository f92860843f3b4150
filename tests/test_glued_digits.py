"""Glued digits: a row's cells run together (``（七）总计3210000033``), split by the identities.

Tables are bound with the binder from tab rows in which chosen rows have their numbers written
as one digit run, the runs' evidence marked ``glued`` (as the binder will mark a row cut from a
flattened page), and recovered.  Whatever is glued, recovery never gives a wrong number; where
the split is unique by construction it gives the exact values, ``inferred``, naming the
identities; where none fits, the numbers as written stay in a diagnostic; adversarial runs end
within the table's budget.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gxnianbao import Status
from gxnianbao.bind.table import BoundTable, RowEvidence, bind_table
from gxnianbao.common.lines import Cell, split_lines
from gxnianbao.common.values import CellValue
from gxnianbao.locate.parts import find_parts
from gxnianbao.read.text import read_cells
from gxnianbao.recover import RecoverySettings, recover_table
from gxnianbao.recover.splits import MAX_PIECE, Units, split_count, splits
from gxnianbao.templates import TEMPLATES
from gxnianbao.templates.identities import equations

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bounded import bounded, within
from reportgen import (
    GenReport,
    build_report,
    render_tab_rows,
    reports_of,
    reports_with_gaps,
    seeded_report,
)

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_PART = {"active_disclosure": 2, "applications": 3, "review_litigation": 4}
KNOWN = (Status.REPORTED, Status.INFERRED)
OPEN = (Status.AMBIGUOUS, Status.MISSING)


def _label_of(spec_row_label: str, fields: Sequence[str]) -> bool:
    return any(f.strip() == spec_row_label for f in fields)


def _glue(values: Sequence[str], groups: int) -> list[str]:
    """Value fields as a flattened page writes them: the digits of neighbouring cells run
    together, a blank cell leaves nothing, a ``/`` stands between runs; with ``groups``, a run
    also ends every ``groups`` cells."""
    out: list[str] = []
    run = ""
    for i, field in enumerate(values):
        text = field.strip()
        if groups and i and i % groups == 0 and run:
            out.append(run)
            run = ""
        if _NUMBER.fullmatch(text):
            run += text
        elif text:
            if run:
                out.append(run)
            out.append(text)
            run = ""
    return [*out, run] if run else out


def glued_table(
    r: GenReport, table: str, rows: Sequence[str] = (), groups: bool = False
) -> tuple[BoundTable, list[str]]:
    """Table ``table`` of ``r`` bound from tab rows, ``rows``' numbers glued into runs (table
    4: its data row, as one run or, with ``groups``, one run per group of five cells).

    Returns the bound table, its glued rows' evidence marked ``glued``, and the fields written
    in place of the glued rows' values.
    """
    text = render_tab_rows(r)
    lines = split_lines(text)
    spec = TEMPLATES[r.template].table(table)
    part = find_parts(lines, TEMPLATES[r.template].sections, text)[_PART[table]]
    labels = {spec.row(k).label for k in rows}
    region = [line.text.split("\t") for line in lines[part.first : part.end]]
    if table == "review_litigation":
        # The data row: the last line of the region with a number.
        found = [i for i, f in enumerate(region) if any(_NUMBER.fullmatch(x.strip()) for x in f)]
        if not found:  # (a data row of empty and ``/`` cells only has no digits to glue)
            assume(False)
        targets = {found[-1]: -1}
    else:
        targets = {}
        for i, fields in enumerate(region):
            named = [j for j, f in enumerate(fields) if f.strip() in labels]
            if named:
                targets[i] = named[-1]
    assert len(targets) == (1 if table == "review_litigation" else len(rows)), (targets, rows)
    written: list[str] = []
    for i, label_at in targets.items():
        fields = region[i]
        glued = _glue(fields[label_at + 1 :], 5 if groups else 0)
        written.extend(glued)
        region[i] = [*fields[: label_at + 1], *glued]
    bound = bind_table(spec, read_cells(split_lines("\n".join("\t".join(f) for f in region))))
    wanted = set(rows) if table != "review_litigation" else {None}
    bound.unfitted[:] = [
        attrs.evolve(u, glued=True) if u.row in wanted else u for u in bound.unfitted
    ]
    return bound, written


def check(bound: BoundTable, r: GenReport, budget: int) -> None:
    """No wrong number; inferred cells name their evidence; every glued row's runs are kept."""
    table = bound.spec.key
    for (row, col), cell in bound.cells.items():
        if cell.status in KNOWN:
            assert cell.value == r.cells[(table, row, col)], (cell, r.cells[(table, row, col)])
        if cell.status is Status.INFERRED:
            assert cell.identity and cell.span is None, cell
    for u in bound.unfitted:
        if u.glued and any(bound.cells[k].status in OPEN for k in u.cells):
            kept = {t.raw for d in bound.diagnostics if d.row == u.row for t in d.numbers}
            for token in u.tokens:
                if token.value.kind == "number":
                    assert token.text.strip() in kept, (token.text, u.row)
    assert 0 <= budget <= RecoverySettings().budget


def _recover(bound: BoundTable, template: str = "2021") -> int:
    return recover_table(bound, equations(template)).evaluations


def _row(bound: BoundTable, row: str) -> list[tuple[object, Status]]:
    return [(c.value, c.status) for (r, _), c in bound.cells.items() if r == row]


# --- counting and enumerating the splits ------------------------------------------------------


def _oracle(runs: Sequence[str], k: int) -> set[tuple[int | None, ...]]:
    """Every split by brute force: cut positions, then cells for the pieces (counts only)."""
    out: set[tuple[int | None, ...]] = set()
    per_run = []
    for run in runs:
        ways = []
        for n in range(1, len(run) + 1):
            for cuts in itertools.combinations(range(1, len(run)), n - 1):
                bounds = (0, *cuts, len(run))
                pieces = [run[a:b] for a, b in itertools.pairwise(bounds)]
                if all(len(p) <= MAX_PIECE and (p == "0" or not p.startswith("0")) for p in pieces):
                    ways.append([int(p) for p in pieces])
        per_run.append(ways)
    for choice in itertools.product(*per_run):
        numbers = [n for pieces in choice for n in pieces]
        if len(numbers) > k:
            continue
        for cells in itertools.combinations(range(k), len(numbers)):
            key: list[int | None] = [None] * k
            for cell, number in zip(cells, numbers, strict=True):
                key[cell] = number
            out.add(tuple(key))
    return out


@given(st.lists(st.text("0123", min_size=1, max_size=6), min_size=1, max_size=3), st.integers(1, 7))
def test_the_splits_are_counted_before_they_are_enumerated(runs: list[str], k: int) -> None:
    units = Units(tuple(runs), ("count",) * k)
    found = list(splits(units))
    assert split_count(units) == len(found)
    assert set(found) == _oracle(runs, k)
    assert len(set(found)) == len(found)  # each alternative once


@given(
    st.text("0123", min_size=1, max_size=8),
    st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=4, max_size=4),
    st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=4, max_size=4),
)
def test_what_the_known_cells_allow_narrows_the_count_exactly(
    run: str, only: list[int | None], most: list[int | None]
) -> None:
    """A fixed value or a bound per cell: the same alternatives as filtering them afterwards."""
    free = Units((run,), ("count",) * 4)
    bounded = attrs.evolve(free, only=tuple(only), most=tuple(most))

    def allowed(key: tuple[object, ...]) -> bool:
        return all(
            v is None or ((o is None or v == o) and (m is None or v <= m))  # type: ignore[operator]
            for v, o, m in zip(key, only, most, strict=True)
        )

    want = [key for key in splits(free) if allowed(key)]
    assert splits(bounded) == want
    assert split_count(bounded) == len(want)


@given(st.lists(st.text("0123", min_size=1, max_size=6), min_size=1, max_size=3), st.integers(1, 7))
def test_without_blank_cells_only_splits_into_every_cell_are_tried(runs: list[str], k: int) -> None:
    units = Units(tuple(runs), ("count",) * k, blanks=False)
    found = splits(units)
    assert split_count(units) == len(found)
    assert set(found) == {key for key in _oracle(runs, k) if None not in key}


def test_a_piece_keeps_to_its_column() -> None:
    # No leading zero, a point only in an amount column, a sign only in a signed one.
    assert set(splits(Units(("0012",), ("count",) * 3))) == {(0, 0, 12)}
    amounts = Units(("10.5",), ("count", "amount"))
    assert set(splits(amounts)) == {(1, Decimal("0.5")), (None, Decimal("10.5"))}
    signed = Units(("3-2",), ("count", "signed"))
    assert set(splits(signed)) == {(3, -2)}
    assert split_count(Units(("1" * 400,), ("count",) * 7)) == 0  # needs pieces over MAX_PIECE


# --- table 3 --------------------------------------------------------------------------------

_APP_ROWS = [row.key for row in TEMPLATES["2021"].table("applications").rows]


@given(reports_of("2021"), st.sampled_from(_APP_ROWS))
def test_one_glued_row_among_known_rows_is_split_exactly(r: GenReport, row: str) -> None:
    """The column identities fix every cell of one glued row from the others: unique by
    construction, so every value comes back, inferred, naming its identities."""
    bound, _ = glued_table(r, "applications", [row])
    used = _recover(bound)
    check(bound, r, used)
    cells = [c for (rk, _), c in bound.cells.items() if rk == row]
    assert {c.status for c in cells} == {Status.INFERRED}
    assert all(c.identity and c.identity.startswith("t3-") for c in cells)
    # Split, or (a long run whose splits exceed the budget) solved from the identities alone.
    codes = {d.code for d in bound.diagnostics if d.row == row}
    assert codes & {"glued-digits", "recovery-budget-exhausted"}, codes


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(
    st.sampled_from(["2021", "2019"]).flatmap(reports_of),
    st.data(),
)
def test_glued_rows_never_give_a_wrong_number(r: GenReport, data: st.DataObject) -> None:
    keys = [row.key for row in TEMPLATES[r.template].table("applications").rows]
    rows = data.draw(st.lists(st.sampled_from(keys), min_size=1, unique=True), label="rows")
    # These reports write every cell, so assuming no blank cell keeps the truth too.
    blanks = data.draw(st.booleans(), label="glued_blanks")
    how = RecoverySettings(glued_blanks=blanks)
    bound, _ = glued_table(r, "applications", rows)
    check(bound, r, recover_table(bound, equations(r.template), how).evaluations)
    bound, _ = glued_table(r, "review_litigation", groups=data.draw(st.booleans()))
    check(bound, r, recover_table(bound, equations(r.template), how).evaluations)


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(
    st.sampled_from(["2021", "2019"]).flatmap(lambda t: reports_with_gaps(template=t)),
    st.data(),
)
def test_glued_rows_with_blank_and_na_cells_never_give_a_wrong_number(
    r: GenReport, data: st.DataObject
) -> None:
    """Blank cells leave nothing in a run and ``/`` cuts it: still never a wrong number."""
    keys = [row.key for row in TEMPLATES[r.template].table("applications").rows]
    rows = data.draw(st.lists(st.sampled_from(keys), min_size=1, unique=True), label="rows")
    bound, _ = glued_table(r, "applications", rows)
    check(bound, r, _recover(bound, r.template))
    bound, _ = glued_table(r, "review_litigation", groups=data.draw(st.booleans()))
    check(bound, r, _recover(bound, r.template))


def test_every_row_glued_zero_rows_come_back_and_nothing_is_guessed() -> None:
    values = {
        ("applications", "granted", "natural_person"): 3,
        ("applications", "granted", "commercial"): 1,
        ("applications", "carried_forward", "natural_person"): 2,
    }
    r = build_report("某区", 2022, Decimal(0), values)
    bound, runs = glued_table(r, "applications", _APP_ROWS)
    assert "3100004" in runs and "0000000" in runs
    check(bound, r, _recover(bound))
    zero_rows = {k[1] for k, v in r.cells.items() if k[0] == "applications" and v == 0}
    zero_rows -= {k[1] for k, v in r.cells.items() if k[0] == "applications" and v}
    for row in zero_rows:
        assert _row(bound, row) == [(0, Status.INFERRED)] * 7, row
    # `3100004` may be 31 and 4 with 总计 dropped (35): the rows with numbers stay unknown.
    assert {s for _, s in _row(bound, "granted")} == {Status.AMBIGUOUS}


@settings(max_examples=max(5, settings.default.max_examples // 5))
@given(st.integers(0, 10_000), st.sampled_from([3, 40]))
def test_a_source_that_writes_every_cell_may_say_so(seed: int, top: int) -> None:
    """With ``glued_blanks=False`` (every cell written), every row of table 3 glued comes back
    whole: the row totals and column identities leave one split; with blanks allowed, a row
    such as `3100004` may be `31 0 0 0 0 4` and a blank 总计, so it stays unknown."""
    r = seeded_report(seed, "某局", max_count=top)
    bound, _ = glued_table(r, "applications", _APP_ROWS)
    whole = RecoverySettings(glued_blanks=False)
    used = recover_table(bound, equations("2021"), whole).evaluations
    check(bound, r, used)
    if top == 3:  # (larger numbers may leave a few rows' splits over the budget)
        assert {c.status for c in bound.cells.values()} == {Status.INFERRED}


def test_two_glued_rows_decided_jointly() -> None:
    """一 and （七）总计 glued: each alone has many splits, the balance identity pairs them."""
    values = {
        ("applications", "granted", "natural_person"): 12,
        ("applications", "carried_forward", "natural_person"): 3,
    }
    r = build_report("某区", 2022, Decimal(0), values)
    bound, runs = glued_table(r, "applications", ["received", "total"])
    assert runs == ["150000015", "120000012"]
    check(bound, r, _recover(bound))
    notes = [d.message for d in bound.diagnostics if d.code == "glued-digits"]
    assert notes and all("jointly with 1 other glued rows" in m for m in notes), notes
    assert _row(bound, "received") == [(15, Status.INFERRED)] + [(0, Status.INFERRED)] * 5 + [
        (15, Status.INFERRED)
    ]


def test_a_run_no_split_fits_keeps_its_digits_in_a_diagnostic() -> None:
    r = build_report("某区", 2022, Decimal(0), {})
    bound, _ = glued_table(r, "applications", ["received"])
    (row,) = [u for u in bound.unfitted if u.row == "received"]
    token = row.tokens[0]
    nines = token._replace(text="9999999", value=CellValue("number", 9999999, 0, 7))
    bound.unfitted[:] = [attrs.evolve(row, tokens=(nines,))]
    _recover(bound)
    # The column identities still prove the row from the others (as for any unknown cell) ...
    assert _row(bound, "received") == [(0, Status.INFERRED)] * 7
    # ... and the digits no split fits are kept, with their span, in their own diagnostic.
    (d,) = [d for d in bound.diagnostics if d.code == "glued-digits-inconsistent"]
    assert [t.raw for t in d.numbers] == ["9999999"] and d.row == "received"


def test_a_glued_row_with_more_numbers_than_cells_sets_none_aside() -> None:
    """A run holds cells, not strays: more numbers than cells is no split, not a placement
    that sets some aside (which could put a run's digits in a cell whole)."""
    r = build_report("某区", 2022, Decimal(0), {})
    bound, _ = glued_table(r, "applications", ["received", "total"])
    (row, _total) = bound.unfitted
    token = row.tokens[0]
    texts = ["10", *["0"] * 7]
    many = tuple(
        token._replace(text=t, value=CellValue("number", int(t), 0, len(t))) for t in texts
    )
    bound.unfitted[0] = attrs.evolve(row, tokens=many)
    _recover(bound)
    (d,) = [d for d in bound.diagnostics if d.code == "glued-digits-inconsistent"]
    assert d.row == "received" and [t.raw for t in d.numbers] == texts
    assert all(c.value in (0, None) for c in bound.cells.values())


# --- tables 2 and 4 -------------------------------------------------------------------------


def test_table_2_runs_split_by_their_form_alone() -> None:
    """Table 2 has no identities: `000` can only be three zeros; `154221` could be many."""
    values = {("active_disclosure", "normative_documents", c): v for c, v in
              (("issued", 15), ("repealed", 4), ("in_force", 221))}  # fmt: skip
    r = build_report("某区", 2022, Decimal(0), values)
    bound, runs = glued_table(r, "active_disclosure", ["regulations", "normative_documents"])
    assert runs == ["000", "154221"]
    check(bound, r, _recover(bound))
    assert _row(bound, "regulations") == [(0, Status.INFERRED)] * 3
    assert {c.identity for (rk, _), c in bound.cells.items() if rk == "regulations"} == {
        "glued-digits"
    }
    assert {s for _, s in _row(bound, "normative_documents")} == {Status.AMBIGUOUS}


def test_table_4_all_zeros_in_one_run() -> None:
    r = build_report("某区", 2022, Decimal(0), {})
    bound, runs = glued_table(r, "review_litigation")
    assert runs == ["0" * 15]
    check(bound, r, _recover(bound))
    assert {(c.value, c.status) for c in bound.cells.values()} == {(0, Status.INFERRED)}
    assert all(c.identity and c.identity.startswith("t4-") for c in bound.cells.values())


# --- the budget -----------------------------------------------------------------------------


def _long_run(bound: BoundTable, row: str | None, digits: str) -> None:
    """Replace the glued row's tokens with one run of ``digits`` (as a binder might cut it)."""
    (u,) = [u for u in bound.unfitted if u.row == row]
    first = u.tokens[0]
    cell = Cell(digits, first.start, first.start + len(digits), first.line, first.column,
                first.row, first.at, CellValue("number", int(digits), 0, len(digits)))  # fmt: skip
    bound.unfitted[:] = [attrs.evolve(x, tokens=(cell,)) if x is u else x for x in bound.unfitted]


def test_adversarial_runs_end_within_the_budget() -> None:
    r = build_report("某区", 2022, Decimal(0), {})
    # A run too long to be seven numbers: refused by its length, its digits kept.
    for digits in ("1" * 400, "7" * 2000):
        bound, _ = glued_table(r, "applications", ["received"])
        _long_run(bound, "received", digits)
        used = _recover(bound)
        check(bound, r, used)  # (its cells are proven from the other rows, as zeros)
        (d,) = [d for d in bound.diagnostics if d.code == "glued-digits-inconsistent"]
        assert [t.raw for t in d.numbers] == [digits] and "cannot be split" in d.message
    # Table 4 as sixty digits with nothing to constrain them: counted, not enumerated.
    bound, _ = glued_table(r, "review_litigation")
    _long_run(bound, None, "1234567891" * 6)
    small = RecoverySettings(budget=5_000)
    result = recover_table(bound, equations("2021"), small)
    assert result.evaluations <= 5_000
    assert {c.status for c in bound.cells.values()} == {Status.AMBIGUOUS}
    (d,) = [d for d in bound.diagnostics if d.code == "recovery-budget-exhausted"]
    assert "splits exceed" in d.message and "of 5000 evaluations" in d.message


_EVERY_ROW = """
import sys, random
sys.path.insert(0, "tests")
from decimal import Decimal
from test_glued_digits import glued_table, _long_run, _APP_ROWS
from reportgen import build_report
from gxnianbao.recover import recover_table
from gxnianbao.templates.identities import equations
rng = random.Random(7)
r = build_report("某区", 2022, Decimal(0), {})
bound, _ = glued_table(r, "applications", _APP_ROWS)
for row in _APP_ROWS:
    _long_run(bound, row, "".join(rng.choice("123456789") for _ in range(rng.randint(8, 30))))
used = recover_table(bound, equations("2021")).evaluations
known = sum(1 for c in bound.cells.values() if c.status.value in ("reported", "inferred"))
report(used=used, known=known, codes=sorted({d.code for d in bound.diagnostics}))
"""


@pytest.mark.slow
def test_every_row_glued_and_unconstrained_is_bounded() -> None:
    """Every row of table 3 a run of 8 to 30 random digits: bounded time and memory."""
    out = bounded(_EVERY_ROW, seconds=20, memory_mib=400)
    assert not within(out, seconds=20, memory_mib=400), within(out, seconds=20, memory_mib=400)
    assert out.result is not None
    assert out.result["used"] <= RecoverySettings().budget  # type: ignore[operator]
    assert "recovery-budget-exhausted" in out.result["codes"]  # type: ignore[operator]


def test_an_ordinary_row_is_not_split() -> None:
    """A row marked glued whose numbers are all single characters is an ordinary row: its
    written numbers keep their spans where every placement agrees."""
    r = build_report("某区", 2022, Decimal(0), {})
    bound, _ = glued_table(r, "applications", ["received"])
    (u,) = bound.unfitted
    token = u.tokens[0]
    zeros = tuple(
        token._replace(text="0", start=token.start + i, end=token.start + i + 1,
                       value=CellValue("number", 0, 0, 1))
        for i in range(7)
    )  # fmt: skip
    bound.unfitted[:] = [RowEvidence(u.table, u.row, u.cells, zeros, glued=True)]
    _recover(bound)
    assert {c.status for (rk, _), c in bound.cells.items() if rk == "received"} == {Status.REPORTED}
