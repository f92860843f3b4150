"""The pdfminer device: hands each drawn character and path of a page to a :class:`Collector`.

Why a device of our own: pdfminer runs without layout analysis (``laparams=None``); its raw
characters and paths are what a grid needs, and building no layout tree keeps the reader near
the cost of plain text extraction.  Slanted characters (a watermark) and white paths (which
hide or erase, not draw a border) are dropped here.
"""

from __future__ import annotations

from collections.abc import Sequence

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTChar
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFGraphicState, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream
from pdfminer.utils import Matrix, PathSegment

from .chars import UNMAPPED, Collector, baseline_turn
from .interp import WorkBudget

GLYPH_COST = 3
"""Operations a glyph drawn counts for: drawing and placing one costs about three times as long
as reading a token of a content stream (30 µs against 10 µs)."""


class Device(PDFLayoutAnalyzer):
    """A pdfminer device that hands characters and paths to a :class:`Collector` without
    building a layout tree (no LTPage children, no layout analysis)."""

    def __init__(self, rsrc: PDFResourceManager, collector: Collector, budget: WorkBudget) -> None:
        super().__init__(rsrc, pageno=1, laparams=None)
        self.collector = collector
        self.budget = budget
        self.max_slant = collector.settings.max_slant

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        super().begin_page(page, ctm)
        self.collector.reset(self.cur_item.height)

    def end_page(self, page: PDFPage) -> None:
        self.pageno += 1

    def render_image(self, name: str, stream: PDFStream) -> None:
        self.collector.images += 1

    def render_char(
        self,
        matrix: Matrix,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> float:
        budget = self.budget
        budget.ops += GLYPH_COST  # one Tj may draw thousands
        if budget.ops > budget.stop:
            budget.over()
        try:
            text = font.to_unichr(cid)
        except Exception:  # PDFUnicodeNotDefined and broken CMaps alike
            text = UNMAPPED
        item = LTChar(
            matrix,
            font,
            fontsize,
            scaling,
            rise,
            text,
            font.char_width(cid),
            font.char_disp(cid),
            ncs,
            graphicstate,
        )
        turn = baseline_turn(item.matrix, self.max_slant)
        if turn is not None:
            self.collector.add_char(text, item.bbox, item.size, turn)
        else:
            self.collector.skewed += 1
        return float(item.adv)

    def paint_path(
        self,
        gstate: PDFGraphicState,
        stroke: bool,
        fill: bool,
        evenodd: bool,
        path: Sequence[PathSegment],
    ) -> None:
        if not (stroke or fill):
            return
        if is_white(gstate.scolor if stroke else gstate.ncolor):
            return  # a white rule hides or erases; it does not draw a border
        a, b, c, d, e, f = self.ctm
        start: tuple[float, float] | None = None
        pts: list[tuple[float, float]] = []
        for seg in path:
            op = seg[0]
            if op == "h":
                if start is not None and pts:
                    pts.append(start)
                continue
            if len(seg) < 3:
                continue
            x, y = float(seg[-2]), float(seg[-1])
            p = (a * x + c * y + e, b * x + d * y + f)
            if op == "m":
                self._flush(pts, stroke)
                pts = [p]
                start = p
            else:
                pts.append(p)
        self._flush(pts, stroke)

    def _flush(self, pts: list[tuple[float, float]], stroke: bool) -> None:
        self.collector.add_subpath(pts, stroke)


def is_white(color: object) -> bool:
    """White in gray, RGB or CMYK (pdfminer gives a float or a tuple of floats)."""
    if isinstance(color, (int, float)):
        return color >= 0.99
    if isinstance(color, tuple) and all(isinstance(v, (int, float)) for v in color):
        if len(color) == 3:
            return all(v >= 0.99 for v in color)
        if len(color) == 4:
            return all(v <= 0.01 for v in color)
    return False
