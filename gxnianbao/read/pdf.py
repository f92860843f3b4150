"""PDF -> :class:`~gxnianbao.readers.document.Document`: text lines and ruled table grids.

Why this shape: a published report's tables are drawn with ruling lines (WPS and LibreOffice
exports alike), so a table's cells are the rectangles of the lattice those lines make; a merged
cell is a rectangle of the lattice whose inner rules are absent.  Characters are placed in a cell
by their centre, the rest become text lines.  pdfminer runs without layout analysis
(``laparams=None``): its raw characters and paths are what a grid needs, and skipping the
analysis keeps the reader near the cost of plain text extraction.

What cannot be read with certainty is never guessed: a number drawn with glyphs that have no
Unicode mapping is left out (the cell ends up missing or ambiguous, with a diagnostic), a PDF
without a text layer raises :class:`~gxnianbao.errors.NeedsOCRError`.
"""

from __future__ import annotations

import bisect
import contextvars
import io
import itertools
import logging
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

import attrs
import regex
from pdfminer import pdftypes
from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTChar
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdffont import PDFFont
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psexceptions import PSException
from pdfminer.utils import Matrix, PathSegment

from ..common.values import classify
from ..errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    NeedsOCRError,
    UnreadableDocument,
)
from ..limits import Limits
from ..model import Diagnostic, Origin, Span
from .document import Block, Document, Grid, GridCell, Paragraph

MAX_CHARS_PER_PAGE = 100_000
"""Characters drawn on one page (a dense A4 page of CJK text holds under 3,000)."""
MAX_RULES_PER_PAGE = 10_000
"""Ruling segments kept from one page; beyond this the page's tables are read as text."""
MAX_CONTENT_PER_PAGE = 16 * 1024 * 1024
"""Bytes of a page's decoded content streams (a report page has well under 1 MB): pdfminer
interprets about a megabyte a second, so this bounds a page's time."""
MAX_LATTICE = 100_000
"""Lattice rectangles of one table (a report's largest table has 28 x 15); beyond this the
drawing is read as text."""

_SNAP = 2.0
"""Points within which two ruling lines are the same line (WPS draws borders 0.2 pt apart)."""
_THIN = 3.0
"""A filled or stroked rectangle at most this thick is a ruling line."""
_LATTICE = 2.5
"""Lattice lines closer than this are one (double borders): no row or column is this thin."""

_UNMAPPED = "\ufffd"

_PAGE_NUMBER = regex.compile(
    r"^[\s\-—–－‒―~～·•_]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
    r"[\s\-—–－‒―~～·•_]*$"
)
_DIGITS_AROUND_UNMAPPED = regex.compile(r"[0-9０-９.,，．]*\ufffd[0-9０-９.,，．\ufffd]*")
_NUMERIC_LINE = regex.compile(r"^[0-9０-９.,，．]+$")


class _Char(NamedTuple):
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


class _Seg(NamedTuple):
    """A ruling segment: ``pos`` is y for a horizontal rule, x for a vertical one."""

    pos: float
    a: float
    b: float


@attrs.define
class _PageCell:
    """A cell of a grid under construction (before grids continued across pages are joined)."""

    text: str
    row: int
    rowspan: int
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    has_unmapped: bool = False


@attrs.define
class _PageGrid:
    """A grid found on one page; ``xs`` are its column rules."""

    xs: list[float]
    ys: list[float]
    n_rows: int
    cells: list[_PageCell]
    page: int
    bbox: tuple[float, float, float, float]


class _PageText(NamedTuple):
    text: str
    page: int
    bbox: tuple[float, float, float, float]
    margin: bool = False
    """In the top or bottom tenth of the page: a running header or footer, perhaps."""


class _TooMuch(Exception):
    """A page drew more characters or paths than a report page can hold."""


# --- pdfminer ------------------------------------------------------------------------------


