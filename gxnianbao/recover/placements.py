"""Identities -> placements of dropped or extra numbers.

When a row has fewer numbers than cells (a scrape dropped empty cells) or more (a phantom
column), the binder leaves the uncertain cells ``ambiguous``.  Here every order-preserving
placement of the row's numbers is tried against the template's identities (勾稽关系):

- a placement puts the row's numbers into its cells in order; cells that get no number, and every
  other unknown cell of the table, are *unknowns*, never assumed to be zero;
- identities with one unknown are solved for it (a count must come out a non-negative integer);
  identities with none must hold; a placement that breaks one is dropped;
- a cell gets a value only if every remaining placement gives it that value.

A value is ``reported`` (with the span of its number) only when every remaining placement puts
the same written number in the cell.  When the placements agree on the value but not on which
written number stands in the cell (or whether one does at all), the value is ``inferred``, names
the identities that prove it, and has no span; the written numbers stay listed in the row's
``row-count-mismatch`` diagnostic.  Values no placement wrote are ``inferred`` too.  Blank and
``/`` cells are left as they are and treated as unknowns, because blank may mean zero or "not
filled".

The work is bounded: each table has a budget of :data:`BUDGET` placement evaluations, counted
over all rows and retries.  A row whose placements no longer fit in what is left is not tried;
its cells stay ``ambiguous`` with a ``recovery-budget-exhausted`` diagnostic.  A row whose cells
fall apart into independent groups (table 4's 行政复议 / 直接起诉 / 复议后起诉) is worked out
group by group, so its cost is a sum over the groups, not a product.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal

import attrs

from ..bind.table import BoundTable, CellKey, RowEvidence
from ..common.lines import Cell
from ..model import CellRecord, Diagnostic, Number, Severity, Status
from ..templates.identities import Equation

BUDGET = 50_000
"""Placement evaluations allowed per table, over all its rows and retries."""

MAX_PLACEMENTS = BUDGET
"""Kept for compatibility: no row is tried with more placements than the table's budget."""

_KNOWN = (Status.REPORTED, Status.INFERRED)

_Eq = tuple[str, list[CellKey], list[CellKey]]

_stats = threading.local()


def last_evaluations() -> dict[str, int]:
    """Placement evaluations used per table by the latest recovery in this thread.

    One entry per table key (``applications``, ``review_litigation``), overwritten each time a
    table is recovered; each value is at most :data:`BUDGET`.
    """
    return dict(getattr(_stats, "used", {}))


def _equations_of(table: str, equations: Iterable[Equation]) -> list[_Eq]:
    out = []
    for eq in equations:
        if eq.left and eq.left[0][0] == table:
            out.append((eq.id, [(r, c) for _, r, c in eq.left], [(r, c) for _, r, c in eq.right]))
    return out


def _state(cells: Mapping[CellKey, CellRecord]) -> tuple[dict[CellKey, Number], set[CellKey]]:
    known: dict[CellKey, Number] = {}
    unknown: set[CellKey] = set()
    for key, rec in cells.items():
        if rec.status in _KNOWN and rec.value is not None:
            known[key] = rec.value
        elif rec.status in (Status.MISSING, Status.AMBIGUOUS):
            unknown.add(key)
    return known, unknown


# --- a linear system solved by propagation --------------------------------------------------


