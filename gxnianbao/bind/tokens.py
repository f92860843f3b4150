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

import functools
import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import regex

from ..common.lines import AT_OF, KIND_OF, ROW_OF, VALUE_OF, Cell
from ..common.values import LABEL, classify
from ..templates import TableSpec
from .spot import known, spot

_V = TypeVar("_V")

_LONG_LABEL = 40
"""A label cell longer than this holds more than one label (the longest template label is
shorter; a flattened row is longer)."""

_DIGIT_OR_SPACE = regex.compile(r"[0-9０-９]|(?<=.)\s(?=.)", regex.DOTALL)
"""A short label cell is looked at only when it has digits, or white space inside that may
separate two labels (``三、本年度办理结果 （一）予以公开``) or a mark (``规章 /``)."""

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


def to_cut(spec: TableSpec, cells: Sequence[Cell]) -> list[int]:
    """The indexes of the label cells to cut into tokens (see :func:`cut`)."""
    # Decided once per distinct label text (a long text by its opening: short keys only).
    look = _decisions(spec).__getitem__
    labels = itertools.compress(
        itertools.count(),
        map(operator.eq, map(KIND_OF, map(VALUE_OF, cells)), itertools.repeat(LABEL.kind)),
    )
    return [i for i in labels if "\n" not in (text := cells[i].text) and look(text[:_OPENING])]


def last_at(cells: Sequence[Cell]) -> dict[int, int]:
    """Each physical row's last ``at`` (its width less one): its last cell's, as readers count
    a row's cells in order."""
    return dict(zip(map(ROW_OF, cells), map(AT_OF, cells), strict=True))


def cut(
    spec: TableSpec,
    cells: Sequence[Cell],
    glued: set[int],
    todo: Sequence[int],
    row_last_at: Mapping[int, int],
    most: int | None = None,
) -> list[Cell]:
    """The cells with those at ``todo`` cut into tokens (``row_last_at``: see :func:`last_at`);
    the caller counts the cells' ``at`` again.

    ``most``: stop once that many cells are out (the region's budget: one hostile line can
    hold a million numbers, and the caller cuts the region there with a diagnostic)."""
    out = list(cells[: todo[0]])
    last = todo[0]
    for i in todo:
        out.extend(cells[last:i])
        if most is not None and len(out) >= most:
            return out[:most]
        c = cells[i]
        # A cell of a row cut at tabs or bars is one cell: only numbers standing apart in it
        # are numbers (``0 4``, ``四、结转下年度继续办理   0   0``); ``数据1`` is a label, but
        # a cell without words (``1/``) is all numbers and marks.
        apart = row_last_at[c.row] > 0 and _WORD.search(c.text) is not None
        room = None if most is None else most - len(out)
        tokens = _tokens(spec, c, glued, apart=apart, most=room)
        out.extend(tokens if tokens else (c,))
        last = i + 1
    out.extend(cells[last:])
    return out if most is None else out[:most]


class _PerTable(dict[str, _V]):
    """Text -> ``compute(spec, text)``, for one table, remembered up to :data:`_MAX_DECISIONS`
    texts.

    A dict filled on a miss: a hit is one C call, where a cache keyed by the table spec too
    would hash the spec in Python for every cell."""

    __slots__ = ("compute", "spec")

    def __init__(self, spec: TableSpec, compute: Callable[[TableSpec, str], _V]) -> None:
        super().__init__()
        self.spec = spec
        self.compute = compute

    def __missing__(self, text: str) -> _V:
        if len(self) >= _MAX_DECISIONS:
            self.clear()
        value = self[text] = self.compute(self.spec, text)
        return value


_MAX_DECISIONS = 8192


@functools.lru_cache(maxsize=32)
def _decisions(spec: TableSpec) -> _PerTable[bool]:
    """Label text -> whether such a cell is looked at (:func:`_look_at`)."""
    return _PerTable(spec, _look_at)


def _look_at(spec: TableSpec, text: str) -> bool:
    """Whether a label cell may hold numbers or several labels: it has digits or white space
    inside, or is too long for one label, and is not one known label as written (a numbered
    ``1.属于国家秘密`` is left whole without cutting it every time)."""
    if "\n" in text:  # (a Word cell's two lines: its offsets are not the text's)
        return False
    if len(text) <= _LONG_LABEL and _DIGIT_OR_SPACE.search(text) is None:
        return False
    return len(text) > _MAX_PLANNED or not (known(spec, text) and not _marks_outside_words(text))


_new = tuple.__new__
"""Builds a cell from a plain tuple, skipping the NamedTuple's keyword handling (hot path)."""


_WORD = regex.compile(r"[^\W\d_]")
"""A letter (a Han character, say): a cell with one is a label's, not only numbers and marks."""


