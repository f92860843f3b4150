"""The PDF reader's tolerances, as one settings object (like pdfplumber's
``TableSettings``).

Why one object: each number is a judgement about how Word, WPS and LibreOffice draw a report
(how far apart two strokes of one border may lie, how thick a rule may be, where a page's running
header ends).  Kept together and documented they can be read, questioned and changed per call
(``read_pdf(data, name=..., limits=..., settings=PdfSettings(snap_tolerance=3.0))``) without
touching module constants that every other caller shares.

Lengths are in PDF points (1/72 inch); factors named ``*_gap``, ``*_overlap`` or ``overprint``
are fractions of the font size; ``margin`` and ``page_number_*`` are fractions of the page's
height.
"""

from __future__ import annotations

from typing import Any

import attrs


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value > 0:
        raise ValueError(f"PdfSettings.{attribute.name} must be positive, not {value!r}")


def _fraction(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not 0 <= value < 1:
        raise ValueError(f"PdfSettings.{attribute.name} must be in [0, 1), not {value!r}")


@attrs.frozen(slots=True)
class PdfSettings:
    """How the PDF reader turns drawn characters and lines into text lines and table grids.

    The defaults read every fixture and real report the project knows; change one only for a
    producer that draws differently, and add that file to the tests.
    """

    # --- ruling lines and the lattice they draw ------------------------------------------------

    find_tables: bool = True
    """Rebuild tables from ruling lines.  False reads every page as text lines, as for a PDF
    whose tables have no rules (their cells then come back missing, never guessed)."""
    snap_tolerance: float = attrs.field(default=2.0, validator=_positive)
    """Points within which two ruling lines are the same line, and within which a rule reaches
    another (WPS draws one border as pieces 0.2 pt apart)."""
    rule_thickness: float = attrs.field(default=3.0, validator=_positive)
    """A filled or stroked rectangle at most this thick is a ruling line, not a shaded area."""
    min_rule_length: float = attrs.field(default=0.5, validator=_positive)
    """A stroke shorter than this is a dot, not a rule."""
    lattice_tolerance: float = attrs.field(default=2.5, validator=_positive)
    """Lattice lines closer than this are one (double borders): no row or column is this thin."""

    # --- characters and text lines -------------------------------------------------------------

    max_slant: float = attrs.field(default=0.05, validator=_fraction)
    """A character whose baseline leans more than this (sine-like ratio of its matrix) from the
    page's axes is set at a slant: a diagonal watermark, not text of the report."""
    line_overlap: float = attrs.field(default=0.5, validator=_positive)
    """Characters whose centres are within this many font sizes across their baseline are on
    one line (superscripts and mixed fonts stay on it; the next line is a full size away)."""
    overprint: float = attrs.field(default=0.3, validator=_positive)
    """The same character drawn again within this many font sizes is one character: WPS prints
    bold for fonts without a bold face as two copies a hair apart."""
    word_gap: float = attrs.field(default=0.15, validator=_positive)
    """A gap of more than this many font sizes between Latin characters is a space."""
    wide_gap: float = attrs.field(default=2.0, validator=_positive)
    """A gap of more than this many font sizes is two spaces (text set in columns)."""

    # --- paragraphs: lines of running text rejoined ----------------------------------------------

    full_line_slack: float = attrs.field(default=1.5, validator=_positive)
    """A line ending within this many font sizes of the text's right edge runs on (it was
    wrapped by the layout, not ended by the writer)..."""
    full_line_width: float = attrs.field(default=0.6, validator=_fraction)
    """...provided it is at least this share of the text's width (a short centred title is not
    wrapped)."""
    paragraph_gap: float = attrs.field(default=1.2, validator=_positive)
    """The next line continues a paragraph only when it starts within this many font sizes
    below (a blank line or spacing sets a new paragraph apart)."""
    same_size: float = attrs.field(default=0.15, validator=_fraction)
    """Font sizes that differ by at most this share are the same size (a heading in a larger
    size is not joined to the text under it)."""

    # --- pages ---------------------------------------------------------------------------------

    margin: float = attrs.field(default=0.1, validator=_fraction)
    """Text in the top or bottom tenth of a page may be a running header or footer: dropped
    where it lies between the parts of a table continued on the next page."""
    page_number_top: float = attrs.field(default=0.12, validator=_fraction)
    """A line that is only a page number (``- 3 -``, ``第3页``, ``3/12``) is dropped when it
    ends in this top share of the page..."""
    page_number_bottom: float = attrs.field(default=0.15, validator=_fraction)
    """...or starts in this bottom share."""
    continuation_tolerance: float = attrs.field(default=3.0, validator=_positive)
    """A table at the top of a page continues the table at the end of the previous page when
    its left and right edges are within this of the other's."""
    max_repeated_header_rows: int = attrs.field(default=6, validator=_positive)
    """Header rows a continued table may repeat from its first page (Word's "repeat as header
    row"); the report's tables have at most four."""


DEFAULT_PDF_SETTINGS = PdfSettings()
"""The settings :func:`~gxnianbao.read.pdf.read_pdf` uses unless it is given others."""


class OverLimit(Exception):
    """A budget of :class:`~gxnianbao.Limits` ran out while reading (its message names the
    field); ``read_pdf`` raises DocumentTooLargeError with that message."""
