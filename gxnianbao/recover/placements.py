"""Placements of a row's numbers in its cells, enumerated within a budget.

A placement puts a row's written numbers into its cells in order (with fewer numbers than
cells, some cells get none; with more, some numbers are set aside).  Each is solved against the
table's identities (:class:`~.system.System`); what the consistent ones agree on is gathered in
an :class:`~.agreement.Agreement`.  A row whose cells fall apart into independent groups (table
4's 行政复议 / 直接起诉 / 复议后起诉) is worked out group by group, so its cost is a sum over
the groups, not a product.  Every evaluation is counted against the table's :class:`Budget`;
a row whose cost exceeds what is left is not tried at all.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence

import attrs

from ..bind.table import CellKey, RowEvidence
from ..common.lines import Cell
from ..model import CellRecord, Number
from .agreement import CONFLICT, Agreement
from .system import Eq, System, state

BUDGET = 50_000
"""Placement evaluations allowed per table by default, over all its rows and retries."""


def _placements(n: int, k: int) -> Iterator[tuple[int, ...]]:
    """For each order-preserving placement of ``n`` tokens in ``k`` cells, the token per cell.

    With ``n <= k`` every token is placed and some cells get none (-1); with ``n > k`` every cell
    gets a token and some tokens are set aside.
    """
    if n <= k:
        for positions in itertools.combinations(range(k), n):
            a = [-1] * k
            for t, p in enumerate(positions):
                a[p] = t
            yield tuple(a)
    else:
        yield from itertools.combinations(range(n), k)


def placement_count(n: int, k: int) -> int:
    """How many placements of ``n`` tokens in ``k`` cells there are."""
    return math.comb(k, n) if n <= k else math.comb(n, k)


@attrs.frozen(slots=True)
class RecoverySettings:
    """How much work recovery may do, and how.

    Passed to :func:`~gxnianbao.recover.recover_table`; the defaults are what
    :func:`~gxnianbao.parse_report` uses.
    """

    budget: int = BUDGET
    """Placement evaluations allowed per table, over all its rows and retries."""
    split_rows: bool = True
    """Work out a row whose cells fall apart into independent groups group by group (a sum of
    costs, not a product).  ``False`` tries every such row whole: the same cells come out, at a
    higher cost (tests compare the two)."""
    glued_blanks: bool = True
    """Whether a glued row (digits run together, ``RowEvidence.glued``) may have blank cells,
    which leave nothing in its runs.  ``True`` keeps the truth among the alternatives for every
    report.  ``False`` tries only splits into exactly the row's cells: far more glued rows are
    decided, but a report that leaves a cell of a glued row blank may get a wrong number, so
    use it only for sources known to write every cell (a 0 for zero)."""


@attrs.define
class Budget:
    """The evaluations one table has used of its limit (one per recovery of a table)."""

    limit: int
    used: int = 0

    @property
    def left(self) -> int:
        return self.limit - self.used


@attrs.frozen
class _Block:
    """A contiguous run of a row's cells whose identities share no unknown with other runs."""

    start: int
    cells: tuple[CellKey, ...]
    system: System


def _relevant(row: RowEvidence, eqs: Sequence[Eq], unknown: set[CellKey]) -> list[Eq]:
    """The identities connected to the row (through unknown cells): only they can decide it."""
    reach = set(row.cells)
    relevant: list[Eq] = []
    todo = list(eqs)
    grew = True
    while grew:
        grew = False
        rest = []
        for eq in todo:
            keys = (*eq[1], *eq[2])
            if any(k in reach for k in keys):
                relevant.append(eq)
                reach.update(k for k in keys if k in unknown)
                grew = True
            else:
                rest.append(eq)
        todo = rest
    return relevant