class _Collector:
    """Receives one page's characters and paths from pdfminer, as plain tuples."""

    def __init__(self) -> None:
        self.chars: list[_Char] = []
        self.h: list[_Seg] = []
        self.v: list[_Seg] = []
        self.images = 0
        self.unmapped = 0
        self.height = 0.0
        self.paths = 0
        self.skewed = 0

    def reset(self, height: float) -> None:
        self.chars = []
        self.h = []
        self.v = []
        self.images = 0
        self.unmapped = 0
        self.height = height
        self.paths = 0
        self.skewed = 0

    def add_char(
        self, text: str, bbox: tuple[float, float, float, float], size: float, turn: int = 0
    ) -> None:
        if len(self.chars) >= MAX_CHARS_PER_PAGE:
            raise _TooMuch(f"more than {MAX_CHARS_PER_PAGE} characters on one page")
        if text.startswith("(cid:") or _unmapped_text(text):
            self.unmapped += 1
            text = _UNMAPPED
        elif not text or text.isspace():
            return
        x0, y0, x1, y1 = bbox
        h = self.height
        self.chars.append(_Char(text, x0, h - y1, x1, h - y0, size, turn))

    def add_segment(self, p: tuple[float, float], q: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = p, q
        h = self.height
        if abs(y0 - y1) <= _THIN / 2 and abs(x1 - x0) > 0.5:
            self._push(self.h, _Seg(h - (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) <= _THIN / 2 and abs(y1 - y0) > 0.5:
            self._push(self.v, _Seg((x0 + x1) / 2, h - max(y0, y1), h - min(y0, y1)))

    def add_rect(self, x0: float, y0: float, x1: float, y1: float, stroke: bool) -> None:
        w, ht = x1 - x0, y1 - y0
        h = self.height
        if ht <= _THIN and w > ht:
            self._push(self.h, _Seg(h - (y0 + y1) / 2, x0, x1))
        elif w <= _THIN and ht > w:
            self._push(self.v, _Seg((x0 + x1) / 2, h - y1, h - y0))
        elif stroke:
            for p, q in (
                ((x0, y0), (x1, y0)),
                ((x1, y0), (x1, y1)),
                ((x1, y1), (x0, y1)),
                ((x0, y1), (x0, y0)),
            ):
                self.add_segment(p, q)

    def _push(self, where: list[_Seg], seg: _Seg) -> None:
        self.paths += 1
        if self.paths <= MAX_RULES_PER_PAGE:
            where.append(seg)


def _unmapped_text(text: str) -> bool:
    """Text pdfminer produced for a glyph without a trustworthy Unicode value."""
    for ch in text:
        o = ord(ch)
        if ch == _UNMAPPED or 0xE000 <= o <= 0xF8FF or (o < 0x20 and ch not in "\t\n\r"):
            return True
    return False


class _Device(PDFLayoutAnalyzer):
    """A pdfminer device that hands characters and paths to a :class:`_Collector` without
    building a layout tree (no LTPage children, no layout analysis)."""

    def __init__(self, rsrc: PDFResourceManager, collector: _Collector) -> None:
        super().__init__(rsrc, pageno=1, laparams=None)
        self.collector = collector

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
        try:
            text = font.to_unichr(cid)
        except Exception:  # PDFUnicodeNotDefined and broken CMaps alike
            text = _UNMAPPED
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
        turn = _turn(item.matrix)
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
        if _is_white(gstate.scolor if stroke else gstate.ncolor):
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
        if len(pts) < 2:
            return
        if len(pts) in (4, 5) and (len(pts) == 4 or pts[0] == pts[4]):
            xs = {round(p[0], 2) for p in pts}
            ys = {round(p[1], 2) for p in pts}
            if len(xs) <= 2 and len(ys) <= 2 and _axis_aligned(pts):
                self.collector.add_rect(min(xs), min(ys), max(xs), max(ys), stroke)
                return
        for p, q in itertools.pairwise(pts):
            self.collector.add_segment(p, q)


def _turn(m: Matrix) -> int | None:
    """How a character's baseline runs: 0 rightwards (also upside down), 1 upwards, -1
    downwards; None when slanted (a diagonal watermark, not text of the report)."""
    a, b = m[0], m[1]
    if abs(b) <= 0.05 * abs(a):
        return 0
    if abs(a) <= 0.05 * abs(b):
        return 1 if b > 0 else -1
    return None


def _is_white(color: object) -> bool:
    """White in gray, RGB or CMYK (pdfminer gives a float or a tuple of floats)."""
    if isinstance(color, (int, float)):
        return color >= 0.99
    if isinstance(color, tuple) and all(isinstance(v, (int, float)) for v in color):
        if len(color) == 3:
            return all(v >= 0.99 for v in color)
        if len(color) == 4:
            return all(v <= 0.01 for v in color)
    return False


def _axis_aligned(pts: Sequence[tuple[float, float]]) -> bool:
    return all(
        abs(p[0] - q[0]) < 0.01 or abs(p[1] - q[1]) < 0.01 for p, q in itertools.pairwise(pts)
    )


# --- decompression within limits ----------------------------------------------------------

_BUDGET: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "gxnianbao_pdf_budget", default=None
)
"""Bytes of decoded streams the PDF being read may still produce (None: not reading one)."""


class _BoundedZlib:
    """pdfminer's ``zlib``, bounded while :func:`read_pdf` runs: a flate bomb (a few KB that
    inflate to gigabytes) ends in DocumentTooLargeError instead of exhausting memory.  Outside
    :func:`read_pdf` it is plain zlib; a damaged stream gives what inflated before the damage
    (pdfminer's own fallback for that inflates byte by byte, in quadratic time)."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes, /, wbits: int = zlib.MAX_WBITS, bufsize: int = 16384) -> bytes:
        budget = _BUDGET.get()
        if budget is None:
            return zlib.decompress(data, wbits, bufsize)
        d = zlib.decompressobj(wbits)
        out = bytearray()
        for i in range(0, len(data), 1 << 16):
            try:
                out += d.decompress(data[i : i + (1 << 16)], budget[0] + 1 - len(out))
            except zlib.error:
                break
            if len(out) > budget[0]:
                raise _TooMuch("the PDF's streams inflate beyond the limit (max_decompressed)")
        budget[0] -= len(out)
        return bytes(out)


setattr(pdftypes, "zlib", _BoundedZlib)  # noqa: B010 (pdftypes does not export its zlib)


# --- opening -------------------------------------------------------------------------------


def _open(data: bytes, name: str) -> PDFDocument:
    """The pdfminer document, or the typed error saying why it cannot be opened."""
    if b"%PDF" not in data[:1024]:
        raise CorruptDocumentError(name, "not a PDF file: no %PDF header", kind="pdf")
    try:
        parser = PDFParser(io.BytesIO(data))
        doc = PDFDocument(parser, password="")
    except PDFPasswordIncorrect:
        raise EncryptedDocumentError(
            name, "the PDF is encrypted and needs a password to open", kind="pdf"
        ) from None
    except PDFEncryptionError as err:
        raise EncryptedDocumentError(
            name, f"the PDF is encrypted in a way that cannot be read ({err})", kind="pdf"
        ) from None
    except PSException as err:
        raise CorruptDocumentError(
            name, f"the PDF is damaged or truncated ({type(err).__name__}: {err})", kind="pdf"
        ) from None
    except Exception as err:  # pdfminer raises plain KeyError/TypeError/... on junk
        raise CorruptDocumentError(
            name, f"the PDF cannot be read ({type(err).__name__}: {err})", kind="pdf"
        ) from None
    return doc


# --- reading -------------------------------------------------------------------------------


def read_pdf(data: bytes, *, name: str, limits: Limits) -> Document:
    """Read a PDF's text lines and table grids, page by page, in reading order.

    Raises only :class:`~gxnianbao.errors.UnreadableDocument` subclasses for bad input:
    encrypted, corrupt, without a text layer, or beyond ``limits``.
    """
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(
            name,
            f"the file has {len(data)} bytes, over the limit of {limits.max_bytes}",
            kind="pdf",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pdfminer_log = logging.getLogger("pdfminer")
        level = pdfminer_log.level
        pdfminer_log.setLevel(logging.ERROR)
        token = _BUDGET.set([limits.max_decompressed])
        try:
            return _read(data, name, limits)
        except UnreadableDocument:
            raise
        except _TooMuch as err:
            raise DocumentTooLargeError(name, str(err), kind="pdf") from None
        except RecursionError:
            raise CorruptDocumentError(
                name, "the PDF nests its objects too deeply", kind="pdf"
            ) from None
        except Exception as err:
            raise CorruptDocumentError(
                name, f"the PDF cannot be read ({type(err).__name__}: {err})", kind="pdf"
            ) from None
        finally:
            _BUDGET.reset(token)
            pdfminer_log.setLevel(level)


def _read(data: bytes, name: str, limits: Limits) -> Document:
    doc = _open(data, name)
    rsrc = PDFResourceManager(caching=True)
    collector = _Collector()
    interp = PDFPageInterpreter(rsrc, _Device(rsrc, collector))
    diagnostics: list[Diagnostic] = []
    pages: list[list[_PageGrid | _PageText]] = []
    total_chars = 0
    total_images = 0
    total_unmapped = 0
    unreadable = 0
    n_pages = 0
    for number, page in enumerate(PDFPage.create_pages(doc), start=1):
        if number > limits.max_pages:
            raise DocumentTooLargeError(
                name, f"the PDF has more than {limits.max_pages} pages", kind="pdf"
            )
        n_pages = number
        try:
            size = sum(
                len(s.get_data()) for s in map(resolve1, page.contents) if isinstance(s, PDFStream)
            )
            if size > MAX_CONTENT_PER_PAGE:
                raise DocumentTooLargeError(
                    name,
                    f"page {number} has {size} bytes of content, over {MAX_CONTENT_PER_PAGE}",
                    kind="pdf",
                )
            interp.process_page(page)
        except (_TooMuch, UnreadableDocument, RecursionError, MemoryError):
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
        if not collector.chars and collector.images:
            diagnostics.append(
                _diag(
                    "pdf-page-needs-ocr",
                    f"page {number} holds only images, no text: it needs OCR; its content is "
                    "missing",
                    number,
                )
            )
        blocks = _page_blocks(collector, number)
        if collector.skewed:
            diagnostics.append(
                Diagnostic(
                    "pdf-slanted-text-ignored",
                    "info",
                    f"page {number}: {collector.skewed} characters set at a slant (a watermark) "
                    "were ignored",
                    Span(0, 0, 1, 1, Origin("pdf", page=number)),
                )
            )
        if collector.paths > MAX_RULES_PER_PAGE:
            diagnostics.append(
                _diag(
                    "pdf-too-many-rules",
                    f"page {number} draws more than {MAX_RULES_PER_PAGE} lines: only the first "
                    "were used to find its tables",
                    number,
                )
            )
        if collector.unmapped:
            diagnostics.append(
                _diag(
                    "pdf-unmapped-glyphs",
                    f"page {number}: {collector.unmapped} characters have no Unicode mapping "
                    "(a font without ToUnicode); numbers drawn with them were left out",
                    number,
                )
            )
        pages.append(blocks)
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
    joined = _join_pages(pages)
    n_cells = sum(len(b.cells) for b in joined if isinstance(b, Grid))
    if n_cells > limits.max_cells:
        raise DocumentTooLargeError(
            name, f"the PDF's tables have more than {limits.max_cells} cells", kind="pdf"
        )
    return Document("pdf", tuple(joined), name, n_pages, tuple(diagnostics))


def _diag(code: str, message: str, page: int) -> Diagnostic:
    return Diagnostic(code, "warning", message, Span(0, 0, 1, 1, Origin("pdf", page=page)))


# --- one page ------------------------------------------------------------------------------


def _page_blocks(col: _Collector, page: int) -> list[_PageGrid | _PageText]:
    """One page's grids and text lines, top to bottom; page numbers in the margins dropped."""
    hs = _merge(col.h)
    vs = _merge(col.v)
    grids = _grids(hs, vs, page)
    loose: list[_Char] = []
    assigned: list[list[list[_Char]]] = [[[] for _ in g.cells] for g in grids]
    lookups = [_lookup(g) for g in grids]
    for ch in col.chars:
        cx, cy = ch.cx, ch.cy
        for gi, g in enumerate(grids):
            x0, top, x1, bottom = g.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                ci = lookups[gi](cx, cy)
                if ci is not None:
                    assigned[gi][ci].append(ch)
                    break
        else:
            loose.append(ch)
    out: list[tuple[float, _PageGrid | _PageText]] = []
    for g, per_cell in zip(grids, assigned, strict=True):
        for cell, chars in zip(g.cells, per_cell, strict=True):
            cell.text, cell.has_unmapped = _cell_text(chars)
        out.append((g.bbox[1], g))
    lines = [
        line
        for line in _lines(loose)
        if not (
            _PAGE_NUMBER.match(_join_line(line))
            and (line[0].top > col.height * 0.85 or line[0].bottom < col.height * 0.12)
        )
    ]
    kept = [_line_info(line) for line in lines]
    for text, bbox in _paragraphs(kept):
        margin = bbox[3] < col.height * 0.1 or bbox[1] > col.height * 0.9
        out.append((bbox[1], _PageText(_clean_paragraph(text), page, bbox, margin)))
    out.sort(key=lambda t: t[0])
    return [b for _, b in out]


def _merge(segs: Iterable[_Seg]) -> list[_Seg]:
    """Collinear segments joined: same position within ``_SNAP``, overlapping or touching."""
    ordered = sorted(segs)
    out: list[_Seg] = []
    i = 0
    n = len(ordered)
    while i < n:
        j = i
        group = [ordered[i]]
        while j + 1 < n and ordered[j + 1].pos - ordered[j].pos <= _SNAP / 2:
            j += 1
            group.append(ordered[j])
        pos = sum(s.pos for s in group) / len(group)
        group.sort(key=lambda s: s.a)
        a, b = group[0].a, group[0].b
        for s in group[1:]:
            if s.a <= b + _SNAP:
                b = max(b, s.b)
            else:
                out.append(_Seg(pos, a, b))
                a, b = s.a, s.b
        out.append(_Seg(pos, a, b))
        i = j + 1
    return out


def _cluster(values: Iterable[float], tol: float) -> list[float]:
    """Sorted values, those within ``tol`` of their neighbour made one (their mean)."""
    out: list[float] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] > tol:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


def _index(lines: Sequence[float], v: float) -> int:
    """The index of the lattice line nearest to ``v``."""
    i = bisect.bisect_left(lines, v)
    if i == 0:
        return 0
    if i == len(lines):
        return len(lines) - 1
    return i if lines[i] - v < v - lines[i - 1] else i - 1


def _grids(hs: list[_Seg], vs: list[_Seg], page: int) -> list[_PageGrid]:
    """The tables the ruling lines of a page draw: connected rules, then their lattice."""
    if len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_x = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    xs_sorted = [vs[j].pos for j in by_x]
    t = _SNAP
    for i, h in enumerate(hs):
        lo = bisect.bisect_left(xs_sorted, h.a - t)
        hi = bisect.bisect_right(xs_sorted, h.b + t)
        for k in range(lo, hi):
            j = by_x[k]
            v = vs[j]
            if v.a - t <= h.pos <= v.b + t:
                ri, rj = find(i), find(len(hs) + j)
                if ri != rj:
                    parent[ri] = rj
    groups: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids = []
    for gh, gv in groups.values():
        if len(gh) >= 2 and len(gv) >= 2:
            grid = _lattice(gh, gv, page)
            if grid is not None:
                grids.append(grid)
    grids.sort(key=lambda g: g.bbox[1])
    return grids


def _open_sides(lines: list[float], across: list[_Seg]) -> list[float]:
    """Lattice lines with an outer edge added where the table has no rule there but at least
    two rules across run on past the last one (a table drawn without its side borders)."""
    if not lines:
        return lines
    before = [s.a for s in across if s.a < lines[0] - _LATTICE]
    after = [s.b for s in across if s.b > lines[-1] + _LATTICE]
    out = list(lines)
    if len(before) >= 2:
        out.insert(0, min(before))
    if len(after) >= 2:
        out.append(max(after))
    return out


def _lattice(hs: list[_Seg], vs: list[_Seg], page: int) -> _PageGrid | None:
    """The cells of one table: lattice rectangles, joined where the rule between is absent."""
    ys = _cluster((h.pos for h in hs), _LATTICE)
    xs = _cluster((v.pos for v in vs), _LATTICE)
    xs = _open_sides(xs, hs)
    ys = _open_sides(ys, vs)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1 or nr * nc < 2 or nr * nc > MAX_LATTICE:
        return None
    t = _SNAP
    h_at: dict[int, list[_Seg]] = {}
    for h in hs:
        h_at.setdefault(_index(ys, h.pos), []).append(h)
    v_at: dict[int, list[_Seg]] = {}
    for v in vs:
        v_at.setdefault(_index(xs, v.pos), []).append(v)

    def covered(segs: list[_Seg] | None, a: float, b: float) -> bool:
        return any(s.a <= a + t and s.b >= b - t for s in segs or ())

    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not covered(v_at.get(c + 1), ys[r], ys[r + 1]):
                union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not covered(h_at.get(r + 1), xs[c], xs[c + 1]):
                union(r * nc + c, (r + 1) * nc + c)
    boxes: dict[int, list[int]] = {}
    for r in range(nr):
        for c in range(nc):
            root = find(r * nc + c)
            box = boxes.get(root)
            if box is None:
                boxes[root] = [r, c, r, c]
            else:
                box[0] = min(box[0], r)
                box[1] = min(box[1], c)
                box[2] = max(box[2], r)
                box[3] = max(box[3], c)
    if len(boxes) < 2:
        return None  # a frame around text, not a table
    cells: list[_PageCell] = []
    for r0, c0, r1, c1 in sorted(boxes.values()):
        cells.append(_PageCell("", r0, r1 - r0 + 1, xs[c0], xs[c1 + 1], ys[r0], ys[r1 + 1], page))
    return _PageGrid(xs, ys, nr, cells, page, (xs[0], ys[0], xs[-1], ys[-1]))


def _lookup(grid: _PageGrid) -> Callable[[float, float], int | None]:
    """A function from a point to the index of the grid's cell holding it."""
    ys = grid.ys
    xs = grid.xs
    nc = len(xs) - 1
    owner: dict[int, int] = {}
    for k, cell in enumerate(grid.cells):
        c0 = _index(xs, cell.x0)
        c1 = _index(xs, cell.x1)
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(c0, c1):
                owner.setdefault(r * nc + c, k)

    def at(x: float, y: float) -> int | None:
        c = bisect.bisect_right(xs, x) - 1
        r = bisect.bisect_right(ys, y) - 1
        c = min(max(c, 0), nc - 1)
        r = min(max(r, 0), len(ys) - 2)
        return owner.get(r * nc + c)

    return at


# --- text ----------------------------------------------------------------------------------


def _is_cjk(ch: str) -> bool:
    o = ord(ch[0]) if ch else 0
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x2FA1F
        or ch in "—…“”‘’·"
    )