class _System:
    """Identities reduced to ``const + sum(sign * x) == 0`` over their variable cells.

    Known cells are folded into the constant.  An identity that holds a cell which is neither
    known nor a variable (a blank or ``/`` cell) can neither be checked nor solved: it is left
    out, as it would never fire.
    """

    def __init__(
        self, eqs: Sequence[_Eq], known: Mapping[CellKey, Number], variables: Iterable[CellKey]
    ) -> None:
        self.index: dict[CellKey, int] = {}
        self.cells: list[CellKey] = []
        for key in variables:
            if key not in self.index:
                self.index[key] = len(self.cells)
                self.cells.append(key)
        self.ids: list[str] = []
        self.consts: list[Number] = []
        self.terms: list[list[tuple[int, int]]] = []
        self.occurs: list[list[tuple[int, int]]] = [[] for _ in self.cells]
        for eq_id, left, right in eqs:
            const: Number = 0
            terms: list[tuple[int, int]] = []
            usable = True
            for sign, side in ((1, left), (-1, right)):
                for key in side:
                    i = self.index.get(key)
                    if i is not None:
                        terms.append((i, sign))
                    elif key in known:
                        const += sign * known[key]
                    else:
                        usable = False
            if not usable:
                continue
            e = len(self.ids)
            self.ids.append(eq_id)
            self.consts.append(const)
            self.terms.append(terms)
            for i, sign in terms:
                self.occurs[i].append((e, sign))
        self.counts = [len(t) for t in self.terms]
        self.ready = [e for e, n in enumerate(self.counts) if n <= 1]
        self.closed: list[tuple[Number, list[tuple[int, int]]]] = []
        """Identities over the first ``head`` variables only, checked before any solving."""

    def close_over(self, head: int) -> None:
        """Note the identities whose variables are all among the first ``head`` (a row's)."""
        self.closed = [
            (c, t)
            for c, t in zip(self.consts, self.terms, strict=True)
            if t and all(i < head for i, _ in t)
        ]

    def breaks(self, values: Sequence[Number | None]) -> bool:
        """Whether the placed values already break an identity among the row's cells alone."""
        for const, terms in self.closed:
            total = const
            for i, sign in terms:
                v = values[i]
                if v is None:
                    break
                total += sign * v
            else:
                if total != 0:
                    return True
        return False

    def solve(
        self, given: Iterable[tuple[int, Number]]
    ) -> tuple[bool, dict[int, Number], dict[int, str]]:
        """Propagate from ``given`` (variable index, value): consistent?, values, proofs."""
        residual = list(self.consts)
        counts = list(self.counts)
        values: dict[int, Number] = {}
        proofs: dict[int, str] = {}
        queue = list(self.ready)
        occurs = self.occurs
        terms = self.terms
        todo = list(given)
        while True:
            while todo:
                i, x = todo.pop()
                values[i] = x
                for e, sign in occurs[i]:
                    residual[e] += sign * x
                    counts[e] -= 1
                    if counts[e] <= 1:
                        queue.append(e)
            if not queue:
                return True, values, proofs
            e = queue.pop()
            n = counts[e]
            if n == 0:
                if residual[e] != 0:
                    return False, {}, {}
            elif n == 1:
                i, sign = next(t for t in terms[e] if t[0] not in values)
                value = -residual[e] * sign
                if value < 0 or (isinstance(value, Decimal) and value != value.to_integral_value()):
                    return False, {}, {}
                proofs[i] = self.ids[e]
                todo.append((i, int(value)))


# --- what all consistent placements agree on -------------------------------------------------


_CONFLICT = object()


class _Agreement:
    """What every consistent placement agrees on, gathered one placement at a time.

    Per cell: its value (or a conflict), the written token it holds (``None`` for none, or a
    conflict when placements differ on it), and the identities that proved it where it was not
    written.
    """

    def __init__(self) -> None:
        self.count = 0
        self.complete = True
        """False when the enumeration stopped early because nothing more could be learned."""
        self.values: dict[CellKey, object] = {}
        self.tokens: dict[CellKey, object] = {}
        self.proofs: dict[CellKey, list[str]] = {}
        self.first_proof: dict[CellKey, str] = {}
        self.parts: list[int] = []
        """For a row placed group by group: the consistent placements of each group's part."""

    def add(
        self,
        values: Mapping[CellKey, Number],
        tokens: Mapping[CellKey, Cell | None],
        proofs: Mapping[CellKey, str],
    ) -> None:
        self._merge(values, tokens, proofs, 1, True)

    def merge(self, other: _Agreement) -> None:
        """Fold in the placements of another agreement (of the same cells)."""
        proofs = {k: v for k, v in other.first_proof.items()}
        self._merge(other.values, other.tokens, proofs, other.count, other.complete)
        for key, ids in other.proofs.items():
            mine = self.proofs.setdefault(key, [])
            mine.extend(i for i in ids if i not in mine)

    def _merge(
        self,
        values: Mapping[CellKey, object],
        tokens: Mapping[CellKey, object],
        proofs: Mapping[CellKey, str],
        count: int,
        complete: bool,
    ) -> None:
        first = self.count == 0
        self.count += count
        self.complete = self.complete and complete
        mine = self.values
        if first:
            mine.update(values)
            self.tokens.update(tokens)
        else:
            for key, value in values.items():
                if mine.get(key, _CONFLICT) != value:
                    mine[key] = _CONFLICT
            for key in mine:
                if key not in values:
                    mine[key] = _CONFLICT
            held = self.tokens
            for key, token in tokens.items():
                if held.get(key, _CONFLICT) is not token:
                    held[key] = _CONFLICT
        for key, proof in proofs.items():
            self.first_proof.setdefault(key, proof)
            ids = self.proofs.setdefault(key, [])
            if proof not in ids:
                ids.append(proof)

    def settled(self) -> bool:
        """Nothing more can be learned: every cell already has two different values."""
        if any(v is not _CONFLICT for v in self.values.values()):
            return False
        # A written ``/`` is accepted as not applicable if every placement puts it in its cell.
        return all(
            t is _CONFLICT or t is None or t.value.kind != "na"  # type: ignore[attr-defined]
            for t in self.tokens.values()
        )

    def value(self, key: CellKey) -> Number | None:
        value = self.values.get(key, _CONFLICT)
        return None if value is _CONFLICT else value  # type: ignore[return-value]


