"""HTML pages -> paragraphs and ``<table>`` grids with their spans, from the page's bytes.

Why a tokenizer of its own rather than :mod:`html.parser`: CPython's parser before the fixes for
CVE-2025-6069 (3.13.4, 3.12.11, …) takes quadratic time on unclosed constructs – ``"<a" * 50_000``
(100 KB) takes 40 s, ``"<!--" * 50_000`` two minutes on 3.11 – and pages come from anywhere.  This
one follows the browser rule that a construct either ends or runs to the end of the input, so
each character is looked at a bounded number of times; there is no recursion.

The tree is kept as a stack of block elements only (inline ones such as ``<span>``, ``<font>``,
``<o:p>`` change nothing here and are not counted), capped at ``limits.max_depth``, with the
implicit closes browsers apply: ``<p>`` and block starts close an open ``<p>``, ``<li>`` an open
``<li>``, ``<td>``/``<th>``/``<tr>`` the open cell or row, ``</td>`` and ``</table>`` whatever was
left open inside.

What becomes what:

- text outside tables: block elements (``p``, ``div``, ``h1``–``h6``, ``li``, ``br`` …) end a
  paragraph; whitespace runs collapse to one space; ``&nbsp;`` is a space.
- ``<script>``, ``<style>``, ``<noscript>``, ``<template>``, ``<title>``, ``<select>``,
  ``<textarea>``, ``<nav>`` and comments are dropped.  ``<header>`` and ``<footer>`` are kept:
  some sites put the report's title in ``<header>``; their menus and 版权所有 lines become
  paragraphs the sections locator already skips.
- a ``<table>`` is one :class:`Grid` (``rowspan``/``colspan`` placed by :func:`grid_from_rows`;
  a row span is clipped at the table's last row, ``rowspan="0"`` runs to it); a cell's text keeps
  ``<br>`` and block boundaries inside it as ``"\\n"``; empty and ``&nbsp;``-only cells are ``""``.
- a table holding another table is a layout table: its own cells' text becomes paragraphs, in
  order, and the tables inside it are read by the same rules (grids, or layout tables again).
"""

from __future__ import annotations

import codecs
import html as _html

import attrs
import regex

from ..errors import CorruptDocumentError, DocumentTooLargeError, UnreadableDocument
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Diagnostic, Origin
from .document import MAX_SPAN, Block, Document, Paragraph, grid_from_rows

__all__ = ["read_html"]

KIND = "html"

# --- decoding ------------------------------------------------------------------------------

_PRESCAN = 8192
"""Bytes searched for a ``<meta>`` charset (the HTML standard says 1024; Chinese sites often put
long inline scripts before it)."""
_META = regex.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", regex.IGNORECASE
)
_XML_DECL = regex.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""")
_GB = frozenset(
    "gb2312 gbk gb_2312-80 gb_2312 x-gbk cp936 ms936 windows-936 gb18030 euc-cn csgb2312 "
    "chinese iso-ir-58 x-euc-cn hz-gb-2312".split()
)
_HIGH = regex.compile(rb"[\x80-\xff]")
_WESTERN = ("ascii", "latin", "iso8859", "cp1252", "cp125", "windows-125")
"""Single-byte charsets that decode any bytes: a Chinese report declaring one is never in it
(CMS defaults), so GB18030 is tried first."""


def _declared(data: bytes) -> str | None:
    """The charset the page declares in its first bytes, as a Python codec name."""
    head = data[:_PRESCAN]
    m = _XML_DECL.match(head) or _META.search(head)
    if m is None:
        return None
    label = m[1].decode("ascii", "replace").lower()
    if label in _GB:
        return "gb18030"  # a superset: pages declaring gb2312 use GBK characters
    if label.startswith(("utf-16", "utf-32", "ucs")):
        return "utf-8"  # found by an ASCII scan, so the bytes are not UTF-16 (as browsers do)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the first bytes look like ASCII text in UTF-16."""
    head = data[:512]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _info(message: str, code: str = "charset-fallback") -> Diagnostic:
    return Diagnostic(code, "info", message)