def _lines(chars: Sequence[_Char]) -> list[list[_Char]]:
    """Characters grouped into lines (by vertical centre), each line left to right."""
    out: list[list[_Char]] = []
    centre = 0.0
    size = 0.0
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if out and abs(ch.cy - centre) <= 0.5 * max(1.0, min(size, ch.size)):
            line = out[-1]
            line.append(ch)
            continue
        out.append([ch])
        centre = ch.cy
        size = ch.size
    for i, line in enumerate(out):
        line.sort(key=lambda c: c.x0)
        out[i] = _no_overprint(line)
    return out


def _no_overprint(line: list[_Char]) -> list[_Char]:
    """A line without the copies of characters drawn again at (almost) the same place: WPS's
    bold for fonts without a bold face prints each character twice, a hair apart."""
    kept: list[_Char] = []
    for ch in line:
        if kept:
            prev = kept[-1]
            if (
                ch.text == prev.text
                and abs(ch.x0 - prev.x0) < 0.3 * min(ch.size, prev.size, 2 * (prev.x1 - prev.x0))
                and abs(ch.top - prev.top) < 0.3 * ch.size
            ):
                continue
        kept.append(ch)
    return kept


def _join_line(line: Sequence[_Char]) -> str:
    """A line's characters as text: a space where a gap separates words, none between CJK."""
    parts: list[str] = []
    prev: _Char | None = None
    for ch in line:
        if prev is not None:
            gap = ch.x0 - prev.x1
            size = max(1.0, min(prev.size, ch.size))
            cjk = _is_cjk(prev.text[-1]) or _is_cjk(ch.text[0])
            if gap > 2.0 * size:
                parts.append("  ")
            elif gap > 0.15 * size and not cjk:
                parts.append(" ")
        parts.append(ch.text)
        prev = ch
    return "".join(parts)