def _components(eqs: Sequence[Eq], variable: set[CellKey]) -> list[list[Eq]]:
    """Equations grouped by the variable cells they share."""
    parent = list(range(len(eqs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[CellKey, int] = {}
    for i, (_, left, right) in enumerate(eqs):
        for k in (*left, *right):
            if k in variable:
                if k in owner:
                    parent[find(i)] = find(owner[k])
                else:
                    owner[k] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(eqs)):
        groups.setdefault(find(i), []).append(i)
    return [[eqs[i] for i in members] for members in groups.values()]


def _blocks(
    row: RowEvidence, cells: Mapping[CellKey, CellRecord], eqs: Sequence[Eq], split: bool = True
) -> list[_Block]:
    """The row cut into independent contiguous blocks (one block when it does not fall apart).

    ``split=False`` keeps the whole row as one block (the tests compare both ways).
    """
    all_known, all_unknown = state(cells)
    row_cells = set(row.cells)
    known = {k: v for k, v in all_known.items() if k not in row_cells}
    relevant = _relevant(row, eqs, all_unknown)
    variable = row_cells | all_unknown
    comps = _components(relevant, variable)
    comp_of: dict[CellKey, int] = {}
    for c, comp in enumerate(comps):
        for _, left, right in comp:
            for k in (*left, *right):
                if k in row_cells:
                    comp_of[k] = c
    # Runs of cells of the same component; a cell under no identity is a run of its own.
    runs: list[tuple[int, list[CellKey]]] = []
    label: list[object] = []
    for i, key in enumerate(row.cells):
        tag: object = comp_of.get(key, ("free", i))
        if label and label[-1] == tag:
            runs[-1][1].append(key)
        else:
            runs.append((i, [key]))
            label.append(tag)
    if not split or len(set(map(repr, label))) != len(label):  # a component in two runs
        runs, label = [(0, list(row.cells))], [0]
        comps = [list(relevant)]
    blocks = []
    for (start, run), tag in zip(runs, label, strict=True):
        comp = comps[tag] if isinstance(tag, int) else []
        used = {k for _, lhs, rhs in comp for k in (*lhs, *rhs)}
        variables = [*run, *sorted(k for k in used & all_unknown if k not in row_cells)]
        system = System(comp, known, variables)
        system.close_over(len(run))
        blocks.append(_Block(start, tuple(run), system))
    return blocks


def _segments(n: int, sizes: Sequence[int]) -> list[list[tuple[int, int]]]:
    """Per block, the token ranges ``[a, b)`` it may take in some whole placement."""
    k = sum(sizes)
    m = len(sizes)
    out: list[list[tuple[int, int]]] = []
    before = 0
    for g, size in enumerate(sizes):
        after = k - before - size
        ranges = []
        if n <= k:
            # Every token placed; a block takes at most its size, the others take the rest.
            for a in range(max(0, n - (k - before)), min(n, before) + 1):
                for b in range(a, min(n, a + size) + 1):
                    if n - b <= after and (g < m - 1 or b == n) and (g > 0 or a == 0):
                        ranges.append((a, b))
        else:
            # Every cell gets a token; tokens set aside go with the block before them.
            for a in range(before, n - (k - before) + 1):
                if g == 0 and a != 0:
                    continue
                for b in range(a + size, n - after + 1):
                    if g == m - 1 and b != n:
                        continue
                    ranges.append((a, b))
        out.append(ranges)
        before += size
    return out


def _sub_count(length: int, size: int, n: int, k: int) -> int:
    return math.comb(size, length) if n <= k else math.comb(length, size)


def _try_block(
    block: _Block,
    tokens: Sequence[Cell],
    a: int,
    b: int,
    fewer: bool,
    budget: Budget,
    zeros: bool = False,
    exists: bool = False,
) -> Agreement | None:
    """All placements of ``tokens[a:b]`` in the block's cells: what the consistent ones agree on.

    Placements that put the same values in the cells (the same number written twice, say) are
    solved once; per placement only the written token of each cell is followed.  With
    ``zeros`` (a row whose layout drops empty cells, ``RowEvidence.empty_dropped``) a placement
    holds only if the cells it gives no number can all be 0; what is gathered is what the
    placement's written numbers prove without that assumption (:func:`_solve_dropped`).
    With ``exists`` it stops at the first consistent placement (only whether one is asked).
    """
    size = len(block.cells)
    length = b - a
    if (fewer and length > size) or (not fewer and length < size):
        return None
    system = block.system
    cells = block.cells
    window = tokens[a:b]
    numbers: list[Number | None] = [t.value.value for t in window]
    numbers.append(None)  # index -1: a cell that gets no number
    pick = numbers.__getitem__
    agreement = Agreement()
    memo: dict[tuple[Number | None, ...], bool] = {}
    held: list[int] = []
    """Per cell, the index of the token every consistent placement put there (-1: none)."""
    open_cells: list[int] = []
    """Cells whose token no two consistent placements have differed on yet."""
    count = 0
    for assignment in _placements(length, size):
        budget.used += 1
        key = tuple(map(pick, assignment))
        ok = memo.get(key)
        filled = tuple(0 if v is None else v for v in key) if zeros else key
        if ok is None and system.breaks(filled):
            ok = memo[key] = False
        if ok is None:
            given = [(i, v) for i, v in enumerate(key) if v is not None]
            if zeros:
                ok, values, proofs = _solve_dropped(system, given, size)
            else:
                ok, values, proofs = system.solve(given)
            memo[key] = ok
            if ok:
                agreement.add(
                    {system.cells[i]: v for i, v in values.items()},
                    {},
                    {system.cells[i]: p for i, p in proofs.items()},
                )
        if not ok:
            continue
        count += 1
        if exists:
            agreement.complete = False
            held = list(assignment)
            open_cells = []
            break
        if count == 1:
            held = list(assignment)
            open_cells = list(range(size))
        elif open_cells:
            open_cells = [i for i in open_cells if assignment[i] == held[i]]
        if not open_cells and count % 16 == 0 and agreement.settled():
            agreement.complete = False
            break
    if not count:
        return None
    agreement.count = count
    sure = set(open_cells)
    for i, cell in enumerate(cells):
        if i in sure:
            agreement.tokens[cell] = window[held[i]] if held[i] >= 0 else None
        else:
            agreement.tokens[cell] = CONFLICT
    return agreement


def _solve_dropped(
    system: System, given: Sequence[tuple[int, Number]], size: int
) -> tuple[bool, dict[int, Number], dict[int, str]]:
    """Solve a placement of a row whose layout drops empty cells.

    It holds when its written numbers hold with the row's other cells all 0 (they were empty,
    or a dropped 0) *and* with those cells as unknowns.  The values returned are those of the
    second solve only: what the identities prove from the written numbers, never the assumed 0s
    (a cell given no number may have been blank: a 0 there would be a wrong number).
    """
    written = {i for i, _ in given}
    zeros = [(i, 0) for i in range(size) if i not in written]
    if zeros and not system.solve([*given, *zeros])[0]:
        return False, {}, {}  # (most placements end here: one solve)
    ok, values, proofs = system.solve(given)
    if not ok or any(values.get(i, 0) != 0 for i, _ in zeros):
        return False, {}, {}
    return True, values, proofs


def _row_cost(n: int, blocks: Sequence[_Block], k: int, limit: int) -> int:
    """The placements a row needs; any number over ``limit`` once it is known to exceed it."""
    sizes = [len(b.cells) for b in blocks]
    if len(blocks) == 1:
        return placement_count(n, k)
    if n > k:
        # A block may take all the tokens the others leave: at least this many placements.
        # Checked first, so that a row of thousands of numbers is not even cut into ranges.
        least = max(math.comb(n - k + size, size) for size in sizes)
        if least > limit:
            return least
    return sum(
        _sub_count(b - a, size, n, k)
        for size, ranges in zip(sizes, _segments(n, sizes), strict=True)
        for a, b in ranges
    )


def try_row(
    row: RowEvidence,
    cells: Mapping[CellKey, CellRecord],
    eqs: Sequence[Eq],
    budget: Budget,
    split: bool = True,
    zeros: bool | None = None,
    exists: bool = False,
) -> Agreement | int | None:
    """What every consistent placement of the row agrees on; None when none is consistent.

    ``zeros``: whether the cells a placement gives no number count as 0 (the row's layout
    drops empty cells, :attr:`RowEvidence.empty_dropped`, the default) or are unknowns.
    ``exists``: only whether some placement holds is asked (what it gives is not complete).

    Returns the number of evaluations it would need when that exceeds what is left of the
    budget (and then tries nothing).
    """
    blocks = _blocks(row, cells, eqs, split)
    tokens = row.tokens
    n, k = len(tokens), len(row.cells)
    cost = _row_cost(n, blocks, k, budget.limit)
    if cost > budget.left:
        return cost
    fewer = n <= k
    zeros = (row.empty_dropped if zeros is None else zeros) and fewer
    sizes = [len(b.cells) for b in blocks]
    if len(blocks) == 1:
        return _try_block(blocks[0], tokens, 0, n, fewer, budget, zeros, exists)
    # Independent blocks: a whole placement is consistent when each block's part is, so each
    # block's token range is tried once, and a range counts if the others can take the rest.
    m = len(blocks)
    ranges = _segments(n, sizes)
    found: list[dict[tuple[int, int], Agreement]] = []
    for g in range(m):
        found.append({})
        for a, b in ranges[g]:
            agreed = _try_block(blocks[g], tokens, a, b, fewer, budget, zeros, exists)
            if agreed is not None:
                found[g][(a, b)] = agreed
    # Token positions reachable from the left (prefix) and from the right (suffix).
    reach_left = [{0}]
    for g in range(m):
        reach_left.append({b for (a, b) in found[g] if a in reach_left[g]})
    reach_right: list[set[int]] = [set() for _ in range(m)] + [{n}]
    for g in range(m - 1, -1, -1):
        reach_right[g] = {a for (a, b) in found[g] if b in reach_right[g + 1]}
    if n not in reach_left[m]:
        return None
    total = Agreement()
    for g in range(m):
        block_agreement = Agreement()
        for (a, b), agreed in found[g].items():
            if a in reach_left[g] and b in reach_right[g + 1]:
                block_agreement.merge(agreed)
        # Different blocks hold different cells: their agreements simply add up.
        total.values.update(block_agreement.values)
        total.tokens.update(block_agreement.tokens)
        total.proofs.update(block_agreement.proofs)
        total.first_proof.update(block_agreement.first_proof)
        total.complete = total.complete and block_agreement.complete
        total.parts.append(block_agreement.count)
    total.count = math.prod(total.parts)
    return total
