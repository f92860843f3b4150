"""Cells -> template cells, by labels.

A table region's cells are cut into *runs*: a run of label cells followed by a run of value
cells.  The label run names a row (possibly after a group label or header words, possibly broken
over several cells); the value run is that row's cells.  Values are fitted to the row's columns
only when the count fits, once merged-cell artefacts are set aside (empty cells at both ends
may each be the artefact: the header cells' places in their rows then say which).  When it
does not fit, no number is shifted into place: every order-preserving placement of the row's
numbers is considered, a cell keeps a value only if all placements agree on it, and the rest
are ``ambiguous``, with every number of the row in a ``row-count-mismatch`` diagnostic.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

import attrs

from ..common.labels import Entry, EntryKind, Vocabulary, core
from ..common.lines import Cell
from ..model import (
    CellRecord,
    Diagnostic,
    ExtraRow,
    Number,
    NumberToken,
    SourceLabel,
    Span,
    Status,
    missing_cells,
)
from ..templates import ColumnSpec, TableSpec

CellKey = tuple[str, str]

# Enum member lookups are slow in the hot paths (a class attribute lookup through the enum
# machinery per cell): the members once, as module constants.
_REPORTED = Status.REPORTED
_NOT_APPLICABLE = Status.NOT_APPLICABLE
_BLANK = Status.BLANK


@attrs.frozen(slots=True)
class RowEvidence:
    """What the source wrote for a row whose numbers did not fit its cells.

    Kept for identity-based recovery: the tokens in source order and the cells they belong to.
    """

    table: str
    row: str | None
    cells: tuple[CellKey, ...]
    tokens: tuple[Cell, ...]


@attrs.define
class BoundTable:
    """The result of binding one table: every cell's record, diagnostics, unfitted rows."""

    spec: TableSpec
    cells: dict[CellKey, CellRecord]
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    unfitted: list[RowEvidence] = attrs.Factory(list)
    labels: list[SourceLabel] = attrs.Factory(list)
    extra: list[ExtraRow] = attrs.Factory(list)
    found: bool = False
    """Whether any row of the table was found in the source."""
    positions: dict[tuple[int, int], int] = attrs.Factory(dict)
    """Each cell's index among the cells of its physical row, by (row, start)."""
    header_columns: dict[str, int] = attrs.Factory(dict)
    """The index in its row of the latest header cell naming each column key."""
    grid: bool = True
    """Whether every row fitted so far stood under its header cells (a grid-aligned layout;
    seed 001's tab rows are not: their merged cells shift rows by one or two cells)."""


def _token(cell: Cell) -> NumberToken:
    assert cell.value.value is not None
    return NumberToken(
        cell.value.value, cell.text[cell.value.start : cell.value.end], cell.number_span()
    )


def _numbers(cells: Sequence[Cell]) -> tuple[NumberToken, ...]:
    return tuple(_token(c) for c in cells if c.value.kind == "number")


# --- preparing the cell stream -------------------------------------------------------------


def _prepare(cells: Sequence[Cell], table: str, out: list[Diagnostic]) -> list[Cell]:
    """Drop noise (page footers, stray units) and empty cells that only continue a merge."""
    has_label = {c.row for c in cells if c.value.kind == "label"}
    kept: list[Cell] = []
    seen_content: set[int] = set()
    for c in cells:
        kind = c.value.kind
        if kind == "noise":
            out.append(
                Diagnostic(
                    "noise-ignored",
                    "info",
                    f"ignored {c.text!r} inside the table (page footer or stray mark)",
                    c.span(),
                    table,
                )
            )
            continue
        if kind == "blank":
            if c.row in has_label and c.row not in seen_content:
                continue  # a vertically merged cell's continuation at the start of a row
        else:
            seen_content.add(c.row)
        kept.append(c)
    return kept


def _runs(cells: Sequence[Cell]) -> list[tuple[list[Cell], list[Cell]]]:
    """Cut the stream into (label cells, value cells) pairs, in order."""
    runs: list[tuple[list[Cell], list[Cell]]] = []
    labels: list[Cell] = []
    values: list[Cell] = []
    for c in cells:
        if c.value.kind == "label":
            if values:
                runs.append((labels, values))
                labels, values = [], []
            labels.append(c)
        else:
            values.append(c)
    if labels or values:
        runs.append((labels, values))
    return runs


class Match(NamedTuple):
    """Entries named by one label (possibly broken over several cells)."""

    entries: tuple[Entry, ...]
    cell: Cell
    """The label's last cell: the values follow it."""
    first: Cell
    text: str
    kinds: frozenset[EntryKind]
    """The kinds of ``entries``."""
    row: str | None
    """The key of the first row entry, if any."""
    group: str | None
    """The key of the first group entry, if any."""