def _cell_text(chars: Sequence[_Char]) -> tuple[str, bool]:
    """A cell's text: lines joined by ``\\n``; a vertical label (a character a line) joined
    into one word; a number wrapped over lines rejoined.  Text with unmapped glyphs is left
    out when it holds digits (``has_unmapped`` is then true)."""
    if not chars:
        return "", False
    if all(c.turn for c in chars):
        lines = _turned_lines(chars)
    else:
        lines = [_join_line(line) for line in _lines(chars)]
    if len(lines) >= 3 and all(len(t) <= 2 for t in lines):
        text = "".join(lines)
    else:
        pieces = [lines[0]]
        for prev, t in itertools.pairwise(lines):
            if not (_NUMERIC_LINE.match(prev) and _NUMERIC_LINE.match(t)):
                pieces.append("\n")
            pieces.append(t)
        text = "".join(pieces)
    if _UNMAPPED not in text:
        return text, False
    rest = text.replace(_UNMAPPED, "")
    if regex.search(r"[0-9０-９]", rest) or not regex.search(r"\p{L}", rest):
        return "", True
    return rest, True


def _turned_lines(chars: Sequence[_Char]) -> list[str]:
    """Text turned a quarter (a cell's label set sideways): columns of characters, each read
    along its baseline; columns follow each other as the turned lines do."""
    up = sum(c.turn for c in chars) > 0
    columns: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda c: c.cx, reverse=not up):
        if columns and abs(ch.cx - columns[-1][0].cx) <= 0.5 * ch.size:
            columns[-1].append(ch)
        else:
            columns.append([ch])
    return ["".join(c.text for c in sorted(col, key=lambda c: c.cy, reverse=up)) for col in columns]