def decode_html(data: bytes) -> tuple[str, list[Diagnostic]]:
    """The page as text: BOM, then valid UTF-8, then the declared charset, then GB18030.

    Bytes that are valid UTF-8 (with non-ASCII in them) are read as UTF-8 whatever the page
    declares: GBK text of any length is almost never valid UTF-8, while pages declaring gb2312
    and served as UTF-8 are common.  A diagnostic says so whenever the page's own declaration
    (or its absence) was not what decided.
    """
    notes: list[Diagnostic] = []
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode_or_replace(data[len(bom) :], codec, notes), notes
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        notes.append(_info(f"no byte-order mark, but the bytes look like {utf16}; read as such"))
        return _decode_or_replace(data, utf16, notes), notes
    declared = _declared(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared not in (None, "utf-8") and _HIGH.search(data):
            notes.append(
                _info(f"the page declares {declared}, but its bytes are UTF-8; read as UTF-8")
            )
        return text, notes
    if declared not in (None, "utf-8") and not declared.startswith(_WESTERN):
        try:
            return data.decode(declared), notes
        except (UnicodeDecodeError, LookupError):
            pass
    said = f"declares {declared}" if declared else "declares no charset"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        notes.append(_info(f"the page {said} and is not UTF-8; read as GB18030"))
        return text, notes
    return _decode_or_replace(data, declared or "gb18030", notes), notes


def _decode_or_replace(data: bytes, codec: str, notes: list[Diagnostic]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, "replace")
        bad = text.count("\ufffd")
        notes.append(
            Diagnostic(
                "undecodable-bytes",
                "warning",
                f"{bad} byte sequence(s) are not valid {codec}; each was read as U+FFFD",
            )
        )
        return text


_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_MARKUP = regex.compile(r"<[A-Za-z!/?]")


def _check_textual(text: str, name: str) -> None:
    """Binary junk is refused: control characters or undecodable bytes over 1 % of the text."""
    sample = text[:65536]
    bad = len(_CONTROL.findall(sample))
    if bad > max(8, len(sample) // 100):
        raise CorruptDocumentError(
            name,
            f"not HTML: {bad} control or undecodable characters in its first {len(sample)}",
            kind=KIND,
        )
    if _MARKUP.search(text) is None:
        raise CorruptDocumentError(name, "not HTML: no markup found", kind=KIND)


# --- tokens --------------------------------------------------------------------------------

_TAG_NAME = regex.compile(r"[A-Za-z][^\t\n\f\r />]*")
_ATTR_GAP = regex.compile(r"[\t\n\f\r /]*")
_ATTR_NAME = regex.compile(r"[^\t\n\f\r />][^\t\n\f\r /=>]*")
_EQUALS = regex.compile(r"[\t\n\f\r ]*=[\t\n\f\r ]*")
_UNQUOTED = regex.compile(r"[^\t\n\f\r >]*")
_FAST_TAG = regex.compile(
    r"""<([A-Za-z][^\t\n\f\r />]*+)((?:[\t\n\f\r /]*+[^\t\n\f\r />"'=<`][^\t\n\f\r />"'=<`]*+"""
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >"'=<`]++))?)*+)"""
    r"""[\t\n\f\r /]*+>"""
).match
"""A well-formed start tag in one match (possessive: no backtracking).  What it refuses goes to
:meth:`_Reader.scan_tag`, which reads any start tag as browsers do."""
_NO_ATTRS: dict[str, str] = {}
_ZERO_WIDTH = regex.compile("[\u200b-\u200d\u2060\ufeff]")
"""Zero-width characters CMS editors leave in text (``&#8203;``, a stray BOM): removed, so a
cell holding only one is blank."""
_WS = regex.compile(r"[\t\n\f\r \xa0]+")
_DIGITS = regex.compile(r"[\t\n\f\r ]*\+?([0-9]+)")

_SKIPPED = frozenset(
    "script style noscript template title textarea xmp iframe noembed noframes".split()
)
"""Raw-text elements whose content is dropped unread (up to their end tag)."""
_DROPPED = frozenset(("nav", "select", "datalist", "svg", "math", "object"))
"""Parsed elements whose text is dropped (menus, drop-down lists, drawings)."""
_BLOCKS = (
    frozenset(
        """address article aside blockquote body center dd details dialog dir div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup html legend li main menu ol
    p pre section summary ul caption option optgroup""".split()
    )
    | _DROPPED
)
"""Elements that end a paragraph (outside cells) or a line (inside cells), kept on the stack."""
_CLOSES_P = _BLOCKS - {"caption", "option", "optgroup", "body", "html", "dd", "dt", "li"}
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_BREAKS = frozenset(("br", "hr"))
_CELLS = frozenset(("td", "th"))
_SECTIONS = frozenset(("thead", "tbody", "tfoot"))
_STRUCTURAL = _BLOCKS | _BREAKS | _CELLS | _SECTIONS | {"tr", "table"}
"""Tags that change the structure; any other (``span``, ``font``, ``a``, ``o:p`` …) is skipped."""


def _span(attrs_: dict[str, str], key: str, zero: int) -> int:
    """An HTML span attribute by the rules for non-negative integers (bad values give 1)."""
    value = attrs_.get(key)
    if value is None:
        return 1
    m = _DIGITS.match(value)
    if m is None:
        return 1
    n = int(m[1][:7])
    return zero if n == 0 else n


# --- the tree ------------------------------------------------------------------------------


class _Sink:
    """Where text goes: the body or one cell.  ``items`` are lines of text and inner blocks.

    A plain slotted class: one is made per table cell, and attrs' ``Factory`` fields cost more.
    """

    __slots__ = ("items", "line", "parts", "started")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.line = 0
        self.started = False
        """Whether ``parts`` hold more than white space (``line`` is then where that began)."""
        self.items: list[tuple[str, int] | list[_Proto]] = []

    def flush(self) -> None:
        if self.parts:
            text = _WS.sub(" ", _ZERO_WIDTH.sub("", "".join(self.parts))).strip()
            self.parts.clear()
            self.started = False
            if text:
                self.items.append((text, self.line))


@attrs.define(slots=True)
class _Cell:
    sink: _Sink
    rowspan: int
    colspan: int
    line: int
    base: int
    """Stack height at the cell's start: closing it pops back to there."""


@attrs.define(slots=True)
class _Table:
    parent: _Sink
    line: int
    base: int
    dropped: bool
    rows: list[list[_Cell]] = attrs.Factory(list)
    row_open: bool = False
    cell: _Cell | None = None


_Proto = tuple[str, int] | tuple[list[list[tuple[str, int, int, int]]], int]
"""A paragraph ``(text, line)`` or a grid ``(rows of (text, rowspan, colspan, line), line)``."""


class _Reader:
    """One page: tokens in, proto blocks out."""

    def __init__(self, text: str, name: str, limits: Limits) -> None:
        self.text = text
        self.name = name
        self.limits = limits
        self.stack: list[str] = []
        self.dropping = 0
        self.body = _Sink()
        self.tables: list[_Table] = []
        self.cells = 0
        self.positions = 0
        self._lpos = 0
        self._lnum = 1

    def too_large(self, reason: str) -> DocumentTooLargeError:
        return DocumentTooLargeError(self.name, reason, kind=KIND)

    def line_at(self, pos: int) -> int:
        if pos >= self._lpos:
            self._lnum += self.text.count("\n", self._lpos, pos)
            self._lpos = pos
            return self._lnum
        return self._lnum - self.text.count("\n", pos, self._lpos)

    # where text goes

    def sink(self) -> _Sink:
        if self.tables:
            t = self.tables[-1]
            return t.cell.sink if t.cell is not None else t.parent
        return self.body

    def boundary(self) -> int:
        """The stack height end tags may not close below (the open cell or table)."""
        if self.tables:
            t = self.tables[-1]
            return t.cell.base if t.cell is not None else t.base
        return 0

    def add_text(self, pos: int, chunk: str) -> None:
        if self.dropping:
            return
        s = self.sink()
        if not s.started:
            lead = len(chunk) - len(chunk.lstrip())
            if "&" in chunk:
                chunk = _html.unescape(chunk)
            if not chunk.strip():
                return  # white space before any text changes nothing
            s.line = self.line_at(pos + lead)
            s.started = True
        elif "&" in chunk:
            chunk = _html.unescape(chunk)
        s.parts.append(chunk)

    # the element stack

    def push(self, name: str) -> None:
        if len(self.stack) >= self.limits.max_depth:
            raise self.too_large(
                f"elements nested deeper than {self.limits.max_depth} (limits.max_depth)"
            )
        self.stack.append(name)
        if name in _DROPPED:
            self.dropping += 1

    def pop_to(self, height: int) -> None:
        stack = self.stack
        while len(stack) > height:
            if stack.pop() in _DROPPED:
                self.dropping -= 1

    def find_open(self, name: str, stop: frozenset[str] = frozenset()) -> int:
        """Index of the innermost open ``name`` above the boundary, or -1."""
        low = self.boundary()
        for i in range(len(self.stack) - 1, low - 1, -1):
            el = self.stack[i]
            if el == name:
                return i
            if el in stop:
                return -1
        return -1

    # tags

    def start(self, name: str, attrs_: dict[str, str], pos: int) -> None:
        if name in _CELLS:
            self.start_cell(attrs_, pos)
        elif name == "tr" or name in _SECTIONS:
            if self.tables:
                t = self.tables[-1]
                self.close_cell(t)
                self.close_row(t)
                if name == "tr":
                    t.rows.append([])
                    t.row_open = True
        elif name == "table":
            self.start_table(pos)
        elif name in _BREAKS:
            self.sink().flush()
        elif name in _BLOCKS:
            self.sink().flush()
            if name in _CLOSES_P and (i := self.find_open("p")) >= 0:
                self.pop_to(i)
            if name == "li" and (i := self.find_open("li", frozenset(("ul", "ol")))) >= 0:
                self.pop_to(i)
            elif name in ("dt", "dd"):
                i = max(self.find_open("dt", frozenset(("dl",))),
                        self.find_open("dd", frozenset(("dl",))))  # fmt: skip
                if i >= 0:
                    self.pop_to(i)
            elif name == "option" and (i := self.find_open("option")) >= 0:
                self.pop_to(i)
            if name in _HEADINGS and self.stack and self.stack[-1] in _HEADINGS:
                self.pop_to(len(self.stack) - 1)
            self.push(name)

    def end(self, name: str) -> None:
        if name in _CELLS:
            if self.tables:
                self.close_cell(self.tables[-1])
        elif name == "tr" or name in _SECTIONS:
            if self.tables:
                t = self.tables[-1]
                self.close_cell(t)
                self.close_row(t)
        elif name == "table":
            if self.tables:
                self.close_table()
        elif name in _BREAKS:
            self.sink().flush()  # </br> is read as <br> by browsers
        elif name in _BLOCKS:
            i = self.find_open(name)
            if i >= 0:
                self.sink().flush()
                self.pop_to(i)
            elif name == "p":
                self.sink().flush()  # a stray </p> still ends the paragraph (an empty <p>)

    # tables

    def start_table(self, pos: int) -> None:
        parent = self.sink()
        if self.tables and self.tables[-1].cell is None:
            # <table> directly inside a table (not in a cell) closes it, as browsers do.
            self.close_table()
            parent = self.sink()
        parent.flush()
        self.push("table")
        self.tables.append(_Table(parent, self.line_at(pos), len(self.stack), self.dropping > 0))

    def start_cell(self, attrs_: dict[str, str], pos: int) -> None:
        if not self.tables:
            self.sink().flush()  # a cell outside any table: browsers drop the tag
            return
        t = self.tables[-1]
        self.close_cell(t)
        if not t.row_open:
            t.rows.append([])
            t.row_open = True
        self.cells += 1
        if self.cells > self.limits.max_cells:
            raise self.too_large(
                f"more than {self.limits.max_cells} table cells (limits.max_cells)"
            )
        if attrs_:
            colspan = min(_span(attrs_, "colspan", 1), MAX_SPAN)
            rowspan = _span(attrs_, "rowspan", 0)
        else:
            colspan = rowspan = 1
        self.push("td")
        cell = _Cell(_Sink(), rowspan, colspan, self.line_at(pos), len(self.stack) - 1)
        t.rows[-1].append(cell)
        t.cell = cell

    def close_cell(self, t: _Table) -> None:
        cell = t.cell
        if cell is None:
            return
        cell.sink.flush()
        self.pop_to(cell.base)
        t.cell = None

    def close_row(self, t: _Table) -> None:
        t.row_open = False

    def close_table(self) -> None:
        t = self.tables[-1]
        self.close_cell(t)
        self.close_row(t)
        self.pop_to(t.base - 1)
        self.tables.pop()
        if t.dropped:
            return
        out = t.parent
        out.flush()
        if any(not isinstance(item, tuple) for row in t.rows for c in row for item in c.sink.items):
            # A layout table: its text as paragraphs, the tables inside it in their places.
            blocks: list[_Proto] = []
            for row in t.rows:
                for c in row:
                    for item in c.sink.items:
                        if isinstance(item, tuple):
                            blocks.append(item)
                        else:
                            blocks.extend(item)
            out.items.append(blocks)
            return
        n = len(t.rows)
        rows: list[list[tuple[str, int, int, int]]] = []
        for r, row in enumerate(t.rows):
            out_row: list[tuple[str, int, int, int]] = []
            for c in row:
                rowspan = min(n - r if c.rowspan == 0 else c.rowspan, n - r, MAX_SPAN)
                self.positions += rowspan * c.colspan
                text = "\n".join(item[0] for item in c.sink.items if isinstance(item, tuple))
                out_row.append((text, rowspan, c.colspan, c.line))
            rows.append(out_row)
        if self.positions > self.limits.max_cells:
            raise self.too_large(
                f"tables cover more than {self.limits.max_cells} grid positions "
                "(limits.max_cells; a merged cell counts once per position it covers)"
            )
        if rows and any(rows):
            out.items.append([(rows, t.line)])

    def finish(self) -> list[_Proto]:
        while self.tables:
            self.close_table()
        self.body.flush()
        protos: list[_Proto] = []
        for item in self.body.items:
            if isinstance(item, tuple):
                protos.append(item)
            else:
                protos.extend(item)
        return protos

    # the tokenizer

    def run(self) -> None:
        text = self.text
        n = len(text)
        pos = 0
        find = text.find
        while pos < n:
            lt = find("<", pos)
            if lt < 0:
                self.add_text(pos, text[pos:])
                return
            if lt > pos:
                self.add_text(pos, text[pos:lt])
            nxt = text[lt + 1 : lt + 2]
            if nxt.isascii() and nxt.isalpha():
                m = _FAST_TAG(text, lt)
                if m is not None:
                    name = m[1].lower()
                    pos = m.end()
                    attrs_ = _NO_ATTRS
                    if name in _CELLS and m[2]:
                        tag = self.scan_tag(lt + 1)
                        assert tag is not None
                        attrs_ = tag[1]
                else:
                    tag = self.scan_tag(lt + 1)
                    if tag is None:
                        return  # end of input inside a tag: browsers drop it
                    name, attrs_, pos = tag
                if name in _STRUCTURAL:
                    self.start(name, attrs_, lt)
                elif name in _SKIPPED:
                    pos = self.skip_raw(name, pos)
            elif nxt == "/":
                after = text[lt + 2 : lt + 3]
                if after.isascii() and after.isalpha():
                    close = find(">", lt + 2)
                    if close < 0:
                        return
                    raw = text[lt + 2 : close].split("/", 1)[0].split(None, 1)[0].lower()
                    if raw in _STRUCTURAL:
                        self.end(raw)
                    pos = close + 1
                elif after == ">":
                    pos = lt + 3
                elif not after:
                    self.add_text(lt, "</")
                    return
                else:
                    close = find(">", lt + 2)
                    if close < 0:
                        return
                    pos = close + 1
            elif nxt == "!":
                if text.startswith("<!--", lt):
                    if text.startswith(">", lt + 4):
                        pos = lt + 5
                    elif text.startswith("->", lt + 4):
                        pos = lt + 6
                    else:
                        close = find("-->", lt + 4)
                        if close < 0:
                            return  # a comment running to the end of the input
                        pos = close + 3
                else:
                    close = find(">", lt + 2)
                    if close < 0:
                        return
                    pos = close + 1
            elif nxt == "?":
                close = find(">", lt + 2)
                if close < 0:
                    return
                pos = close + 1
            else:
                self.add_text(lt, "<")
                pos = lt + 1

    def scan_tag(self, i: int) -> tuple[str, dict[str, str], int] | None:
        """A start tag from its name at ``i``: name, attributes, the offset after ``>``."""
        text = self.text
        n = len(text)
        m = _TAG_NAME.match(text, i)
        assert m is not None
        name = m[0].lower()
        j = m.end()
        attrs_: dict[str, str] = {}
        while True:
            j = _ATTR_GAP.match(text, j).end()  # type: ignore[union-attr]
            if j >= n:
                return None
            if text[j] == ">":
                return name, attrs_, j + 1
            m = _ATTR_NAME.match(text, j)
            assert m is not None
            key = m[0].lower()
            j = m.end()
            value = ""
            eq = _EQUALS.match(text, j)
            if eq is not None:
                j = eq.end()
                if j >= n:
                    return None
                quote = text[j]
                if quote in "\"'":
                    close = text.find(quote, j + 1)
                    if close < 0:
                        return None
                    value = text[j + 1 : close]
                    j = close + 1
                else:
                    u = _UNQUOTED.match(text, j)
                    assert u is not None
                    value = u[0]
                    j = u.end()
            attrs_.setdefault(key, value)

    def skip_raw(self, name: str, pos: int) -> int:
        """Past the end tag of a raw-text element (or to the end of the input)."""
        end = _RAW_END[name].search(self.text, pos)
        if end is None:
            return len(self.text)
        close = self.text.find(">", end.end())
        return len(self.text) if close < 0 else close + 1


_RAW_END: dict[str, regex.Pattern[str]] = {
    name: regex.compile(rf"</{name}(?=[\t\n\f\r />]|$)", regex.IGNORECASE) for name in _SKIPPED
}


def _build(protos: list[_Proto]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    tables = 0
    for i, (body, line) in enumerate(protos):
        if isinstance(body, str):
            blocks.append(Paragraph(body, Origin(KIND, block=i, line=line)))
            continue
        rows = [
            [
                (text, rs, cs, Origin(KIND, block=i, table=tables, line=ln))
                for text, rs, cs, ln in row
            ]
            for row in body
        ]
        blocks.append(grid_from_rows(rows, Origin(KIND, block=i, table=tables, line=line)))
        tables += 1
    return tuple(blocks)


def read_html(data: bytes, *, name: str = "<bytes>", limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read an HTML page (the bytes as served) into paragraphs and table grids.

    Raises :class:`~gxnianbao.errors.DocumentTooLargeError` past ``limits`` (bytes, decoded
    characters, nesting depth, table cells) and :class:`~gxnianbao.errors.CorruptDocumentError`
    for anything that is not an HTML page; never another exception.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_html() expects bytes, not {type(data).__name__}")
    try:
        return _read(bytes(data), name, limits)
    except UnreadableDocument:
        raise
    except Exception as err:  # a bug here must still not escape as a traceback
        raise CorruptDocumentError(
            name, f"cannot be read as HTML ({type(err).__name__}: {err})", kind=KIND
        ) from err


def _read(data: bytes, name: str, limits: Limits) -> Document:
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(
            name, f"{len(data)} bytes, over limits.max_bytes ({limits.max_bytes})", kind=KIND
        )
    text, notes = decode_html(data)
    if len(text) > limits.max_text_chars:
        raise DocumentTooLargeError(
            name,
            f"{len(text)} characters, over limits.max_text_chars ({limits.max_text_chars})",
            kind=KIND,
        )
    _check_textual(text, name)
    reader = _Reader(text, name, limits)
    reader.run()
    blocks = _build(reader.finish())
    return Document(KIND, blocks, name, None, tuple(notes))
