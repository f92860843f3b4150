"""What each page will cost to interpret, measured before PDFium interprets it.

Why: PDFium is C++ that cannot be stopped once it parses a page: a form XObject drawn ten
times over nine levels (10⁹ draws) or 200 pages sharing 15 MB of no-ops would run for minutes
or exhaust memory inside one call.  So before PDFium loads a page, the page's content is
measured with pdfminer's object layer (no interpreter: the xref, the page tree, and each content
stream and form decoded within the budgets of :class:`~.decode.DecodeBudget`): the bytes of
content it interprets (a form each time it is drawn), its tokens, and how deep its forms nest.
Forms are measured once each and multiplied by the times they are drawn, so a fan-out costs
arithmetic, not draws.  The budgets are those of the pdfminer engine (``WorkBudget``): the same
limits, named in the same messages; glyphs are added (three operations each) once PDFium has
counted them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream, dict_value, resolve1, stream_value
from pdfminer.psparser import LIT

from ...limits import Limits
from .decode import DecodeBudget
from .interp import FORM_COST, WorkBudget
from .opening import open_pdf
from .settings import OverLimit

_DO = regex.compile(rb"/([^\s/\[\]()<>{}%]++)\s*+Do(?![^\s/\[\]()<>{}%])")
"""A form or image drawn: ``/Name Do``."""
_FORM = LIT("Form")
_WHITE = b" \t\n\r\x0c\x00"
_STRING = regex.compile(rb"\((?:[^()\\]++|\\.)*+\)|<[0-9A-Fa-f]++>")
"""A literal or hex string (a literal one with nested parentheses counts in pieces)."""

_Cost = tuple[int, int, int, int]
"""Content bytes, tokens, depth of forms, bytes of strings."""


class PageCost:
    """One page's content: bytes interpreted (forms each time drawn) and tokens read; and the
    descent pdfminer gives each of the page's fonts (see :func:`font_descents`)."""

    __slots__ = ("content", "damage", "descents", "text", "tokens")

    def __init__(
        self,
        content: int,
        tokens: int,
        descents: dict[str, float | None],
        damage: Exception | None = None,
        text: int = 0,
    ) -> None:
        self.content = content
        self.tokens = tokens
        self.text = text
        """Bytes of the strings the page shows (forms each time drawn): at least one a glyph
        for a one-byte font, two for a CID font.  PDFium drops a glyph drawn again at the same
        place before it counts them; pdfminer draws each."""
        self.descents = descents
        self.damage = damage
        """Why a content stream or form of the page cannot be decoded: pdfminer's engine
        loses the page for it, and so does PDFium's (which would read the bytes raw)."""


