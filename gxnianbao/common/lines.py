"""Lines and cells: the units every stage after reading works on.

A :class:`Line` is one input line with its offset; a :class:`Cell` is one table cell from any
reader, with where it is and the physical row it came from.
"""

from __future__ import annotations

import itertools
import operator
from typing import NamedTuple

from ..model import Origin, Span
from .values import CellValue


class Line(NamedTuple):
    """One input line: ``text`` excludes the line break; ``start`` is its offset.

    A flattened page's one physical line is cut into several lines at its headings
    (:mod:`gxnianbao.locate.reflow`): they share the ``number`` and each says at which
    ``column`` of that physical line it starts."""

    number: int
    start: int
    text: str
    column: int = 1


class Cell(NamedTuple):
    """One table cell from any reader: its text, where it is, and its physical row."""

    text: str
    start: int
    end: int
    line: int
    column: int
    row: int
    at: int
    """The cell's index among the region's cells of its ``row`` (0 for a row's first): where
    it stands under the column headers.  Readers count it as they read; the binder counts
    again where it cuts a cell into tokens."""
    value: CellValue
    origin: Origin | None = None
    """Where in a document file the cell is (None for text input)."""

    def span(self) -> Span:
        return Span(self.start, self.end, self.line, self.column, self.origin)

    def number_span(self) -> Span:
        """The span of the number inside the cell (``text[start:end]`` is its digits)."""
        return Span(
            self.start + self.value.start,
            self.start + self.value.end,
            self.line,
            self.column + self.value.start,
            self.origin,
        )


ROW_OF = operator.itemgetter(Cell._fields.index("row"))
AT_OF = operator.itemgetter(Cell._fields.index("at"))
VALUE_OF = operator.itemgetter(Cell._fields.index("value"))
KIND_OF = operator.itemgetter(CellValue._fields.index("kind"))
"""A cell's ``row``, ``at`` and ``value``, and a value's ``kind``, for C loops over a region's
cells (``map(ROW_OF, cells)``): every cell of every report passes through a few."""


def counted_in_rows(cells: list[Cell]) -> list[Cell]:
    """``cells`` with each one's ``at`` its index among the earlier cells of its ``row`` (the
    cells whose count was right are kept as they are)."""
    seen: dict[int, int] = {}
    for i, c in enumerate(cells):
        row = c.row
        at = seen.get(row, 0)
        seen[row] = at + 1
        if c.at != at:
            cells[i] = c._replace(at=at)
    return cells


_new = tuple.__new__
"""Builds a NamedTuple from a plain tuple without its keyword-handling ``__new__`` (hot paths)."""


_MANY_LINES = 20_000
"""More lines than any report has (a long one has under 2,000)."""


def split_lines(text: str) -> list[Line]:
    """Split on ``\\n`` only (keeping offsets exact); a trailing ``\\r`` is not part of a line."""
    bodies = text.split("\n")
    # Line i starts after the i earlier bodies and their i line breaks.
    starts = map(operator.add, itertools.accumulate(map(len, bodies), initial=0), itertools.count())
    if "\r" in text:
        bodies = [b[:-1] if b.endswith("\r") else b for b in bodies]
    if len(bodies) > _MANY_LINES:
        # A text of very many lines repeats them (a hostile one of a million ``0`` cells): one
        # string per distinct line, each duplicate freed as it is met, holds memory to the
        # lines' own cost.
        seen: dict[str, str] = {}
        for i, body in enumerate(bodies):
            bodies[i] = seen.setdefault(body, body)
    rows = zip(itertools.count(1), starts, bodies, itertools.repeat(1))
    return list(map(_new, itertools.repeat(Line), rows))
