"""The form every file reader produces: paragraphs and table grids, in body order.

Why one form: PDF, DOCX and HTML readers differ in how they find paragraphs and cells, but the
binding of cells to the template must be the same for all of them (and for text).  A grid is not
flattened into text and re-parsed: :func:`text_view` gives the sections locator a line per
paragraph and per grid row, and :func:`region_cells` hands the binder each grid cell directly,
once per merged cell, with its row and its place in the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ..common.fold import fold, folded_diagnostic, traditional_chars
from ..common.lines import Cell, Line, counted_in_rows
from ..common.values import classify
from ..model import Diagnostic, Origin
from .text import read_cells


@attrs.frozen(slots=True)
class Paragraph:
    """A paragraph (or a PDF text line) outside any table."""

    text: str
    origin: Origin


@attrs.frozen(slots=True)
class GridCell:
    """One table cell; a merged cell appears once, at its top-left grid position."""

    text: str
    row: int
    col: int
    origin: Origin
    rowspan: int = 1
    colspan: int = 1


@attrs.frozen(slots=True)
class Grid:
    """A table as a grid: cells in row-major order, each merged cell once with its spans."""

    cells: tuple[GridCell, ...]
    n_rows: int
    n_cols: int
    origin: Origin


Block = Paragraph | Grid


@attrs.frozen(slots=True)
class Document:
    """What a reader found in a file: its blocks in body order and what it could not read."""

    kind: str
    """``"pdf"``, ``"docx"``, ``"html"``."""
    blocks: tuple[Block, ...]
    name: str | None = None
    """The file's name, when it came from a path."""
    pages: int | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    """Reader findings: text boxes ignored, characters without a Unicode mapping, …"""


@attrs.frozen(slots=True)
class TextView:
    """A document as lines of text, with each grid row's cells kept aside.

    ``text`` holds a line per paragraph and per grid row (cells joined by tabs), so that the
    sections locator and the title reader work as on text; ``grid_cells`` maps the index of a
    grid row's line to that row's cells, with offsets into ``text``; ``line_origins`` maps the
    index of a paragraph's line to the paragraph's place in the file.
    """

    text: str
    lines: tuple[Line, ...]
    grid_cells: dict[int, tuple[Cell, ...]]
    line_origins: dict[int, Origin]


def _one_line(text: str) -> str:
    """A cell or paragraph on one line: line breaks and tabs inside it become spaces."""
    if "\n" in text or "\t" in text or "\r" in text:
        return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return text


def text_view(doc: Document) -> TextView:
    """The text view of ``doc``: one line per paragraph and per grid row."""
    pieces: list[str] = []
    lines: list[Line] = []
    grid_cells: dict[int, tuple[Cell, ...]] = {}
    line_origins: dict[int, Origin] = {}
    pos = 0
    row_id = 0

    def add_line(body: str) -> Line:
        nonlocal pos
        line = Line(len(lines) + 1, pos, body)
        lines.append(line)
        pieces.append(body)
        pos += len(body) + 1
        return line

    for block in doc.blocks:
        if isinstance(block, Paragraph):
            line_origins[add_line(_one_line(block.text)).number - 1] = block.origin
            continue
        add_line("")  # a table starts on a line of its own, as in the text layouts
        by_row: dict[int, list[GridCell]] = {}
        for gc in block.cells:
            by_row.setdefault(gc.row, []).append(gc)
        for r in sorted(by_row):
            row_id += 1
            ordered = sorted(by_row[r], key=lambda c: c.col)
            texts = [_one_line(gc.text).strip() for gc in ordered]
            line = add_line("\t".join(texts))
            cells: list[Cell] = []
            offset = line.start
            for at, (gc, body) in enumerate(zip(ordered, texts, strict=True)):
                cells.append(
                    Cell(
                        body,
                        offset,
                        offset + len(body),
                        line.number,
                        offset - line.start + 1,
                        row_id,
                        at,
                        classify(body),
                        gc.origin,
                    )
                )
                offset += len(body) + 1
            grid_cells[line.number - 1] = tuple(cells)
        add_line("")
    return TextView("\n".join(pieces), tuple(lines), grid_cells, line_origins)


def fold_view(view: TextView) -> tuple[TextView, Diagnostic | None]:
    """``view`` folded to simplified characters when it is written in traditional ones (see
    :mod:`gxnianbao.common.fold`: offsets unchanged), with the ``traditional-folded`` diagnostic;
    else ``view`` itself and None.  Grid cells are classified again (``無`` is ``无``)."""
    found = traditional_chars(view.text)
    if not found:
        return view, None
    grid_cells = {
        i: tuple(c._replace(text=(t := fold(c.text)), value=classify(t)) for c in cells)
        for i, cells in view.grid_cells.items()
    }
    folded = TextView(
        fold(view.text),
        tuple(line._replace(text=fold(line.text)) for line in view.lines),
        grid_cells,
        view.line_origins,
    )
    return folded, folded_diagnostic(view.text, found)


def region_cells(view: TextView, region: Sequence[Line]) -> list[Cell]:
    """The cells of a table region of the text view: grid cells as they are, other lines (a
    table the reader could not rebuild as a grid) read as text."""
    out: list[Cell] = []
    loose: list[Line] = []

    def flush() -> None:
        if loose:
            origins = view.line_origins
            out.extend(c._replace(origin=origins.get(c.line - 1)) for c in read_cells(loose))
            loose.clear()

    done: set[int] = set()
    for line in region:
        cells = view.grid_cells.get(line.number - 1)
        if cells is None:
            loose.append(line)
            continue
        flush()
        if line.number not in done:  # (a row's line cut in pieces gives its cells once)
            done.add(line.number)
            out.extend(cells)
    flush()
    # Text lines read apart number their rows from 1 again, as grids do: a cell's place in its
    # row is counted over the whole region, as the binder reads rows.
    return counted_in_rows(out)


def _at(o: Origin, row: int, col: int) -> Origin:
    """``o`` at a grid position (``attrs.evolve`` is a quarter of an HTML page's read time)."""
    return Origin(o.kind, o.page, o.bbox, o.block, o.table, row, col, o.line)


MAX_SPAN = 1000
"""Row and column spans are clamped to this (HTML allows 65534 rows; no report needs 1000)."""


def grid_from_rows(rows: Iterable[Sequence[tuple[str, int, int, Origin]]], origin: Origin) -> Grid:
    """A grid from rows of ``(text, rowspan, colspan, origin)`` as HTML and DOCX give them:
    each row lists only the cells that start in it; columns are found by skipping the places
    that cells from rows above still cover (the HTML table model)."""
    busy_until: dict[int, int] = {}  # column -> first row no longer covered from above
    cells: list[GridCell] = []
    n_cols = 0
    r = -1
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan, cell_origin in row:
            while busy_until.get(c, 0) > r:
                c += 1
            rowspan = min(max(1, rowspan), MAX_SPAN)
            colspan = min(max(1, colspan), MAX_SPAN)
            for dc in range(colspan):
                busy_until[c + dc] = r + rowspan
            cells.append(GridCell(text, r, c, _at(cell_origin, r, c), rowspan, colspan))
            c += colspan
            n_cols = max(n_cols, c)
    n_rows = max([r + 1, *(gc.row + gc.rowspan for gc in cells)]) if cells else 0
    return Grid(tuple(cells), n_rows, n_cols, origin)