class Named(NamedTuple):
    """What one label of a run names, from the cells' texts alone (so that it can be cached):
    a :class:`Match` but for the cells, given as indexes into the run."""

    entries: tuple[Entry, ...]
    first: int
    end: int
    """One past the index of the label's last cell."""
    text: str
    kinds: frozenset[EntryKind]
    row: str | None
    group: str | None


def _named(entries: tuple[Entry, ...], first: int, end: int, text: str) -> Named:
    return Named(
        entries,
        first,
        end,
        text,
        frozenset(e.kind for e in entries),
        next((e.key for e in entries if e.kind == "row"), None),
        next((e.key for e in entries if e.kind == "group"), None),
    )


def _match_run(vocab: Vocabulary, labels: Sequence[Cell]) -> list[Match]:
    """The entries a label run names, left to right; a label broken over cells is rejoined."""
    texts = tuple(c.text for c in labels)
    if sum(map(len, texts)) <= _MAX_PLANNED:
        plan = _run_plan_cached(vocab, texts)
    else:
        plan = _run_plan(vocab, texts)
    return [
        Match(n.entries, labels[n.end - 1], labels[n.first], n.text, n.kinds, n.row, n.group)
        for n in plan
    ]


_MAX_PLANNED = 400
"""Label runs up to this many characters are matched once per wording (they recur in every
report); longer ones are matched afresh each time, so that the cache stays small."""


def _run_plan(vocab: Vocabulary, texts: tuple[str, ...]) -> tuple[Named, ...]:
    """:func:`_match_run` on the cells' texts alone (its result depends on nothing else)."""
    out: list[Named] = []
    i = 0
    n = len(texts)
    while i < n:
        hit = False
        for j in range(min(n, i + 4), i + 1, -1):
            raw = "".join(texts[i:j])
            entries = vocab.exact(core(raw))
            if entries:
                out.append(_named(entries, i, j, raw))
                i = j
                hit = True
                break
        if hit:
            continue
        entries = vocab.match(core(texts[i]))
        if entries:
            out.append(_named(entries, i, i + 1, texts[i]))
        i += 1
    return tuple(out)


_run_plan_cached = functools.lru_cache(maxsize=4096)(_run_plan)


def _source_label(vocab: Vocabulary, kind: EntryKind, key: str, m: Match) -> SourceLabel:
    first, last = m.first, m.cell
    return SourceLabel(
        vocab.table.key,
        kind,
        key,
        m.text.replace("\n", ""),
        vocab.official.get((kind, key), key),
        Span(first.start, last.end, first.line, first.column, first.origin),
    )


# --- fitting values to columns -------------------------------------------------------------


def _readings(values: Sequence[Cell], k: int) -> list[list[Cell]]:
    """Every way the row's cells fit ``k`` cells once merge artefacts are set aside.

    An empty cell at either end may be a merged cell's continuation; when both ends are empty
    (a 2019 row whose 总计 is left blank, after a merged label cell) either may be the artefact.
    """
    n = len(values)
    if n == k:
        return [list(values)]
    out: list[list[Cell]] = []
    if n > k:
        if all(c.value.kind == "blank" for c in values[k:]):
            out.append(list(values[:k]))
        if all(c.value.kind == "blank" for c in values[: n - k]):
            out.append(list(values[n - k :]))
    if out:
        return out
    lo, hi = 0, n
    while lo < hi and values[lo].value.kind == "blank":
        lo += 1
    while hi > lo and values[hi - 1].value.kind == "blank":
        hi -= 1
    return [list(values[lo:hi])] if hi - lo == k else []


def _fit(values: Sequence[Cell], k: int) -> list[Cell] | None:
    """The row's cells in column order when they fit in one way only (or all ways agree)."""
    return _one(_readings(values, k))


def _one(readings: Sequence[list[Cell]]) -> list[Cell] | None:
    if len(readings) == 1:
        return readings[0]
    if readings and all(_same_cells(readings[0], other) for other in readings[1:]):
        return readings[0]
    return None


def _same_cells(a: Sequence[Cell], b: Sequence[Cell]) -> bool:
    return all(_same(x, y) for x, y in zip(a, b, strict=True))


def _same(a: Cell, b: Cell) -> bool:
    return a.value.kind == b.value.kind and a.value.value == b.value.value


