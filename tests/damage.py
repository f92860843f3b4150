"""Damage to a rendered report that changes its layout but none of its values.

Why: issue 11 measured wrong numbers when a layout is broken the way copy-paste and converters
break it: a written ``0`` cell dropped, two number cells merged with a space (``| 0 4 |``), a
stray number line (a page number) between rows, a label split over two lines.  None of these
changes a value, so the truth stays the generated report's; a parse may read less, never a
different number, and every number written in the tables must end in a cell or a diagnostic.

Each damage is ``fn(text, rng) -> text`` and works on the four layouts of
:mod:`reportgen` (tab rows, Word cells, scrape, markdown), inside the table region only
(:func:`table_region`).  A damage that finds no place to act returns the text unchanged.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from reportgen import CN_NUMERALS, SECTION_TITLES

Damage = Callable[[str, random.Random], str]

_NUMBER = re.compile(r"\s*\d+(?:[.．]\d+)?\s*")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff（）()、“”\"]{5,}")


def _heading_line(line: str, part: int) -> bool:
    """Whether ``line`` is part ``part``'s heading (``二、主动公开政府信息情况``, ``## 2、…``)."""
    body = line.lstrip("# \t\u3000")
    numbered = body.startswith((f"{CN_NUMERALS[part]}、", f"{part}、"))
    return numbered and any(title in body for title in SECTION_TITLES[part])


def table_region(text: str) -> tuple[int, int]:
    """Line indices ``[first, end)`` strictly between part 二's heading and part 五's (the
    whole text when either is not found)."""
    lines = text.split("\n")
    first = next((i + 1 for i, line in enumerate(lines) if _heading_line(line, 2)), 0)
    end = next((i for i in range(first, len(lines)) if _heading_line(lines[i], 5)), len(lines))
    return first, end


def table_region_offsets(text: str) -> tuple[int, int]:
    """:func:`table_region` as character offsets into ``text``."""
    first, end = table_region(text)
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[:first])
    stop = sum(len(line) + 1 for line in lines[:end])
    return start, min(stop, len(text))


def _is_number(cell: str) -> bool:
    return _NUMBER.fullmatch(cell) is not None and cell.strip() != ""


def _pipe_cells(line: str) -> list[str] | None:
    """The cells of a markdown row ``| a | b |`` (None for other lines or escaped pipes)."""
    s = line.strip()
    if not (s.startswith("|") and s.endswith("|")) or "\\|" in s or len(s) < 2:
        return None
    return s[1:-1].split("|")


def _join_pipe(cells: list[str]) -> str:
    return "|" + "|".join(cells) + "|"


def drop_zero_cell(text: str, rng: random.Random) -> str:
    """One written ``0`` cell removed: a tab field, a markdown cell, a Word cell line or a
    scrape line (with its blank line)."""
    lines = text.split("\n")
    first, end = table_region(text)
    spots: list[tuple[int, str, int]] = []  # (line, kind, cell index)
    for i in range(first, end):
        line = lines[i]
        if (cells := _pipe_cells(line)) is not None:
            spots += [(i, "pipe", j) for j, c in enumerate(cells) if c.strip() == "0"]
        elif "\t" in line:
            fields = line.split("\t")
            if len(fields) == 2 and fields[0] == "" and fields[1].strip() == "0":
                spots.append((i, "line", 0))  # a Word cell
            else:
                spots += [(i, "tab", j) for j, f in enumerate(fields) if f.strip() == "0"]
        elif line.strip() == "0":
            spots.append((i, "scrape", 0))
    if not spots:
        return text
    i, kind, j = rng.choice(spots)
    if kind == "pipe":
        cells = _pipe_cells(lines[i])
        assert cells is not None
        del cells[j]
        lines[i] = _join_pipe(cells)
    elif kind == "tab":
        fields = lines[i].split("\t")
        del fields[j]
        lines[i] = "\t".join(fields)
    elif kind == "line":
        del lines[i]
    else:
        del lines[i : i + (2 if i + 1 < len(lines) and not lines[i + 1].strip() else 1)]
    return "\n".join(lines)


