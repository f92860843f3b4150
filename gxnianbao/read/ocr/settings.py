"""The OCR reader's settings: resolution, size caps, deskew range, rule finding, doubt.

Why one object: each number is a judgement (how sharp a render the engine needs, how sure of
a digit it must be to report it); kept together they can be questioned and changed per call.
Lengths named ``*_pt`` are in points (1/72 inch) of the page.
"""

from __future__ import annotations

import attrs

from ..pdf.settings import DEFAULT_PDF_SETTINGS, PdfSettings


@attrs.frozen(slots=True)
class OcrSettings:
    """How scanned pages are rendered, cleaned and read."""

    dpi: float = 200.0
    """Resolution a PDF page is rendered at (capped by ``max_side``)."""
    max_side: int = 2400
    """Pixels on a page's longer side at most, rendered or decoded: bounds a page's memory
    (an RGB page of 2400 x 1700 holds 12 MB) and the engine's time."""
    max_pixels: int = 80_000_000
    """An image file claiming more pixels than this is refused before it is decoded."""
    max_skew: float = 3.0
    """Degrees a page may be tilted either way; it is turned straight before it is read."""
    remove_red: bool = True
    """Take the red seal's ink out before recognition."""
    min_rule_pt: float = 12.0
    """A straight run of ink at least this long may be a ruling line (a character's strokes
    are shorter than a body font's size)."""
    long_rule_pt: float = 120.0
    """A ruling line this long is kept even when no other rule meets it."""
    rule_touch_pt: float = 1.2
    """How near a rule's end must come to a rule across to meet it (a border runs into the
    rules at its ends; a character's stroke stops a point or two short of them)."""
    min_confidence: float = 0.9
    """A digit (or ``/``, ``-``, ``无``) the engine is less sure of than this is not read: its
    number is left unknown, with a diagnostic giving what the engine saw."""
    min_confidence_under_seal: float = 0.995
    """...and a digit the seal's ink touches must be read at least this surely (a stroke of
    the seal left over is read as a digit, or a digit's stroke lost to the seal changes it)."""
    seal_share: float = 0.02
    """A character's box with at least this share of seal ink is under the seal."""
    ink_share: float = 0.004
    """A table cell the engine read nothing in, but with at least this share of its area
    inked, is not blank: it is left unknown."""
    threads: int = 0
    """Threads the engine may use (0: its default)."""
    pdf: PdfSettings = DEFAULT_PDF_SETTINGS
    """The tolerances of the lattice and of text lines, shared with the PDF text reader."""


DEFAULT_OCR_SETTINGS = OcrSettings()