def _agreed(tokens: Sequence[Cell], k: int) -> list[Cell | None]:
    """Per cell, the token every order-preserving placement agrees on, else None."""
    n = len(tokens)
    if n == k:
        return list(tokens)  # one placement only (the empty cells were not all cells)
    if n < k:
        # Fewer written than cells: any cell may be one whose number was dropped.
        return [None] * k
    extra = n - k
    out: list[Cell | None] = []
    for i in range(k):
        first = tokens[i]
        if all(_same(first, tokens[i + d]) for d in range(1, extra + 1)):
            out.append(first)
        else:
            out.append(None)
    return out


def _record(
    table: str, row: str, col: ColumnSpec, kind: str, cell: Cell, out: list[Diagnostic]
) -> CellRecord:
    value = cell.value
    if value.kind == "number" and value.value is not None:
        number: Number = value.value
        start = cell.start
        span = Span(
            start + value.start,
            start + value.end,
            cell.line,
            cell.column + value.start,
            cell.origin,
        )  # cell.number_span(), built once for the record and any diagnostic
        if kind == "amount":
            if isinstance(number, int):
                number = Decimal(number)
            if value.unit in ("元", "亿元") and "万元" in col.label:
                # 元 and 亿元 read in the column's 万元 (a 2021 fee); a unit is never dropped
                # silently.
                number = Decimal(number) / 10000 if value.unit == "元" else Decimal(number) * 10000
                out.append(
                    Diagnostic(
                        "unit-converted",
                        "warning",
                        f"{cell.text!r} is written in {value.unit} in a 万元 column; converted "
                        f"to {number} 万元",
                        span,
                        table,
                        row,
                    )
                )
        elif kind == "count":
            if number < 0:  # a 2019 本年增/减 ("signed") may be negative
                out.append(
                    Diagnostic(
                        "negative-count",
                        "warning",
                        f"{cell.text!r} is negative but the cell counts items",
                        span,
                        table,
                        row,
                    )
                )
            elif isinstance(number, Decimal):
                out.append(
                    Diagnostic(
                        "non-integer-count",
                        "warning",
                        f"{cell.text!r} is not a whole number but the cell counts items",
                        span,
                        table,
                        row,
                    )
                )
        if value.approximate:
            out.append(
                Diagnostic(
                    "approximate-number",
                    "info",
                    f"{cell.text!r} is an approximate number",
                    span,
                    table,
                    row,
                )
            )
        return CellRecord(table, row, col.key, number, _REPORTED, cell.text, span, value.unit)
    span = Span(cell.start, cell.end, cell.line, cell.column, cell.origin)  # cell.span()
    if value.kind == "na":
        return CellRecord(table, row, col.key, None, _NOT_APPLICABLE, cell.text, span)
    return CellRecord(table, row, col.key, None, _BLANK, "", span)


def _bind_row(
    bound: BoundTable,
    row_keys: Sequence[CellKey],
    columns: Sequence[tuple[ColumnSpec, str]],
    values: Sequence[Cell],
    label: Cell | None,
    row_name: str | None,
) -> None:
    """Bind one row's value cells to its template cells (``row_keys`` in column order)."""
    table = bound.spec.key
    k = len(row_keys)
    readings = _readings(values, k)
    fitted = _one(readings)
    if (
        fitted is not None
        and bound.grid  # (once not grid-aligned, a table stays so)
        and _headed(bound, columns)
        and not _under_headers(bound, columns, fitted)
    ):
        bound.grid = False
    if fitted is None and len(readings) > 1 and bound.grid:
        # Empty cells at both ends, in a grid-aligned table: the reading whose cells stand
        # under their column headers.
        under = [r for r in readings if _under_headers(bound, columns, r)]
        fitted = under[0] if len(under) == 1 else None
    if fitted is not None:
        records, out = bound.cells, bound.diagnostics
        for key, (col, kind), cell in zip(row_keys, columns, fitted, strict=True):
            records[key] = _record(table, key[0], col, kind, cell, out)
        return
    tokens = [c for c in values if c.value.kind != "blank"]
    if readings:  # several fits that differ: a cell keeps only what every fit gives it
        agreed: list[Cell | None] = [
            cell if all(_same(cell, other[i]) for other in readings[1:]) else None
            for i, cell in enumerate(readings[0])
        ]
    else:
        agreed = _agreed(tokens, k)
    status = Status.AMBIGUOUS if tokens else Status.MISSING
    for key, (col, kind), agreed_cell in zip(row_keys, columns, agreed, strict=True):
        if agreed_cell is not None:
            bound.cells[key] = _record(table, key[0], col, kind, agreed_cell, bound.diagnostics)
        else:
            bound.cells[key] = CellRecord(table, key[0], col.key, None, status)
    where = label.span() if label is not None else (tokens[0].span() if tokens else None)
    name = row_name or "the table's data row"
    placed = sum(1 for c in agreed if c is not None)
    if placed == k:
        outcome = "every placement gives the same values, so all are kept"
    elif not tokens:
        outcome = "its cells are missing"
    else:
        outcome = f"{placed} placed with certainty, the other {k - placed} left unknown"
    if readings:
        outcome = "an empty cell at either end may be a merged cell's, so " + outcome
    bound.diagnostics.append(
        Diagnostic(
            "row-count-mismatch",
            "warning",
            f"{name}: {len(values)} cells written ({len(tokens)} non-empty) for {k} cells; "
            + outcome,
            where,
            table,
            row_name,
            _numbers(tokens),
        )
    )
    bound.unfitted.append(RowEvidence(table, row_name, tuple(row_keys), tuple(tokens)))


