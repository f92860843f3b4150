"""The pages' blocks -> the document's blocks: a table continued on the next page made one grid.

Why: a report's table 3 runs over two or three pages.  Its part at the top of a page continues
the part at the end of the previous one when their edges align; the header rows Word repeats
on each page are dropped, a row cut by the page break (a label on both sides, no value twice)
is joined again, and so is a merged label cell cut by it (（四）无 / 法提供).  Running headers and
footers between the parts are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ...common.values import classify
from ...model import Origin
from ..document import Block, Grid, GridCell, Paragraph
from .chars import BBox
from .lattice import PageCell, PageGrid, cluster, nearest
from .page import PageText
from .settings import PdfSettings

_ROW_START = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(](?:[一二三四五六七八九十]+|\d+)[）)]"
    r"|\d+[.、．](?!\d))"
)
"""A label that starts a row of its own: 一、 （一） (1) 1. 1、 (not the rest of a cut one)."""


def rounded(bbox: BBox) -> BBox:
    """A box to the hundredth of a point, as ``Origin.bbox`` gives it."""
    return (round(bbox[0], 2), round(bbox[1], 2), round(bbox[2], 2), round(bbox[3], 2))


def _continues(a: PageGrid, b: PageGrid, settings: PdfSettings) -> bool:
    """Whether ``b`` (first on its page) continues ``a`` (last on the previous page)."""
    tol = settings.continuation_tolerance
    return (
        b.page == a.page + 1
        and abs(a.bbox[0] - b.bbox[0]) <= tol
        and abs(a.bbox[2] - b.bbox[2]) <= tol
    )


def _in_margin(block: object) -> bool:
    return isinstance(block, PageText) and block.margin


def join_pages(pages: Sequence[list[PageGrid | PageText]], settings: PdfSettings) -> list[Block]:
    """Blocks of all pages; a table continued at the top of the next page joined into one
    (running headers and footers in the page margins between its parts dropped)."""
    flat: list[list[PageGrid] | PageText] = []
    for blocks in pages:
        lead = 0  # margin lines before the page's first block of body
        while lead < len(blocks) and _in_margin(blocks[lead]):
            lead += 1
        for i, b in enumerate(blocks):
            if isinstance(b, PageText):
                flat.append(b)
                continue
            if i == lead:
                k = len(flat)
                while k and _in_margin(flat[k - 1]):
                    k -= 1
                last = flat[k - 1] if k else None
                if isinstance(last, list) and _continues(last[-1], b, settings):
                    del flat[k:]
                    last.append(b)
                    continue
            flat.append([b])
    out: list[Block] = []
    table = 0
    for item in flat:
        if isinstance(item, PageText):
            origin = Origin("pdf", page=item.page, bbox=rounded(item.bbox))
            out.append(Paragraph(item.text, origin))
        else:
            out.append(_grid(item, table, settings))
            table += 1
    return out


def _kind(text: str) -> str:
    return classify(text.replace("\n", "")).kind


def _row_continues(pairs: Sequence[tuple[PageCell, PageCell]]) -> bool:
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


def _stitch(prev: list[PageCell], end: int, first: list[PageCell], xs: list[float]) -> bool:
    """Join the previous page's last row (cells ``prev`` ending at row ``end``) with the first
    row of the next part (``first``, rows already absolute); true when the whole row went on
    (the next part's rows then move up by one).  Otherwise a merged label cell broken by the
    page (（四）无 / 法提供) is joined on its own."""

    def key(c: PageCell) -> tuple[int, int]:
        return nearest(xs, c.x0), nearest(xs, c.x1)

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


def _drop_repeated_header(
    head: PageGrid, part: PageGrid, xs: list[float], settings: PdfSettings
) -> None:
    """Remove from ``part`` the header rows repeated from the table's first part (Word's
    "repeat as header row" draws them again at the top of every page)."""

    def rows(g: PageGrid, k: int) -> set[tuple[int, int, int, int, str]] | None:
        out = set()
        for c in g.cells:
            if c.row < k:
                if c.row + c.rowspan > k or _kind(c.text) not in ("label", "blank"):
                    return None
                out.add((c.row, c.rowspan, nearest(xs, c.x0), nearest(xs, c.x1), c.text))
        return out

    n = 0
    most = settings.max_repeated_header_rows
    for k in range(1, min(head.n_rows, part.n_rows - 1, most) + 1):
        mine = rows(part, k)
        if mine is not None and mine == rows(head, k) and any(t[4] for t in mine):
            n = k
    if n:
        part.cells = [c for c in part.cells if c.row >= n]
        for c in part.cells:
            c.row -= n
        part.n_rows -= n


def _grid(parts: Sequence[PageGrid], table: int, settings: PdfSettings) -> Grid:
    """One Grid from a table's parts on consecutive pages, columns unified over the parts; a row
    or a merged cell broken by a page break is joined again."""
    xs = cluster([x for p in parts for x in p.xs], settings.lattice_tolerance)
    placed: list[PageCell] = []
    row0 = 0
    prev: list[PageCell] = []
    head = parts[0]
    for p in parts:
        if p is not head:
            _drop_repeated_header(head, p, xs, settings)
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
        c0, c1 = nearest(xs, c.x0), nearest(xs, c.x1)
        origin = Origin(
            "pdf",
            page=c.page,
            bbox=rounded((c.x0, c.top, c.x1, c.bottom)),
            table=table,
            row=c.row,
            col=c0,
        )
        cells.append(GridCell(c.text, c.row, c0, origin, c.rowspan, max(1, c1 - c0)))
    cells.sort(key=lambda gc: (gc.row, gc.col))
    first_part = parts[0]
    return Grid(
        tuple(cells),
        row0,
        max(1, len(xs) - 1),
        Origin("pdf", page=first_part.page, bbox=rounded(first_part.bbox), table=table),
    )