def _clean_paragraph(text: str) -> str:
    """Unmapped glyphs in running text: a number touching one is replaced as a whole."""
    if _UNMAPPED not in text:
        return text
    return _DIGITS_AROUND_UNMAPPED.sub(_UNMAPPED, text)


BBox = tuple[float, float, float, float]


def _line_info(line: Sequence[_Char]) -> tuple[str, BBox, float]:
    """A text line's text, box and (largest) font size."""
    return _join_line(line), _bbox(line), max(c.size for c in line)


def _bbox(chars: Sequence[_Char]) -> BBox:
    return (
        min(c.x0 for c in chars),
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
    )


_STARTS_ITEM = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．](?!\d)"
    r"|第[一二三四五六七八九十\d]+[条章节])"
)


def _paragraphs(lines: Sequence[tuple[str, BBox, float]]) -> Iterator[tuple[str, BBox]]:
    """Lines of running text rejoined into paragraphs: a line that runs to the right edge of
    the page's text continues on the next one (a title or a sentence wrapped by the layout),
    unless the next line starts a numbered heading or item, or is set apart."""
    if not lines:
        return
    left = min(b[0] for _, b, _ in lines)
    right = max(b[2] for _, b, _ in lines)
    width = right - left
    text, bbox, size = lines[0]
    for nxt_text, nxt_bbox, nxt_size in lines[1:]:
        full = bbox[2] >= right - 1.5 * size and bbox[2] - bbox[0] >= 0.6 * width
        close = 0 <= nxt_bbox[1] - bbox[3] <= 1.2 * max(size, nxt_size)
        alike = abs(size - nxt_size) <= 0.15 * max(size, nxt_size)
        if full and close and alike and not _STARTS_ITEM.match(nxt_text):
            sep = "" if _is_cjk(text[-1:]) or _is_cjk(nxt_text[:1]) else " "
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


