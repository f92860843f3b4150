"""HTML tokens -> paragraphs and table grids: the element stack and the tables being built.

The tree is kept as a stack of block elements only (inline ones such as ``<span>``, ``<font>``,
``<o:p>`` change nothing here and are not counted), capped at ``limits.max_depth``, with the
implicit closes browsers apply: ``<p>`` and block starts close an open ``<p>``, ``<li>`` an open
``<li>``, ``<td>``/``<th>``/``<tr>`` the open cell or row, ``</td>`` and ``</table>`` whatever was
left open inside.  What becomes a paragraph and what a grid is told in :mod:`.html`.
"""

from __future__ import annotations

import html as _html
import re

import attrs
import regex

from ..errors import DocumentTooLargeError
from ..limits import Limits
from ..model import Origin
from .document import MAX_SPAN, Block, Grid, GridCell, Paragraph

__all__ = ["BLOCKS", "CELLS", "KIND", "STRUCTURAL", "Proto", "TreeBuilder", "to_blocks"]

KIND = "html"

_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""Zero-width characters CMS editors leave in text (``&#8203;``, a stray BOM): removed, so a
cell holding only one is blank; so are control characters (``&#1;``: never content)."""
_WS = re.compile(r"[\t\n\f\r \xa0]+")
"""(``re``, not ``regex``: these simple classes are substituted at every paragraph and cell,
and ``re`` does it in a third of the time.)"""
_DIGITS = regex.compile(r"[\t\n\f\r ]*\+?([0-9]+)")

_DROPPED = frozenset(("nav", "select", "datalist", "svg", "math", "object"))
"""Parsed elements whose text is dropped (menus, drop-down lists, drawings)."""
_BLOCKS = (
    frozenset(
        """address article aside blockquote body center dd details dialog dir div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup html legend li main menu ol
    p pre section summary ul caption option optgroup""".split()
    )
    | _DROPPED
)
"""Elements that end a paragraph (outside cells) or a line (inside cells), kept on the stack."""
BLOCKS = _BLOCKS
_CLOSES_P = _BLOCKS - {"caption", "option", "optgroup", "body", "html", "dd", "dt", "li"}
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_BREAKS = frozenset(("br", "hr"))
CELLS = frozenset(("td", "th"))
"""The tags whose attributes the builder reads (``rowspan``, ``colspan``)."""
_SECTIONS = frozenset(("thead", "tbody", "tfoot"))
_LISTS = frozenset(("ul", "ol"))
_DL = frozenset(("dl",))
STRUCTURAL = _BLOCKS | _BREAKS | CELLS | _SECTIONS | {"tr", "table"}
"""Tags that change the structure; any other (``span``, ``font``, ``a``, ``o:p`` …) is skipped."""


def _span(attrs_: dict[str, str], key: str, zero: int) -> int:
    """An HTML span attribute by the rules for non-negative integers (bad values give 1)."""
    value = attrs_.get(key)
    if value is None:
        return 1
    m = _DIGITS.match(value)
    if m is None:
        return 1
    n = int(m[1][:7])
    return zero if n == 0 else n


class _Sink:
    """Where text goes: the body or one cell.  ``items`` are lines of text and inner blocks.

    A plain slotted class: one is made per table cell, and attrs' ``Factory`` fields cost more.
    """

    __slots__ = ("items", "line", "parts", "started")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.line = 0
        self.started = False
        """Whether ``parts`` hold more than white space (``line`` is then where that began)."""
        self.items: list[tuple[str, int] | list[Proto]] = []

    def flush(self) -> None:
        if self.parts:
            text = _WS.sub(" ", _ZERO_WIDTH.sub("", "".join(self.parts))).strip()
            self.parts.clear()
            self.started = False
            if text:
                self.items.append((text, self.line))


@attrs.define(slots=True)
class _Cell:
    sink: _Sink
    rowspan: int
    colspan: int
    line: int
    base: int
    """Stack height at the cell's start: closing it pops back to there."""


@attrs.define(slots=True)
class _Table:
    parent: _Sink
    line: int
    base: int
    dropped: bool
    rows: list[list[_Cell]] = attrs.Factory(list)
    row_open: bool = False
    cell: _Cell | None = None


Proto = tuple[str, int] | tuple[list[list[tuple[str, int, int, int]]], int]
"""A paragraph ``(text, line)`` or a grid ``(rows of (text, rowspan, colspan, line), line)``."""


class TreeBuilder:
    """One page: tokens in, proto blocks out (see the module doc for the rules)."""

    def __init__(self, text: str, name: str, limits: Limits) -> None:
        self.text = text
        self.name = name
        self.limits = limits
        self.stack: list[str] = []
        self.dropping = 0
        self.body = _Sink()
        self.tables: list[_Table] = []
        self.cells = 0
        self.positions = 0
        self._lpos = 0
        self._lnum = 1

    escaped = True
    """Whether text chunks still hold character references (raw source text)."""

    def too_large(self, reason: str) -> DocumentTooLargeError:
        return DocumentTooLargeError(self.name, reason, kind=KIND)

    def line_at(self, pos: int) -> int:
        if pos >= self._lpos:
            self._lnum += self.text.count("\n", self._lpos, pos)
            self._lpos = pos
            return self._lnum
        return self._lnum - self.text.count("\n", pos, self._lpos)

    # where text goes

    def sink(self) -> _Sink:
        if self.tables:
            t = self.tables[-1]
            return t.cell.sink if t.cell is not None else t.parent
        return self.body

    def boundary(self) -> int:
        """The stack height end tags may not close below (the open cell or table)."""
        if self.tables:
            t = self.tables[-1]
            return t.cell.base if t.cell is not None else t.base
        return 0

    def text_line(self, pos: int, chunk: str, lead: int) -> int:
        """The source line of ``chunk[lead]``, the chunk starting at offset ``pos``."""
        return self.line_at(pos + lead)

    def add_text(self, pos: int, chunk: str) -> None:
        if self.dropping:
            return
        if self.tables:
            t = self.tables[-1]
            s = t.cell.sink if t.cell is not None else t.parent
        else:
            s = self.body
        if not s.started:
            lead = len(chunk) - len(chunk.lstrip())
            if self.escaped and "&" in chunk:
                chunk = _html.unescape(chunk)
            if not chunk.strip():
                return  # white space before any text changes nothing
            s.line = self.text_line(pos, chunk, lead)
            s.started = True
        elif self.escaped and "&" in chunk:
            chunk = _html.unescape(chunk)
        s.parts.append(chunk)

    # the element stack

    def push(self, name: str) -> None:
        if len(self.stack) >= self.limits.max_depth:
            raise self.too_large(
                f"elements nested deeper than {self.limits.max_depth} (limits.max_depth)"
            )
        self.stack.append(name)
        if name in _DROPPED:
            self.dropping += 1

    def pop_to(self, height: int) -> None:
        stack = self.stack
        while len(stack) > height:
            if stack.pop() in _DROPPED:
                self.dropping -= 1

    def find_open(self, name: str, stop: frozenset[str] = frozenset()) -> int:
        """Index of the innermost open ``name`` above the boundary, or -1."""
        low = self.boundary()
        for i in range(len(self.stack) - 1, low - 1, -1):
            el = self.stack[i]
            if el == name:
                return i
            if el in stop:
                return -1
        return -1

    # tags

    def start(self, name: str, attrs_: dict[str, str], pos: int) -> None:
        if name in CELLS:
            self.start_cell(attrs_, pos)
        elif name == "tr" or name in _SECTIONS:
            if self.tables:
                t = self.tables[-1]
                self.close_cell(t)
                self.close_row(t)
                if name == "tr":
                    t.rows.append([])
                    t.row_open = True
        elif name == "table":
            self.start_table(pos)
        elif name in _BREAKS:
            self.sink().flush()
        elif name in _BLOCKS:
            self.sink().flush()
            stack = self.stack  # (``in`` first: most starts close nothing)
            if name in _CLOSES_P and "p" in stack and (i := self.find_open("p")) >= 0:
                self.pop_to(i)
            if name == "li":
                if "li" in stack and (i := self.find_open("li", _LISTS)) >= 0:
                    self.pop_to(i)
            elif name in ("dt", "dd"):
                if "dt" in stack or "dd" in stack:
                    i = max(self.find_open("dt", _DL), self.find_open("dd", _DL))
                    if i >= 0:
                        self.pop_to(i)
            elif name == "option" and "option" in stack and (i := self.find_open("option")) >= 0:
                self.pop_to(i)
            if name in _HEADINGS and self.stack and self.stack[-1] in _HEADINGS:
                self.pop_to(len(self.stack) - 1)
            self.push(name)

    def end(self, name: str) -> None:
        if name in CELLS:
            if self.tables:
                self.close_cell(self.tables[-1])
        elif name == "tr" or name in _SECTIONS:
            if self.tables:
                t = self.tables[-1]
                self.close_cell(t)
                self.close_row(t)
        elif name == "table":
            if self.tables:
                self.close_table()
        elif name in _BREAKS:
            self.sink().flush()  # </br> is read as <br> by browsers
        elif name in _BLOCKS:
            i = self.find_open(name)
            if i >= 0:
                self.sink().flush()
                self.pop_to(i)
            elif name == "p":
                self.sink().flush()  # a stray </p> still ends the paragraph (an empty <p>)

    # tables

    def start_table(self, pos: int) -> None:
        parent = self.sink()
        if self.tables and self.tables[-1].cell is None:
            # <table> directly inside a table (not in a cell) closes it, as browsers do.
            self.close_table()
            parent = self.sink()
        parent.flush()
        self.push("table")
        self.tables.append(_Table(parent, self.line_at(pos), len(self.stack), self.dropping > 0))

    def start_cell(self, attrs_: dict[str, str], pos: int) -> None:
        if not self.tables:
            self.sink().flush()  # a cell outside any table: browsers drop the tag
            return
        t = self.tables[-1]
        self.close_cell(t)
        if not t.row_open:
            t.rows.append([])
            t.row_open = True
        self.cells += 1
        if self.cells > self.limits.max_cells:
            raise self.too_large(
                f"more than {self.limits.max_cells} table cells (limits.max_cells)"
            )
        if attrs_:
            colspan = min(_span(attrs_, "colspan", 1), MAX_SPAN)
            rowspan = _span(attrs_, "rowspan", 0)
        else:
            colspan = rowspan = 1
        self.push("td")
        cell = _Cell(_Sink(), rowspan, colspan, self.line_at(pos), len(self.stack) - 1)
        t.rows[-1].append(cell)
        t.cell = cell

    def close_cell(self, t: _Table) -> None:
        cell = t.cell
        if cell is None:
            return
        if cell.sink.parts:
            cell.sink.flush()
        if len(self.stack) > cell.base:
            self.pop_to(cell.base)
        t.cell = None

    def close_row(self, t: _Table) -> None:
        t.row_open = False

    def close_table(self) -> None:
        t = self.tables[-1]
        self.close_cell(t)
        self.close_row(t)
        self.pop_to(t.base - 1)
        self.tables.pop()
        if t.dropped:
            return
        out = t.parent
        out.flush()
        if any(not isinstance(item, tuple) for row in t.rows for c in row for item in c.sink.items):
            # A layout table: its text as paragraphs, the tables inside it in their places.
            blocks: list[Proto] = []
            for row in t.rows:
                for c in row:
                    for item in c.sink.items:
                        if isinstance(item, tuple):
                            blocks.append(item)
                        else:
                            blocks.extend(item)
            out.items.append(blocks)
            return
        n = len(t.rows)
        rows: list[list[tuple[str, int, int, int]]] = []
        for r, row in enumerate(t.rows):
            out_row: list[tuple[str, int, int, int]] = []
            for c in row:
                rowspan = min(n - r if c.rowspan == 0 else c.rowspan, n - r, MAX_SPAN)
                self.positions += rowspan * c.colspan
                text = "\n".join(item[0] for item in c.sink.items if isinstance(item, tuple))
                out_row.append((text, rowspan, c.colspan, c.line))
            rows.append(out_row)
        if self.positions > self.limits.max_cells:
            raise self.too_large(
                f"tables cover more than {self.limits.max_cells} grid positions "
                "(limits.max_cells; a merged cell counts once per position it covers)"
            )
        if rows and any(rows):
            out.items.append([(rows, t.line)])

    def finish(self) -> list[Proto]:
        while self.tables:
            self.close_table()
        self.body.flush()
        protos: list[Proto] = []
        for item in self.body.items:
            if isinstance(item, tuple):
                protos.append(item)
            else:
                protos.extend(item)
        return protos


def to_blocks(protos: list[Proto]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    tables = 0
    for i, (body, line) in enumerate(protos):
        if isinstance(body, str):
            blocks.append(Paragraph(body, Origin(KIND, block=i, line=line)))
            continue
        blocks.append(_grid(body, Origin(KIND, block=i, table=tables, line=line)))
        tables += 1
    return tuple(blocks)


def _grid(rows: list[list[tuple[str, int, int, int]]], origin: Origin) -> Grid:
    """The grid of a table's rows, as :func:`~.document.grid_from_rows` places them (the same
    rules: a row lists the cells that start in it, columns skip the places that cells from rows
    above still cover), each cell's origin made once (spans are already within 1 and
    :data:`~.document.MAX_SPAN`)."""
    busy_until: dict[int, int] = {}  # column -> first row no longer covered from above
    cells: list[GridCell] = []
    n_cols = n_rows = 0
    block, table = origin.block, origin.table
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan, line in row:
            while busy_until.get(c, 0) > r:
                c += 1
            ends = r + rowspan
            for dc in range(colspan):
                busy_until[c + dc] = ends
            cells.append(
                GridCell(
                    text, r, c, Origin(KIND, None, None, block, table, r, c, line), rowspan, colspan
                )
            )
            c += colspan
            n_cols = max(n_cols, c)
            n_rows = max(n_rows, ends)
    if cells:
        n_rows = max(n_rows, len(rows))
    return Grid(tuple(cells), n_rows, n_cols, origin)