class Costs:
    """The pages' costs, measured and charged to a :class:`WorkBudget` page by page as PDFium
    reads them (a page is measured only when it is about to be read: a budget that runs out
    on page 7 does not measure page 200)."""

    def __init__(
        self,
        pages: list[PDFPage],
        limits: Limits,
        descents: dict[str, float | None] | None = None,
    ) -> None:
        self.pages = pages
        self.work = WorkBudget(limits)
        self.scanned = descents
        """The fonts' descents read from the file's descriptors at once (see
        :func:`scan_descents`); None: read from each page's fonts with pdfminer."""
        self.measurer = _Measurer(limits, fonts=descents is None)
        self.measured: dict[int, PageCost] = {}

    def before_page(self, index: int) -> None:
        """Page ``index`` is about to be read: its content and tokens, or OverLimit."""
        work = self.work
        work.start_page()
        cost = self.cost(index)
        if cost.damage is not None:
            raise cost.damage
        work.add_content(cost.content)
        work.ops += cost.tokens
        if work.ops > work.stop:
            work.over()

    def cost(self, index: int) -> PageCost:
        """Page ``index``'s cost (nothing known for a page the page tree does not list)."""
        cost = self.measured.get(index)
        if cost is None:
            if index < len(self.pages):
                cost = self.measurer.page(self.pages[index])
            else:
                cost = PageCost(0, 0, {})
            self.measured[index] = cost
        return cost

    def descents(self, index: int) -> dict[str, float | None]:
        """pdfminer's descent of the fonts of page ``index`` (see :func:`font_descents`)."""
        if self.scanned is not None:
            return self.scanned
        return self.cost(index).descents

    def glyphs(self, index: int, n: int) -> None:
        """Page ``index`` has ``n`` characters once PDFium has dropped copies drawn over each
        other; each glyph drawn costs three operations, as in pdfminer's engine.  What the page
        draws is the larger of ``n`` and the glyphs its strings' bytes make (two bytes a glyph,
        as in CJK fonts)."""
        drawn = max(n, self.cost(index).text // 2)
        limit = self.work.limits.max_chars_per_page
        if drawn > limit:
            raise OverLimit(f"more than {limit} characters on one page (max_chars_per_page)")
        work = self.work
        work.ops += 3 * drawn
        if work.ops > work.stop:
            work.over()


def measure(data: bytes, name: str, limits: Limits) -> Costs:
    """The pages' costs, to be measured as they are read (at most ``max_pages + 1`` pages).

    Raises the typed errors of opening (encrypted, corrupt); measuring a page raises
    OverLimit for a stream that decodes past its budget, content past the page's budget or
    forms nested past ``max_xobject_depth``.
    """
    doc = open_pdf(data, name, DecodeBudget(limits))
    pages: list[PDFPage] = []
    for page in PDFPage.create_pages(doc):
        pages.append(page)
        if len(pages) > limits.max_pages:
            break
    return Costs(pages, limits, scan_descents(data))


class _Measurer:
    def __init__(self, limits: Limits, fonts: bool = True) -> None:
        self.limits = limits
        self.with_fonts = fonts
        self.forms: dict[int, _Cost] = {}
        self.streams: dict[int, _Cost] = {}
        self.fonts: dict[int, tuple[str, float | None]] = {}
        self.drawing: set[int] = set()

    def page(self, page: PDFPage) -> PageCost:
        content = tokens = text = 0
        damage: Exception | None = None
        resources: Mapping[str, Any] = dict_value(page.resources or {})
        for obj in page.contents:
            try:
                stream = stream_value(obj)
                objid = stream.objid
                known = self.streams.get(objid) if objid is not None else None
                if known is None:
                    known = self._stream(stream, resources, 0)
                    if objid is not None:
                        self.streams[objid] = known
                c, t, _, x = known
            except OverLimit:
                raise
            except Exception as err:  # a damaged stream: the page is lost, as in pdfminer
                damage = damage or err
                continue
            content += c
            tokens += t
            text += x
        descents = font_descents(resources, self.fonts) if self.with_fonts else {}
        return PageCost(content, tokens, descents, damage, text)

    def _stream(self, stream: PDFStream, resources: Mapping[str, Any], depth: int) -> _Cost:
        """A stream's content and tokens, its forms included, how deep its forms nest, and the
        bytes of the strings it shows."""
        body = stream.get_data()
        content = len(body)
        self._check(content)
        tokens = content - len(body.translate(None, _WHITE))  # about one a separator
        text = sum(len(s) for s in _STRING.findall(body))
        draws = _DO.findall(body)
        height = 0
        if not draws:
            return content, tokens, height, text
        xobjects = dict_value(resources.get("XObject", {})) if resources else {}
        counts: dict[bytes, int] = {}
        for draw in draws:
            counts[draw] = counts.get(draw, 0) + 1
        for key, times in counts.items():
            ref = xobjects.get(key.decode("latin-1"))
            c, t, h, x = self._form(ref, resources, depth + 1)
            content += times * c
            tokens += times * (t + FORM_COST)
            text += times * x
            height = max(height, h)
            self._check(content)
        return content, tokens, height, text

    def _check(self, content: int) -> None:
        """One stream whose content (its forms' included) is past the page's budget: no need
        to measure further, the page cannot be read."""
        limit = self.limits.max_content_per_page
        if content > limit:
            raise OverLimit(f"a page has more than {limit} bytes of content (max_content_per_page)")

    def _form(self, ref: object, outer: Mapping[str, Any], depth: int) -> _Cost:
        """A form's content and tokens, its own forms included (images cost nothing more)."""
        objid = getattr(ref, "objid", None)
        try:
            xobj = stream_value(ref)
        except Exception:
            return 0, 0, 0, 0
        if resolve1(xobj.get("Subtype")) is not _FORM:
            return 0, 0, 0, 0
        if objid is None or objid in self.drawing:
            return 0, 0, 0, 0  # inline or a form that draws itself: neither engine draws it
        limit = self.limits.max_xobject_depth
        known = self.forms.get(objid)
        if known is None and depth <= limit:
            known = self._measure_form(objid, xobj, outer, depth)
        if known is None or depth + known[2] - 1 > limit:
            raise OverLimit(
                f"the PDF draws form XObjects more than {limit} deep (max_xobject_depth)"
            )
        return known

    def _measure_form(
        self, objid: int, xobj: PDFStream, outer: Mapping[str, Any], depth: int
    ) -> _Cost:
        resources = resolve1(xobj.get("Resources")) or outer
        self.drawing.add(objid)
        try:
            c, t, h, x = self._stream(
                xobj, resources if isinstance(resources, dict) else outer, depth
            )
        finally:
            self.drawing.discard(objid)
        cost = (c, t, h + 1, x)
        self.forms[objid] = cost
        return cost


def base_name(name: str) -> str:
    """A font's name without its subset tag (``ABCDEF+SimSun`` -> ``SimSun``)."""
    head, plus, rest = name.partition("+")
    return rest if plus and len(head) == 6 and head.isupper() else name


_DESCRIPTOR = regex.compile(rb"/Type\s*+/FontDescriptor(?![^\s/\[\]()<>{}%])")
_FONT_NAME = regex.compile(rb"/FontName\s*+/([^\s/\[\]()<>{}%]++)")
_DESCENT = regex.compile(rb"/Descent\s*+(-?+(?:\d++(?:\.\d*+)?+|\.\d++))(\s++\d++\s++R)?+")
_ESCAPE = regex.compile(rb"#([0-9A-Fa-f]{2})")


def scan_descents(data: bytes) -> dict[str, float | None] | None:
    """The descent of every font descriptor of the file, by font name, read from the file's
    bytes (None when that cannot be done with certainty: descriptors in object streams, Type 3
    fonts, a descent given by reference, an odd layout; then :func:`font_descents` reads each
    page's fonts with pdfminer, which costs ten times as much: a CJK font's width arrays are
    parsed with it).

    Only fonts with a descriptor are named here; PDFium's descent, which is the
    descriptor's when it is not 0, serves the rest (the standard 14 fonts are looked up in
    pdfminer's metrics by the reader)."""
    if b"/ObjStm" in data or b"/Type3" in data:
        return None
    out: dict[str, float | None] = {}
    for found in _DESCRIPTOR.finditer(data):
        start = data.rfind(b" obj", max(0, found.start() - 4096), found.start())
        end = data.find(b"endobj", found.end(), found.end() + 4096)
        if start < 0 or end < 0:
            return None
        body = data[start:end]
        name = _FONT_NAME.search(body)
        if name is None:
            continue
        descent = _DESCENT.search(body)
        if descent is not None and descent.group(2):
            return None  # /Descent 12 0 R: pdfminer resolves it
        value = 0.0 - abs(float(descent.group(1))) * 0.001 if descent is not None else 0.0
        raw_name = _ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), name.group(1))
        key = base_name(raw_name.decode("utf-8", "replace"))
        if key in out and out[key] != value:
            out[key] = None
        else:
            out[key] = value
    return out


