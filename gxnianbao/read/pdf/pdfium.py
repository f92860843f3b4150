"""The PDFium engine: each page's characters and ruling segments read with pypdfium2.

Why PDFium: pdfminer.six interprets content streams in Python (85% of a PDF's reading time);
PDFium does it in C++ and hands over each character with its origin, advance and font, and each
path object with its segments and matrix.  What it hands over is put into the same
:class:`~.chars.Collector` the pdfminer device fills, with the boxes pdfminer would give
(``x`` from the character's origin and advance, ``y`` from the origin, the font's descent and
the font size), so that every later stage is shared and both engines make the same Document.

Why a lock: PDFium keeps global state and pypdfium2 is not thread-safe; one read runs at a
time in a process (reads in several processes run in parallel).  Every PDFium object opened
here is closed before the lock is released.
"""

from __future__ import annotations

import ctypes
import math
import threading
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ...errors import CorruptDocumentError, EncryptedDocumentError
from .chars import UNMAPPED, Collector, baseline_turn, is_unmapped_text, page_char
from .preflight import Costs, base_name
from .settings import OverLimit

PDFIUM_LOCK = threading.Lock()
"""Held while PDFium runs: pypdfium2 must not be entered from two threads at once."""

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (row vectors, as PDF writes matrices)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def page_matrix(box: tuple[float, float, float, float], rotate: int) -> Matrix:
    """PDF user space -> the page space pdfminer uses (origin at the media box's corner, the
    page's /Rotate applied), so that both engines measure from the same place."""
    x0, y0, x1, y1 = box
    if rotate == 90:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1)
    if rotate == 180:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1)
    if rotate == 270:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0)
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0)