# --- pages joined --------------------------------------------------------------------------


def _continues(a: _PageGrid, b: _PageGrid) -> bool:
    """Whether ``b`` (first on its page) continues ``a`` (last on the previous page)."""
    return (
        b.page == a.page + 1
        and abs(a.bbox[0] - b.bbox[0]) <= 3.0
        and abs(a.bbox[2] - b.bbox[2]) <= 3.0
    )


def _in_margin(block: object) -> bool:
    return isinstance(block, _PageText) and block.margin


def _join_pages(pages: Sequence[list[_PageGrid | _PageText]]) -> list[Block]:
    """Blocks of all pages; a table continued at the top of the next page joined into one
    (running headers and footers in the page margins between its parts dropped)."""
    flat: list[list[_PageGrid] | _PageText] = []
    for blocks in pages:
        lead = 0  # margin lines before the page's first block of body
        while lead < len(blocks) and _in_margin(blocks[lead]):
            lead += 1
        for i, b in enumerate(blocks):
            if isinstance(b, _PageText):
                flat.append(b)
                continue
            if i == lead:
                k = len(flat)
                while k and _in_margin(flat[k - 1]):
                    k -= 1
                last = flat[k - 1] if k else None
                if isinstance(last, list) and _continues(last[-1], b):
                    del flat[k:]
                    last.append(b)
                    continue
            flat.append([b])
    out: list[Block] = []
    table = 0
    for item in flat:
        if isinstance(item, _PageText):
            out.append(Paragraph(item.text, Origin("pdf", page=item.page, bbox=_r(item.bbox))))
        else:
            out.append(_grid(item, table))
            table += 1
    return out


