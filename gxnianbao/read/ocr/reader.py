"""Scanned PDFs and image files -> :class:`~gxnianbao.read.document.Document`, by OCR.

Why a driver of its own: each page is rendered (or decoded), cleaned, recognised and laid out
one at a time, so that a page's pixels are freed before the next is made (memory is bounded
by one page at ``OcrSettings.max_side``); the pages' blocks are then joined as a PDF's are
(a table continued on the next page is one grid).  Every origin says ``"ocr"``, with the page
and the box in points of the straightened page.
"""

from __future__ import annotations

import bisect
import operator
import time
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager

import attrs

from ...errors import NeedsOCRError
from ...limits import Limits
from ...model import Diagnostic, Origin, Span
from ..document import Block, Document, Grid, Paragraph
from ..pdf.lattice import PageGrid
from ..pdf.page import PageText
from ..pdf.stitch import join_pages
from .engine import Image, OcrEngine, TextBox, default_engine
from .page import ScannedPage, look_in_cells, page_diagnostics, scanned_page, second_look
from .raster import (
    Raster,
    find_rules,
    image_rasters,
    pdf_rasters,
    red_ink,
    straightened,
    turned,
    without_dust,
    without_red,
)
from .settings import DEFAULT_OCR_SETTINGS, OcrSettings

Timings = MutableMapping[str, float]
"""Seconds spent per stage (``render``, ``preprocess``, ``recognise``, ``layout``), added to
as pages are read: for benchmarks."""


@contextmanager
def _timed(timings: Timings | None, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def read_scanned_pdf(
    data: bytes,
    *,
    name: str,
    limits: Limits,
    settings: OcrSettings = DEFAULT_OCR_SETTINGS,
    engine: OcrEngine | None = None,
    timings: Timings | None = None,
) -> Document:
    """Read a PDF without a text layer by recognising its rendered pages."""
    return _read(
        pdf_rasters(data, name, limits, settings), "pdf", name, limits, settings, engine, timings
    )


def read_image(
    data: bytes,
    *,
    name: str,
    limits: Limits,
    settings: OcrSettings = DEFAULT_OCR_SETTINGS,
    engine: OcrEngine | None = None,
    timings: Timings | None = None,
) -> Document:
    """Read a PNG, JPEG or TIFF scan (each frame of a TIFF a page)."""
    return _read(
        image_rasters(data, name, limits, settings),
        "image",
        name,
        limits,
        settings,
        engine,
        timings,
    )


def _read(
    rasters: Iterable[Raster],
    kind: str,
    name: str,
    limits: Limits,
    settings: OcrSettings,
    engine: OcrEngine | None,
    timings: Timings | None,
) -> Document:
    ocr = engine if engine is not None else default_engine(settings.threads)
    pages: list[list[PageGrid | PageText]] = []
    diagnostics: list[Diagnostic] = []
    turns: list[str] = []
    confidences: list[float] = []
    read_glyphs: dict[int, list[tuple[float, float, float]]] = {}
    it = iter(rasters)
    while True:
        with _timed(timings, "render"):
            raster = next(it, None)
        if raster is None:
            break
        with _timed(timings, "preprocess"):
            rgb = raster.pixels
            red = red_ink(rgb) if settings.remove_red else None
            grey = without_red(rgb, red) if red is not None else _grey(rgb)
            del rgb
            grey, angle = straightened(grey, settings.max_skew)
            seal = turned(red, angle) if red is not None and red.any() else None
            clean = without_dust(grey)
        with _timed(timings, "recognise"):
            boxes = [second_look(b, clean, ocr, seal, settings) for b in ocr.recognise(clean)]
        with _timed(timings, "preprocess"):
            rules = find_rules(
                grey, raster.scale, settings, [g.box for b in boxes for g in b.glyphs]
            )
        with _timed(timings, "layout"):
            height = grey.shape[0] / raster.scale
            page: ScannedPage = scanned_page(
                boxes, rules, raster.scale, height, raster.page, settings, limits, name, seal
            )
        retry = [*page.unread, *page.doubted]
        if retry:
            with _timed(timings, "recognise"):
                more = look_in_cells(retry, clean, raster.scale, ocr)
                more = [second_look(b, clean, ocr, seal, settings) for b in more]
            if more:
                with _timed(timings, "layout"):
                    kept = [b for b in boxes if not _inside(b, page.doubted, raster.scale)]
                    page = scanned_page(
                        [*kept, *more], rules, raster.scale, height, raster.page, settings,
                        limits, name, seal,
                    )  # fmt: skip
        read_glyphs[raster.page] = _glyph_confidences(
            [*kept, *more] if retry and more else boxes, raster.scale
        )
        del grey, clean, rules, seal
        pages.append(page.blocks)
        diagnostics.extend(page_diagnostics(page, raster.page))
        confidences.append(page.confidence)
        if angle:
            turns.append(f"page {raster.page} by {angle:+.2f} degrees")
    if not pages:
        raise NeedsOCRError(name, "the file has no page to recognise", kind=kind)
    with _timed(timings, "layout"):
        blocks = tuple(_as_ocr(b, read_glyphs) for b in join_pages(pages, settings.pdf))
    mean = sum(confidences) / len(confidences)
    read = Diagnostic(
        "ocr-read",
        "info",
        f"no text layer: the {len(pages)} page(s) were read by OCR ({ocr.name}), mean "
        f"confidence {mean:.3f}" + (f"; turned straight: {', '.join(turns)}" if turns else ""),
        Span(0, 0, 1, 1, Origin("ocr", page=1)),
    )
    return Document(kind, blocks, name, len(pages), (read, *diagnostics))


def _inside(box: TextBox, cells: list[tuple[float, float, float, float]], scale: float) -> bool:
    """Whether the centre of ``box`` (pixels) lies in one of ``cells`` (points)."""
    x0, top, x1, bottom = box.box
    cx, cy = (x0 + x1) / 2 / scale, (top + bottom) / 2 / scale
    return any(a <= cx <= c and b <= cy <= d for a, b, c, d in cells)


def _grey(rgb: Image) -> Image:
    import cv2
    import numpy as np

    return np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), dtype=np.uint8)