def _tokens(
    spec: TableSpec, cell: Cell, glued: set[int], *, apart: bool, most: int | None = None
) -> list[Cell]:
    text = cell.text
    if len(text) <= _MAX_PLANNED:
        plan = _plan(spec, text, apart)
    else:
        plan = _cut(spec, text, apart, most)
    out: list[Cell] = []
    for a, b, label, run_together in plan:
        piece = _sub(cell, a, b)
        if label and piece.value.kind != "label":
            # A piece between labels is label text, even a lone dash (a glued ``0-471``'s sign).
            piece = piece._replace(value=LABEL)
        out.append(piece)
        if run_together:
            glued.add(cell.start + a)
    return out


_MAX_PLANNED = 200
"""Cells up to this long are cut once per wording and table (they recur in every report)."""

_OPENING = _MAX_PLANNED + 1
"""A cell text's first characters: enough to tell a long cell (always looked at) from a short
one, and short enough to be remembered."""

Piece = tuple[int, int, bool, bool]
"""A token of a cell's text: start, end, whether it is label text, whether its digits touched
text or other digits (may hold several cells' numbers)."""


@functools.lru_cache(maxsize=8192)
def _plan(spec: TableSpec, text: str, apart: bool) -> tuple[Piece, ...]:
    return _cut(spec, text, apart)


def _cut(spec: TableSpec, text: str, apart: bool, most: int | None = None) -> tuple[Piece, ...]:
    """Where ``text`` is cut into tokens; empty when it is left whole.  With ``most``, the
    text after about that many tokens is not cut (the caller's region budget is spent)."""
    if known(spec, text) and not _marks_outside_words(text):
        # One label as written (``1.属于国家秘密``, ``自 然 人``, ``本 年 增 / 减``), with no
        # mark after its words (``规章 / / /`` is a label and three marks).
        return ()
    values: list[tuple[int, int]] = []
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
        values.append((a, b))
        if most is not None and len(values) > most:
            text = text[:b]  # past the budget: what follows is never a token
            break
    if not values:
        # Labels only: cut only where the text is wholly known labels (a long label of its
        # own, mistyped or reworded, stays whole).
        pieces = spot(spec, text)
        if len(pieces) <= 1 or not all(known(spec, text[a:b]) for a, b in pieces):
            return ()
    out: list[Piece] = []
    pos = 0
    spotted = _spotted(spec)  # (once per text: a long one calls for it per label)
    for a, b in values:
        if a > pos:
            _labels(spec, spotted, text, pos, a, out)
        left = text[a - 1] if a > 0 else " "
        right = text[b] if b < len(text) else " "
        out.append((a, b, False, b - a > 1 and (not left.isspace() or not right.isspace())))
        pos = b
    if pos < len(text):
        _labels(spec, spotted, text, pos, len(text), out)
    return tuple(out)


_MARK = regex.compile(r"[/／\\\-－—–―]")
"""A not-applicable mark, which a label's core does not keep."""


def _marks_outside_words(text: str) -> bool:
    """Whether a mark stands before the first or after the last letter or digit of ``text``."""
    letters = [i for i, ch in enumerate(text) if ch.isalnum()]
    if not letters:
        return _MARK.search(text) is not None
    first, last = letters[0], letters[-1]
    return any(m.start() < first or m.start() > last for m in _MARK.finditer(text))


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


def _labels(
    spec: TableSpec,
    spotted: Mapping[str, tuple[tuple[int, int], ...]],
    text: str,
    start: int,
    end: int,
    out: list[Piece],
) -> None:
    """The label pieces of ``text[start:end]`` (nothing for white space alone); ``spotted``:
    the table's remembered pieces of short texts."""
    part = text[start:end]
    if not part.strip():
        return
    pieces = spotted[part] if len(part) <= _MAX_PLANNED else spot(spec, part)
    for a, b in pieces:
        out.append((start + a, start + b, True, False))


@functools.lru_cache(maxsize=32)
def _spotted(spec: TableSpec) -> _PerTable[tuple[tuple[int, int], ...]]:
    """Short label text -> its :func:`spot` pieces: a long cell repeats the same labels (a
    flattened page's one line holds every row of the table), and each costs a fuzzy match."""
    return _PerTable(spec, _spot_pieces)


def _spot_pieces(spec: TableSpec, part: str) -> tuple[tuple[int, int], ...]:
    return tuple(spot(spec, part))


def _sub(cell: Cell, start: int, end: int) -> Cell:
    """The piece ``cell.text[start:end]`` as a cell of its own, at its exact offsets."""
    text = cell.text[start:end]
    return _new(
        Cell,
        (
            text,
            cell.start + start,
            cell.start + end,
            cell.line,
            cell.column + start,
            cell.row,
            cell.at,  # (counted again once the region is cut)
            classify(text),
            cell.origin,
        ),
    )
