"""DOCX -> :class:`~gxnianbao.readers.document.Document`: body paragraphs and table grids.

Why the reader walks the WordprocessingML itself: a report's tables live in merged cells, and
python-docx's ``row.cells`` repeats a merged cell in every grid position it covers, so the grid
is rebuilt here from ``w:tr``/``w:tc``: ``w:gridSpan`` is the column span, a run of
``w:vMerge`` continuation cells below a cell in the same grid column is its row span, and
``w:gridBefore`` shifts a row's first cell.  A merged cell appears once, at its top-left.

Why lxml directly and not python-docx's object model: the body is all the reader needs;
python-docx would load and parse every part of the package (styles, numbering, headers...),
fail on a damaged part the body does not need, and refuse ``.docm``/``.dotx`` content types.
python-docx is built on the same lxml, with the same safe parser settings.  The package is
checked before anything is inflated: a zip bomb, too many members or a missing main part end in
a typed error; the XML parser resolves no entities, loads no DTD (one is refused outright) and
reaches no network.  A main part over ``limits.max_tree_bytes`` is streamed (``iterparse``, each
body-level paragraph or table freed once read), so memory stays that of one block; its elements
are counted as they are parsed and past ``limits.max_elements`` the reading stops.

Rules: a table inside a cell becomes its own grid, placed after the table holding it (the outer
cell keeps the text of its own paragraphs).  Text boxes, embedded objects and ``w:altChunk``
content are not read; a diagnostic says how many there were.  Deleted text and rows (``w:del``,
``w:moveFrom``), field instructions and ruby text are skipped; ``w:tab`` reads as a space and
``w:br`` as a line break.  The text of ``w:vMerge`` continuation cells is not shown by Word and
is dropped; a continuation whose column span differs from the cell above stands on its own (so
that cells never overlap).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import attrs
from lxml import etree  # type: ignore[import-untyped]

from ..errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    UnreadableDocument,
    UnsupportedFormatError,
)
from ..limits import Limits
from ..model import Diagnostic, Origin
from .document import MAX_SPAN, Block, Document, Grid, GridCell, Paragraph
from .docx_package import MAIN_PART, CappedStream, check_package, xml_parser

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT, CUSTOM_XML = (
    _w(t) for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml")
)
T, TAB, PTAB, BR, CR, NB_HYPHEN = (_w(t) for t in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen"))
TC_PR, TR_PR, GRID_SPAN, V_MERGE, GRID_BEFORE, GRID_AFTER, TBL_GRID, GRID_COL = (
    _w(t)
    for t in ("tcPr", "trPr", "gridSpan", "vMerge", "gridBefore", "gridAfter", "tblGrid", "gridCol")
)
VAL = _w("val")
DEL, MOVE_FROM, TXBX, OBJECT, ALT_CHUNK, RUBY_TEXT = (
    _w(t) for t in ("del", "moveFrom", "txbxContent", "object", "altChunk", "rt")
)
FALLBACK = f"{{{_MC}}}Fallback"
_TEXT_TAGS = (T, TAB, PTAB, BR, CR, NB_HYPHEN)
_SKIPPED = (DEL, MOVE_FROM, TXBX, FALLBACK, OBJECT, RUBY_TEXT)
"""Subtrees whose text is not the paragraph's: deleted or moved-away text, text boxes, the
fallback copy of alternate content, embedded objects, ruby (phonetic guide) text."""
_WALKED = (*_TEXT_TAGS, *_SKIPPED)
_WRAPPERS = (SDT, CUSTOM_XML)
"""Block-level wrappers whose content (``w:sdtContent`` or children) is read in place."""

BODY = _w("body")
_BLOCK_TAGS = (P, TBL, SDT, CUSTOM_XML, ALT_CHUNK)
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes, *, name: str, limits: Limits) -> Document:
    """Read a ``.docx`` file's body: paragraphs and tables in body order (see the module doc).

    Raises only :class:`~gxnianbao.errors.UnreadableDocument` subclasses:
    ``CorruptDocumentError`` for a file that is not a readable DOCX, ``DocumentTooLargeError``
    past ``limits``, ``EncryptedDocumentError`` / ``UnsupportedFormatError`` for an encrypted or
    old binary (OLE) Office file; each names the file.
    """
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(
            name, f"the file has {len(data):,} bytes; the limit is {limits.max_bytes:,} "
            "(limits.max_bytes)",
            kind="docx",
        )  # fmt: skip
    if data.startswith(_OLE):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise EncryptedDocumentError(
                name, "an encrypted (password-protected) Office document: remove the password "
                "and save it again", kind="docx",
            )  # fmt: skip
        raise UnsupportedFormatError(
            name, "an old Word/WPS file (OLE compound document), not a DOCX: save it as DOCX "
            "or PDF first", kind="doc",
        )  # fmt: skip
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as err:  # BadZipFile, struct.error, …: the bytes are not a ZIP
        raise CorruptDocumentError(name, f"not a DOCX: not a readable ZIP file ({err})",
                                   kind="docx") from err  # fmt: skip
    part = MAIN_PART
    try:
        with archive:
            part = check_package(archive, name, limits)
            size = archive.getinfo(part).file_size
            with archive.open(part) as stream:
                reader = _BodyReader(name, limits)
                capped = CappedStream(stream, part, name, limits.max_decompressed)
                blocks = reader.read(capped, size)
    except UnreadableDocument:
        raise
    except etree.XMLSyntaxError as err:
        raise CorruptDocumentError(name, f"damaged XML in {part}: {err}", kind="docx") from err
    except Exception as err:  # zlib.error, BadZipFile (CRC), NotImplementedError (method), …
        raise CorruptDocumentError(
            name, f"cannot read {part}: {type(err).__name__}: {err}", kind="docx"
        ) from err
    return Document("docx", tuple(blocks), name, None, reader.diagnostics())


# --- the body -------------------------------------------------------------------------------


@attrs.define
class _Cell:
    text: str
    row: int
    col: int
    colspan: int
    rowspan: int = 1


class _BodyReader:
    """Streams ``w:body``'s children into blocks, counting what is not read."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.blocks: list[Block] = []
        self.tables = 0
        self.cells = 0
        self.chars = 0
        self.textboxes = 0
        self.objects = 0
        self.alt_chunks = 0

    def read(self, stream: Any, size: int) -> list[Block]:
        """The body's blocks.  A main part of up to ``limits.max_tree_bytes`` (every real report)
        is parsed whole, which is faster; a larger one is streamed, each body-level block freed
        once read, so that memory stays that of one block."""
        if size <= self.limits.max_tree_bytes:
            parser = xml_parser()
            while chunk := stream.read(1 << 16):
                parser.feed(chunk)
            root = parser.close()
            self._check_root(root)
            self._count_elements(sum(1 for _ in root.iter()))
            body = _child(root, BODY)
            for el in body if body is not None else ():
                if el.tag in _BLOCK_TAGS:
                    self._block(el, 0)
            return self.blocks
        events = etree.iterparse(
            stream, events=("end",), resolve_entities=False, no_network=True,
            load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True,
        )  # fmt: skip
        elements = 0
        for _, el in events:
            elements += 1
            if elements > self.limits.max_elements:
                self._count_elements(elements)
            parent = el.getparent()
            if parent is None or parent.tag != BODY:
                continue  # inside a block: read with it
            if el.tag in _BLOCK_TAGS:
                self._block(el, 0)
            el.clear()
            parent.remove(el)  # (a body-level element that is no block is not read either)
        self._check_root(events.root)
        return self.blocks

    def _count_elements(self, elements: int) -> None:
        if elements > self.limits.max_elements:
            raise DocumentTooLargeError(
                self.name, f"the main part has more than {self.limits.max_elements:,} XML "
                "elements (limits.max_elements)", kind="docx",
            )  # fmt: skip

    def _check_root(self, root: Any) -> None:
        if root is None or root.tag != _w("document"):
            what = etree.QName(root).localname if root is not None else "nothing"
            if root is not None and etree.QName(root).namespace == _STRICT_W:
                raise UnsupportedFormatError(
                    self.name, "a Strict Open XML document: save it in Word as a regular .docx "
                    "(Word Document), not Strict Open XML", kind="docx",
                )  # fmt: skip
            raise CorruptDocumentError(
                self.name, f"not a Word document: the main part holds {what!r}, not a "
                "w:document", kind="docx",
            )  # fmt: skip
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise CorruptDocumentError(
                self.name, "the main part declares a DTD, which DOCX files never do",
                kind="docx",
            )  # fmt: skip

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        out: list[Diagnostic] = []
        if self.textboxes:
            out.append(Diagnostic(
                "docx-textbox-ignored", "warning",
                f"{self.textboxes} text box(es) in the document were not read: numbers in "
                "them are not in the report", None,
            ))  # fmt: skip
        if self.objects:
            out.append(Diagnostic(
                "docx-object-ignored", "warning",
                f"{self.objects} embedded object(s) (an Excel sheet, …) were not read", None,
            ))  # fmt: skip
        if self.alt_chunks:
            out.append(Diagnostic(
                "docx-altchunk-ignored", "warning",
                f"{self.alt_chunks} imported chunk(s) (w:altChunk: HTML or RTF pasted in) were "
                "not read", None,
            ))  # fmt: skip
        return tuple(out)

    # blocks

    def _block(self, el: Any, nesting: int) -> None:
        tag = el.tag
        if tag == P:
            self._count_unread(el)
            text = self._paragraph_text(el)
            self.blocks.append(Paragraph(text, Origin("docx", block=len(self.blocks))))
        elif tag == TBL:
            self._count_unread(el)
            self._table(el, nesting)
        elif tag == SDT:
            for child in _wrapped(_child(el, SDT_CONTENT)):
                self._block(child, nesting)
        elif tag == CUSTOM_XML:
            for child in _wrapped(el):
                self._block(child, nesting)
        elif tag == ALT_CHUNK:
            self.alt_chunks += 1

    def _count_unread(self, el: Any) -> None:
        """Text boxes and embedded objects under a body-level block (those in nested tables
        too), except the fallback copies of alternate content."""
        for x in el.iter(TXBX, OBJECT):
            if not _under(x, FALLBACK, el):
                if x.tag == TXBX:
                    self.textboxes += 1
                else:
                    self.objects += 1

    def _paragraph_text(self, p: Any) -> str:
        pieces: list[str] = []
        careful = False  # set once a skipped subtree is met: its elements follow it
        for el in p.iter(*_WALKED):
            tag = el.tag
            if tag == T:
                if not careful or not _under_any(el, _SKIPPED, p):
                    pieces.append(el.text or "")
                continue
            if tag in _SKIPPED:
                careful = True
                continue
            if careful and _under_any(el, _SKIPPED, p):
                continue
            if tag in (TAB, PTAB):
                pieces.append(" ")
            elif tag in (BR, CR):
                pieces.append("\n")
            else:
                pieces.append("-")
        text = "".join(pieces)
        self.chars += len(text)
        if self.chars > self.limits.max_text_chars:
            raise DocumentTooLargeError(
                self.name, f"the document has more than {self.limits.max_text_chars:,} "
                "characters of text (limits.max_text_chars)", kind="docx",
            )  # fmt: skip
        return text

    def _table(self, tbl: Any, nesting: int) -> None:
        if nesting >= self.limits.max_depth:
            raise DocumentTooLargeError(
                self.name,
                f"tables nested more than {self.limits.max_depth} deep (limits.max_depth)",
                kind="docx",
            )
        block = len(self.blocks)
        table = self.tables
        self.tables += 1
        self.blocks.append(Grid((), 0, 0, Origin("docx", block=block, table=table)))
        nested: list[Any] = []
        starts: list[_Cell] = []
        open_cells: dict[int, _Cell] = {}  # grid column -> the cell starting there, above
        grid = _child(tbl, TBL_GRID)
        n_cols = sum(1 for _ in grid.iter(GRID_COL)) if grid is not None else 0
        r = 0
        for tr in _rows(tbl):
            tr_pr = _child(tr, TR_PR)
            c = 0
            if tr_pr is not None:
                if _child(tr_pr, DEL) is not None:
                    continue  # a row deleted with change tracking on
                c = _int_prop(tr_pr, GRID_BEFORE)
            for tc in _cells(tr):
                self.cells += 1
                if self.cells > self.limits.max_cells:
                    raise DocumentTooLargeError(
                        self.name, f"the document has more than {self.limits.max_cells:,} table "
                        "cells (limits.max_cells)", kind="docx",
                    )  # fmt: skip
                pr = _child(tc, TC_PR)
                span = 1
                merge = None
                if pr is not None:
                    span = max(1, _int_prop(pr, GRID_SPAN))
                    merge = _child(pr, V_MERGE)
                above = open_cells.get(c)
                if (
                    merge is not None
                    and merge.get(VAL, "continue") != "restart"
                    and above is not None
                    and above.row + above.rowspan == r
                    and above.colspan == span  # else it would overlap its neighbours
                ):
                    above.rowspan += 1  # a continuation: Word shows only the top cell's text
                    nested.extend(el for el in _wrapped(tc) if el.tag == TBL)
                else:
                    cell = _Cell(self._cell_text(tc, nested), r, c, span)
                    starts.append(cell)
                    open_cells[c] = cell
                c += span
            if tr_pr is not None:
                c += _int_prop(tr_pr, GRID_AFTER)
            n_cols = max(n_cols, c)
            r += 1
        cells = tuple(
            GridCell(
                cell.text, cell.row, cell.col,
                Origin("docx", block=block, table=table, row=cell.row, col=cell.col),
                min(cell.rowspan, MAX_SPAN), cell.colspan,
            )
            for cell in starts
        )  # fmt: skip
        origin = Origin("docx", block=block, table=table)
        self.blocks[block] = Grid(cells, r, n_cols, origin)
        for inner in nested:
            self._table(inner, nesting + 1)

    def _cell_text(self, tc: Any, nested: list[Any]) -> str:
        """The cell's paragraphs joined by line breaks; tables inside it go to ``nested``."""
        lines: list[str] = []
        for child in tc:
            tag = child.tag
            if tag == P:
                lines.append(self._paragraph_text(child))
            elif tag == TBL:
                nested.append(child)
            elif tag in _WRAPPERS:
                for inner in _wrapped(child if tag == CUSTOM_XML else _child(child, SDT_CONTENT)):
                    if inner.tag == P:
                        lines.append(self._paragraph_text(inner))
                    elif inner.tag == TBL:
                        nested.append(inner)
        return "\n".join(lines)