Glyphs = dict[int, list[tuple[float, float, float]]]
"""Per page, each character the engine read: its centre (points) and its confidence, sorted
by the centre's x (so that a box's characters are found by bisection, not by a scan of the
page for every cell)."""


def _glyph_confidences(boxes: list[TextBox], scale: float) -> list[tuple[float, float, float]]:
    return sorted(
        ((g.box[0] + g.box[2]) / 2 / scale, (g.box[1] + g.box[3]) / 2 / scale, g.confidence)
        for b in boxes
        for g in b.glyphs
    )


_X = operator.itemgetter(0)


def _ocr_origin(o: Origin, glyphs: Glyphs) -> Origin:
    """``o`` saying ``"ocr"``, with the least confidence of the characters read inside its box."""
    confidence = None
    if o.bbox is not None and o.page is not None:
        x0, top, x1, bottom = o.bbox
        page = glyphs.get(o.page, [])
        column = page[bisect.bisect_left(page, x0, key=_X) : bisect.bisect_right(page, x1, key=_X)]
        inside = [c for _, y, c in column if top <= y <= bottom]
        confidence = round(min(inside), 4) if inside else None
    return Origin("ocr", o.page, o.bbox, o.block, o.table, o.row, o.col, o.line, confidence)


def _as_ocr(block: Block, glyphs: Glyphs) -> Block:
    """A block of the PDF stages with its origins saying ``"ocr"`` and how sure the engine was."""
    if isinstance(block, Paragraph):
        return Paragraph(block.text, _ocr_origin(block.origin, glyphs))
    cells = tuple(attrs.evolve(c, origin=_ocr_origin(c.origin, glyphs)) for c in block.cells)
    return Grid(cells, block.n_rows, block.n_cols, _ocr_origin(block.origin, glyphs))


__all__ = ["Timings", "read_image", "read_scanned_pdf"]