def open_document(data: bytes, name: str) -> pdfium.PdfDocument:
    """The PDFium document, or the typed error saying why it cannot be opened."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise EncryptedDocumentError(
                name, "the PDF is encrypted and needs a password to open", kind="pdf"
            ) from None
        if code == raw.FPDF_ERR_SECURITY:
            raise EncryptedDocumentError(
                name, "the PDF is encrypted in a way that cannot be read", kind="pdf"
            ) from None
        raise CorruptDocumentError(
            name, f"PDFium cannot open the PDF ({err})", kind="pdf"
        ) from None


class PdfiumPages:
    """Reads the pages of an open PDFium document into a Collector, one at a time."""

    def __init__(self, pdf: pdfium.PdfDocument, collector: Collector, costs: Costs) -> None:
        self.pdf = pdf
        self.collector = collector
        self.costs = costs
        self._l = ctypes.c_double()
        self._b = ctypes.c_double()
        self._r = ctypes.c_double()
        self._t = ctypes.c_double()
        self._rect = raw.FS_RECTF()
        self._m = raw.FS_MATRIX()
        self._f = ctypes.c_float()
        self._fx = ctypes.c_float()
        self._fy = ctypes.c_float()
        self.failures = 0
        """Pages PDFium could not load (pdfminer's preflight read their content)."""
        self._descents: dict[int, float] = {}
        """Descents by PDFium font (a document's fonts live as long as the document)."""

    def read(self, index: int) -> None:
        """Page ``index`` (from 0) into the collector; a damaged page raises."""
        self.costs.before_page(index)
        page = raw.FPDF_LoadPage(self.pdf.raw, index)
        if not page:
            self.failures += 1
            raise ValueError("PDFium cannot load the page")
        try:
            box = self._media_box(page)
            to_page = page_matrix(box, raw.FPDFPage_GetRotation(page) * 90 % 360)
            x0, y0, x1, y1 = box
            rotate = raw.FPDFPage_GetRotation(page) % 4
            height = (x1 - x0) if rotate in (1, 3) else (y1 - y0)
            self.collector.reset(abs(height))
            text = raw.FPDFText_LoadPage(page)
            if not text:
                self.failures += 1
                raise ValueError("PDFium cannot read the page's text")
            try:
                n = raw.FPDFText_CountChars(text)
                self.costs.glyphs(index, n)
                self._chars(text, n, to_page, self.costs.descents(index))
            finally:
                raw.FPDFText_ClosePage(text)
            self._objects(page, to_page)
        finally:
            raw.FPDF_ClosePage(page)

    def _media_box(self, page: object) -> tuple[float, float, float, float]:
        f = self._fx, self._fy, ctypes.c_float(), ctypes.c_float()
        if raw.FPDFPage_GetMediaBox(page, *(ctypes.byref(v) for v in f)):
            left, bottom, right, top = (float(v.value) for v in f)
            return (min(left, right), min(bottom, top), max(left, right), max(bottom, top))
        return (0.0, 0.0, 612.0, 792.0)  # pdfminer's default, US letter

    # --- characters ---------------------------------------------------------------------------

    def _chars(self, text: object, n: int, to_page: Matrix, known: dict[str, float | None]) -> None:
        """The page's characters into the collector, with the boxes pdfminer gives them.

        Each call into PDFium costs microseconds, so a character costs five (its text, whether
        its glyph maps to Unicode, its matrix, origin and loose box); its font, size and
        descent are looked up once per text object (the characters of one object share one
        matrix)."""
        col = self.collector
        max_slant = col.settings.max_slant
        ox_, oy_ = self._l, self._b
        m = self._m
        rect = self._rect
        pa, pb, pc, pd, pe, pf = to_page
        page = ctypes.cast(text, ctypes.c_void_p).value  # type: ignore[arg-type]
        ox_at, oy_at = ctypes.addressof(ox_), ctypes.addressof(oy_)
        rect_at, m_at = ctypes.addressof(rect), ctypes.addressof(m)
        get_origin = _CHAR_ORIGIN
        last = -1
        matrix: Matrix = _IDENTITY
        ua = ub = 1.0
        turn: int | None = 0
        size = descent = lo = hi = 0.0
        scale = 1.0
        along_x = upright = True
        chars = col.chars
        limit = col.limits.max_chars_per_page
        height = col.height
        pending = 0
        get_box, get_object = _LOOSE_BOX, _TEXT_OBJECT_ADDRESS
        unmapped = _UNMAPPED
        get_unicode = _UNICODE
        for i in range(n):
            code = get_unicode(page, i)
            if 0xD800 <= code < 0xDC00:
                pending = code
                continue
            if 0xDC00 <= code < 0xE000 and pending:
                char = chr(0x10000 + ((pending - 0xD800) << 10) + (code - 0xDC00))
            elif code == 2 and raw.FPDFText_IsHyphen(text, i):
                char = "-"  # PDFium marks a hyphen that ends a line (``-`` or a soft one)
            else:
                char = chr(code) if code else UNMAPPED
            pending = 0
            if unmapped(page, i):
                char = UNMAPPED
            elif char.isspace():
                continue  # PDFium's generated spaces and line ends too
            key = get_object(page, i) or 0
            if key != last:  # a new text object: its matrix, font size and descent
                last = key
                _MATRIX(page, i, m_at)
                ua, ub = m.a, m.b
                matrix = _mul((m.a, m.b, m.c, m.d, m.e, m.f), to_page)
                turn = baseline_turn(matrix, max_slant)
                size, descent = self._font(key, known)
                lo = descent * size
                hi = lo + size
                scale = math.hypot(ua, ub) or 1.0
                along_x = abs(ua) >= abs(ub)
                a, b, c, d, _, _ = matrix
                upright = b == 0 and c == 0 and a > 0 and d > 0 and size > 0
            if turn is None:
                col.skewed += 1
                continue
            get_box(page, i, rect_at)
            get_origin(page, i, ox_at, oy_at)
            ox, oy = ox_.value, oy_.value
            # the advance along the baseline, in text space (the loose box, in user space,
            # runs from the origin to the origin plus the advance)
            width = rect.right - rect.left if along_x else rect.top - rect.bottom
            adv = abs(width) / scale
            px, py = ox * pa + oy * pc + pe, ox * pb + oy * pd + pf
            if upright:  # the common case, as below without the corners sorted
                if len(chars) >= limit:
                    raise OverLimit(
                        f"more than {limit} characters on one page (max_chars_per_page)"
                    )
                if char == UNMAPPED or is_unmapped_text(char):
                    col.unmapped += 1
                    char = UNMAPPED
                x0, x1 = px + c * lo, px + a * adv + c * lo
                y0, y1 = py + d * lo, py + d * hi
                chars.append(page_char(char, x0, y0, x1, y1, y1 - y0, turn, height))
                continue
            xs = (px + c * lo, px + a * adv + c * lo, px + c * hi, px + a * adv + c * hi)
            ys = (py + d * lo, py + b * adv + d * lo, py + d * hi, py + b * adv + d * hi)
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            # pdfminer's size of a character (of a horizontal font) is its box's height,
            # whichever way it is turned
            col.add_char(char, (x0, y0, x1, y1), y1 - y0, turn)

    def _font(self, obj: int, known: dict[str, float | None]) -> tuple[float, float]:
        """The font size and descent (text space) of the text object at address ``obj``."""
        fs = self._f
        if not obj:
            return 0.0, 0.0
        size = float(fs.value) if _OBJECT_FONT_SIZE(obj, ctypes.byref(fs)) else 0.0
        address = _OBJECT_FONT(obj) or 0
        if not address:
            return size, 0.0
        descent = self._descents.get(address)
        if descent is None:
            font = ctypes.cast(address, raw.FPDF_FONT)
            buf = ctypes.create_string_buffer(256)
            length = _FONT_NAME(font, buf, 256)
            name = buf.value.decode("utf-8", "replace") if 0 < length <= 256 else ""
            base = base_name(name)
            descent = known.get(base) if name else None
            if descent is None and base not in known:
                descent = _standard_descent(base)
            if descent is None:
                descent = 0.0
                if raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(fs)):
                    descent = min(float(fs.value), 0.0)
            self._descents[address] = descent
        return size, descent

    # --- paths and images ---------------------------------------------------------------------

    def _objects(self, page: object, to_page: Matrix) -> None:
        for obj, kind, matrix in self._walk(page, to_page):
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                self.collector.images += 1
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                self._path(obj, matrix)

    def _walk(self, page: object, to_page: Matrix) -> Iterator[tuple[object, int, Matrix]]:
        """Every page object but text, forms opened, with its type and the matrix from its
        space to page space."""
        n = raw.FPDFPage_CountObjects(page)
        stack: list[tuple[object, bool, int, int, Matrix]] = [(page, False, 0, n, to_page)]
        m = self._m
        while stack:
            holder, is_form, i, n, outer = stack.pop()
            if i >= n:
                continue
            stack.append((holder, is_form, i + 1, n, outer))
            if is_form:
                obj = raw.FPDFFormObj_GetObject(holder, i)
            else:
                obj = raw.FPDFPage_GetObject(holder, i)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT or kind == raw.FPDF_PAGEOBJ_SHADING:
                continue
            raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
            matrix = _mul((m.a, m.b, m.c, m.d, m.e, m.f), outer)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                count = raw.FPDFFormObj_CountObjects(obj)
                stack.append((obj, True, 0, count, matrix))
                continue
            yield obj, kind, matrix

    def _path(self, obj: object, matrix: Matrix) -> None:
        mode = ctypes.c_int()
        stroke = ctypes.c_int()
        if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(mode), ctypes.byref(stroke)):
            return
        fill = mode.value != 0
        if not (stroke.value or fill):
            return
        if _white(obj, bool(stroke.value)):
            return
        a, b, c, d, e, f = matrix
        fx, fy = self._fx, self._fy
        start: tuple[float, float] | None = None
        pts: list[tuple[float, float]] = []
        curve = 0
        col = self.collector
        painted = bool(stroke.value)
        for k in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, k)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_BEZIERTO:
                curve += 1
                if curve % 3:
                    continue  # a control point: pdfminer keeps only a curve's end
            else:
                curve = 0
            raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(fx), ctypes.byref(fy))
            x, y = float(fx.value), float(fy.value)
            p = (a * x + c * y + e, b * x + d * y + f)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                col.add_subpath(pts, painted)
                pts = [p]
                start = p
            else:
                pts.append(p)
            if raw.FPDFPathSegment_GetClose(seg) and start is not None and pts:
                if pts[-1] != start or len(pts) == 1:
                    pts.append(start)
        col.add_subpath(pts, painted)


