"""What a page draws, as plain values: characters with their boxes, and ruling segments.

Why plain tuples: a report page draws thousands of characters; the stages after the device only
need a character's text, box and size, and a rule's position and extent, in page space with y
measured down from the page's top (the way a reader reads, and the way ``Origin.bbox`` is
given).  The :class:`Collector` enforces the per-page bounds of :class:`~gxnianbao.Limits` as the
device hands it each item, so a hostile page stops early.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

from ...limits import DEFAULT_LIMITS, Limits
from .settings import OverLimit, PdfSettings

BBox = tuple[float, float, float, float]
"""x0, top, x1, bottom in points from the page's top-left corner."""

UNMAPPED = "\ufffd"
"""Stands for a glyph whose Unicode value is unknown (a font without ToUnicode)."""


class Char(NamedTuple):
    """A drawn character in page space (points, y measured down from the page's top)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    turn: int = 0
    """0 upright; 1 turned a quarter left (reads upwards); -1 a quarter right (downwards)."""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


class Seg(NamedTuple):
    """A ruling segment: ``pos`` is y for a horizontal rule, x for a vertical one; it runs from
    ``a`` to ``b`` along the other axis."""

    pos: float
    a: float
    b: float


def is_unmapped_text(text: str) -> bool:
    """Text pdfminer produced for a glyph without a trustworthy Unicode value."""
    for ch in text:
        o = ord(ch)
        if ch == UNMAPPED or 0xE000 <= o <= 0xF8FF or (o < 0x20 and ch not in "\t\n\r"):
            return True
    return False


def page_char(
    text: str, x0: float, y0: float, x1: float, y1: float, size: float, turn: int, height: float
) -> Char:
    """A character of a page whose box is given in PDF space (y up), as :class:`Char` holds it
    (from the top), rounded to a thousandth of a point: both engines build characters here,
    since they compute the same box with different noise in the last bits (PDFium in single
    precision), and boxes that touch must touch in both."""
    return Char(
        text,
        round(x0, 3),
        round(height - y1, 3),
        round(x1, 3),
        round(height - y0, 3),
        round(size, 3),
        turn,
    )


class Collector:
    """Receives one page's characters and paths from the device, as plain tuples.

    ``h`` and ``v`` are the horizontal and vertical ruling segments; ``paths`` counts every
    segment offered (only the first ``max_rules_per_page`` are kept), ``unmapped`` the glyphs
    without a Unicode value, ``skewed`` the characters set at a slant, ``images`` the images.
    """

    def __init__(self, settings: PdfSettings, limits: Limits = DEFAULT_LIMITS) -> None:
        self.settings = settings
        self.limits = limits
        self.chars: list[Char] = []
        self.h: list[Seg] = []
        self.v: list[Seg] = []
        self.images = 0
        self.unmapped = 0
        self.height = 0.0
        self.paths = 0
        self.skewed = 0

    def reset(self, height: float) -> None:
        """Start a page ``height`` points tall."""
        self.chars = []
        self.h = []
        self.v = []
        self.images = 0
        self.unmapped = 0
        self.height = height
        self.paths = 0
        self.skewed = 0

    def add_char(self, text: str, bbox: BBox, size: float, turn: int = 0) -> None:
        """A character with its box in PDF space (y up); white space is not kept."""
        limit = self.limits.max_chars_per_page
        if len(self.chars) >= limit:
            raise OverLimit(f"more than {limit} characters on one page (max_chars_per_page)")
        if text.startswith("(cid:") or is_unmapped_text(text):
            self.unmapped += 1
            text = UNMAPPED
        elif not text or text.isspace():
            return
        x0, y0, x1, y1 = bbox
        self.chars.append(page_char(text, x0, y0, x1, y1, size, turn, self.height))

    def add_segment(self, p: tuple[float, float], q: tuple[float, float]) -> None:
        """A straight stroke from ``p`` to ``q`` (PDF space): kept when it is a rule."""
        (x0, y0), (x1, y1) = p, q
        h = self.height
        half = self.settings.rule_thickness / 2
        shortest = self.settings.min_rule_length
        if abs(y0 - y1) <= half and abs(x1 - x0) > shortest:
            self._push(self.h, Seg(h - (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) <= half and abs(y1 - y0) > shortest:
            self._push(self.v, Seg((x0 + x1) / 2, h - max(y0, y1), h - min(y0, y1)))

    def add_rect(self, x0: float, y0: float, x1: float, y1: float, stroke: bool) -> None:
        """An axis-aligned rectangle (PDF space): a thin one is a rule, a stroked one is four."""
        w, ht = x1 - x0, y1 - y0
        h = self.height
        thin = self.settings.rule_thickness
        if ht <= thin and w > ht:
            self._push(self.h, Seg(h - (y0 + y1) / 2, x0, x1))
        elif w <= thin and ht > w:
            self._push(self.v, Seg((x0 + x1) / 2, h - y1, h - y0))
        elif stroke:
            for p, q in (
                ((x0, y0), (x1, y0)),
                ((x1, y0), (x1, y1)),
                ((x1, y1), (x0, y1)),
                ((x0, y1), (x0, y0)),
            ):
                self.add_segment(p, q)

    def _push(self, where: list[Seg], seg: Seg) -> None:
        self.paths += 1
        if self.paths <= self.limits.max_rules_per_page:
            where.append(seg)

    def add_subpath(self, pts: Sequence[tuple[float, float]], stroke: bool) -> None:
        """One painted subpath (PDF space): a rectangle as a rectangle, anything else as its
        straight pieces."""
        if len(pts) < 2:
            return
        if len(pts) in (4, 5) and (len(pts) == 4 or pts[0] == pts[4]):
            xs = {round(p[0], 2) for p in pts}
            ys = {round(p[1], 2) for p in pts}
            if len(xs) <= 2 and len(ys) <= 2 and _axis_aligned(pts):
                self.add_rect(min(xs), min(ys), max(xs), max(ys), stroke)
                return
        for p, q in itertools.pairwise(pts):
            self.add_segment(p, q)


def _axis_aligned(pts: Sequence[tuple[float, float]]) -> bool:
    return all(
        abs(p[0] - q[0]) < 0.01 or abs(p[1] - q[1]) < 0.01 for p, q in itertools.pairwise(pts)
    )


def baseline_turn(m: Sequence[float], max_slant: float) -> int | None:
    """How a character's baseline runs: 0 rightwards (also upside down), 1 upwards, -1
    downwards; None when slanted (a diagonal watermark, not text of the report)."""
    a, b = m[0], m[1]
    if abs(b) <= max_slant * abs(a):
        return 0
    if abs(a) <= max_slant * abs(b):
        return 1 if b > 0 else -1
    return None
