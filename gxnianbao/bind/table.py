"""Cells -> template cells, by labels: the walk over one table region.

A table region's cells are cut into *runs*: a run of label cells followed by a run of value
cells.  The label run names a row (possibly after a group label or header words, possibly broken
over several cells); the value run is that row's cells (see :mod:`.rows` for fitting them).
Table 4 has no row labels: its one data row follows a header of group and column words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from ..common.labels import Vocabulary, core
from ..common.lines import Cell, counted_in_rows
from ..limits import DEFAULT_LIMITS, Limits
from ..model import CellRecord, Diagnostic, Status, missing_cells
from ..templates import TableSpec
from .bound import BoundTable, CellKey, RowEvidence, drops_empty_cells
from .labels import Match, match_run, source_label, vocabulary
from .readings import fit, readings_of
from .records import number_tokens
from .rows import bind_row, extra_row, own_row, unplaced
from .tokens import cut, last_at, to_cut

__all__ = ["BoundTable", "CellKey", "RowEvidence", "bind_table"]
"""The binding stage's face: :func:`bind_table` and what it produces (defined in
:mod:`.bound`), for the driver and the recovery stage."""


def _prepare(
    cells: Sequence[Cell], table: str, out: list[Diagnostic], vocab: Vocabulary
) -> tuple[list[Cell], bool]:
    """Drop noise (page footers, stray units) and empty cells that only continue a merge.

    Also says whether a label that names nothing is followed by numbers on its line (only then
    may a label have wrapped after its row's numbers, see :func:`_rejoin_wrapped`)."""
    has_label = {c.row for c in cells if c.value.kind == "label"}
    kept: list[Cell] = []
    seen_content: set[int] = set()
    wrapped = False
    exact = vocab.exact
    last_kind = ""  # the last kept cell's kind and row (each field read once per cell)
    last_row = -1
    for c in cells:
        kind = c.value.kind
        row = c.row
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
            if row in has_label and row not in seen_content:
                continue  # a vertically merged cell's continuation at the start of a row
        elif kind == "label":
            seen_content.add(row)
            kept.append(c)
            last_kind, last_row = kind, row
            continue
        else:
            seen_content.add(row)
        if not wrapped and last_kind == "label" and last_row == row:
            wrapped = not exact(core(kept[-1].text))
        kept.append(c)
        last_kind, last_row = kind, row
    return kept, wrapped


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


def truncated_region(key: str, title: str, last: Cell, limits: Limits) -> Diagnostic:
    """The diagnostic of a table region cut at ``limits.max_region_cells`` (after ``last``)."""
    return Diagnostic(
        "table-region-truncated",
        "warning",
        f"table {title} has more than {limits.max_region_cells:,} cells "
        f"(limits.max_region_cells); the cells after this one were not read",
        last.span(),
        key,
    )


def bind_table(
    spec: TableSpec, cells: Sequence[Cell], limits: Limits = DEFAULT_LIMITS
) -> BoundTable:
    """Bind a table region's cells to the template table ``spec``.

    The work is that of the cells given (the driver cuts a region at
    ``limits.max_region_cells``); a row's numbers are listed up to ``limits.max_row_tokens``.
    """
    bound = BoundTable(spec, {}, max_row_tokens=limits.max_row_tokens)
    bound.last_at = last_at(cells)
    todo = to_cut(spec, cells)
    if todo:  # cells cut into tokens: their places in their rows counted again
        most = limits.max_region_cells
        cells = cut(spec, cells, bound.glued_at, todo, bound.last_at, most + 1)
        if len(cells) > most:  # a hostile line of numbers: the region's budget, as for cells
            del cells[most:]
            bound.diagnostics.append(truncated_region(spec.key, spec.title, cells[-1], limits))
        cells = counted_in_rows(cells)
        bound.last_at = last_at(cells)
    bound.drops_empty = drops_empty_cells(cells)
    vocab = vocabulary(spec)
    stream, wrapped = _prepare(cells, spec.key, bound.diagnostics, vocab)
    if spec.unlabelled_row is not None:
        _bind_unlabelled(bound, vocab, stream)
    else:
        _bind_labelled(bound, vocab, _rejoin_wrapped(vocab, stream) if wrapped else stream)
    if len(bound.cells) < len(vocab.cell_keys):
        bound.cells = {key: bound.cells.get(key) or rec for key, rec in missing_cells(spec).items()}
    else:
        bound.cells = {key: bound.cells[key] for key in vocab.cell_keys}
    _group_zeros(bound, vocab)
    return bound


def _group_zeros(bound: BoundTable, vocab: Vocabulary) -> None:
    """A group written as one row (the 2019 form of （六）其他处理 in a 2021 table) gives its
    rows' cells only where it wrote 0: counts are never negative, so rows summing to 0 are 0."""
    for group, cells in bound.group_totals.items():
        rows = [row for row in vocab.table.rows if row.group == group]
        for i, cell in enumerate(cells):
            if cell.value.kind != "number" or cell.value.value != 0:
                continue
            for row in rows:
                if i >= len(row.columns) or row.kind != "count":
                    continue
                key = (row.key, row.columns[i].key)
                old = bound.cells.get(key)
                if old is not None and old.status is Status.MISSING:
                    bound.cells[key] = CellRecord(
                        bound.spec.key, row.key, row.columns[i].key, 0, Status.INFERRED,
                        identity=f"group-total/{group}",
                    )  # fmt: skip


def _header_columns(bound: BoundTable, m: Match) -> None:
    """Note where a column header cell stands in its row (to place rows that fit two ways)."""
    at = m.first.at
    changed = {e.key: at for e in m.entries if e.kind == "column"}
    if changed:
        # A new mapping, not an update: rows already named keep the headers they stood under.
        bound.header_columns = {**bound.header_columns, **changed}


def _header_label(bound: BoundTable, vocab: Vocabulary, m: Match) -> None:
    for e in m.entries:
        if e.kind == "column":
            bound.labels.append(source_label(vocab, "column", e.key, m))
            return


_HEADER_KINDS = frozenset({"column", "header"})


def _bind_labelled(bound: BoundTable, vocab: Vocabulary, stream: Sequence[Cell]) -> None:
    """Walk the runs, naming each row's values; then bind the rows (see :func:`_bind_jobs`)."""
    jobs: list[Job] = []
    _walk_labelled(bound, vocab, stream, jobs)
    _bind_jobs(bound, vocab, jobs)


def _walk_labelled(
    bound: BoundTable, vocab: Vocabulary, stream: Sequence[Cell], jobs: list[Job]
) -> None:
    rows = vocab.rows
    last_bound: str | None = None
    done: set[str] = set()
    in_rows = False
    group: str | None = None
    for labels, values in runs(stream):
        row_key: str | None = None
        row_label: Cell | None = None
        pending: list[tuple[str, Cell | None]] = []  # rows named before the run's last one
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
                # A word that is both a column and a row (其他, 总计): a row only in context,
                # and never in a row of header cells (``类别 | 数据1 | … | 总计``).
                fits = rows[candidate].group in (None, "results") or rows[candidate].group == group
                if not fits or _among_headers(m.cell, labels, values):
                    continue
            if candidate == row_key:
                continue  # the rest of the same label, cut in pieces
            if row_key is not None and row_key not in done:
                # A row label with no values before the next label: its cells were dropped,
                # or a conversion set the labels apart from their number rows.
                pending.append((row_key, row_label))
            in_rows = True
            closed = False
            row_key, row_label = candidate, m.cell
            bound.labels.append(source_label(vocab, "row", candidate, m))
            group = rows[candidate].group if rows[candidate].group != "results" else group
        if pending and row_key is not None and not closed and row_key not in done:
            paired = _pair_detached(bound, vocab, [*pending, (row_key, row_label)], values)
            if paired is not None:
                for key, label, own in paired:
                    jobs.append(Job(key, own, label, bound.header_columns))
                    done.add(key)
                bound.found = True
                last_bound = row_key
                continue
        for key, label in pending:
            if key not in done:
                jobs.append(Job(key, [], label, bound.header_columns))
                done.add(key)
        if row_key is not None and closed and row_key not in done:
            jobs.append(Job(row_key, [], row_label, bound.header_columns))
            done.add(row_key)
            row_key = None
        if row_key is None and matches and matches[-1].group is not None and values:
            if _group_row(bound, vocab, matches[-1].group, labels, values):
                continue
        if row_key is None:
            if labels and not matches and number_tokens(values, 1):
                extra_row(bound, vocab, labels, values, last_bound)
            code = "unknown-row" if labels and not matches else "unplaced-number"
            unplaced(bound, labels, values, code)
            continue
        if row_key in done:
            unplaced(bound, labels, values, "duplicate-row")
            continue
        if _label_of_values_unnamed(labels, values, row_label):
            # The values' own line starts with a label that named no row (a truncated or
            # unknown label); the row named earlier may not take them.
            jobs.append(Job(row_key, [], row_label, bound.header_columns))
            done.add(row_key)
            unplaced(bound, labels, values, "unknown-row")
            continue
        done.add(row_key)
        bound.found = True
        last_bound = row_key
        k = len(vocab.row_cells[row_key][0])
        jobs.append(
            Job(row_key, own_row(bound, values, row_label, k), row_label, bound.header_columns)
        )


def _group_row(
    bound: BoundTable, vocab: Vocabulary, group: str, labels: Sequence[Cell], values: list[Cell]
) -> bool:
    """A group label followed by numbers of its own: the group written as one row (the 2019
    form of （六）其他处理 in a 2021 table).  Its numbers are the sums of the group's rows; kept
    in a ``group-total`` diagnostic, and its zeros give the rows' zeros."""
    rows = [row for row in vocab.table.rows if row.group == group]
    if not rows:
        return False
    k = len(rows[0].columns)
    fitted = fit(values, k)
    if fitted is None:
        return False
    bound.group_totals[group] = fitted
    where = labels[-1].span() if labels else None
    bound.diagnostics.append(
        Diagnostic(
            "group-total",
            "warning",
            f"group {vocab.official.get(('group', group), group)} is written as one row: its "
            f"numbers are the sums of its {len(rows)} rows, which are not written; where it "
            "writes 0 its rows are 0 (inferred)",
            where,
            bound.spec.key,
            None,
            number_tokens(values, bound.max_row_tokens),
        )
    )
    return True


def _among_headers(cell: Cell, labels: Sequence[Cell], values: Sequence[Cell]) -> bool:
    """Whether a label cell stands in a row of label cells with no values on it."""
    line = cell.row
    if any(v.row == line for v in values):
        return False
    return sum(1 for c in labels if c.row == line) > 1


def _pair_detached(
    bound: BoundTable,
    vocab: Vocabulary,
    named: Sequence[tuple[str, Cell | None]],
    values: Sequence[Cell],
) -> list[tuple[str, Cell | None, list[Cell]]] | None:
    """Labels set apart from their number rows: the rows paired in order, or None.

    ``| 规章 |`` / ``| 行政规范性文件 |`` / ``| 20 | 9 | 25 |`` / ``| 3 | 4 | 34 |``: as many
    number lines as labels, each fitting its row's cells, are the rows' in the order written
    (an info diagnostic says so).  Anything else proves nothing."""
    lines: dict[int, list[Cell]] = {}
    for c in values:
        lines.setdefault(c.row, []).append(c)
    if len(lines) != len(named) or any(label is None for _, label in named):
        return None
    groups = list(lines.values())
    out: list[tuple[str, Cell | None, list[Cell]]] = []
    for (key, label), group in zip(named, groups, strict=True):
        if label is not None and any(c.row == label.row for c in group):
            return None  # a label on a number line: not a detached layout
        if not readings_of(group, len(vocab.row_cells[key][0])):
            return None
        out.append((key, label, group))
    first = named[0][1]
    bound.diagnostics.append(
        Diagnostic(
            "labels-detached",
            "info",
            f"{len(named)} row labels stand apart from their {len(named)} number lines; "
            "each line was bound to the label in the same order",
            first.span() if first is not None else None,
            bound.spec.key,
        )
    )
    return out


def _label_of_values_unnamed(
    labels: Sequence[Cell], values: Sequence[Cell], row_label: Cell | None
) -> bool:
    """Whether a label cell after the row's label stands on the values' own line."""
    if not values or row_label is None:
        return False
    line = values[0].row
    if row_label.row == line or labels[-1].row != line:
        return False
    at = next((i for i, c in enumerate(labels) if c is row_label), None)
    return at is not None and any(c.row == line for c in labels[at + 1 :])


def _rejoin_wrapped(vocab: Vocabulary, stream: Sequence[Cell]) -> list[Cell]:
    """Put back the second line of a label that wrapped after its row's numbers.

    A PDF text layer writes ``4.保护第   0   163 …`` and then ``三方合法权益`` on a line of its
    own.  When neither part names anything, the line after the numbers holds only label text,
    and the two together are a row's wording exactly, the second part is moved before the
    numbers (the label's span then covers both parts)."""
    out = list(stream)
    n = len(out)
    exact = vocab.exact
    done = 0  # cells before this one are settled (a moved part is not looked at again)
    # Only a label that is no row's wording, followed by values on its line, is looked at.
    for i in [i for i, c in enumerate(out) if c.value.kind == "label"]:
        if i < done or i + 1 >= n or out[i + 1].value.kind == "label":
            continue
        cell = out[i]
        if exact(core(cell.text)):
            continue
        j = i + 1
        while j < n and out[j].value.kind != "label" and out[j].row == cell.row:
            j += 1
        if j == i + 1 or j >= n:
            continue
        nxt = out[j]
        lone = nxt.row != cell.row and (j + 1 >= n or out[j + 1].row != nxt.row)
        if lone and exact(core(cell.text + nxt.text)):
            out[i + 1 : j + 1] = [nxt, *out[i + 1 : j]]
            done = j + 1
    return out


class Job(NamedTuple):
    """One row to bind: its key, the value cells that follow its label, and the label."""

    row: str
    values: list[Cell]
    label: Cell | None
    headers: dict[str, int]
    """The column headers' places in their rows when the row was named (the headers above
    it, not those of a later block)."""


_CORROBORATING_ROWS = 3
"""Rows with a real empty cell at an end needed before another such row is believed."""


def _bind_jobs(bound: BoundTable, vocab: Vocabulary, jobs: Sequence[Job]) -> None:
    """Bind each row, knowing which of its empty end cells the table's other rows vouch for.

    Merged cells leave empty cells at the ends of rows, so a row whose numbers fit only by
    taking an empty end cell for a real one may instead have lost a cell.  Two kinds of
    evidence decide:

    - where all rows laid out alike (their values starting at the same place in their physical
      row) write the same number of cells, none of them has lost one; one that writes fewer
      than most of them has;
    - otherwise, where the table's rows show artefacts at an end, an empty cell there is
      believed only when several other rows have a real one there too (a 2019 report's blank
      总计 column).
    """
    row_cells = vocab.row_cells
    all_readings = [readings_of(job.values, len(row_cells[job.row][0])) for job in jobs]
    if not any(_blank_end(r) for readings in all_readings for r in readings):
        # No reading has an empty end cell: what the other rows vouch for changes nothing.
        for job, readings in zip(jobs, all_readings, strict=True):
            keys, columns = row_cells[job.row]
            bound.header_columns = job.headers
            bind_row(bound, keys, columns, job.values, job.label, job.row, (True, True), readings)
        return
    seen = [0, 0]  # rows with an artefact at the start, at the end
    real = [0, 0]  # rows with a real empty cell at the start, at the end
    alike: dict[tuple[int, int], Counter[int]] = {}
    places: list[int | None] = []
    for job, readings in zip(jobs, all_readings, strict=True):
        k = len(row_cells[job.row][0])
        values = job.values
        place = _place(job)
        places.append(place)
        if place is not None:
            alike.setdefault((k, place), Counter())[len(values)] += 1
        if len(readings) != 1:
            continue
        reading = readings[0]
        if len(values) > k:
            seen[0] += reading[0] is not values[0]
            seen[1] += reading[-1] is not values[-1]
        real[0] += reading[0].value.kind == "blank"
        real[1] += reading[-1].value.kind == "blank"
    # Layouts where rows laid out alike all write as many cells: none of them lost one.
    consistent = {
        key for key, counter in alike.items() if len(counter) == 1 and counter.total() > 1
    }
    # ... and a row writing fewer cells than most rows laid out like it has lost one.
    most: dict[tuple[int, int], int] = {}
    for key, counter in alike.items():
        n, times = counter.most_common(1)[0]
        if times >= 2 and 2 * times > counter.total():
            most[key] = n
    # ... and where all other rows of a grid are as wide, a narrower row has lost a cell.
    widths = Counter(
        bound.width(job.label.row)
        for job, at in zip(jobs, places, strict=True)
        if job.label is not None and at is not None
    )
    for job, place, readings in zip(jobs, places, all_readings, strict=True):
        keys, columns = vocab.row_cells[job.row]
        bound.header_columns = job.headers
        group = (len(keys), place)
        label = job.label
        width = bound.width(label.row) if place is not None and label is not None else 0
        if width and len(widths) == 2 and widths[width] == 1 and widths.total() > 3:
            wide = max(widths)
            if width < wide:
                trusted = (False, False)
                bind_row(bound, keys, columns, job.values, job.label, job.row, trusted, readings)
                continue
        # The rows vouching for an empty end cell are *other* rows: a row that lost a cell and
        # so ends in an empty one does not vouch for itself.
        own = readings[0] if len(readings) == 1 else None
        vouched = (
            real[0] - _blank_at(own, 0) >= _CORROBORATING_ROWS,
            real[1] - _blank_at(own, -1) >= _CORROBORATING_ROWS,
        )
        if group in consistent:
            trusted = (True, True)
        elif group in most and len(job.values) < most[group]:
            trusted = (False, False)
        else:
            trusted = (not seen[0] or vouched[0], not seen[1] or vouched[1])
        if (
            seen[1]
            and trusted[1]
            and not vouched[1]
            and own is not None
            and _total_contradicted(keys, own)
        ):
            # Rows of this table end in empty artefact fields (a trailing separator), and this
            # one ends in an empty 总计 while its other cells hold numbers: as likely a row that
            # lost a cell (its total moved left onto the artefact) as a total left blank,
            # unless other rows leave theirs blank too.  Recovery decides.
            trusted = (trusted[0], False)
        bind_row(bound, keys, columns, job.values, job.label, job.row, trusted, readings)


def _total_contradicted(keys: Sequence[tuple[str, str]], reading: Sequence[Cell]) -> bool:
    """Whether ``reading`` ends in an empty 总计 cell while the row's other cells hold a number
    that is not 0 (the row's own identity, total = the sum of the others, would fail)."""
    if not reading or keys[-1][1] != "total" or reading[-1].value.kind != "blank":
        return False
    return any(c.value.kind == "number" and c.value.value not in (None, 0) for c in reading[:-1])


def _blank_at(reading: Sequence[Cell] | None, end: int) -> int:
    """1 when ``reading`` has an empty cell at ``end`` (0: its start, -1: its end), else 0."""
    if not reading:
        return 0
    return int(reading[end].value.kind == "blank")


def _blank_end(reading: Sequence[Cell]) -> bool:
    """Whether a reading of a row has an empty cell at either end (which trust may refuse)."""
    return bool(reading) and (reading[0].value.kind == "blank" or reading[-1].value.kind == "blank")


def _place(job: Job) -> int | None:
    """Where the row's values start in its physical row, when all are on the label's row."""
    values, label = job.values, job.label
    if not values or label is None or any(c.row != label.row for c in values):
        return None
    return values[0].at


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
    first = next((c for c in values if c.value.kind != "blank"), None)
    bind_row(bound, keys, columns, own_row(bound, values, first, len(keys)), None, None)
