"""What one table cell's text says: a number, blank, not-applicable, noise or a label.

Kept apart from layout so that every reader (text, HTML, DOCX, PDF) classifies cells alike.
All patterns are anchored and bounded: a cell is classified in time linear in its length.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Literal, NamedTuple

import regex

from ..model import Number
from .text import BOOKMARK, DIGIT_CLASS, FULLWIDTH_DIGITS, lazy_pattern

Kind = Literal["number", "blank", "na", "noise", "label"]

# Full-width digits and the punctuation that appears inside numbers; U+2212 is the minus sign
# that PDF text gives for a decrease in 2019's 本年增/减.
_FULLWIDTH = str.maketrans(FULLWIDTH_DIGITS + "．，－＋\u2212", "0123456789.,-+-")

_NA_MARKERS = frozenset(
    {"/", "／", "\\", "-", "－", "—", "–", "―", "--", "——", "－－", "—-", "×",
     "无", "不适用", "n/a", "na", "N/A", "NA"}
)  # fmt: skip

# A number as written: optional sign, digits (optionally grouped by thousands), decimals.
_NUMBER = lazy_pattern(
    rf"""
    (?P<num>
        [+\-－＋\u2212]?
        (?: [{DIGIT_CLASS}]{{1,3}}(?:[,，][{DIGIT_CLASS}]{{3}})+ | [{DIGIT_CLASS}]+ )
        (?: [.．][{DIGIT_CLASS}]+ )?
    )
    \s*
    (?P<unit>万元|亿元|元|件|个|条|项|次|人|家|份)?
    \s*
    (?P<approx>余|多)?
    """,
    regex.VERBOSE,
)

_NOISE = lazy_pattern(
    rf"""
      [-—–－]\s*[{DIGIT_CLASS}]{{1,3}}\s*[-—–－]          # page footer: -3-  — 3 —
    | 第\s*[{DIGIT_CLASS}]{{1,3}}\s*页(?:\s*[,，]?\s*共\s*[{DIGIT_CLASS}]{{1,3}}\s*页)?
    | {BOOKMARK.pattern}
    | (?:万元|亿元|元|件|个|条|项)
    """,
    regex.VERBOSE,
)

_MAX_NUMBER_CELL = 40
"""A longer cell is never a number; this also bounds the work per cell."""


class CellValue(NamedTuple):
    """A classified cell.  ``start``/``end`` locate the number inside the cell text."""

    kind: Kind
    value: Number | None = None
    start: int = 0
    end: int = 0
    unit: str | None = None
    approximate: bool = False


BLANK = CellValue("blank")
NA = CellValue("na")
NOISE = CellValue("noise")
LABEL = CellValue("label")


def parse_number(raw: str) -> Number:
    """The value of a number as written (full-width digits and separators allowed)."""
    text = raw.translate(_FULLWIDTH).replace(",", "")
    if "." in text:
        return Decimal(text)
    return int(text)


def classify(text: str) -> CellValue:
    """Classify one cell's text (short texts are cached: the same few recur in every report)."""
    if len(text) > _MAX_CACHED:
        return _classify(text)
    return _classify_cached(text)


_MAX_CACHED = 64


def _classify(text: str) -> CellValue:
    if text.isdigit() and text.isascii() and len(text) <= _MAX_NUMBER_CELL:
        return CellValue("number", int(text), 0, len(text))
    stripped = text.strip()
    if not stripped:
        return BLANK
    if len(stripped) > _MAX_NUMBER_CELL:
        return LABEL
    if stripped in _NA_MARKERS:
        return NA
    lead = len(text) - len(text.lstrip())
    match = _NUMBER().fullmatch(stripped)
    if match is not None:
        raw = match.group("num")
        return CellValue(
            "number",
            parse_number(raw),
            lead + match.start("num"),
            lead + match.end("num"),
            match.group("unit"),
            match.group("approx") is not None,
        )
    if _NOISE().fullmatch(stripped) is not None:
        return NOISE
    return LABEL


_classify_cached = functools.lru_cache(maxsize=16384)(_classify)

classify_short = _classify_cached
""":func:`classify` for a text of at most :data:`SHORT` characters, called without the
wrapper's Python frame (a reader calls it for every cell)."""
SHORT = _MAX_CACHED