# --- placements ----------------------------------------------------------------------------


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


def _count(n: int, k: int) -> int:
    return math.comb(k, n) if n <= k else math.comb(n, k)


@attrs.define
class _Budget:
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
    system: _System


def _relevant(row: RowEvidence, eqs: Sequence[_Eq], unknown: set[CellKey]) -> list[_Eq]:
    """The identities connected to the row (through unknown cells): only they can decide it."""
    reach = set(row.cells)
    relevant: list[_Eq] = []
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


def _components(eqs: Sequence[_Eq], variable: set[CellKey]) -> list[list[_Eq]]:
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
    row: RowEvidence, cells: Mapping[CellKey, CellRecord], eqs: Sequence[_Eq], split: bool = True
) -> list[_Block]:
    """The row cut into independent contiguous blocks (one block when it does not fall apart).

    ``split=False`` keeps the whole row as one block (the tests compare both ways).
    """
    all_known, all_unknown = _state(cells)
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
        system = _System(comp, known, variables)
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
    block: _Block, tokens: Sequence[Cell], a: int, b: int, fewer: bool, budget: _Budget
) -> _Agreement | None:
    """All placements of ``tokens[a:b]`` in the block's cells: what the consistent ones agree on.

    Placements that put the same values in the cells (the same number written twice, say) are
    solved once; per placement only the written token of each cell is followed.
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
    agreement = _Agreement()
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
        if ok is None and system.breaks(key):
            ok = memo[key] = False
        if ok is None:
            given = [(i, v) for i, v in enumerate(key) if v is not None]
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
            agreement.tokens[cell] = _CONFLICT
    return agreement


def _row_cost(n: int, blocks: Sequence[_Block], k: int) -> int:
    sizes = [len(b.cells) for b in blocks]
    if len(blocks) == 1:
        return _count(n, k)
    if n > k:
        # A block may take all the tokens the others leave: at least this many placements.
        # Checked first, so that a row of thousands of numbers is not even cut into ranges.
        least = max(math.comb(n - k + size, size) for size in sizes)
        if least > BUDGET:
            return least
    return sum(
        _sub_count(b - a, size, n, k)
        for size, ranges in zip(sizes, _segments(n, sizes), strict=True)
        for a, b in ranges
    )


def _try_row(
    row: RowEvidence,
    cells: Mapping[CellKey, CellRecord],
    eqs: Sequence[_Eq],
    budget: _Budget,
    split: bool = True,
) -> _Agreement | int | None:
    """What every consistent placement of the row agrees on; None when none is consistent.

    Returns the number of evaluations it would need when that exceeds what is left of the
    budget (and then tries nothing).
    """
    blocks = _blocks(row, cells, eqs, split)
    tokens = row.tokens
    n, k = len(tokens), len(row.cells)
    cost = _row_cost(n, blocks, k)
    if cost > budget.left:
        return cost
    fewer = n <= k
    sizes = [len(b.cells) for b in blocks]
    if len(blocks) == 1:
        return _try_block(blocks[0], tokens, 0, n, fewer, budget)
    # Independent blocks: a whole placement is consistent when each block's part is, so each
    # block's token range is tried once, and a range counts if the others can take the rest.
    m = len(blocks)
    ranges = _segments(n, sizes)
    found: list[dict[tuple[int, int], _Agreement]] = []
    for g in range(m):
        found.append({})
        for a, b in ranges[g]:
            agreed = _try_block(blocks[g], tokens, a, b, fewer, budget)
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
    total = _Agreement()
    for g in range(m):
        block_agreement = _Agreement()
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


def _identities_of(key: CellKey, eqs: Sequence[_Eq]) -> str | None:
    ids = [eq_id for eq_id, left, right in eqs if key in left or key in right]
    return " ".join(ids) or None


def _accept(
    bound: BoundTable, agreed: _Agreement, candidates: Iterable[CellKey], eqs: Sequence[_Eq]
) -> tuple[list[CellKey], list[CellKey]]:
    """Record the cells every placement agrees on.

    Returns the keys accepted, and those among them whose value is certain but whose written
    number is not (recorded ``inferred``, without a span).
    """
    table = bound.spec.key
    accepted: list[CellKey] = []
    unplaced: list[CellKey] = []
    for key in candidates:
        old = bound.cells[key]
        if old.status not in (Status.AMBIGUOUS, Status.MISSING):
            continue  # already known; nothing new
        token = agreed.tokens.get(key)
        sure = token is not _CONFLICT
        if isinstance(token, Cell) and token.value.kind == "na":
            bound.cells[key] = CellRecord(
                table, key[0], key[1], None, Status.NOT_APPLICABLE, token.text, token.span()
            )
            accepted.append(key)
            continue
        value = agreed.value(key)
        if value is None:
            continue
        if isinstance(token, Cell):
            bound.cells[key] = CellRecord(
                table, key[0], key[1], value, Status.REPORTED, token.text,
                token.number_span(), token.value.unit,
            )  # fmt: skip
        elif sure:
            proof = agreed.first_proof.get(key)
            bound.cells[key] = CellRecord(
                table, key[0], key[1], value, Status.INFERRED, identity=proof
            )
        else:
            # Some placements wrote a number here and others did not, or wrote another one:
            # the value is proven, which written number it is is not.
            ids = agreed.proofs.get(key) or []
            identity = " ".join(ids) if ids else _identities_of(key, eqs)
            bound.cells[key] = CellRecord(
                table, key[0], key[1], value, Status.INFERRED, identity=identity
            )
            unplaced.append(key)
        accepted.append(key)
    return accepted, unplaced


def _summary(bound: BoundTable, row: RowEvidence) -> str:
    records = [bound.cells[k] for k in row.cells]
    left = sum(1 for r in records if r.status in (Status.AMBIGUOUS, Status.MISSING))
    return f"{len(records) - left} of {len(records)} cells are certain"


def recover_table(bound: BoundTable, equations: Iterable[Equation]) -> int:
    """Place what the identities prove in one bound table (in place), with diagnostics.

    Returns the placement evaluations used (at most :data:`BUDGET`, also kept for
    :func:`last_evaluations`).
    """
    table = bound.spec.key
    eqs = _equations_of(table, equations)
    if not eqs:
        return 0
    budget = _Budget(BUDGET)
    before = {k: bound.cells[k] for row in bound.unfitted for k in row.cells}
    notes: dict[int, tuple[RowEvidence, str, str]] = {}
    unplaced_of: dict[int, set[CellKey]] = {}
    # Cheap rows first, so that one costly row cannot starve the others of the budget.
    pending = sorted(bound.unfitted, key=lambda r: _count(len(r.tokens), len(r.cells)))
    short: dict[int, tuple[RowEvidence, int, int]] = {}
    version = 0
    """How many cells recovery has accepted so far: a row is tried again only when it grew."""
    seen: dict[int, int] = {}
    progress = True
    while pending and progress:
        progress = False
        for row in list(pending):
            if not any(bound.cells[k].status is Status.AMBIGUOUS for k in row.cells):
                pending.remove(row)
                continue
            if seen.get(id(row)) == version:
                continue  # nothing new since this row was last tried
            agreed = _try_row(row, bound.cells, eqs, budget)
            if isinstance(agreed, int):
                short[id(row)] = (row, agreed, budget.left)
                pending.remove(row)
                continue
            if agreed is None:
                notes[id(row)] = (
                    row,
                    "recovery-inconsistent",
                    "no placement of this row's numbers agrees with the identities",
                )
                pending.remove(row)
                continue
            # Cells of rows still waiting are theirs to decide, from their own numbers.
            waiting = {k for r in pending if r is not row for k in r.cells}
            others = sorted({k for k in agreed.values if k not in row.cells and k not in waiting})
            accepted, unplaced = _accept(bound, agreed, [*row.cells, *others], eqs)
            if accepted:
                progress = True
                version += len(accepted)
            seen[id(row)] = version
            unplaced_of.setdefault(id(row), set()).update(k for k in unplaced if k in row.cells)
            many = "" if agreed.complete else "at least "
            if agreed.parts:
                head = (
                    f"the row falls apart into {len(agreed.parts)} independent groups; "
                    f"{many}{', '.join(map(str, agreed.parts))} placements of their numbers "
                    "agree with the identities"
                )
            else:
                head = (
                    f"{many}{agreed.count} placements of the row's numbers agree with the "
                    "identities"
                )
            notes[id(row)] = (row, "recovered-row", head)
            if not any(bound.cells[k].status is Status.AMBIGUOUS for k in row.cells):
                pending.remove(row)
    for row, cost, left in short.values():
        again = " again" if id(row) in notes else ""
        notes[-id(row)] = (
            row,
            "recovery-budget-exhausted",
            f"{table} {row.row or 'data row'}: not tried{again}, its {cost} placements exceed "
            f"what was left of the table's budget ({left} of {budget.limit} evaluations)",
        )
    # Last, what the identities prove about cells no row wrote at all.
    known, unknown = _state(bound.cells)
    system = _System(eqs, known, sorted(unknown))
    ok, values, proofs = system.solve({})
    if ok:
        for i, proof in proofs.items():
            key = system.cells[i]
            bound.cells[key] = CellRecord(
                table, key[0], key[1], values[i], Status.INFERRED, identity=proof
            )
    for row, code, head in notes.values():
        note = f"{head}; {_summary(bound, row)}"
        loose = sorted(k[1] for k in unplaced_of.get(id(row), ()))
        if loose:
            note += (
                f"; the values of {', '.join(loose)} are certain, but which written number "
                "stands in them is not: they are inferred, and the row's numbers stay in its "
                "row-count-mismatch diagnostic"
            )
        severity: Severity = "info" if code == "recovered-row" else "warning"
        bound.diagnostics.append(
            Diagnostic(code, severity, note, row.tokens[0].span() if row.tokens else None,
                       table, row.row)
        )  # fmt: skip
    _restate_mismatches(bound, before)
    used = getattr(_stats, "used", None)
    if used is None:
        used = _stats.used = {}
    used[table] = budget.used
    return budget.used


def _restate_mismatches(bound: BoundTable, before: Mapping[CellKey, CellRecord]) -> None:
    """Bring each ``row-count-mismatch`` up to date with what recovery proved of its row.

    The binder's message counts what it could place alone.  Where recovery changed a cell of
    the row, the message now says how many of its cells are reported, inferred and still
    unknown; the diagnostic keeps all the row's numbers, so nothing written is lost.
    """
    rows: dict[tuple[str | None, str | None], RowEvidence] = {
        (row.table, row.row): row for row in bound.unfitted
    }
    for i, d in enumerate(bound.diagnostics):
        row = rows.get((d.table, d.row))
        if d.code != "row-count-mismatch" or row is None:
            continue
        records = [bound.cells[k] for k in row.cells]
        if all(r is before[k] for k, r in zip(row.cells, records, strict=True)):
            continue
        count = {s: sum(1 for r in records if r.status is s) for s in Status}
        left = count[Status.AMBIGUOUS] + count[Status.MISSING]
        parts = [f"{count[Status.REPORTED]} reported"]
        if count[Status.NOT_APPLICABLE]:
            parts.append(f"{count[Status.NOT_APPLICABLE]} not applicable")
        parts.append(f"{count[Status.INFERRED]} inferred from the identities")
        head = d.message.split("; ", 1)[0]
        tail = (
            f"after recovery {', '.join(parts)}, the other {left} left unknown"
            if left
            else f"after recovery all are certain: {', '.join(parts)}"
        )
        bound.diagnostics[i] = attrs.evolve(d, message=f"{head}; {tail}")