def _headed(bound: BoundTable, columns: Sequence[tuple[ColumnSpec, str]]) -> bool:
    header_columns = bound.header_columns
    for col, _ in columns:
        if col.key not in header_columns:
            return False
    return True


def _under_headers(
    bound: BoundTable, columns: Sequence[tuple[ColumnSpec, str]], cells: Sequence[Cell]
) -> bool:
    """Whether each cell sits at the index in its row of its column's header cell."""
    header_columns, positions = bound.header_columns, bound.positions
    for (col, _), cell in zip(columns, cells, strict=True):
        at = header_columns.get(col.key)
        if at is None or positions.get((cell.row, cell.start)) != at:
            return False
    return True


def _unplaced(bound: BoundTable, labels: Sequence[Cell], values: Sequence[Cell], code: str) -> None:
    numbers = _numbers(values)
    if not numbers:
        return
    text = "".join(c.text for c in labels).replace("\n", "")
    if code == "unknown-row":
        msg = (
            f"row {text!r} is not in the official template; its numbers were not placed in "
            "template cells (kept in report.extra_rows)"
        )
    elif code == "duplicate-row":
        msg = f"row {text!r} appears again; its numbers were not placed"
    else:
        msg = "numbers that follow no row label were not placed"
    where = labels[-1].span() if labels else numbers[0].span
    bound.diagnostics.append(Diagnostic(code, "warning", msg, where, bound.spec.key, None, numbers))


# --- tables --------------------------------------------------------------------------------


def bind_table(spec: TableSpec, cells: Sequence[Cell]) -> BoundTable:
    """Bind a table region's cells to the template table ``spec``."""
    bound = BoundTable(spec, {})
    in_row: dict[int, int] = {}
    positions = bound.positions
    for c in cells:
        row = c.row
        at = in_row.get(row, 0)
        positions[(row, c.start)] = at
        in_row[row] = at + 1
    stream = _prepare(cells, spec.key, bound.diagnostics)
    vocab = _vocabulary(spec)
    if spec.unlabelled_row is not None:
        _bind_unlabelled(bound, vocab, stream)
    else:
        _bind_labelled(bound, vocab, stream)
    if len(bound.cells) < len(vocab.cell_keys):
        bound.cells = {key: bound.cells.get(key) or rec for key, rec in missing_cells(spec).items()}
    else:
        bound.cells = {key: bound.cells[key] for key in vocab.cell_keys}
    return bound


_VOCABULARIES: dict[int, Vocabulary] = {}


def _vocabulary(spec: TableSpec) -> Vocabulary:
    vocab = _VOCABULARIES.get(id(spec))
    if vocab is None or vocab.table is not spec:
        vocab = _VOCABULARIES[id(spec)] = Vocabulary(spec)
    return vocab


def _extra_row(
    bound: BoundTable,
    vocab: Vocabulary,
    labels: Sequence[Cell],
    values: Sequence[Cell],
    near: str | None,
) -> None:
    """Keep a row the template does not have, with its label, in the columns of its block."""
    table = bound.spec.key
    label = "".join(c.text for c in labels).replace("\n", "")
    columns = list(vocab.row_cells[near][1]) if near is not None else []
    fitted = _fit(values, len(columns)) if columns else None
    records: list[CellRecord] = []
    if fitted is not None:
        scratch: list[Diagnostic] = []
        for (col, kind), cell in zip(columns, fitted, strict=True):
            records.append(_record(table, label, col, kind, cell, scratch))
    else:
        for i, cell in enumerate(c for c in values if c.value.kind != "blank"):
            col = ColumnSpec(str(i + 1), str(i + 1))
            records.append(_record(table, label, col, "count", cell, []))
    first, last = labels[0].span(), labels[-1].span()
    bound.extra.append(
        ExtraRow(
            table,
            label,
            tuple(records),
            Span(first.start, last.end, first.line, first.column, first.origin),
        )
    )


