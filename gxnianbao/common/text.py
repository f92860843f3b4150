"""Small text facts more than one stage needs, kept once: digit folding, artefacts, widths.

Why here: the same knowledge written in three places drifts (one copy learns ``．``, the others
do not).  Every stage that folds full-width digits, drops a Word bookmark artefact or measures
CJK text on a terminal asks this module.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

import regex

FULLWIDTH_DIGITS = "０１２３４５６７８９"
"""The ten full-width digits, in order (U+FF10–U+FF19)."""

DIGIT_CLASS = "0-9０-９"
"""ASCII and full-width digits, for use inside a regex character class."""

TO_ASCII_NUMBER = str.maketrans(FULLWIDTH_DIGITS + "．，", "0123456789.,")
"""``str.translate`` table: full-width digits, decimal point and comma to ASCII, one character
each (offsets kept)."""

BOOKMARK = regex.compile(r"\[bookmark:[^\]]{0,80}\]")
"""A Word bookmark as converters leave it in text (``[bookmark: _GoBack]``)."""

_FULLWIDTH_DIGIT = regex.compile("[０-９]")


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], regex.Pattern[str]]:
    """A getter that compiles ``pattern`` on its first call, so that a costly pattern costs
    nothing at import (``import gxnianbao`` must stay fast)."""

    @functools.cache
    def compiled() -> regex.Pattern[str]:
        return regex.compile(pattern, flags)

    return compiled


def _ascii_digit(m: regex.Match[str]) -> str:
    return chr(ord(m.group()) - 0xFEE0)


def fold_digits(text: str) -> str:
    """Full-width digits as ASCII; every other character and every offset unchanged.

    A substitution rather than ``str.translate``, which is slow on long CJK text.
    """
    if not _FULLWIDTH_DIGIT.search(text):
        return text
    return _FULLWIDTH_DIGIT.sub(_ascii_digit, text)


def char_width(ch: str, *, tab: int = 4, zero_width_marks: bool = True) -> int:
    """Columns ``ch`` takes on a terminal: CJK (wide, full-width) 2, combining marks 0.

    ``zero_width_marks=False`` measures a combining mark by its East Asian width like any
    other character: the rule :class:`~gxnianbao.errors.ParseError` has always used for its
    caret line, kept so that its messages stay byte-identical.
    """
    if ch == "\t":
        return tab
    if zero_width_marks and unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def text_width(text: str, *, tab: int = 4) -> int:
    """Columns ``text`` takes on a terminal (see :func:`char_width`)."""
    return sum(char_width(ch, tab=tab) for ch in text)


def blank_like(text: str, *, zero_width_marks: bool = True) -> str:
    """White space as wide as ``text`` on a terminal, tabs kept: the indent under a caret.

    ``zero_width_marks``: as in :func:`char_width`.
    """
    return "".join(
        ch if ch == "\t" else " " * char_width(ch, zero_width_marks=zero_width_marks)
        for ch in text
    )