def _wrapped(el: Any) -> Iterator[Any]:
    """Block-level children of ``el``, looking through ``w:sdt`` and ``w:customXml``."""
    if el is None:
        return
    for child in el:
        tag = child.tag
        if tag == SDT:
            content = _child(child, SDT_CONTENT)
            if content is not None:
                yield from _wrapped(content)
        elif tag == CUSTOM_XML:
            yield from _wrapped(child)
        else:
            yield child


def _rows(tbl: Any) -> Iterator[Any]:
    return (el for el in _wrapped(tbl) if el.tag == TR)


def _cells(tr: Any) -> Iterator[Any]:
    return (el for el in _wrapped(tr) if el.tag == TC)


def _child(el: Any, tag: str) -> Any:
    """``el``'s first child ``tag`` or None (``iterchildren`` is compiled; ``find`` goes
    through lxml's Python ElementPath and costs several times more)."""
    for child in el.iterchildren(tag):
        return child
    return None


def _int_prop(pr: Any, tag: str) -> int:
    """``w:val`` of ``pr``'s child ``tag`` as a clamped int; 0 when absent or not a number."""
    if pr is None:
        return 0
    el = _child(pr, tag)
    if el is None:
        return 0
    try:
        value = int(str(el.get(VAL, "0")).strip())
    except ValueError:
        return 0
    return max(0, min(value, MAX_SPAN))


def _under(el: Any, tag: str, stop: Any) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _under_any(el: Any, tags: tuple[str, ...], stop: Any) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False