def _header_columns(bound: BoundTable, m: Match) -> None:
    """Note where a column header cell stands in its row (to place rows that fit two ways)."""
    at = bound.positions.get((m.first.row, m.first.start))
    if at is None:
        return
    for e in m.entries:
        if e.kind == "column":
            bound.header_columns[e.key] = at


def _header_label(bound: BoundTable, vocab: Vocabulary, m: Match) -> None:
    for e in m.entries:
        if e.kind == "column":
            bound.labels.append(_source_label(vocab, "column", e.key, m))
            return


_HEADER_KINDS = frozenset({"column", "header"})


def _bind_labelled(bound: BoundTable, vocab: Vocabulary, stream: Sequence[Cell]) -> None:
    rows = vocab.rows
    last_bound: str | None = None
    done: set[str] = set()
    in_rows = False
    group: str | None = None
    for labels, values in _runs(stream):
        row_key: str | None = None
        row_label: Cell | None = None
        matches = _match_run(vocab, labels)
        closed = False
        for m in matches:
            kinds = m.kinds
            if m.group is not None:
                group = m.group
                bound.labels.append(_source_label(vocab, "group", group, m))
                closed = row_key is not None
                continue
            candidate = m.row
            if candidate is None:
                # Header words after a row label: the row's own cells were dropped.
                closed = row_key is not None
                if not in_rows:
                    _header_label(bound, vocab, m)
                _header_columns(bound, m)
                continue
            header = not kinds.isdisjoint(_HEADER_KINDS)
            if not in_rows and header:
                _header_label(bound, vocab, m)
                _header_columns(bound, m)
                continue  # a header word such as 总计 before any row
            if header:
                # A word that is both a column and a row (其他, 总计): a row only in context.
                fits = rows[candidate].group in (None, "results") or rows[candidate].group == group
                if not fits:
                    continue
            if row_key is not None and row_key not in done:
                # A row label with no values before the next label: its cells were dropped.
                _bind_row(bound, *vocab.row_cells[row_key], [], row_label, row_key)
                done.add(row_key)
            in_rows = True
            closed = False
            row_key, row_label = candidate, m.cell
            bound.labels.append(_source_label(vocab, "row", candidate, m))
            group = rows[candidate].group if rows[candidate].group != "results" else group
        if row_key is not None and closed and row_key not in done:
            _bind_row(bound, *vocab.row_cells[row_key], [], row_label, row_key)
            done.add(row_key)
            row_key = None
        if row_key is None:
            if labels and not matches and _numbers(values):
                _extra_row(bound, vocab, labels, values, last_bound)
            code = "unknown-row" if labels and not matches else "unplaced-number"
            _unplaced(bound, labels, values, code)
            continue
        if row_key in done:
            _unplaced(bound, labels, values, "duplicate-row")
            continue
        done.add(row_key)
        bound.found = True
        last_bound = row_key
        _bind_row(bound, *vocab.row_cells[row_key], values, row_label, row_key)


def _bind_unlabelled(bound: BoundTable, vocab: Vocabulary, stream: Sequence[Cell]) -> None:
    """Table 4: one data row of every group's cells, after a header of group and column words."""
    spec = bound.spec
    last_header = -1
    for i, c in enumerate(stream):
        if c.value.kind == "label":
            label_core = core(c.text)
            if len(label_core) <= 12 and vocab.match(label_core):
                last_header = i
    for labels, _ in _runs(stream[: last_header + 1]):
        for m in _match_run(vocab, labels):
            for e in m.entries:
                if e.kind in ("row", "column"):
                    bound.labels.append(_source_label(vocab, e.kind, e.key, m))
                    break
    header_rows = {c.row for c in stream[: last_header + 1] if c.value.kind == "label"}
    before = [c for c in stream[: last_header + 1] if c.value.kind != "label"]
    # Empty cells in a header row only continue merged header cells.
    values = [
        c
        for c in stream[last_header + 1 :]
        if c.value.kind != "label" and not (c.value.kind == "blank" and c.row in header_rows)
    ]
    if last_header >= 0:
        bound.found = True
    if _numbers(before):
        _unplaced(bound, [], before, "unplaced-number")
    if not values and last_header < 0:
        return
    keys = [(row.key, col.key) for row in spec.rows for col in row.columns]
    columns = [(col, row.kind) for row in spec.rows for col in row.columns]
    bound.found = True
    _bind_row(bound, keys, columns, values, None, None)
