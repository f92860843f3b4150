"""What every locating step does to a line first: drop what converters add around the words.

Headings, titles and narrative lines arrive with a BOM, Word bookmarks, markdown ``#`` and
``**`` around them; the parts' words are compared, and the narrative kept, without them.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ..common.lines import Line
from ..common.text import BOOKMARK
from ..model import Span

MD_PREFIX = regex.compile(r"^\s*#{1,6}\s*")
CLAUSE_END = regex.compile(r"[。：:]")
"""Where a heading's own words end and its first sentence begins."""


def clean(text: str) -> str:
    """A line's words without BOM, bookmarks, markdown heading marks and bold stars."""
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "[" in text:
        text = BOOKMARK.sub("", text)
    if "#" in text:
        text = MD_PREFIX.sub("", text)
    return text.strip().strip("*").strip()


def span_of(lines: Sequence[Line], first: int, last: int) -> Span:
    """The span from the start of line ``first`` to the end of line ``last`` (indexes)."""
    a, b = lines[first], lines[last]
    return Span(a.start, b.start + len(b.text), a.number, 1)
