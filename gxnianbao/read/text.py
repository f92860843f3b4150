"""Plain text -> lines with offsets, and a table region's lines -> cells.

The text layouts real sources show differ in how they mark cells and rows:

- tab rows: one physical row per line, cells separated by tabs (merged cells as empty fields);
- Word copy-paste: one cell per line with a leading tab, a blank line between rows, a line holding
  only a tab for an empty cell, and a cell's second line without a tab (``\\t商业`` / ``企业``);
- a web-page scrape: one cell per line, blank lines everywhere, empty cells dropped;
- markdown pipe tables: ``| a | b |`` rows, ``|---|`` separator rows, ``\\|`` inside a cell;
  rows without their outer bars (``a | b``), and one cell per line closed by a bar (``a |``).

Each line is classified on its own, so one report may mix layouts.  A cell keeps its offsets in
the input and the physical row it came from (rows matter only to tell merge artefacts apart).
"""

from __future__ import annotations

import itertools
import operator
import sys
from collections.abc import Iterable, Sequence

from ..common.lines import Cell, Line
from ..common.text import lazy_pattern
from ..common.values import SHORT, classify, classify_short

_new = tuple.__new__


_PIPE_SEPARATOR = lazy_pattern(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?")


def _escaped_pipe_bounds(body: str, most: int) -> list[int]:
    """Offsets of the pipes of a row that are not escaped as ``\\|`` (at most ``most``)."""
    bounds: list[int] = []
    i = 0
    n = len(body)
    while i < n and len(bounds) < most:
        ch = body[i]
        if ch == "\\" and i + 1 < n:
            i += 2
            continue
        if ch == "|":
            bounds.append(i)
        i += 1
    return bounds


def _pipe_fields(body: str, most: int) -> list[tuple[int, int]]:
    """Cell ranges of a markdown pipe row; ``\\|`` is an escaped pipe inside a cell.  At most
    about ``most`` of them: the rest of a longer row is not split (the caller's budget)."""
    n = len(body)
    bounded = most + 2  # the fields between that many bars, and one more past them
    if "\\" in body:
        bounds = _escaped_pipe_bounds(body, bounded)
    else:  # no escapes: every pipe is a bound
        bounds = []
        i = body.find("|")
        while i >= 0 and len(bounds) < bounded:
            bounds.append(i)
            i = body.find("|", i + 1)
    fields: list[tuple[int, int]] = []
    fields.extend((a + 1, b) for a, b in itertools.pairwise(bounds))
    cut_short = len(bounds) >= bounded  # the text after the last bar read is past the budget
    if not cut_short and bounds and bounds[-1] < n - 1 and body[bounds[-1] + 1 :].strip():
        fields.append((bounds[-1] + 1, n))  # a row without its closing pipe
    if bounds and bounds[0] > 0 and body[: bounds[0]].strip():
        fields.insert(0, (0, bounds[0]))
    return fields


def _add_fields(
    out: list[Cell], line: Line, fields: Iterable[tuple[int, str]], row: int, at: int = 0
) -> None:
    """Append the cells of one line's fields, each given as (offset in the line, raw text);
    the first is the ``at``-th cell of its row.

    A cell's text is its field without surrounding whitespace; an empty field is a cell at the
    field's start (merged cells and empty cells matter for binding).
    """
    base = line.start
    number = line.number
    column = line.column
    append = out.append
    escapes = "\\" in line.text
    for offset, field in fields:
        text = field.strip()
        if text and len(text) != len(field):
            offset += len(field) - len(field.lstrip())
        if escapes and "\\|" in text:
            value = classify(text.replace("\\|", "|"))
        else:
            value = classify_short(text) if len(text) <= SHORT else classify(text)
        start = base + offset
        append(
            _new(
                Cell,
                (text, start, start + len(text), number, offset + column, row, at, value, None),
            )
        )
        at += 1


def _tab_fields(body: str, most: int) -> Iterable[tuple[int, str]]:
    """The tab-separated fields of a line with their offsets, at most ``most`` of them (the rest
    of a longer line is not split at all)."""
    fields = body.split("\t", most)
    if len(fields) > most:
        del fields[most:]
    # Field i starts after the i earlier fields and their i tabs.
    offsets = map(
        operator.add, itertools.accumulate(map(len, fields), initial=0), itertools.count()
    )
    return zip(offsets, fields, strict=False)  # one offset more than fields: the end


def read_cells(lines: Sequence[Line], max_cells: int | None = None) -> list[Cell]:
    """The cells of a table region, in reading order.

    With ``max_cells``, reading stops once more than that many cells are read (the caller sees
    ``max_cells + 1`` and knows the region was cut): a hostile region costs no more than that.
    """
    most = sys.maxsize if max_cells is None else max_cells + 1
    cells: list[Cell] = []
    row = 0
    in_cell_row = False  # inside a Word-style row (cells on lines of their own)
    in_row = 0  # the cells of that row so far
    last_was_tab_cell = False

    for line in lines:
        if len(cells) >= most:
            del cells[most:]
            break
        body = line.text
        stripped = body.strip()
        if not stripped and "\t" not in body:
            # A blank line ends a Word-style row; it means nothing in other layouts.
            if in_cell_row:
                row += 1
            in_cell_row = False
            last_was_tab_cell = False
            continue
        if stripped[:1] == "|" or ("|" in stripped and "\t" not in body):
            # A markdown row, with or without its outer bars (``规章 | 0 | 0 | 0``), or one cell
            # closed by a bar (``规章 |``).
            row += 1
            in_cell_row = last_was_tab_cell = False
            if _PIPE_SEPARATOR().fullmatch(stripped):
                continue
            if stripped == "|":  # an empty cell on a line of its own, closed by its bar
                _add_fields(cells, line, ((body.index("|"), ""),), row)
                row += 1
                continue
            fields = itertools.islice(_pipe_fields(body, most - len(cells)), most - len(cells))
            _add_fields(cells, line, ((a, body[a:b]) for a, b in fields), row)
            row += 1
            continue
        tabs = body.count("\t")
        if tabs == 1 and body[0] == "\t":
            # Word copy-paste: one cell on its own line, marked by a leading tab.
            if not in_cell_row:
                row += 1
                in_cell_row = True
                in_row = 0
            _add_fields(cells, line, ((1, body[1:]),), row, in_row)
            in_row += 1
            last_was_tab_cell = True
            continue
        if tabs:
            row += 1
            in_cell_row = last_was_tab_cell = False
            _add_fields(cells, line, _tab_fields(body, most - len(cells)), row)
            row += 1
            continue
        # A line without tabs: the second line of a Word cell, or a cell of its own.
        left = len(body) - len(body.lstrip())
        start = line.start + left
        end = start + len(stripped)
        value = classify_short(stripped) if len(stripped) <= SHORT else classify(stripped)
        if (
            last_was_tab_cell
            and cells
            and cells[-1].value.kind == "label"
            and value.kind == "label"
        ):
            prev = cells[-1]
            joined = prev.text + "\n" + stripped
            cells[-1] = prev._replace(text=joined, end=end)
            continue
        row += 1
        in_cell_row = last_was_tab_cell = False
        cells.append(
            _new(Cell, (stripped, start, end, line.number, left + line.column, row, 0, value, None))
        )
        row += 1
    del cells[most:]
    return cells
