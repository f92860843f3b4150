"""Ruling lines -> the grids of one page's tables.

Why a lattice: a published report's tables are drawn with ruling lines (WPS and LibreOffice
exports alike), so a table's cells are the rectangles of the lattice those lines make; a merged
cell is a rectangle of the lattice whose inner rules are absent.  Rules that touch make one
table; each table's lattice lines are the clustered positions of its rules.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence

import attrs

from ...limits import DEFAULT_LIMITS
from .chars import BBox, Seg
from .settings import PdfSettings


@attrs.define
class PageCell:
    """A cell of a grid under construction (before grids continued across pages are joined):
    its text, first row and row span, its box, its page; ``has_unmapped`` when glyphs without
    a Unicode value were left out of its text."""

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
class PageGrid:
    """A grid found on one page; ``xs`` and ``ys`` are its lattice lines (column and row
    rules), ``bbox`` its outer box."""

    xs: list[float]
    ys: list[float]
    n_rows: int
    cells: list[PageCell]
    page: int
    bbox: BBox


def merge_rules(segs: Iterable[Seg], settings: PdfSettings) -> list[Seg]:
    """Collinear segments joined: same position within the snap tolerance, overlapping or
    touching (WPS draws a border cell by cell, in pieces a hair apart)."""
    snap = settings.snap_tolerance
    ordered = sorted(segs)
    out: list[Seg] = []
    i = 0
    n = len(ordered)
    while i < n:
        j = i
        group = [ordered[i]]
        while j + 1 < n and ordered[j + 1].pos - ordered[j].pos <= snap / 2:
            j += 1
            group.append(ordered[j])
        pos = sum(s.pos for s in group) / len(group)
        group.sort(key=lambda s: s.a)
        a, b = group[0].a, group[0].b
        for s in group[1:]:
            if s.a <= b + snap:
                b = max(b, s.b)
            else:
                out.append(Seg(pos, a, b))
                a, b = s.a, s.b
        out.append(Seg(pos, a, b))
        i = j + 1
    return out


def cluster(values: Iterable[float], tol: float) -> list[float]:
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


def nearest(lines: Sequence[float], v: float) -> int:
    """The index of the lattice line nearest to ``v``."""
    i = bisect.bisect_left(lines, v)
    if i == 0:
        return 0
    if i == len(lines):
        return len(lines) - 1
    return i if lines[i] - v < v - lines[i - 1] else i - 1


def _find(parent: list[int], i: int) -> int:
    """The root of ``i`` in a union-find forest (paths halved on the way)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def find_grids(
    hs: list[Seg],
    vs: list[Seg],
    page: int,
    settings: PdfSettings,
    max_lattice: int = DEFAULT_LIMITS.max_lattice,
) -> list[PageGrid]:
    """The tables the (merged) ruling lines of a page draw, top to bottom: connected rules,
    then their lattice (a table of more than ``max_lattice`` rectangles is read as text).  None
    when ``settings.find_tables`` is false."""
    if not settings.find_tables or len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))
    by_x = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    xs_sorted = [vs[j].pos for j in by_x]
    t = settings.snap_tolerance
    for i, h in enumerate(hs):
        lo = bisect.bisect_left(xs_sorted, h.a - t)
        hi = bisect.bisect_right(xs_sorted, h.b + t)
        for k in range(lo, hi):
            j = by_x[k]
            v = vs[j]
            if v.a - t <= h.pos <= v.b + t:
                ri, rj = _find(parent, i), _find(parent, len(hs) + j)
                if ri != rj:
                    parent[ri] = rj
    groups: dict[int, tuple[list[Seg], list[Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(_find(parent, i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(_find(parent, len(hs) + j), ([], []))[1].append(v)
    grids = []
    for gh, gv in groups.values():
        if len(gh) >= 2 and len(gv) >= 2:
            grid = _lattice(gh, gv, page, settings, max_lattice)
            if grid is not None:
                grids.append(grid)
    grids.sort(key=lambda g: g.bbox[1])
    return grids


def _open_sides(lines: list[float], across: list[Seg], tol: float) -> list[float]:
    """Lattice lines with an outer edge added where the table has no rule there but at least
    two rules across run on past the last one (a table drawn without its side borders)."""
    if not lines:
        return lines
    before = [s.a for s in across if s.a < lines[0] - tol]
    after = [s.b for s in across if s.b > lines[-1] + tol]
    out = list(lines)
    if len(before) >= 2:
        out.insert(0, min(before))
    if len(after) >= 2:
        out.append(max(after))
    return out


def _lattice(
    hs: list[Seg], vs: list[Seg], page: int, settings: PdfSettings, max_lattice: int
) -> PageGrid | None:
    """The cells of one table: lattice rectangles, joined where the rule between is absent."""
    tol = settings.lattice_tolerance
    ys = cluster((h.pos for h in hs), tol)
    xs = cluster((v.pos for v in vs), tol)
    xs = _open_sides(xs, hs, tol)
    ys = _open_sides(ys, vs, tol)
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1 or nr * nc < 2 or nr * nc > max_lattice:
        return None
    t = settings.snap_tolerance
    h_at: dict[int, list[Seg]] = {}
    for h in hs:
        h_at.setdefault(nearest(ys, h.pos), []).append(h)
    v_at: dict[int, list[Seg]] = {}
    for v in vs:
        v_at.setdefault(nearest(xs, v.pos), []).append(v)

    def covered(segs: list[Seg] | None, a: float, b: float) -> bool:
        return any(s.a <= a + t and s.b >= b - t for s in segs or ())

    parent = list(range(nr * nc))

    def union(i: int, j: int) -> None:
        ri, rj = _find(parent, i), _find(parent, j)
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
            root = _find(parent, r * nc + c)
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
    cells: list[PageCell] = []
    for r0, c0, r1, c1 in sorted(boxes.values()):
        cells.append(PageCell("", r0, r1 - r0 + 1, xs[c0], xs[c1 + 1], ys[r0], ys[r1 + 1], page))
    return PageGrid(xs, ys, nr, cells, page, (xs[0], ys[0], xs[-1], ys[-1]))


def cell_lookup(grid: PageGrid) -> Callable[[float, float], int | None]:
    """A function from a point to the index of the grid's cell holding it."""
    ys = grid.ys
    xs = grid.xs
    nc = len(xs) - 1
    owner: dict[int, int] = {}
    for k, cell in enumerate(grid.cells):
        c0 = nearest(xs, cell.x0)
        c1 = nearest(xs, cell.x1)
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