def merge_cells(text: str, rng: random.Random) -> str:
    """Two adjacent number cells merged into one with a space: ``| 0 | 4 |`` → ``| 0 4 |``."""
    lines = text.split("\n")
    first, end = table_region(text)
    spots: list[tuple[int, str, int]] = []
    for i in range(first, end):
        line = lines[i]
        if (cells := _pipe_cells(line)) is not None:
            spots += [(i, "pipe", j) for j in range(len(cells) - 1)
                      if _is_number(cells[j]) and _is_number(cells[j + 1])]  # fmt: skip
        elif "\t" in line.lstrip("\t"):
            fields = line.split("\t")
            spots += [(i, "tab", j) for j in range(len(fields) - 1)
                      if _is_number(fields[j]) and _is_number(fields[j + 1])]  # fmt: skip
        elif line.startswith("\t") and _is_number(line[1:]):
            if i + 1 < end and lines[i + 1].startswith("\t") and _is_number(lines[i + 1][1:]):
                spots.append((i, "word", 0))
        elif _is_number(line) and i + 2 < end and not lines[i + 1].strip():
            if _is_number(lines[i + 2]):
                spots.append((i, "scrape", 0))
    if not spots:
        return text
    i, kind, j = rng.choice(spots)
    if kind == "pipe":
        cells = _pipe_cells(lines[i])
        assert cells is not None
        cells[j : j + 2] = [f" {cells[j].strip()} {cells[j + 1].strip()} "]
        lines[i] = _join_pipe(cells)
    elif kind == "tab":
        fields = lines[i].split("\t")
        fields[j : j + 2] = [f"{fields[j].strip()} {fields[j + 1].strip()}"]
        lines[i] = "\t".join(fields)
    elif kind == "word":
        lines[i : i + 2] = [f"\t{lines[i][1:].strip()} {lines[i + 1][1:].strip()}"]
    else:
        lines[i : i + 3] = [f"{lines[i].strip()} {lines[i + 2].strip()}"]
    return "\n".join(lines)


def _has_han(line: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in line)


def stray_number_line(text: str, rng: random.Random) -> str:
    """A line holding only a number (a page number) inserted between two table rows: before a
    line that starts a row with a label, after a complete row."""
    lines = text.split("\n")
    first, end = table_region(text)
    spots = []
    for i in range(first + 1, end):
        prev, line = lines[i - 1], lines[i]
        if not _has_han(line) or _heading_line(line, 3) or _heading_line(line, 4):
            continue
        row_end = not prev.strip() or _pipe_cells(prev) is not None or "\t" in prev.lstrip("\t")
        if row_end:
            spots.append(i)
    if not spots:
        return text
    i = rng.choice(spots)
    page = str(rng.randint(1, 40))
    blank = [""] if not lines[i - 1].strip() and rng.random() < 0.5 else []
    lines[i:i] = [page, *blank]
    return "\n".join(lines)


def _row_label(lines: list[str], i: int) -> bool:
    """Whether line ``i`` holds a data row's label: a number cell on it (tab or markdown row)
    or on one of the next two lines (a Word cell or scrape line)."""
    line = lines[i]
    cells = _pipe_cells(line) or (line.split("\t") if "\t" in line.lstrip("\t") else [])
    if any(_is_number(c) for c in cells):
        return True
    return any(_is_number(nxt.lstrip("\t")) for nxt in lines[i + 1 : i + 3])


def split_label(text: str, rng: random.Random) -> str:
    """A label broken over two lines inside its cell: ``行政规范`` / ``性文件``."""
    lines = text.split("\n")
    first, end = table_region(text)
    spots: list[tuple[int, int]] = []
    for i in range(first, end):
        if _heading_line(lines[i], 3) or _heading_line(lines[i], 4) or not _row_label(lines, i):
            continue
        for m in _HAN_RUN.finditer(lines[i]):
            spots += [(i, at) for at in range(m.start() + 2, m.end() - 2)]
    if not spots:
        return text
    i, at = rng.choice(spots)
    lines[i] = lines[i][:at] + "\n" + lines[i][at:]
    return "\n".join(lines)


def several(text: str, rng: random.Random) -> str:
    """Two or three of the single damages, one after the other."""
    for _ in range(rng.randint(2, 3)):
        text = rng.choice(list(SINGLE_DAMAGES.values()))(text, rng)
    return text


SINGLE_DAMAGES: dict[str, Damage] = {
    "drop_zero": drop_zero_cell,
    "merge_cells": merge_cells,
    "stray_number": stray_number_line,
    "split_label": split_label,
}
DAMAGES: dict[str, Damage] = {**SINGLE_DAMAGES, "several": several}
"""Every damage kind: ``fn(text, rng) -> text``."""
