"""Where the six parts are.

Headings vary (``二、`` ``2、`` ``## 二、``, reworded titles) and reports put look-alike headings
inside part 一 (``### 二、主动公开政务信息情况``), so a part's heading is chosen by keywords
*and* by where its table starts: the last candidate heading before the table's first header
words.  Every word comes from the template's :class:`~gxnianbao.templates.SectionSpec`\\ s: the
numerals, the keywords, the words that open each table and those of numeral-less headings.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections.abc import Sequence

import attrs
import regex

from ..common.labels import flat, occurs_within_one
from ..common.lines import Line
from ..templates import SectionSpec
from .text import CLAUSE_END, clean

_HEAD_DELIM = regex.compile(r"[、.．,，]|部分")

_HSPACE = "[\t\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
"""``regex``'s ``[^\\S\\n]`` (white space but the line break) as ``re`` must be told it: ``re``'s
``\\s`` also takes U+001C–U+001F."""

_MEMO_SIZE = 4096
"""Candidate lines remembered with the part they head: headings and table labels such as
``1.属于国家秘密`` recur in every report."""


@attrs.frozen(slots=True)
class Part:
    """One located part: heading line index (into the line list) and the lines it spans."""

    number: int
    heading: str
    first: int
    """Index of the first line after the heading."""
    end: int
    """Index one past the part's last line."""
    heading_line: int | None
    """Index of the heading line, None when the part was located by its table alone."""


@attrs.frozen(slots=True)
class _Words:
    """The parts' words of one template, compiled once per template."""

    by_number: dict[int, SectionSpec]
    numerals: dict[str, int]
    plain: dict[str, int]
    """Headings written without their numeral (总体情况, 主动公开政府信息情况 …), flattened."""
    heading: regex.Pattern[str]
    plain_words: regex.Pattern[str]
    maybe_heading: re.Pattern[str]
    anchor_line: re.Pattern[str] | None
    anchored: int
    """How many parts have anchor words."""


@functools.lru_cache(maxsize=8)
def _words(sections: tuple[SectionSpec, ...]) -> _Words:
    numerals = {s.numeral: s.number for s in sections}
    numerals.update({str(s.number): s.number for s in sections})
    numeral_class = "".join(numerals)
    plain_words = dict.fromkeys(w for s in sections for w in s.heading_words)
    anchored = [s for s in sections if s.anchors]
    # The two whole-text scans use the standard library's ``re``, several times faster than
    # ``regex`` at trying every line start (``^`` with MULTILINE: after each ``\n`` only, in
    # both).  Their classes are spelled out, so that both engines would read them alike.
    anchor_line = (
        re.compile(
            r"^[ \t\u3000\ufeff|(（]*(?:"
            + "|".join(
                f"(?P<p{s.number}>{'|'.join(re.escape(w) for w in s.anchors)})" for s in anchored
            )
            + ")",
            re.MULTILINE,
        )
        if anchored
        else None
    )
    return _Words(
        by_number={s.number: s for s in sections},
        numerals=numerals,
        plain={flat(s.heading.split("、", 1)[-1]): s.number for s in sections},
        heading=regex.compile(
            rf"^\ufeff?\s*(?:#{{1,6}}\s*)?(?:\*\*)?\s*(?:第)?(?P<num>[{numeral_class}])\s*"
            r"(?:[、.．,，]|部分)\s*(?P<rest>.*)$"
        ),
        plain_words=regex.compile("|".join(regex.escape(w) for w in plain_words) or "(?!)"),
        # ^ BOM? space* (#{1,6} space*)? (** space*)? 第? numeral space* delimiter: no two runs
        # of spaces can take the same characters, so a line that is no heading fails fast.
        maybe_heading=re.compile(
            rf"^\ufeff?{_HSPACE}*(?:#{{1,6}}{_HSPACE}*)?(?:\*\*{_HSPACE}*)?第?[{numeral_class}]"
            rf"{_HSPACE}*(?:[、.．,，]|部分)",
            re.MULTILINE,
        ),
        anchor_line=anchor_line,
        anchored=len(anchored),
    )


def heading_number(line: str, sections: Sequence[SectionSpec]) -> int | None:
    """The part ``line`` heads, or None.  Keywords must match the numeral's part."""
    if len(line) > 200:
        return None  # longer lines are never headings
    return _heading_number(line, tuple(sections))


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _heading_number(line: str, sections: tuple[SectionSpec, ...]) -> int | None:
    words = _words(sections)
    if _HEAD_DELIM.search(line, 0, 16) is None:
        if len(line) > 40 or words.plain_words.search(line) is None:
            return None
        return words.plain.get(flat(clean(line)))
    m = words.heading.match(line)
    if m is None:
        return None
    number = words.numerals[m.group("num")]
    head = CLAUSE_END.split(m.group("rest"), maxsplit=1)[0]
    if len(head) > 40:
        return None
    text = flat(head)
    spec = words.by_number.get(number)
    if spec is None:
        return None
    for alternative in spec.keywords:
        if all(w in text for w in alternative):
            return number
    return None


