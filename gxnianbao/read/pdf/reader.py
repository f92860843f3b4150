"""PDF bytes -> :class:`~gxnianbao.read.document.Document`: the stages, page by page.

Why a driver of its own: the limits are checked where they are cheapest (the file's size
before parsing, streams as they decode, operations and content as they are interpreted,
characters and cells as they add up: every budget of :class:`~gxnianbao.Limits`),
each page that cannot be read is named in a diagnostic while the others are read, and every
failure leaves as one of the typed :class:`~gxnianbao.errors.UnreadableDocument` errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import attrs
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage

from ...errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    NeedsOCRError,
    UnreadableDocument,
)
from ...limits import Limits
from ...model import Diagnostic, Origin, Span
from ..document import Document, Grid
from ..engines import DEFAULT_PDF_ENGINE, check_pdf_engine
from .chars import Collector
from .decode import DecodeBudget
from .device import Device
from .interp import BoundedInterpreter, WorkBudget
from .lattice import PageGrid
from .logs import pdfminer_quiet
from .opening import open_pdf
from .page import PageText, page_blocks
from .pdfium import PDFIUM_LOCK, PdfiumPages, open_document
from .preflight import measure
from .settings import DEFAULT_PDF_SETTINGS, OverLimit, PdfSettings
from .stitch import join_pages

_P = TypeVar("_P")


def read_pdf(
    data: bytes,
    *,
    name: str,
    limits: Limits,
    settings: PdfSettings = DEFAULT_PDF_SETTINGS,
    engine: str = DEFAULT_PDF_ENGINE,
) -> Document:
    """Read a PDF's text lines and table grids, page by page, in reading order.

    ``engine`` is ``"pdfium"`` (the default: PDFium through pypdfium2, about ten times faster)
    or ``"pdfminer"`` (pdfminer.six, pure Python); both make the same Document.  A file PDFium
    cannot open is read with pdfminer, with a ``pdf-engine-fallback`` note.

    Raises only :class:`~gxnianbao.errors.UnreadableDocument` subclasses for bad input:
    encrypted, corrupt, without a text layer, or beyond a budget of ``limits`` (named in the
    reason of the DocumentTooLargeError).  Safe to call from several threads at once: it
    changes no state of pdfminer, of ``warnings`` or of ``logging`` that another call or the
    host program can see, and PDFium (not thread-safe) is entered by one thread at a time.
    """
    check_pdf_engine(engine)
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(
            name,
            f"the file has {len(data)} bytes, over the limit of {limits.max_bytes} "
            "(limits.max_bytes)",
            kind="pdf",
        )
    with pdfminer_quiet():
        try:
            if engine == "pdfium":
                return _read_pdfium(data, name, limits, settings)
            return _read(data, name, limits, settings)
        except UnreadableDocument:
            raise
        except OverLimit as err:
            raise DocumentTooLargeError(name, str(err), kind="pdf") from None
        except RecursionError:
            raise CorruptDocumentError(
                name, "the PDF nests its objects too deeply", kind="pdf"
            ) from None
        except Exception as err:
            raise CorruptDocumentError(
                name, f"the PDF cannot be read ({type(err).__name__}: {err})", kind="pdf"
            ) from None


def _read(data: bytes, name: str, limits: Limits, settings: PdfSettings) -> Document:
    """The pdfminer engine."""
    doc = open_pdf(data, name, DecodeBudget(limits))
    rsrc = PDFResourceManager(caching=True)
    collector = Collector(settings, limits)
    work = WorkBudget(limits)
    interp = BoundedInterpreter(rsrc, Device(rsrc, collector, work), work)

    def read_page(page: PDFPage) -> None:
        work.start_page()
        interp.process_page(page)

    pages = PDFPage.create_pages(doc)
    return _assemble(name, limits, collector, ((p, read_page) for p in pages))


def _read_pdfium(data: bytes, name: str, limits: Limits, settings: PdfSettings) -> Document:
    """The PDFium engine (pdfminer when PDFium cannot open the file)."""
    costs = measure(data, name, limits)
    collector = Collector(settings, limits)
    with PDFIUM_LOCK:
        try:
            pdf = open_document(data, name)
        except UnreadableDocument as err:
            reason = err.reason
        else:
            try:
                n_pages = len(pdf)
                if n_pages > limits.max_pages:
                    raise DocumentTooLargeError(
                        name,
                        f"the PDF has more than {limits.max_pages} pages (limits.max_pages)",
                        kind="pdf",
                    )
                if n_pages == len(costs.pages):
                    reader = PdfiumPages(pdf, collector, costs)
                    try:
                        return _assemble(
                            name, limits, collector, ((i, reader.read) for i in range(n_pages))
                        )
                    except CorruptDocumentError:
                        if not reader.failures:
                            raise  # the pages are damaged for pdfminer too
                    reason = "PDFium cannot load any of its pages"
                else:
                    reason = (
                        f"PDFium finds {n_pages} pages where the page tree lists {len(costs.pages)}"
                    )
            finally:
                pdf.close()
    doc = _read(data, name, limits, settings)
    note = Diagnostic(
        "pdf-engine-fallback",
        "info",
        f"read with pdfminer: {reason}",
        Span(0, 0, 1, 1, Origin("pdf", page=1)),
    )
    return attrs.evolve(doc, diagnostics=(note, *doc.diagnostics))


def _assemble(
    name: str,
    limits: Limits,
    collector: Collector,
    pages_in: Iterable[tuple[_P, Callable[[_P], None]]],
) -> Document:
    """The pages read one by one into ``collector``, checked against the limits, joined."""
    settings = collector.settings
    diagnostics: list[Diagnostic] = []
    pages: list[list[PageGrid | PageText]] = []
    total_chars = 0
    total_images = 0
    total_unmapped = 0
    unreadable = 0
    n_pages = 0
    for number, (page, read_page) in enumerate(pages_in, start=1):
        if number > limits.max_pages:
            raise DocumentTooLargeError(
                name,
                f"the PDF has more than {limits.max_pages} pages (limits.max_pages)",
                kind="pdf",
            )
        n_pages = number
        try:
            read_page(page)
        except (OverLimit, UnreadableDocument, RecursionError, MemoryError):
            raise
        except Exception as err:  # one damaged page: read the others, say which was lost
            collector.reset(collector.height)
            unreadable += 1
            diagnostics.append(
                _diag(
                    "pdf-page-unreadable",
                    f"page {number} is damaged and was not read "
                    f"({type(err).__name__}: {str(err)[:80]}); its content is missing",
                    number,
                )
            )
        total_chars += len(collector.chars)
        total_unmapped += collector.unmapped
        total_images += collector.images
        if total_chars > limits.max_text_chars:
            raise DocumentTooLargeError(
                name, f"the PDF holds more than {limits.max_text_chars} characters", kind="pdf"
            )
        pages.append(page_blocks(collector, number))
        diagnostics.extend(_page_diagnostics(collector, number))
    if n_pages == 0:
        raise CorruptDocumentError(name, "the PDF has no pages", kind="pdf")
    if unreadable == n_pages:
        raise CorruptDocumentError(
            name, "the PDF is damaged: none of its pages can be read", kind="pdf"
        )
    if total_chars == 0:
        what = "only images (a scan)" if total_images else "no text"
        raise NeedsOCRError(
            name,
            f"the PDF has {what} on its {n_pages} page(s): it has no text layer, OCR is needed",
            kind="pdf",
        )
    if total_unmapped * 2 >= total_chars:
        raise NeedsOCRError(
            name,
            f"{total_unmapped} of the PDF's {total_chars} characters have no Unicode mapping "
            "(fonts without ToUnicode): its text cannot be extracted, OCR is needed",
            kind="pdf",
        )
    joined = join_pages(pages, settings)
    n_cells = sum(len(b.cells) for b in joined if isinstance(b, Grid))
    if n_cells > limits.max_cells:
        raise DocumentTooLargeError(
            name, f"the PDF's tables have more than {limits.max_cells} cells", kind="pdf"
        )
    return Document("pdf", tuple(joined), name, n_pages, tuple(diagnostics))


def _page_diagnostics(col: Collector, number: int) -> list[Diagnostic]:
    """What a page lost: its text to images, slanted characters, rules or unmapped glyphs."""
    out = []
    if not col.chars and col.images:
        out.append(
            _diag(
                "pdf-page-needs-ocr",
                f"page {number} holds only images, no text: it needs OCR; its content is missing",
                number,
            )
        )
    if col.skewed:
        out.append(
            Diagnostic(
                "pdf-slanted-text-ignored",
                "info",
                f"page {number}: {col.skewed} characters set at a slant (a watermark) were ignored",
                Span(0, 0, 1, 1, Origin("pdf", page=number)),
            )
        )
    limit = col.limits.max_rules_per_page
    if col.paths > limit:
        out.append(
            _diag(
                "pdf-too-many-rules",
                f"page {number} draws more than {limit} lines: only the first were used to find "
                "its tables",
                number,
            )
        )
    if col.unmapped:
        out.append(
            _diag(
                "pdf-unmapped-glyphs",
                f"page {number}: {col.unmapped} characters have no Unicode mapping (a font "
                "without ToUnicode); numbers drawn with them were left out",
                number,
            )
        )
    return out


def _diag(code: str, message: str, page: int) -> Diagnostic:
    return Diagnostic(code, "warning", message, Span(0, 0, 1, 1, Origin("pdf", page=page)))
