"""Plain text -> lines with offsets, and a table region's lines -> cells.

The text layouts real sources show differ in how they mark cells and rows:

- tab rows: one physical row per line, cells separated by tabs (merged cells as empty fields);
- Word copy-paste: one cell per line with a leading tab, a blank line between rows, a line holding
  only a tab for an empty cell, and a cell's second line without a tab (``\\t商业`` / ``企业``);
- a web-page scrape: one cell per line, blank lines everywhere, empty cells dropped;
- markdown pipe tables: ``| a | b |`` rows, ``|---|`` separator rows, ``\\|`` inside a cell.

Each line is classified on its own, so one report may mix layouts.  A cell keeps its offsets in
the input and the physical row it came from (rows matter only to tell merge artefacts apart).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

import regex

from ..model import Origin, Span
from ..values import CellValue, classify


class Line(NamedTuple):
    """One input line: ``text`` excludes the line break; ``start`` is its offset."""

    number: int
    start: int
    text: str


class Cell(NamedTuple):
    """One table cell from any reader: its text, where it is, and its physical row."""

    text: str
    start: int
    end: int
    line: int
    column: int
    row: int
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


_new_line = tuple.__new__


def split_lines(text: str) -> list[Line]:
    """Split on ``\\n`` only (keeping offsets exact); a trailing ``\\r`` is not part of a line."""
    lines: list[Line] = []
    pos = 0
    for number, body in enumerate(text.split("\n"), start=1):
        start = pos
        pos += len(body) + 1
        if body.endswith("\r"):
            body = body[:-1]
        lines.append(_new_line(Line, (number, start, body)))
    return lines


_PIPE_SEPARATOR = regex.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?")


def _pipe_fields(body: str) -> list[tuple[int, int]]:
    """Cell ranges of a markdown pipe row; ``\\|`` is an escaped pipe inside a cell."""
    bounds: list[int] = []
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n:
            i += 2
            continue
        if ch == "|":
            bounds.append(i)
        i += 1
    fields: list[tuple[int, int]] = []
    fields.extend((a + 1, b) for a, b in itertools.pairwise(bounds))
    if bounds and bounds[-1] < n - 1 and body[bounds[-1] + 1 :].strip():
        fields.append((bounds[-1] + 1, n))  # a row without its closing pipe
    if bounds and bounds[0] > 0 and body[: bounds[0]].strip():
        fields.insert(0, (0, bounds[0]))
    return fields


def _trimmed(line: Line, a: int, b: int) -> tuple[str, int, int]:
    """A field's text without surrounding whitespace, and its absolute offsets."""
    field = line.text[a:b]
    left = len(field) - len(field.lstrip())
    right = len(field.rstrip())
    if right <= left:
        return "", line.start + a, line.start + a
    return field[left:right], line.start + a + left, line.start + a + right


def read_cells(lines: Sequence[Line]) -> list[Cell]:
    """The cells of a table region, in reading order."""
    cells: list[Cell] = []
    row = 0
    in_cell_row = False  # inside a Word-style row (cells on lines of their own)
    last_was_tab_cell = False

    def add(text: str, start: int, end: int, line: Line, row_id: int) -> None:
        value = classify(text.replace("\\|", "|") if "\\|" in text else text)
        cells.append(Cell(text, start, end, line.number, start - line.start + 1, row_id, value))

    for line in lines:
        body = line.text
        stripped = body.strip()
        if not stripped and "\t" not in body:
            # A blank line ends a Word-style row; it means nothing in other layouts.
            if in_cell_row:
                row += 1
            in_cell_row = False
            last_was_tab_cell = False
            continue
        if stripped.startswith("|"):
            row += 1
            in_cell_row = last_was_tab_cell = False
            if _PIPE_SEPARATOR.fullmatch(stripped):
                continue
            for a, b in _pipe_fields(body):
                text, start, end = _trimmed(line, a, b)
                add(text, start, end, line, row)
            row += 1
            continue
        tabs = body.count("\t")
        if tabs == 1 and body.startswith("\t"):
            # Word copy-paste: one cell on its own line, marked by a leading tab.
            if not in_cell_row:
                row += 1
                in_cell_row = True
            text, start, end = _trimmed(line, 1, len(body))
            add(text, start, end, line, row)
            last_was_tab_cell = True
            continue
        if tabs:
            row += 1
            in_cell_row = last_was_tab_cell = False
            pos = 0
            for field in body.split("\t"):
                text, start, end = _trimmed(line, pos, pos + len(field))
                add(text, start, end, line, row)
                pos += len(field) + 1
            row += 1
            continue
        # A line without tabs: the second line of a Word cell, or a cell of its own.
        text, start, end = _trimmed(line, 0, len(body))
        value = classify(text)
        if (
            last_was_tab_cell
            and cells
            and cells[-1].value.kind == "label"
            and value.kind == "label"
        ):
            prev = cells[-1]
            joined = prev.text + "\n" + text
            cells[-1] = Cell(joined, prev.start, end, prev.line, prev.column, prev.row, prev.value)
            continue
        row += 1
        in_cell_row = last_was_tab_cell = False
        cells.append(Cell(text, start, end, line.number, start - line.start + 1, row, value))
        row += 1
    return cells
