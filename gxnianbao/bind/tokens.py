"""A table region's cells -> tokens: label pieces and numbers, whatever separated them.

Readers cut a table at tabs, bars and line breaks.  Many sources do not mark cells that way:
a PDF text layer separates columns by runs of spaces (``四、结转下年度继续办理   0   0   0``), a
flattened page runs a whole table together (``规章000行政规范性文件154221…``), a converter
merges two cells (``0 4``).  Such a cell reaches the binder as one label cell, and its numbers
would be lost.  Here every cell that holds numbers besides its label, or that is too long to be
one label, is cut into tokens: numbers (each a cell of its own, at its exact offsets) and label
pieces (cut where the template's labels are, see :mod:`.spot`).  Any separator is then just
white space; a cell that is one label or one number is left as it is.

Digits run together with no separator between them (``000`` after ``规章``) may be several
cells' numbers: their offsets are returned, so that the binder can tell recovery to consider
splitting them (``RowEvidence.glued``).
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ..common.lines import Cell
from ..common.values import LABEL, classify
from ..templates import TableSpec
from .spot import known, spot

_LONG_LABEL = 40
"""A label cell longer than this holds more than one label (the longest template label is
shorter; a flattened row is longer)."""

_DIGIT = regex.compile(r"[0-9０-９]")

_VALUE = regex.compile(
    r"(?P<num>(?:(?<=[0-9０-９])[+\-－]|(?<!\S)[+\-－])?"
    r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?)"
    r"|(?P<na>(?<!\S)(?:[/／\\]|[-－—–―]{1,2})(?!\S)"
    r"|(?<!\p{Han})[/／]|[/／](?!\p{Han}))"
)
"""A number (with its sign where one is written: ``+1`` after a digit in a 2019 本年增/减 cell),
or a not-applicable mark: a dash standing alone between white space, a slash anywhere but
between two characters of a word (``本年增/减`` is a label, ``规章///`` three marks)."""

_NUMBERING_AFTER = regex.compile(r"[.．、]\s*[^\s0-9０-９.．、]")
"""What follows a digit that numbers the next label: ``1.属于国家秘密``, ``2、重复申请``."""


def refine(spec: TableSpec, cells: Sequence[Cell], glued: set[int]) -> list[Cell]:
    """The cells with every label cell that holds numbers or several labels cut into tokens.

    ``glued`` receives the start offset of every number token that touched text or another
    digit without a separator (it may hold several cells' digits)."""
    per_row: dict[int, int] = {}
    for c in cells:
        per_row[c.row] = per_row.get(c.row, 0) + 1
    out: list[Cell] = []
    for c in cells:
        if c.value.kind != "label":
            out.append(c)
            continue
        text = c.text
        if "\n" in text:  # a Word cell's two lines: its offsets are not the text's
            out.append(c)
            continue
        if len(text) <= _LONG_LABEL and _DIGIT.search(text) is None and not _spaced(text):
            out.append(c)
            continue
        # A cell of a row cut at tabs or bars is one cell: only numbers standing apart in it
        # are numbers (``0 4``, ``四、结转下年度继续办理   0   0``); ``数据1`` is a label, but
        # a cell without words (``1/``) is all numbers and marks.
        apart = per_row[c.row] > 1 and any(ch.isalpha() for ch in text)
        tokens = _tokens(spec, c, glued, apart=apart)
        out.extend(tokens if tokens else (c,))
    return out


def _spaced(text: str) -> bool:
    """Whether a short label cell may hold two labels separated by white space
    (``三、本年度办理结果 （一）予以公开``), or a mark after its label (``规章 /``)."""
    return len(text) > 4 and any(ch.isspace() for ch in text)


def _tokens(spec: TableSpec, cell: Cell, glued: set[int], *, apart: bool) -> list[Cell]:
    text = cell.text
    values: list[tuple[int, int, bool]] = []  # start, end, glued
    notes = _notes(text) if "（" in text or "(" in text else ()
    for m in _VALUE.finditer(text):
        a, b = m.span()
        if apart and not _standing_apart(text, a, b):
            continue
        if notes and _in_words(text, a, b) and any(x < a < y for x, y in notes):
            continue  # a number in the words of a bracketed note: （单位：万元，保留4位小数）
        if m.group("num") is not None:
            if _NUMBERING_AFTER.match(text, b) is not None:
                b -= 1  # the last digit numbers the next label
                if b <= a:
                    continue
        values.append((a, b, False))
    if not values:
        # Labels only: cut only where the text is wholly known labels (a long label of its
        # own, mistyped or reworded, stays whole).
        pieces = spot(spec, text)
        if len(pieces) <= 1 or not all(known(spec, text[a:b]) for a, b in pieces):
            return []
    out: list[Cell] = []
    pos = 0
    for a, b, _ in values:
        if a > pos:
            _labels(spec, cell, pos, a, out)
        out.append(_sub(cell, a, b))
        left = text[a - 1] if a > 0 else " "
        right = text[b] if b < len(text) else " "
        if b - a > 1 and (not left.isspace() or not right.isspace()):
            glued.add(cell.start + a)
        pos = b
    if pos < len(text):
        _labels(spec, cell, pos, len(text), out)
    return out


_NOTE_LENGTH = 60
"""A bracketed note closes within this many characters; an unclosed bracket is no note."""


def _standing_apart(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has white space or the cell's end on both sides."""
    return (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace())


def _in_words(text: str, start: int, end: int) -> bool:
    """Whether the number ``text[start:end]`` stands between letters, as in a sentence."""
    return start > 0 and end < len(text) and text[start - 1].isalpha() and text[end].isalpha()


def _notes(text: str) -> list[tuple[int, int]]:
    """The spans of the bracketed notes in ``text`` (innermost brackets first)."""
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch in "（(":
            opened.append(i)
        elif ch in "）)" and opened:
            start = opened.pop()
            if i - start <= _NOTE_LENGTH:
                spans.append((start, i))
    return spans


def _labels(spec: TableSpec, cell: Cell, start: int, end: int, out: list[Cell]) -> None:
    """The label pieces of ``cell.text[start:end]`` (nothing for white space alone)."""
    part = cell.text[start:end]
    if not part.strip():
        return
    for a, b in spot(spec, part):
        piece = _sub(cell, start + a, start + b)
        # A piece between labels is label text, even a lone dash (a glued ``0-471``'s sign).
        out.append(piece if piece.value.kind == "label" else piece._replace(value=LABEL))


def _sub(cell: Cell, start: int, end: int) -> Cell:
    """The piece ``cell.text[start:end]`` as a cell of its own, at its exact offsets."""
    text = cell.text[start:end]
    return cell._replace(
        text=text,
        start=cell.start + start,
        end=cell.start + end,
        column=cell.column + start,
        value=classify(text),
    )
