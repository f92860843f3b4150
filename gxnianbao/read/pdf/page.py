"""One page's characters and rules -> its grids and paragraphs, top to bottom.

Why here: a character belongs to a table cell when its centre lies in the cell (placing by the
centre tolerates text that touches a border); every other character is running text.  Page
numbers in the top and bottom bands are dropped; paragraphs in the margins are marked, so that
a table continued on the next page can be joined across its running header and footer.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from .chars import BBox, Char, Collector
from .lattice import PageGrid, cell_lookup, find_grids, merge_rules
from .lines import cell_text, clean_paragraph, group_lines, join_line, line_info, paragraphs

PAGE_NUMBER = regex.compile(
    r"^[\s\-—–－‒―~～·•_]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
    r"[\s\-—–－‒―~～·•_]*$"
)
"""A line that is only a page number: ``3``, ``- 3 -``, ``第3页``, ``3/12``, ``第3页 共12页``."""


class PageText(NamedTuple):
    """A paragraph of one page, with its box."""

    text: str
    page: int
    bbox: BBox
    margin: bool = False
    """In the top or bottom margin band of the page: a running header or footer, perhaps."""


def page_blocks(col: Collector, page: int) -> list[PageGrid | PageText]:
    """One page's grids and text lines, top to bottom; page numbers in the margins dropped."""
    settings = col.settings
    hs = merge_rules(col.h, settings)
    vs = merge_rules(col.v, settings)
    grids = find_grids(hs, vs, page, settings, col.limits.max_lattice)
    loose: list[Char] = []
    assigned: list[list[list[Char]]] = [[[] for _ in g.cells] for g in grids]
    lookups = [cell_lookup(g) for g in grids]
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
    out: list[tuple[float, PageGrid | PageText]] = []
    for g, per_cell in zip(grids, assigned, strict=True):
        for cell, chars in zip(g.cells, per_cell, strict=True):
            cell.text, cell.has_unmapped = cell_text(chars, settings)
        out.append((g.bbox[1], g))
    height = col.height
    below = height * (1 - settings.page_number_bottom)
    above = height * settings.page_number_top
    lines = [
        line
        for line in group_lines(loose, settings)
        if not (
            PAGE_NUMBER.match(join_line(line, settings))
            and (line[0].top > below or line[0].bottom < above)
        )
    ]
    kept = [line_info(line, settings) for line in lines]
    top_band = height * settings.margin
    bottom_band = height * (1 - settings.margin)
    for text, bbox in paragraphs(kept, settings):
        margin = bbox[3] < top_band or bbox[1] > bottom_band
        out.append((bbox[1], PageText(clean_paragraph(text), page, bbox, margin)))
    out.sort(key=lambda t: t[0])
    return [b for _, b in out]
