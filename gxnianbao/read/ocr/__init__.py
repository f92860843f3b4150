"""Scanned reports: image-only PDFs and PNG, JPEG or TIFF files read by OCR, offline.

Why its own reader: a report printed, stamped with the office's red seal and scanned has no
text layer.  Its pages are rendered (PDFium) or decoded (Pillow) within a size cap, the
seal's red taken out, turned straight (±3°), their ruling lines found in the raster (OpenCV),
their text recognised by an engine behind :class:`OcrEngine` (RapidOCR's PP-OCR models, which
ship inside its wheel: nothing is downloaded), and the characters and rules laid out by the
PDF reader's own stages into the same :class:`~gxnianbao.read.document.Document`.  A digit the
engine is unsure of is never read as a value.

Needs the ``ocr`` extra (``pip install 'gxnianbao[ocr]'``); importing this package does not
import the engine (:func:`ocr_available` says whether it is installed).
"""

from __future__ import annotations

from .available import ocr_available
from .settings import DEFAULT_OCR_SETTINGS, OcrSettings

__all__ = [
    "DEFAULT_OCR_SETTINGS",
    "Glyph",
    "OcrEngine",
    "OcrSettings",
    "TextBox",
    "ocr_available",
    "read_image",
    "read_scanned_pdf",
]


def __getattr__(name: str) -> object:
    if name in ("read_image", "read_scanned_pdf"):
        from . import reader

        return getattr(reader, name)
    if name in ("Glyph", "OcrEngine", "TextBox"):
        from . import engine

        return getattr(engine, name)
    raise AttributeError(name)