def font_descents(
    resources: Mapping[str, Any], seen: dict[int, tuple[str, float | None]] | None = None
) -> dict[str, float | None]:
    """The descent (in text space, as pdfminer reads it) of each font the page's resources
    name, by base font name; None where two fonts of one name differ.

    Why: a character's box runs from its baseline plus the font's descent, and pdfminer takes
    the descent from the font descriptor as written (LibreOffice writes ``/Descent 0``), where
    PDFium measures the font program when the descriptor says 0.  Giving PDFium's characters
    pdfminer's descent keeps both engines' boxes, hence their paragraphs, the same.  ``seen``
    keeps each font object's name and descent (pages share their fonts).
    """
    seen = {} if seen is None else seen
    out: dict[str, float | None] = {}
    try:
        fonts = dict_value(resources.get("Font", {})) if resources else {}
    except Exception:
        return out
    for ref in fonts.values():
        objid = getattr(ref, "objid", None)
        if objid is not None and objid in seen:
            key, descent = seen[objid]
        else:
            try:
                spec = dict_value(ref)
                descent = _descent(spec)
                name = resolve1(spec.get("BaseFont"))
                key = base_name(getattr(name, "name", None) or str(name))
            except Exception:
                continue
            if objid is not None:
                seen[objid] = (key, descent)
        if descent is None:
            continue
        if key in out and out[key] != descent:
            out[key] = None
        else:
            out[key] = descent
    return out


def _descent(spec: Mapping[str, Any]) -> float | None:
    """pdfminer's descent of a font (its descriptor's, made negative; the standard 14 fonts'
    from their metrics); None for Type 3 fonts and fonts pdfminer would not build."""
    subtype = resolve1(spec.get("Subtype"))
    if subtype is LIT("Type3"):
        return None
    if subtype is LIT("Type0"):
        kids = resolve1(spec.get("DescendantFonts"))
        if not isinstance(kids, list) or not kids:
            return None
        spec = dict_value(kids[0])
    descriptor = resolve1(spec.get("FontDescriptor"))
    if not isinstance(descriptor, dict):
        from pdfminer.fontmetrics import FONT_METRICS

        name = resolve1(spec.get("BaseFont"))
        metrics = FONT_METRICS.get(getattr(name, "name", ""))
        if metrics is None:
            descriptor = {}
        else:
            descriptor = metrics[0]
    value = resolve1(descriptor.get("Descent", 0))
    if not isinstance(value, (int, float)):
        return None
    return -abs(float(value)) * 0.001
