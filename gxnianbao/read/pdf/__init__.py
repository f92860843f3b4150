"""PDF -> :class:`~gxnianbao.read.document.Document`: text lines and ruled table grids.

Why this shape: a published report's tables are drawn with ruling lines (WPS and LibreOffice
exports alike), so a table's cells are the rectangles of the lattice those lines make; a merged
cell is a rectangle of the lattice whose inner rules are absent.  Characters are placed in a cell
by their centre, the rest become text lines.  What cannot be read with certainty is never
guessed: a number drawn with glyphs that have no Unicode mapping is left out (the cell ends up
missing or ambiguous, with a diagnostic), a PDF without a text layer raises
:class:`~gxnianbao.errors.NeedsOCRError`.

Two engines read the pages: PDFium (pypdfium2, the default: C++, several times faster) and
pdfminer.six (``engine="pdfminer"``); both fill the same collector, so the stages after it
are shared and the Document is the same.  The stages, in the order they run (each a module of
this package):

- ``opening`` and ``decode``: the file opened with pdfminer, each stream decoding within the
  budgets of ``Limits`` (every filter, checked while decoding);
- PDFium: ``preflight`` (each page's cost measured against ``Limits`` before PDFium parses it)
  and ``pdfium`` (PDFium's characters and paths, one thread at a time);
- pdfminer: ``interp`` (its interpreter, counting operations and content against ``Limits``)
  and ``device``;
- ``chars``: each page's characters and ruling segments, as plain values;
- ``lattice``: ruling lines -> the page's grids;
- ``lines``: characters -> text lines, cell texts and paragraphs;
- ``page``: one page's grids and paragraphs, top to bottom;
- ``stitch``: tables continued across pages joined into one grid;
- ``reader``: :func:`read_pdf`, the driver, with the limits and diagnostics.

Every tolerance is a field of :class:`PdfSettings`; what reading may cost (per page and per
document) is a budget of :class:`~gxnianbao.Limits`.
"""

from __future__ import annotations

from .reader import read_pdf
from .settings import DEFAULT_PDF_SETTINGS, PdfSettings

__all__ = ["DEFAULT_PDF_SETTINGS", "PdfSettings", "read_pdf"]
