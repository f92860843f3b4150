"""Spotting the template's labels inside a run of text that holds several of them.

A flattened page (a table scraped with ``element.text``), a PDF text layer or a torn conversion
runs labels together: ``三、本年度办理结果 （一）予以公开``, ``信息内容本年处理决定数量行政许可``.
The vocabulary is known, so the text is cut where its labels are: every label of the table
(official wording and aliases, compared on their cores) is looked for, leftmost and longest first.

A short label (``其他``, ``总计``, ``规章``) found inside longer unexplained text is not trusted: a
mistyped ``其他法律行政止公开`` must not become the row ``其他``.  A found label is kept as a piece
of its own only when it is long (4 characters or more in its core) or stands between other kept
labels, numbers or the ends of the text; otherwise it stays part of the text around it, which is
then matched as one label (by alias or typo tolerance, see :mod:`gxnianbao.common.labels`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..common.labels import core
from ..templates import TableSpec
from .labels import vocabulary

_TRUSTED_LENGTH = 4
"""Cores this long are kept wherever they are found: no label of a template is written inside
another label's words at that length unless it *is* that label."""

_NUMBERING = re.compile(r"[0-9一二三四五六七八九十]{1,2}")
"""What may stand between two labels in a core without being text of its own: the numbering
(``三、``, ``（一）``, ``1.``) that the core keeps when it is not at the start."""


@functools.lru_cache(maxsize=32)
def _pattern(spec: TableSpec) -> re.Pattern[str] | None:
    """One alternation of every label core of the table, longest first (leftmost-longest)."""
    words = {w for w in vocabulary(spec).cores if len(w) >= 2}
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


def known(spec: TableSpec, text: str) -> bool:
    """Whether ``text`` is one of the table's labels as written (on cores)."""
    pattern = _pattern(spec)
    return pattern is not None and pattern.fullmatch(core(text)) is not None


def _core_map(text: str) -> tuple[str, list[int]]:
    """The text's letters and digits (NFKC), and for each the offset in ``text`` it came from.

    Unlike :func:`~gxnianbao.common.labels.core` it keeps numbering that is not at the start,
    so that pieces can be cut at exact offsets."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isalnum():
            folded = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
            for f in folded:
                if f.isalnum():
                    chars.append(f)
                    where.append(i)
    return "".join(chars), where


def spot(spec: TableSpec, text: str) -> list[tuple[int, int]]:
    """Cut ``text`` into label pieces, as (start, end) offsets into ``text``, in order.

    Text between kept labels that is more than numbering and punctuation is a piece of its own
    (a label the vocabulary does not know as written: matched later by alias or typo tolerance,
    or kept as an unknown row).  Numbering and punctuation before a label go with that label.
    """
    pattern = _pattern(spec)
    stripped = text.strip()
    if pattern is None or not stripped:
        return [(0, len(text))] if stripped else []
    flat, where = _core_map(text)
    found = [(m.start(), m.end()) for m in pattern.finditer(flat)]
    kept = _trusted(flat, found)
    if not kept:
        return [_trim(text, 0, len(text))]
    pieces: list[tuple[int, int]] = []
    prev_end = 0  # in the core
    raw_prev = 0  # in the text
    for a, b in kept:
        gap = flat[prev_end:a]
        start = where[a]
        if gap and not _NUMBERING.fullmatch(gap):
            # Unexplained text before this label: a piece of its own.
            gap_start = where[prev_end]
            gap_end = where[a - 1] + 1
            pieces.append(_trim(text, gap_start, gap_end))
            raw_prev = gap_end
        # Numbering and punctuation before the label belong to it.
        start = _extend_left(text, raw_prev, start)
        end = where[b - 1] + 1
        end = _extend_right(text, end)
        pieces.append((start, end))
        raw_prev = end
        prev_end = b
    if prev_end < len(flat):
        tail = flat[prev_end:]
        if not _NUMBERING.fullmatch(tail):
            pieces.append(_trim(text, where[prev_end], len(text)))
    return [p for p in pieces if p[1] > p[0]]


def _trusted(flat: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The found labels to cut at: long ones, and short ones bounded by kept labels or the ends.

    Repeated until nothing changes: dropping a short label may leave its neighbour unbounded."""
    kept = list(found)
    changed = True
    while changed:
        changed = False
        out: list[tuple[int, int]] = []
        for i, (a, b) in enumerate(kept):
            if b - a >= _TRUSTED_LENGTH:
                out.append((a, b))
                continue
            left = kept[i - 1][1] if i > 0 else 0
            right = kept[i + 1][0] if i + 1 < len(kept) else len(flat)
            if _bounded(flat[left:a]) and _bounded(flat[b:right]):
                out.append((a, b))
            else:
                changed = True
        kept = out
    return kept


def _bounded(gap: str) -> bool:
    return not gap or _NUMBERING.fullmatch(gap) is not None


_OPENERS = frozenset('（(【[“"《')
_CLOSERS = frozenset('）)】]”"》')


def _extend_left(text: str, floor: int, start: int) -> int:
    """Move a label's start left over the numbering, brackets and punctuation before it."""
    i = start
    while i > floor:
        ch = text[i - 1]
        if ch.isspace():
            break
        if ch.isalnum() and not _numbering_char(ch):
            break
        i -= 1
    return i if i < start else start


def _numbering_char(ch: str) -> bool:
    return ch in "0123456789一二三四五六七八九十０１２３４５６７８９"


def _extend_right(text: str, end: int) -> int:
    """Take a closing bracket right after a label (``（一）予以公开（…）`` keeps its note)."""
    n = len(text)
    while end < n and text[end] in _CLOSERS:
        end += 1
    return end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