def _r(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(bbox[0], 2), round(bbox[1], 2), round(bbox[2], 2), round(bbox[3], 2))


_ROW_START = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(](?:[一二三四五六七八九十]+|\d+)[）)]"
    r"|\d+[.、．](?!\d))"
)
"""A label that starts a row of its own: 一、 （一） (1) 1. 1、 (not the rest of a cut one)."""


def _kind(text: str) -> str:
    return classify(text.replace("\n", "")).kind


def _row_continues(pairs: Sequence[tuple[_PageCell, _PageCell]]) -> bool:
    """Whether the first row of a page's grid is the rest of the previous page's last row (a
    row broken across the page): a label goes on unnumbered, and no column has a value on
    both sides."""
    split_label = False
    for a, b in pairs:
        ka, kb = _kind(a.text), _kind(b.text)
        if kb == "label" and _ROW_START.match(b.text):
            return False
        if ka not in ("label", "blank") and kb not in ("label", "blank"):
            return False
        if ka == "label" and kb == "label":
            split_label = True
    return split_label


def _join_text(a: str, b: str) -> str:
    return b if not a else a if not b else a + "\n" + b


def _stitch(prev: list[_PageCell], end: int, first: list[_PageCell], xs: list[float]) -> bool:
    """Join the previous page's last row (cells ``prev`` ending at row ``end``) with the first
    row of the next part (``first``, rows already absolute); true when the whole row went on
    (the next part's rows then move up by one).  Otherwise a merged label cell broken by the
    page (（四）无 / 法提供) is joined on its own."""

    def key(c: _PageCell) -> tuple[int, int]:
        return _index(xs, c.x0), _index(xs, c.x1)

    above = {key(c): c for c in prev if c.row + c.rowspan == end}
    below = {key(c): c for c in first}
    if not above or set(above) != set(below):
        pairs = []
    else:
        pairs = [(above[k], below[k]) for k in sorted(below)]
    if pairs and _row_continues(pairs):
        for a, b in pairs:
            a.text = _join_text(a.text, b.text)
            a.rowspan += b.rowspan - 1
            b.rowspan = 0  # absorbed
        return True
    for k, b in below.items():
        top = above.get(k)
        if top is None or _kind(top.text) != "label":
            continue
        kb = _kind(b.text)
        if (kb == "blank" and b.rowspan > 1) or (
            kb == "label" and not _ROW_START.match(b.text) and b.rowspan > 1
        ):
            top.text = _join_text(top.text, b.text)
            top.rowspan += b.rowspan
            b.rowspan = 0
    return False


