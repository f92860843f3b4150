"""Flattened pages: one physical line holding several parts, cut back into lines.

A page scraped with ``element.text`` (or a PDF whose text layer lost its line breaks) holds the
whole report on one line or a few: ``…年度报告一、总体情况2022年，…二、主动公开政府信息情况第二十
条第（一）项信息内容…``.  Parts are found by their headings at the start of a line, so such a line
is cut before each part heading it holds (and after it, where the heading's own words end),
before the words that open a table (the parts' anchors), and before the sub-heads of part 一.
Each piece is a :class:`~gxnianbao.common.lines.Line` of its own with the physical line's number
and the column it starts at, so every offset stays exact.

Only long lines holding at least two such places are cut: a paragraph that mentions one heading
in passing is left alone.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

from ..common.lines import Line
from ..templates import SectionSpec
from .parts import heading_number

_MIN_LENGTH = 60
"""Shorter lines hold at most one part: never cut."""

_HEADING_SPAN = 40
"""A heading's own words end within this many characters of its numeral."""

_NEXT_WORD = 6
"""A second heading word this close after the first still belongs to the heading
(``五、存在的主要问题及改进情况``)."""


_NOT_IN_HEADING = re.compile(r"[0-9０-９]|[一二三四五六七八九十][、.．]")


@functools.lru_cache(maxsize=8)
def _patterns(
    sections: tuple[SectionSpec, ...],
) -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str]]:
    numerals = "".join(s.numeral for s in sections)
    # ``第?[一…六]\s*、``, written to start with a character set: only then does the search skip
    # to the next candidate character in C rather than try a match at every position.
    start = re.compile(
        rf"[第{numerals}](?:(?<=第)[{numerals}])?(?<=[{numerals}])\s*(?:[、.．,，]|部分)"
    )
    anchors = [w for s in sections for w in s.anchors]
    anchor = (
        re.compile(
            r"(?:[一二三四五六七八九十][、.．])?[(（]?(?:"
            + "|".join(re.escape(w) for w in anchors)
            + ")"
        )
        if anchors
        else None
    )
    sub_words = [w for s in sections for sub in s.subsections for w in sub.words]
    sub = (
        re.compile(
            r"[(（][一二三四五六七八九十][)）][^（(]{0,12}?(?:"
            + "|".join(re.escape(w) for w in sub_words)
            + ")"
        )
        if sub_words
        else None
    )
    words = sorted({w for s in sections for w in s.heading_words}, key=len, reverse=True)
    ends = re.compile("|".join(re.escape(w) for w in words) or "(?!)")
    return start, anchor, sub, ends


def reflow(lines: Sequence[Line], sections: Sequence[SectionSpec]) -> list[Line]:
    """The lines with every long line that holds several parts cut at their headings."""
    key = tuple(sections)
    search = _patterns(key)[0].search
    # Only a long line with a numbered heading in it may be cut (most lines are short).
    long_lines = [i for i, line in enumerate(lines) if len(line.text) >= _MIN_LENGTH]
    candidates = [i for i in long_lines if search(lines[i].text) is not None]
    cut_at = {i: cuts for i in candidates if len(cuts := _cuts(lines[i].text, key)) >= 2}
    if not cut_at:
        return list(lines)
    out: list[Line] = []
    for i, line in enumerate(lines):
        at = cut_at.get(i)
        if at is None:
            out.append(line)
            continue
        body = line.text
        bounds = [0, *sorted(c for c in at if 0 < c < len(body)), len(body)]
        for a, b in itertools.pairwise(bounds):
            if b > a:
                out.append(Line(line.number, line.start + a, body[a:b], line.column + a))
    return out


def _cuts(text: str, sections: tuple[SectionSpec, ...]) -> set[int]:
    """Offsets in ``text`` where a new line should start."""
    start, anchor, sub, ends = _patterns(sections)
    cuts: set[int] = set()
    headings = 0
    for m in start.finditer(text):
        s = m.start()
        end = _heading_end(text, s, m.end(), sections, ends)
        if end is None:
            continue
        headings += 1
        cuts.add(s)
        cuts.add(end)
    if anchor is not None:
        for m in anchor.finditer(text):
            cuts.add(m.start())
    if sub is not None and headings:
        for m in sub.finditer(text):
            cuts.add(m.start())
    if not headings:
        return set()  # anchors and sub-heads alone do not make a flattened page
    return cuts


def _heading_end(
    text: str, s: int, after: int, sections: tuple[SectionSpec, ...], ends: re.Pattern[str]
) -> int | None:
    """Where the heading starting at ``s`` ends, or None if no part heading starts there."""
    limit = min(len(text), s + _HEADING_SPAN)
    bad = _NOT_IN_HEADING.search(text, after, limit)
    if bad is not None:
        limit = bad.start()  # a heading holds no digits and no second numbered item
    found: int | None = None
    for m in ends.finditer(text, after, limit):
        if found is not None:
            if m.end() - found <= _NEXT_WORD and heading_number(text[s : m.end()], sections):
                return m.end()
            break
        if heading_number(text[s : m.end()], sections) is not None:
            found = m.end()
    return found
