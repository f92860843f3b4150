"""Cells -> template cells, by labels: the walk over one table region.

A table region's cells are cut into *runs*: a run of label cells followed by a run of value
cells.  The label run names a row (possibly after a group label or header words, possibly broken
over several cells); the value run is that row's cells (see :mod:`.rows` for fitting them).
Table 4 has no row labels: its one data row follows a header of group and column words.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..common.labels import Vocabulary, core
from ..common.lines import Cell
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Diagnostic, missing_cells
from ..templates import TableSpec
from .bound import BoundTable, CellKey, RowEvidence
from .labels import Match, match_run, source_label, vocabulary
from .records import number_tokens
from .rows import bind_row, extra_row, unplaced
from .tokens import refine

__all__ = ["BoundTable", "CellKey", "RowEvidence", "bind_table"]
"""The binding stage's face: :func:`bind_table` and what it produces (defined in
:mod:`.bound`), for the driver and the recovery stage."""


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


def runs(cells: Sequence[Cell]) -> list[tuple[list[Cell], list[Cell]]]:
    """Cut the stream into (label cells, value cells) pairs, in order."""
    out: list[tuple[list[Cell], list[Cell]]] = []
    labels: list[Cell] = []
    values: list[Cell] = []
    for c in cells:
        if c.value.kind == "label":
            if values:
                out.append((labels, values))
                labels, values = [], []
            labels.append(c)
        else:
            values.append(c)
    if labels or values:
        out.append((labels, values))
    return out


def bind_table(
    spec: TableSpec, cells: Sequence[Cell], limits: Limits = DEFAULT_LIMITS
) -> BoundTable:
    """Bind a table region's cells to the template table ``spec``.

    The work is that of the cells given (the driver cuts a region at
    ``limits.max_region_cells``); a row's numbers are listed up to ``limits.max_row_tokens``.
    """
    bound = BoundTable(spec, {}, max_row_tokens=limits.max_row_tokens)
    cells = refine(spec, cells, bound.glued_at)
    in_row: dict[int, int] = {}
    positions = bound.positions
    for c in cells:
        row = c.row
        at = in_row.get(row, 0)
        positions[(row, c.start)] = at
        in_row[row] = at + 1
    stream = _prepare(cells, spec.key, bound.diagnostics)
    vocab = vocabulary(spec)
    if spec.unlabelled_row is not None:
        _bind_unlabelled(bound, vocab, stream)
    else:
        _bind_labelled(bound, vocab, stream)
    if len(bound.cells) < len(vocab.cell_keys):
        bound.cells = {key: bound.cells.get(key) or rec for key, rec in missing_cells(spec).items()}
    else:
        bound.cells = {key: bound.cells[key] for key in vocab.cell_keys}
    return bound


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
            bound.labels.append(source_label(vocab, "column", e.key, m))
            return


_HEADER_KINDS = frozenset({"column", "header"})


def _bind_labelled(bound: BoundTable, vocab: Vocabulary, stream: Sequence[Cell]) -> None:
    rows = vocab.rows
    last_bound: str | None = None
    done: set[str] = set()
    in_rows = False
    group: str | None = None
    for labels, values in runs(stream):
        row_key: str | None = None
        row_label: Cell | None = None
        matches = match_run(vocab, labels)
        closed = False
        for m in matches:
            kinds = m.kinds
            if m.group is not None:
                group = m.group
                bound.labels.append(source_label(vocab, "group", group, m))
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
                bind_row(bound, *vocab.row_cells[row_key], [], row_label, row_key)
                done.add(row_key)
            in_rows = True
            closed = False
            row_key, row_label = candidate, m.cell
            bound.labels.append(source_label(vocab, "row", candidate, m))
            group = rows[candidate].group if rows[candidate].group != "results" else group
        if row_key is not None and closed and row_key not in done:
            bind_row(bound, *vocab.row_cells[row_key], [], row_label, row_key)
            done.add(row_key)
            row_key = None
        if row_key is None:
            if labels and not matches and number_tokens(values, 1):
                extra_row(bound, vocab, labels, values, last_bound)
            code = "unknown-row" if labels and not matches else "unplaced-number"
            unplaced(bound, labels, values, code)
            continue
        if row_key in done:
            unplaced(bound, labels, values, "duplicate-row")
            continue
        done.add(row_key)
        bound.found = True
        last_bound = row_key
        bind_row(bound, *vocab.row_cells[row_key], values, row_label, row_key)


def _bind_unlabelled(bound: BoundTable, vocab: Vocabulary, stream: Sequence[Cell]) -> None:
    """Table 4: one data row of every group's cells, after a header of group and column words."""
    spec = bound.spec
    last_header = -1
    for i, c in enumerate(stream):
        if c.value.kind == "label":
            label_core = core(c.text)
            if len(label_core) <= 12 and vocab.match(label_core):
                last_header = i
    for labels, _ in runs(stream[: last_header + 1]):
        for m in match_run(vocab, labels):
            for e in m.entries:
                if e.kind in ("row", "column"):
                    bound.labels.append(source_label(vocab, e.kind, e.key, m))
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
    if number_tokens(before, 1):
        unplaced(bound, [], before, "unplaced-number")
    if not values and last_header < 0:
        return
    keys = [(row.key, col.key) for row in spec.rows for col in row.columns]
    columns = [(col, row.kind) for row in spec.rows for col in row.columns]
    bound.found = True
    bind_row(bound, keys, columns, values, None, None)
