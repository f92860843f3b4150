"""One scanned page: the engine's text boxes and the raster's rules -> the page's blocks.

Why through the PDF reader's stages: a recognised character with its box is what a PDF's text
layer gives, and ruling lines found in the raster are what its drawing gives, so the lattice,
the cells, the text lines and the paragraphs are built by the same code (``read/pdf``'s
``page_blocks``), borderless tables included.  What the engine is unsure of is never read as a
value: a doubtful digit becomes a glyph without a known value, which the PDF stages already
leave out (its cell missing, a number in running text replaced whole); a cell with ink but no
text recognised is left out too (unknown, not blank).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ...errors import DocumentTooLargeError
from ...limits import Limits
from ...model import Diagnostic, Origin, Span
from ..pdf.chars import UNMAPPED, Char, Collector
from ..pdf.lattice import PageGrid
from ..pdf.page import PageText, page_blocks
from .engine import Glyph, Image, OcrEngine, TextBox
from .raster import Rules, ink_share, mask_share
from .settings import OcrSettings

VALUE_MARKS = frozenset("0123456789０１２３４５６７８９/／-－—–无〇")
"""Characters that make or unmake a value: a doubtful one leaves its value unknown."""
SEPARATORS = frozenset(".．,，、")
"""Characters that are part of a number between two digits (a decimal point, a thousands
separator): doubtful there, they leave the number unknown."""
LOOK_ALIKES = frozenset("Oo|lIiSsBZz")
"""Letters the engine may give for a digit: doubtful next to a digit, they leave it unknown."""
ALONE_LOOK_ALIKES = frozenset("DOoQ")
"""Letters that, alone in a text box (a table cell), are a zero misread."""
DIGITS = frozenset("0123456789０１２３４５６７８９")

CONFUSIONS = {"丶": "、", "°": "。"}
"""Characters the engine gives for others that reports never use (the radical 丶 for the
enumeration comma 、, a degree sign for a small full stop); numbers are never changed."""

SIZE_OF_BOX = 0.7
"""A detected line's box is this much taller than its font size (the detector pads it)."""


@attrs.frozen(slots=True)
class Doubt:
    """A text box holding characters the engine was not sure of."""

    text: str
    bbox: tuple[float, float, float, float]
    """In points."""
    weakest: str
    confidence: float


@attrs.frozen(slots=True)
class ScannedPage:
    """What one page gave: its blocks, the lines it doubted, the cells with unread ink."""

    blocks: list[PageGrid | PageText]
    doubts: list[Doubt]
    unread: list[tuple[float, float, float, float]]
    lines: int
    confidence: float
    """The mean confidence of its characters (1.0 for a page without text)."""
    doubted: list[tuple[float, float, float, float]] = attrs.Factory(list)
    """Table cells (points) left out for a doubtful number: worth a look on their own."""


def scanned_page(
    boxes: Sequence[TextBox],
    rules: Rules,
    scale: float,
    height_pt: float,
    number: int,
    settings: OcrSettings,
    limits: Limits,
    name: str,
    seal: Image | None = None,
) -> ScannedPage:
    """The blocks of page ``number`` from its text boxes (pixels) and rules (points); where
    ``seal`` (a mask of the seal's ink, pixels) touches a digit, the engine must be surer."""
    col = Collector(settings.pdf, limits)
    col.reset(height_pt)
    col.h = list(rules.h)[: limits.max_rules_per_page]
    col.v = list(rules.v)[: limits.max_rules_per_page]
    doubts: list[Doubt] = []
    total = 0.0
    count = 0
    for box in boxes:
        x0, top, x1, bottom = (v / scale for v in box.box)
        size = max(1.0, (bottom - top) * SIZE_OF_BOX)
        weakest: tuple[float, str] | None = None
        glyphs = box.glyphs
        for i, g in enumerate(glyphs):
            if len(col.chars) >= limits.max_chars_per_page:
                raise DocumentTooLargeError(
                    name,
                    f"more than {limits.max_chars_per_page} characters on page {number} "
                    "(max_chars_per_page)",
                    kind="ocr",
                )
            total += g.confidence
            count += 1
            text = CONFUSIONS.get(g.text, g.text)
            if _doubtful(glyphs, i, seal, settings):
                text = UNMAPPED
                if weakest is None or g.confidence < weakest[0]:
                    weakest = (g.confidence, g.text)
            gx0, gx1 = g.box[0] / scale, g.box[2] / scale
            if i + 1 < len(glyphs) and not _cjk(g.text) and not _cjk(glyphs[i + 1].text):
                gx1 = max(gx1, glyphs[i + 1].box[0] / scale)  # one word: no gap inside it
            col.chars.append(Char(text, gx0, top, max(gx1, gx0 + 0.1), bottom, size))
        if weakest is not None:
            doubts.append(Doubt(box.text, _round((x0, top, x1, bottom)), weakest[1], weakest[0]))
    blocks = page_blocks(col, number)
    unread: list[tuple[float, float, float, float]] = []
    doubted: list[tuple[float, float, float, float]] = []
    for block in blocks:
        if isinstance(block, PageGrid):
            for cell in block.cells:
                box_pt = (cell.x0, cell.top, cell.x1, cell.bottom)
                if cell.has_unmapped and not cell.text:
                    doubted.append(_round(box_pt))
                elif (
                    not cell.text
                    and not cell.has_unmapped
                    and ink_share(rules.ink, box_pt, scale) >= settings.ink_share
                ):
                    cell.has_unmapped = True  # (the stitcher leaves such a cell out)
                    unread.append(_round(box_pt))
    mean = total / count if count else 1.0
    return ScannedPage(blocks, doubts, unread, len(boxes), mean, doubted)