_NEAR_WORD = 4
"""A heading keyword this long or longer may be found one edit away (行政法复议 for 行政复议);
shorter ones (问题, 其他) must be written as they are."""


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _near_heading_number(line: str, sections: tuple[SectionSpec, ...]) -> int | None:
    """The part ``line`` heads when one of its keywords is mistyped by one character
    (``四、政府信息公开行政法复议、行政诉讼情况``): the line must look like a heading (numeral,
    delimiter, a short head), and its words, with at most one keyword one edit away, must fit
    the numeral's part and no other part."""
    if len(line) > 200:
        return None
    words = _words(sections)
    m = words.heading.match(line)
    if m is None:
        return None
    head = CLAUSE_END.split(m.group("rest"), maxsplit=1)[0]
    if len(head) > 40:
        return None
    text = flat(head)
    fitting = [s.number for s in sections if _fits_one_edit(s, text)]
    number = words.numerals[m.group("num")]
    return number if fitting == [number] else None


def _fits_one_edit(spec: SectionSpec, text: str) -> bool:
    """Whether ``text`` holds every keyword of one of ``spec``'s alternatives, all but at most
    one (of :data:`_NEAR_WORD` characters or more) exactly and that one a single edit away."""
    for alternative in spec.keywords:
        absent = [w for w in alternative if w not in text]
        if not absent:
            return True
        if len(absent) == 1 and len(absent[0]) >= _NEAR_WORD:
            if occurs_within_one(absent[0], text):
                return True
    return False


_START = operator.itemgetter(1)
"""A line's offset (``Line.start``), read at C speed."""


def _line_indexes(
    text: str, pattern: re.Pattern[str] | regex.Pattern[str], starts: list[int]
) -> list[int]:
    """Indexes of the lines where ``pattern`` matches (each line once, in order)."""
    out: list[int] = []
    for m in pattern.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if not out or out[-1] != i:
            out.append(i)
    return out


def find_parts(
    lines: Sequence[Line], sections: Sequence[SectionSpec], text: str
) -> dict[int, Part]:
    """Find the parts.  A part whose heading is absent but whose table is found still gets
    a region, starting at the table's first header words.

    Candidate lines are found by scanning the whole text once, so that the many lines that
    cannot be headings cost nothing in Python."""
    key = tuple(sections)
    words = _words(key)
    numbers = sorted(words.by_number)
    offsets = list(map(_START, lines))
    candidates: dict[int, list[int]] = {n: [] for n in numbers}
    maybe = sorted(
        set(_line_indexes(text, words.maybe_heading, offsets))
        | set(_line_indexes(text, words.plain_words, offsets))
    )
    unnamed: list[int] = []  # candidate lines that head no part as written
    for i in maybe:
        line = lines[i].text
        number = _heading_number(line, key) if len(line) <= 200 else None
        if number is not None:
            candidates[number].append(i)
        else:
            unnamed.append(i)
    near: dict[int, list[int]] | None = None  # worked out only for a part not found otherwise
    anchors = _anchor_lines(lines, text, words, offsets, candidates)
    chosen: dict[int, int] = {}
    after = -1
    for number in numbers:
        pool = [i for i in candidates[number] if i > after]
        anchor = anchors.get(number)
        if not pool and anchor is None:
            # A heading with a mistyped keyword, only where nothing better marks the part: a
            # look-alike in part 一 (二、主动公开政务信息情况) is one edit from part 二's words.
            if near is None:
                near = {n: [] for n in numbers}
                for i in unnamed:
                    if (found := _near_heading_number(lines[i].text, key)) is not None:
                        near[found].append(i)
            pool = [i for i in near[number] if i > after]
        if anchor is not None:
            before = [i for i in pool if i < anchor]
            if before:
                chosen[number] = before[-1]
            elif anchor > after:
                chosen[number] = -1 - anchor  # located by the table only
        elif pool:
            chosen[number] = pool[0]
        if number in chosen:
            pick = chosen[number]
            after = pick if pick >= 0 else -1 - pick
    starts = sorted((_abs_index(v), n) for n, v in chosen.items())
    parts: dict[int, Part] = {}
    for idx, (start, number) in enumerate(starts):
        end = starts[idx + 1][0] if idx + 1 < len(starts) else len(lines)
        raw = chosen[number]
        if raw >= 0:
            parts[number] = Part(number, clean(lines[raw].text), raw + 1, end, raw)
        else:
            parts[number] = Part(number, "", start, end, None)
    return parts


def _anchor_lines(
    lines: Sequence[Line],
    text: str,
    words: _Words,
    offsets: list[int],
    candidates: dict[int, list[int]],
) -> dict[int, int]:
    """Per part with anchor words, the first short line that opens its table."""
    anchors: dict[int, int] = {}
    if words.anchor_line is None:
        return anchors
    for m in words.anchor_line.finditer(text):
        part = int(m.lastgroup[1:]) if m.lastgroup else 0
        if part not in anchors:
            i = bisect.bisect_right(offsets, m.start()) - 1
            if len(lines[i].text) < 120 and i not in candidates[part]:
                anchors[part] = i
        if len(anchors) == words.anchored:
            break
    return anchors


def _abs_index(value: int) -> int:
    return value if value >= 0 else -1 - value