def _int_args(function: Any, restype: Any, *argtypes: Any) -> Any:
    """``function`` called with addresses as plain ints (and answering one, for a pointer):
    pypdfium2's typed pointers cost a conversion on every call, twice the call itself, and a
    page's characters make tens of thousands of calls."""
    return ctypes.cast(function, ctypes.CFUNCTYPE(restype, *argtypes))


_P, _I = ctypes.c_void_p, ctypes.c_int
_UNICODE = _int_args(raw.FPDFText_GetUnicode, ctypes.c_uint, _P, _I)
_UNMAPPED = _int_args(raw.FPDFText_HasUnicodeMapError, _I, _P, _I)
_TEXT_OBJECT_ADDRESS = _int_args(raw.FPDFText_GetTextObject, _P, _P, _I)
_MATRIX = _int_args(raw.FPDFText_GetMatrix, _I, _P, _I, _P)
_LOOSE_BOX = _int_args(raw.FPDFText_GetLooseCharBox, _I, _P, _I, _P)
_CHAR_ORIGIN = _int_args(raw.FPDFText_GetCharOrigin, _I, _P, _I, _P, _P)


def _standard_descent(name: str) -> float | None:
    """pdfminer's descent of one of the standard 14 fonts drawn without a descriptor (from
    its metrics); None for another font."""
    from pdfminer.fontmetrics import FONT_METRICS

    metrics = FONT_METRICS.get(name)
    if metrics is None:
        return None
    value = metrics[0].get("Descent", 0)
    return 0.0 - abs(float(value)) * 0.001 if isinstance(value, (int, float)) else None


_OBJECT_FONT_SIZE = _int_args(raw.FPDFTextObj_GetFontSize, _I, _P, ctypes.POINTER(ctypes.c_float))
_OBJECT_FONT = _int_args(raw.FPDFTextObj_GetFont, _P, _P)

_FONT_NAME = getattr(raw, "FPDFFont_GetBaseFontName", None) or raw.FPDFFont_GetFontName
"""The font's /BaseFont (pypdfium2 5; version 4 names it ``FPDFFont_GetFontName``)."""


def _white(obj: object, stroke: bool) -> bool:
    """The path is painted white (it hides or erases a border, it draws none)."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    get = raw.FPDFPageObj_GetStrokeColor if stroke else raw.FPDFPageObj_GetFillColor
    if not get(obj, *(ctypes.byref(v) for v in (r, g, b, a))):
        return False
    return min(r.value, g.value, b.value) >= 253
