"""Characters -> text: lines, a cell's text, and paragraphs of running text.

Why by geometry: a PDF has no words or lines, only characters placed on the page.  Characters
on one baseline make a line; a gap wider than a space separates Latin words (CJK text has no
spaces); lines that run to the right edge continue on the next one.  What cannot be read with
certainty is never guessed: a number drawn with glyphs that have no Unicode mapping is left out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import regex

from ...common.text import DIGIT_CLASS
from .chars import UNMAPPED, BBox, Char
from .settings import PdfSettings

_NUMBER_CHARS = f"{DIGIT_CLASS}.,，．"
_DIGITS_AROUND_UNMAPPED = regex.compile(rf"[{_NUMBER_CHARS}]*\ufffd[{_NUMBER_CHARS}\ufffd]*")
_NUMERIC_LINE = regex.compile(rf"^[{_NUMBER_CHARS}]+$")
_DIGIT = regex.compile(rf"[{DIGIT_CLASS}]")
_LETTER = regex.compile(r"\p{L}")
_STARTS_ITEM = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[条章节])"
)
"""A numbered heading or item (一、 （一） 1. 第一条): it starts a paragraph of its own."""


def is_cjk(ch: str) -> bool:
    """A CJK character or full-width punctuation: no space is written next to it."""
    o = ord(ch[0]) if ch else 0
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x2FA1F
        or ch in "—…“”‘’·"
    )


def group_lines(chars: Sequence[Char], settings: PdfSettings) -> list[list[Char]]:
    """Characters grouped into lines (by vertical centre), each line left to right."""
    overlap = settings.line_overlap
    out: list[list[Char]] = []
    centre = 0.0
    size = 0.0
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if out and abs(ch.cy - centre) <= overlap * max(1.0, min(size, ch.size)):
            line = out[-1]
            line.append(ch)
            continue
        out.append([ch])
        centre = ch.cy
        size = ch.size
    for i, line in enumerate(out):
        line.sort(key=lambda c: c.x0)
        out[i] = _no_overprint(line, settings.overprint)
    return out


def _no_overprint(line: list[Char], overprint: float) -> list[Char]:
    """A line without the copies of characters drawn again at (almost) the same place: WPS's
    bold for fonts without a bold face prints each character twice, a hair apart."""
    kept: list[Char] = []
    for ch in line:
        if kept:
            prev = kept[-1]
            if (
                ch.text == prev.text
                and abs(ch.x0 - prev.x0)
                < overprint * min(ch.size, prev.size, 2 * (prev.x1 - prev.x0))
                and abs(ch.top - prev.top) < overprint * ch.size
            ):
                continue
        kept.append(ch)
    return kept


def join_line(line: Sequence[Char], settings: PdfSettings) -> str:
    """A line's characters as text: a space where a gap separates words, none between CJK."""
    wide, word = settings.wide_gap, settings.word_gap
    parts: list[str] = []
    prev: Char | None = None
    for ch in line:
        if prev is not None:
            gap = ch.x0 - prev.x1
            size = max(1.0, min(prev.size, ch.size))
            cjk = is_cjk(prev.text[-1]) or is_cjk(ch.text[0])
            if gap > wide * size:
                parts.append("  ")
            elif gap > word * size and not cjk:
                parts.append(" ")
        parts.append(ch.text)
        prev = ch
    return "".join(parts)


def cell_text(chars: Sequence[Char], settings: PdfSettings) -> tuple[str, bool]:
    """A cell's text: lines joined by ``\\n``; a vertical label (a character a line) joined
    into one word; a number wrapped over lines rejoined.  Text with unmapped glyphs is left
    out when it holds digits (the flag returned is then true)."""
    if not chars:
        return "", False
    if all(c.turn for c in chars):
        lines = _turned_lines(chars, settings)
    else:
        lines = [join_line(line, settings) for line in group_lines(chars, settings)]
    if len(lines) >= 3 and all(len(t) <= 2 for t in lines):
        text = "".join(lines)
    else:
        pieces = [lines[0]]
        for prev, t in itertools.pairwise(lines):
            if not (_NUMERIC_LINE.match(prev) and _NUMERIC_LINE.match(t)):
                pieces.append("\n")
            pieces.append(t)
        text = "".join(pieces)
    if UNMAPPED not in text:
        return text, False
    rest = text.replace(UNMAPPED, "")
    if _DIGIT.search(rest) or not _LETTER.search(rest):
        return "", True
    return rest, True


def _turned_lines(chars: Sequence[Char], settings: PdfSettings) -> list[str]:
    """Text turned a quarter (a cell's label set sideways): columns of characters, each read
    along its baseline; columns follow each other as the turned lines do."""
    overlap = settings.line_overlap
    up = sum(c.turn for c in chars) > 0
    columns: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: c.cx, reverse=not up):
        if columns and abs(ch.cx - columns[-1][0].cx) <= overlap * ch.size:
            columns[-1].append(ch)
        else:
            columns.append([ch])
    return ["".join(c.text for c in sorted(col, key=lambda c: c.cy, reverse=up)) for col in columns]


def clean_paragraph(text: str) -> str:
    """Unmapped glyphs in running text: a number touching one is replaced as a whole."""
    if UNMAPPED not in text:
        return text
    return _DIGITS_AROUND_UNMAPPED.sub(UNMAPPED, text)


def char_box(chars: Sequence[Char]) -> BBox:
    """The box around ``chars``."""
    return (
        min(c.x0 for c in chars),
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
    )


def line_info(line: Sequence[Char], settings: PdfSettings) -> tuple[str, BBox, float]:
    """A text line's text, box and (largest) font size."""
    return join_line(line, settings), char_box(line), max(c.size for c in line)


def paragraphs(
    lines: Sequence[tuple[str, BBox, float]], settings: PdfSettings
) -> Iterator[tuple[str, BBox]]:
    """Lines of running text rejoined into paragraphs: a line that runs to the right edge of
    the page's text continues on the next one (a title or a sentence wrapped by the layout),
    unless the next line starts a numbered heading or item, or is set apart."""
    if not lines:
        return
    slack, share = settings.full_line_slack, settings.full_line_width
    spacing, same = settings.paragraph_gap, settings.same_size
    left = min(b[0] for _, b, _ in lines)
    right = max(b[2] for _, b, _ in lines)
    width = right - left
    text, bbox, size = lines[0]
    for nxt_text, nxt_bbox, nxt_size in lines[1:]:
        full = bbox[2] >= right - slack * size and bbox[2] - bbox[0] >= share * width
        close = 0 <= nxt_bbox[1] - bbox[3] <= spacing * max(size, nxt_size)
        alike = abs(size - nxt_size) <= same * max(size, nxt_size)
        if full and close and alike and not _STARTS_ITEM.match(nxt_text):
            sep = "" if is_cjk(text[-1:]) or is_cjk(nxt_text[:1]) else " "
            text = text + sep + nxt_text
            bbox = (
                min(bbox[0], nxt_bbox[0]),
                bbox[1],
                max(bbox[2], nxt_bbox[2]),
                nxt_bbox[3],
            )
            continue
        yield text, bbox
        text, bbox, size = nxt_text, nxt_bbox, nxt_size
    yield text, bbox
