"""The overview's text with its clause, sentence and count boundaries, and its numbers."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .patterns import BREAK, CN_NUM, SUBHEAD, YEAR, rx

__all__ = ["REACH", "Text", "number"]


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_int(text: str) -> int | None:
    """A small number in Chinese numerals (``十二``, ``两``, ``一百零五``); None if malformed."""
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _CN_DIGITS:
            if digit not in (None, 0):
                return None  # 二二, 二〇二二: digits side by side are no count
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit >= last_unit or digit == 0:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def number(text: str) -> int | None:
    if text[0].isdigit():
        return int(text.replace(",", ""))
    return _cn_int(text)


_LOOKBACK = 300
"""How far back (characters) a count's sentence context is read: keeps reading linear."""
REACH = 96
"""No label is longer than this: patterns are tried only this far before a count's measure word."""

_SENTENCE_CHARS = "。！？!?\n"
_SEGMENT_CHARS = _SENTENCE_CHARS + "；;"
_COUNT_UNITS = "件起宗个份例次"
"""Measure words of the counts read (次 for 行政复议 / 行政诉讼 cases only)."""
_MEASURE_CHARS = _COUNT_UNITS + "条人名项家篇期场万%％"
_NUMBER_CHARS = frozenset("0123456789" + CN_NUM)
_ZERO_ANCHORS = ("申请", "复议", "诉讼")
"""A "none" statement names one of these: zero patterns are tried only near them."""


def _find_all(text: str, chars: str) -> list[int]:
    """Sorted offsets of every occurrence of any of ``chars`` (str.find runs at C speed, where a
    character-class regex crawls over CJK text)."""
    out: list[int] = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            out.append(i)
            i = text.find(ch, i + 1)
    out.sort()
    return out


def _number_before(text: str, pos: int) -> bool:
    """A number ends just before the measure word at ``pos`` (spaces and 余/多 between)."""
    i = pos - 1
    while i >= 0 and pos - i <= 5 and text[i] in " \t\u3000余多":
        i -= 1
    return i >= 0 and text[i] in _NUMBER_CHARS


class Text:
    """The text read, with its clause, sentence and count boundaries, found once for lookups."""

    def __init__(self, text: str) -> None:
        self.text = text
        breaks = _find_all(text, BREAK)
        subhead, year = rx(SUBHEAD), rx(YEAR)
        for i in _find_all(text, "（("):
            m = subhead.match(text, i)
            if m is not None:
                breaks.append(m.end() - 1)
        self.clause_breaks = sorted(breaks)
        self.sentence_breaks = _find_all(text, _SENTENCE_CHARS)
        self.segment_breaks = _find_all(text, _SEGMENT_CHARS)
        measures = [i for i in _find_all(text, _MEASURE_CHARS) if _number_before(text, i)]
        self.token_ends = [i + 1 for i in measures]
        self.counts = [i for i in measures if text[i] in _COUNT_UNITS]
        self.years: list[tuple[int, int]] = []
        for i in _find_all(text, "年"):
            m = year.search(text, max(i - 8, 0), i + 1)
            if m is not None and m.end() == i + 1 and not text.startswith("版", i + 1):
                self.years.append((m.start(), int(m.group(1))))

    @staticmethod
    def _after_last(breaks: Sequence[int], pos: int) -> int:
        i = bisect.bisect_left(breaks, pos) - 1
        return breaks[i] + 1 if i >= 0 else 0

    @staticmethod
    def _next(breaks: Sequence[int], pos: int, end: int) -> int:
        i = bisect.bisect_left(breaks, pos)
        return breaks[i] if i < len(breaks) else end

    def window_start(self, pos: int) -> int:
        """Where the phrase ending at ``pos`` starts: after a clause break or an earlier count."""
        start = self._after_last(self.clause_breaks, pos)
        i = bisect.bisect_right(self.token_ends, pos) - 1
        if i >= 0 and self.token_ends[i] > start:
            start = self.token_ends[i]
        return start

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence holding ``pos``; context is read at most _LOOKBACK back."""
        return max(self._after_last(self.sentence_breaks, pos), pos - _LOOKBACK)

    def segment_start(self, pos: int) -> int:
        """Like :meth:`sentence_start`, a ``；`` also ending a segment."""
        return max(self._after_last(self.segment_breaks, pos), pos - _LOOKBACK)

    def clause_end(self, pos: int) -> int:
        return self._next(self.clause_breaks, pos, len(self.text))

    def year_before(self, pos: int) -> int | None:
        """The last year named (``2020年``) in the sentence before ``pos``."""
        i = bisect.bisect_left(self.years, (pos, 0)) - 1
        if i >= 0 and self.years[i][0] >= self.sentence_start(pos):
            return self.years[i][1]
        return None

    def regions(self, anchors: Sequence[int], before: int, after: int) -> list[tuple[int, int]]:
        """Merged stretches around anchor offsets, each ending just after a clause break (or at
        the end), so that patterns tried in them see what they would see in the whole text."""
        out: list[tuple[int, int]] = []
        n = len(self.text)
        for pos in anchors:
            start = max(pos - before, 0)
            end = min(self.clause_end(pos + after) + 1, n)
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return out

    def zero_anchors(self) -> list[int]:
        out: list[int] = []
        for word in _ZERO_ANCHORS:
            i = self.text.find(word)
            while i >= 0:
                out.append(i)
                i = self.text.find(word, i + 1)
        out.sort()
        return out
