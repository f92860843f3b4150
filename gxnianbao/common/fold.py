"""Traditional characters folded to simplified, one character for one, so that offsets stay.

Mirror sites and converters publish reports in traditional characters (``規章``,
``本年新收政府信息公開申請數量``, ``行政復議``); the templates' words are simplified.  Folding maps
each character on its own, through a table built once from OpenCC's ``t2s`` conversion of every
CJK unified ideograph: ``len`` never changes, so every span still points at the source text.

A simplified report may legitimately hold a few characters ``t2s`` would change (``乾``, ``後``,
``於``: a name, a quotation), so a whole text is folded only when it holds
:data:`MIN_DISTINCT` distinct traditional characters; folding a label only to *match* it
(:func:`fold`) is always safe.  The decision starts with a check that needs no OpenCC: the
traditional forms are, but for 16 characters, outside GB2312 (the national set of simplified
characters), so a text whose Han characters nearly all encode in GB2312 is simplified and costs
neither the import of OpenCC nor its table.
"""

from __future__ import annotations

import functools
import re

from ..model import Diagnostic, Span

MIN_DISTINCT = 6
"""Distinct traditional characters (outside GB2312) that make a text traditional enough to be
folded whole.  A traditional report holds dozens (開 請 數 務 處 關 議 訴 …); a simplified one
holds none or a name's one or two."""

_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000))
"""CJK unified ideographs and their extension A: every character a report's text may use."""


@functools.lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """``str.translate`` table: traditional character -> its simplified form (one for one).

    Built from one ``t2s`` conversion of every ideograph, one per line (a few milliseconds);
    a character whose simplified form is not exactly one character is left alone."""
    import opencc  # only a text that may be traditional pays for it

    convert = opencc.OpenCC("t2s").convert
    table: dict[int, str] = {}
    for first, end in _RANGES:
        chars = [chr(i) for i in range(first, end)]
        folded = convert("\n".join(chars)).split("\n")
        if len(folded) != len(chars):  # an OpenCC that merges lines: fold nothing of the range
            continue
        for char, simple in zip(chars, folded, strict=True):
            if simple != char and len(simple) == 1:
                table[ord(char)] = simple
    return table


def fold(text: str) -> str:
    """``text`` with every traditional character simplified (same length, same offsets)."""
    return text.translate(fold_table())


_CHAR_REF = re.compile(rb"&#([0-9]+);")

_OPENING = 1500
"""A text whose first characters all encode in GB2312 is simplified: only then is the rest not
looked at (a traditional report's title and opening already hold several of its characters)."""


def traditional_chars(text: str) -> str:
    """The distinct traditional characters of ``text`` (outside GB2312, and folded), or ``""``
    when there are fewer than :data:`MIN_DISTINCT` (then OpenCC is not even loaded).

    One pass of the GB2312 codec writes every character it lacks as ``&#NNNNN;``: a simplified
    text has few or none, so the common case costs one encode of its opening (about 3 µs per
    KB).  Only ideographs count: white space and marks outside GB2312 (an en space, a
    non-breaking space) are common in simplified pages too."""
    if len(text) > _OPENING and not _han_codes(
        text[:_OPENING].encode("gb2312", "xmlcharrefreplace")
    ):
        return ""  # (a traditional text shows its characters from its title on)
    han = _han_codes(text.encode("gb2312", "xmlcharrefreplace"))
    if len(han) < MIN_DISTINCT:
        return ""
    table = fold_table()
    found = "".join(sorted(chr(c) for c in han if c in table))
    return found if len(found) >= MIN_DISTINCT else ""


def _han_codes(raw: bytes) -> set[int]:
    """The distinct ideographs a GB2312 encoding wrote as character references."""
    if b"&#" not in raw:
        return set()
    return {c for c in map(int, set(_CHAR_REF.findall(raw))) if _is_han(c)}


def _is_han(code: int) -> bool:
    """Whether ``code`` is a CJK unified ideograph (:data:`_RANGES`)."""
    return any(first <= code < end for first, end in _RANGES)


def fold_traditional(text: str) -> tuple[str, Diagnostic | None]:
    """``text`` folded whole when it is written in traditional characters, with the
    ``traditional-folded`` diagnostic that says so; else ``text`` itself and None."""
    found = traditional_chars(text)
    if not found:
        return text, None
    return fold(text), folded_diagnostic(text, found)


def folded_diagnostic(text: str, found: str) -> Diagnostic:
    """The ``traditional-folded`` info: which characters, and where the first one is."""
    first = min(text.find(c) for c in found)
    line = text.count("\n", 0, first) + 1
    column = first - (text.rfind("\n", 0, first) + 1) + 1
    shown = "".join(found[:12]) + ("…" if len(found) > 12 else "")
    return Diagnostic(
        "traditional-folded",
        "info",
        f"the text is written in traditional characters ({len(found)} distinct, such as {shown});"
        " it was read with each folded to its simplified form, offsets unchanged",
        Span(first, first + 1, line, column),
    )
