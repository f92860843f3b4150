"""Binding one row: its value cells to its template cells, or a row-count-mismatch.

Values are fitted to the row's columns only when the count fits, once merged-cell artefacts
are set aside (empty cells at both ends may each be the artefact: the header cells' places in
their rows then say which).  When it does not fit, every order-preserving placement of the
row's numbers is considered, a cell keeps a value only if all placements agree on it, and the
rest are ``ambiguous``, with every number of the row in a ``row-count-mismatch`` diagnostic.
Rows the template does not have are kept aside as extra rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..common.labels import Vocabulary
from ..common.lines import Cell
from ..model import CellRecord, Diagnostic, ExtraRow, Span, Status
from ..templates import ColumnSpec
from .bound import BoundTable, CellKey, RowEvidence
from .readings import agreed_tokens, fit, inner, one_reading, readings_of, same
from .records import number_tokens, record


def bind_row(
    bound: BoundTable,
    row_keys: Sequence[CellKey],
    columns: Sequence[tuple[ColumnSpec, str]],
    values: Sequence[Cell],
    label: Cell | None,
    row_name: str | None,
    trusted: tuple[bool, bool] = (True, True),
    readings: list[list[Cell]] | None = None,
) -> None:
    """Bind one row's value cells to its template cells (``row_keys`` in column order).

    ``trusted`` says whether an empty cell at the row's start, and at its end, may be taken for
    a real empty cell (not where the table's other rows show merge artefacts there)."""
    table = bound.spec.key
    k = len(row_keys)
    if readings is None:
        readings = readings_of(values, k)
    if not all(trusted) and (k == 1 or any(c.value.kind == "number" for c in values)):
        readings = [r for r in readings if _ends_trusted(r, trusted)]
    fitted = one_reading(readings)
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
            records[key] = record(table, key[0], col, kind, cell, out)
        return
    tokens = [c for c in values if c.value.kind != "blank"]
    inner_cells = inner(values)
    if readings:  # several fits that differ: a cell keeps only what every fit gives it
        agreed: list[Cell | None] = [
            cell if all(same(cell, other[i]) for other in readings[1:]) else None
            for i, cell in enumerate(readings[0])
        ]
    else:
        # Empty cells inside the row are cells, not artefacts: numbers never shift over them.
        agreed = agreed_tokens(inner_cells, k)
    status = Status.AMBIGUOUS if tokens else Status.MISSING
    for key, (col, kind), agreed_cell in zip(row_keys, columns, agreed, strict=True):
        if agreed_cell is not None:
            bound.cells[key] = record(table, key[0], col, kind, agreed_cell, bound.diagnostics)
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
    most = bound.max_row_tokens
    numbers = number_tokens(tokens, most)
    if len(tokens) > most:  # a hostile row: its first numbers listed, recovery not tried
        outcome += f"; the first {len(numbers)} numbers are listed (limits.max_row_tokens)"
    bound.diagnostics.append(
        Diagnostic(
            "row-count-mismatch",
            "warning",
            f"{name}: {len(values)} cells written ({len(tokens)} non-empty) for {k} cells; "
            + outcome,
            where,
            table,
            row_name,
            numbers,
        )
    )
    if len(tokens) <= most and (len(tokens) < k or len(inner_cells) == len(tokens)):
        # (A row with an empty cell inside and as many numbers as cells holds a number that is
        # not its own: no placement of its numbers alone can be trusted.)
        glued = _glued(bound, tokens, k)
        dropped = bound.drops_empty and not glued and len(tokens) < k
        bound.unfitted.append(
            RowEvidence(table, row_name, tuple(row_keys), tuple(tokens), glued, dropped)
        )


def _glued(bound: BoundTable, tokens: Sequence[Cell], k: int) -> bool:
    """Whether the row's digits may be run together: a number cut from text with no separator
    around it, or a row of several cells written as one number with as many digits as cells."""
    if any(c.start in bound.glued_at for c in tokens):
        return True
    if len(tokens) == 1 and k > 1:
        text = tokens[0].text
        return text.isdigit() and len(text) >= k
    return False


def _ends_trusted(reading: Sequence[Cell], trusted: tuple[bool, bool]) -> bool:
    return (trusted[0] or reading[0].value.kind != "blank") and (
        trusted[1] or reading[-1].value.kind != "blank"
    )


def own_row(bound: BoundTable, values: list[Cell], label: Cell | None, k: int) -> list[Cell]:
    """The values that are the row's own, the rest reported as unplaced.

    A row written on one physical row (a tab or markdown row) ends there: numbers on the lines
    after it (a page number, a stray total) are not its cells when its own row fits, and a line
    holding one lone number never completes it.  Rows whose label stands alone on its line (a
    scrape, a torn conversion) take the value cells that follow."""
    if label is None or not values:
        return values
    row = label.row
    own = [c for c in values if c.row == row]
    if not own or len(own) == len(values) or (label.value.kind != "label" and len(own) < 2):
        return values  # (a data row without a label: its first number's line must hold more)
    if readings_of(own, k):
        kept = own
    else:
        per_row: dict[int, int] = {}
        for c in values:
            per_row[c.row] = per_row.get(c.row, 0) + 1
        kept = [c for c in values if c.row == row or per_row[c.row] > 1]
    if len(kept) < len(values):
        left = {(c.start, c.row) for c in kept}
        unplaced(bound, [], [c for c in values if (c.start, c.row) not in left], "unplaced-number")
    return kept


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
    header_columns = bound.header_columns
    for (col, _), cell in zip(columns, cells, strict=True):
        if header_columns.get(col.key) != cell.at:
            return False
    return True


def unplaced(bound: BoundTable, labels: Sequence[Cell], values: Sequence[Cell], code: str) -> None:
    """Report numbers that no template cell takes (``code`` says why)."""
    numbers = number_tokens(values, bound.max_row_tokens)
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


def extra_row(
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
    fitted = fit(values, len(columns)) if columns else None
    records: list[CellRecord] = []
    if fitted is not None:
        scratch: list[Diagnostic] = []
        for (col, kind), cell in zip(columns, fitted, strict=True):
            records.append(record(table, label, col, kind, cell, scratch))
    else:
        written = (c for c in values if c.value.kind != "blank")
        for i, cell in enumerate(itertools.islice(written, bound.max_row_tokens)):
            col = ColumnSpec(str(i + 1), str(i + 1))
            records.append(record(table, label, col, "count", cell, []))
    first, last = labels[0].span(), labels[-1].span()
    bound.extra.append(
        ExtraRow(
            table,
            label,
            tuple(records),
            Span(first.start, last.end, first.line, first.column, first.origin),
        )
    )