def _drop_repeated_header(head: _PageGrid, part: _PageGrid, xs: list[float]) -> None:
    """Remove from ``part`` the header rows repeated from the table's first part (Word's
    "repeat as header row" draws them again at the top of every page)."""

    def rows(g: _PageGrid, k: int) -> set[tuple[int, int, int, int, str]] | None:
        out = set()
        for c in g.cells:
            if c.row < k:
                if c.row + c.rowspan > k or _kind(c.text) not in ("label", "blank"):
                    return None
                out.add((c.row, c.rowspan, _index(xs, c.x0), _index(xs, c.x1), c.text))
        return out

    n = 0
    for k in range(1, min(head.n_rows, part.n_rows - 1, 6) + 1):
        mine = rows(part, k)
        if mine is not None and mine == rows(head, k) and any(t[4] for t in mine):
            n = k
    if n:
        part.cells = [c for c in part.cells if c.row >= n]
        for c in part.cells:
            c.row -= n
        part.n_rows -= n


def _grid(parts: Sequence[_PageGrid], table: int) -> Grid:
    """One Grid from a table's parts on consecutive pages, columns unified over the parts; a row
    or a merged cell broken by a page break is joined again."""
    xs = _cluster([x for p in parts for x in p.xs], _LATTICE)
    placed: list[_PageCell] = []
    row0 = 0
    prev: list[_PageCell] = []
    head = parts[0]
    for p in parts:
        if p is not head:
            _drop_repeated_header(head, p, xs)
        for c in p.cells:
            c.row += row0
        first = [c for c in p.cells if c.row == row0]
        shift = 1 if prev and _stitch(prev, row0, first, xs) else 0
        if shift:
            for c in p.cells:
                c.row -= 1
        placed.extend(c for c in p.cells if c.rowspan > 0)
        row0 += p.n_rows - shift
        prev = [c for c in placed if c.row + c.rowspan == row0]
    cells: list[GridCell] = []
    for c in placed:
        if c.has_unmapped and not c.text:
            continue  # left out: its number cannot be read (see pdf-unmapped-glyphs)
        c0, c1 = _index(xs, c.x0), _index(xs, c.x1)
        cells.append(
            GridCell(
                c.text,
                c.row,
                c0,
                Origin(
                    "pdf",
                    page=c.page,
                    bbox=_r((c.x0, c.top, c.x1, c.bottom)),
                    table=table,
                    row=c.row,
                    col=c0,
                ),
                c.rowspan,
                max(1, c1 - c0),
            )
        )
    cells.sort(key=lambda gc: (gc.row, gc.col))
    first_part = parts[0]
    return Grid(
        tuple(cells),
        row0,
        max(1, len(xs) - 1),
        Origin("pdf", page=first_part.page, bbox=_r(first_part.bbox), table=table),
    )