def _doubtful(glyphs: Sequence[Glyph], i: int, seal: Image | None, settings: OcrSettings) -> bool:
    """Whether glyph ``i`` makes a value and the engine is not sure enough of it (surer still
    where the seal's ink touches it)."""
    g = glyphs[i]
    if len(glyphs) == 1 and g.text in ALONE_LOOK_ALIKES:
        return True  # a lone "D" or "O" in a box: a zero the engine did not see as one
    least = settings.min_confidence
    if seal is not None and mask_share(seal, g.box) >= settings.seal_share:
        least = settings.min_confidence_under_seal
    return g.confidence < least and _holds_value(glyphs, i)


def second_look(
    box: TextBox, page: Image, engine: OcrEngine, seal: Image | None, settings: OcrSettings
) -> TextBox:
    """``box`` with its doubtful digits confirmed, where the engine reads the box again, cut
    out with a white margin and enlarged, as the same text with every value character sure;
    else ``box`` as it was (its doubtful digits stay doubtful)."""
    glyphs = box.glyphs
    if not any(_doubtful(glyphs, i, seal, settings) for i in range(len(glyphs))):
        return box
    x0, top, x1, bottom = (int(v) for v in box.box)
    pad = max(4, (bottom - top) // 2)
    h, w = page.shape[:2]
    crop = page[max(0, top - pad) : min(h, bottom + pad), max(0, x0 - pad) : min(w, x1 + pad)]
    if crop.size == 0:
        return box
    import cv2
    import numpy as np

    big = np.asarray(cv2.resize(crop, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))
    again = engine.recognise(np.asarray(big, dtype=np.uint8))
    if len(again) != 1 or again[0].text.replace(" ", "") != box.text.replace(" ", ""):
        return box
    seen = again[0].glyphs
    if len(seen) != len(glyphs) or any(a.text != b.text for a, b in zip(seen, glyphs, strict=True)):
        return box
    sure = tuple(Glyph(g.text, g.box, s.confidence) for g, s in zip(glyphs, seen, strict=True))
    if any(_doubtful(sure, i, seal, settings) for i in range(len(sure))):
        return box
    return TextBox(box.quad, box.text, box.confidence, sure)


def look_in_cells(
    cells: Sequence[tuple[float, float, float, float]],
    page: Image,
    scale: float,
    engine: OcrEngine,
) -> list[TextBox]:
    """The text of table cells (points) that hold ink the engine found no text in: each cell
    cut out inside its rules, enlarged and read on its own (the detector misses a lone small
    digit on a full page), its boxes placed back on the page."""
    import cv2
    import numpy as np

    found: list[TextBox] = []
    h, w = page.shape[:2]
    inset = 1.5 * scale
    for x0, top, x1, bottom in cells:
        a, b = int(top * scale + inset), int(bottom * scale - inset)
        c, d = int(x0 * scale + inset), int(x1 * scale - inset)
        if b - a < 4 or d - c < 4:
            continue
        crop = page[max(0, a) : min(h, b), max(0, c) : min(w, d)]
        pad = max(4, (b - a) // 2)
        framed = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
        big = np.asarray(cv2.resize(framed, None, fx=2.0, fy=2.0), dtype=np.uint8)
        for box in engine.recognise(big):
            found.append(_placed(box, 0.5, c - pad, a - pad))
    return found


def _placed(box: TextBox, factor: float, dx: float, dy: float) -> TextBox:
    """``box`` scaled by ``factor`` and moved by ``(dx, dy)``."""

    def at(x: float, y: float) -> tuple[float, float]:
        return (x * factor + dx, y * factor + dy)

    q = box.quad
    quad = (at(*q[0]), at(*q[1]), at(*q[2]), at(*q[3]))
    glyphs = tuple(
        Glyph(g.text, (*at(g.box[0], g.box[1]), *at(g.box[2], g.box[3])), g.confidence)
        for g in box.glyphs
    )
    return TextBox(quad, box.text, box.confidence, glyphs)


def _holds_value(glyphs: Sequence[Glyph], i: int) -> bool:
    """Whether glyph ``i`` makes or unmakes a value: a digit or value mark, or a separator or
    look-alike touching a digit."""
    text = glyphs[i].text
    if any(ch in VALUE_MARKS for ch in text):
        return True
    near = [
        any(ch in DIGITS for ch in glyphs[j].text) for j in (i - 1, i + 1) if 0 <= j < len(glyphs)
    ]
    if any(ch in SEPARATORS for ch in text):
        return len(near) == 2 and all(near)
    return any(ch in LOOK_ALIKES for ch in text) and any(near)


def _cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


def _round(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = box
    return (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))


def page_diagnostics(page: ScannedPage, number: int) -> list[Diagnostic]:
    """What the reader says of a page: the numbers it doubted, the cells it could not read."""
    out: list[Diagnostic] = []
    for d in page.doubts:
        out.append(
            Diagnostic(
                "ocr-doubtful-number",
                "warning",
                f"page {number}: the engine read {d.text!r} but is unsure of {d.weakest!r} "
                f"(confidence {d.confidence:.2f}); the number is left unknown",
                Span(0, 0, 1, 1, Origin("ocr", page=number, bbox=d.bbox)),
            )
        )
    for box in page.unread:
        out.append(
            Diagnostic(
                "ocr-unread-cell",
                "warning",
                f"page {number}: a table cell holds marks the engine did not read as text; "
                "it is left unknown, not blank",
                Span(0, 0, 1, 1, Origin("ocr", page=number, bbox=box)),
            )
        )
    return out
