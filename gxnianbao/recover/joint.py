"""Glued rows decided together: each row's alternatives, narrowed across rows, searched jointly.

Why its own module: :mod:`.glued` drives and records; here are the three steps between, each
within the table's budget: a row's alternatives checked against the identities
(:func:`row_domain`), alternatives no other row can balance dropped (:func:`prune`, arc
consistency), and the remaining combinations tried (:func:`search`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from ..bind.table import CellKey, RowEvidence
from ..model import Number
from .agreement import CONFLICT
from .placements import Budget
from .splits import Key, Units, splits
from .system import Eq, System


class Joint:
    """What every consistent assignment of a group of linked rows agrees on, cell by cell."""

    def __init__(self) -> None:
        self.count = 0
        self.values: dict[CellKey, object] = {}
        self.complete = True
        """False when the search ran out of budget: then nothing it found may be used."""

    def add(self, values: Mapping[CellKey, Number]) -> None:
        self.count += 1
        mine = self.values
        if self.count == 1:
            mine.update(values)
            return
        for key, value in mine.items():
            if value is not CONFLICT and values.get(key, CONFLICT) != value:
                mine[key] = CONFLICT

    def settled(self) -> bool:
        return all(v is CONFLICT for v in self.values.values())

    def value(self, key: CellKey) -> Number | None:
        value = self.values.get(key, CONFLICT)
        return None if value is CONFLICT else value  # type: ignore[return-value]


@attrs.frozen(slots=True)
class Group:
    """Glued rows linked by identities through their unknown cells, searched together."""

    rows: tuple[int, ...]
    system: System
    eqs: tuple[Eq, ...]
    """The identities that reach its rows' cells through unknown cells."""
    offsets: tuple[int, ...]
    """Each row's first variable in the system (its cells are the next ones, in order)."""


def groups(
    glued: Sequence[tuple[int, RowEvidence]],
    eqs: Sequence[Eq],
    known: Mapping[CellKey, Number],
    unknown: set[CellKey],
) -> list[Group]:
    """The glued rows cut into groups that share no identity through unknown cells."""
    parent: dict[CellKey, CellKey] = {}

    def find(x: CellKey) -> CellKey:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(keys: Sequence[CellKey]) -> None:
        if keys:
            root = find(keys[0])
            for key in keys[1:]:
                parent[find(key)] = root

    for _, row in glued:
        join(row.cells)
    for _, left, right in eqs:
        join([k for k in (*left, *right) if k in unknown])
    members: dict[CellKey, list[int]] = {}
    for i, (_, row) in enumerate(glued):
        members.setdefault(find(row.cells[0]), []).append(i)
    out = []
    for root, rows in members.items():
        mine = {k for k in unknown if k in parent and find(k) == root}
        relevant = [eq for eq in eqs if any(k in mine for k in (*eq[1], *eq[2]))]
        variables: list[CellKey] = []
        offsets = []
        for i in rows:
            offsets.append(len(variables))
            variables.extend(glued[i][1].cells)
        taken = set(variables)
        variables.extend(sorted(k for k in mine if k not in taken))
        system = System(relevant, known, variables)
        group = Group(tuple(glued[i][0] for i in rows), system, tuple(relevant), tuple(offsets))
        out.append(group)
    return out


Alternative = tuple[Key, dict[CellKey, Number]]
"""An alternative, and the values it gives the row's cells once the identities are solved
(a cell that gets no number may still be solved for)."""


def row_domain(group: Group, at: int, units: Units, budget: Budget) -> list[Alternative]:
    """The row's alternatives that agree with the identities (the other rows unknown).  The
    caller has checked that their count fits the budget."""
    system = group.system
    offset = group.offsets[at]
    domain: list[Alternative] = []
    seen: set[Key] = set()
    k = len(units.kinds)
    for key in splits(units):
        budget.used += 1
        if key in seen:
            continue
        seen.add(key)
        ok, values, _ = system.solve([(offset + i, v) for i, v in enumerate(key) if v is not None])
        if ok:
            cells = system.cells
            domain.append((key, {cells[offset + i]: values[offset + i] for i in range(k)
                                 if offset + i in values}))  # fmt: skip
    return domain


_SUMS = 256
"""The most distinct sums :func:`prune` keeps for the other side of an identity; with more it
assumes any sum is possible (it prunes less, never wrongly)."""


def _sums(terms: Sequence[tuple[int, Sequence[Number]]]) -> set[Number] | None:
    """Every value of ``sum(sign * v)`` over the finite terms, or None if there are too many."""
    sums: set[Number] = {0}
    for sign, values in terms:
        if len(sums) * len(values) > _SUMS * 8:
            return None
        sums = {a + sign * v for a in sums for v in values}
        if len(sums) > _SUMS:
            return None
    return sums


def prune(
    group: Group,
    domains: list[list[Alternative]],
    where: Mapping[CellKey, tuple[int, int]],
    known: Mapping[CellKey, Number],
    budget: Budget,
) -> bool:
    """Drop, identity by identity until nothing changes, each alternative whose number in a
    cell no choice of the other cells' possible values can balance (arc consistency).  Sound:
    a dropped alternative is in no consistent combination.  False when a row has none left.

    ``where`` gives each glued cell's (row, index); other unknown cells are free (any count).
    """
    changed = True
    while changed:
        changed = False
        for _, left, right in group.eqs:
            terms = [(1, key) for key in left] + [(-1, key) for key in right]
            # Each term's possible values (None among them: free), once per identity visited;
            # pruning a row meanwhile leaves them a superset, which prunes less, never wrongly.
            possible: list[frozenset[Number | None]] = []
            for _, key in terms:
                at = where.get(key)
                if key in known:
                    possible.append(frozenset((known[key],)))
                elif at is None:
                    possible.append(frozenset((None,)))
                else:
                    possible.append(frozenset(alt[1].get(key) for alt in domains[at[0]]))
            for j, (sign, key) in enumerate(terms):
                if key not in where:
                    continue
                r = where[key][0]
                domain = domains[r]
                if len(domain) > budget.left:
                    return True  # out of budget: what is pruned so far stays pruned
                budget.used += len(domain)
                fits = _supports(terms, possible, j)
                if fits is None:
                    continue
                kept = [alt for alt in domain if _fits(fits, sign, alt[1].get(key))]
                if len(kept) < len(domain):
                    domains[r] = kept
                    changed = True
                    if not kept:
                        return False
    return True


def _fits(fits: Callable[[Number], bool], sign: int, value: Number | None) -> bool:
    return value is None or fits(sign * value)


def _supports(
    terms: Sequence[tuple[int, CellKey]], possible: Sequence[frozenset[Number | None]], j: int
) -> Callable[[Number], bool] | None:
    """Whether a signed value of term ``j`` can be balanced by the others (None: always)."""
    finite: list[tuple[int, Sequence[Number]]] = []
    up = down = False
    """Whether a free term can add to the sum (up) or take from it (down)."""
    for t, ((sign, _), values) in enumerate(zip(terms, possible, strict=True)):
        if t == j:
            continue
        if None in values:
            up, down = up or sign > 0, down or sign < 0
            if up and down:
                return None
        else:
            finite.append((sign, tuple(values)))  # type: ignore[arg-type]
    low = sum(min(sign * v for v in vs) for sign, vs in finite)
    high = sum(max(sign * v for v in vs) for sign, vs in finite)
    if up:
        return lambda x: x + low <= 0
    if down:
        return lambda x: x + high >= 0
    sums = _sums(finite)
    if sums is None:
        return lambda x: low <= -x <= high
    return lambda x: -x in sums


_INDEXED = 4096
"""A row with more alternatives is filtered by a scan, not indexed by bit sets: the bit sets
of one row cost up to cells x alternatives² bits (with the joint search's cost bound, at most
one row of a search can be this large)."""


class _Index:
    """A row's alternatives as bit sets by the value each puts in each cell, so that those
    compatible with the values already determined are found with a few ``&``."""

    def __init__(self, domain: Sequence[Key], offset: int) -> None:
        k = len(domain[0])
        self.offset = offset
        self.domain = domain
        self.indexed = len(domain) <= _INDEXED
        self.all = (1 << len(domain)) - 1 if self.indexed else 0
        self.by_value: list[dict[Number, int]] = [{} for _ in range(k)]
        self.open = [0] * k
        """Per cell, the alternatives that give it no number (any value fits them)."""
        if not self.indexed:
            return
        for j, key in enumerate(domain):
            bit = 1 << j
            for i, v in enumerate(key):
                if v is None:
                    self.open[i] |= bit
                else:
                    self.by_value[i][v] = self.by_value[i].get(v, 0) | bit

    def compatible(self, values: Mapping[int, Number]) -> tuple[int, int | list[int]]:
        """How many alternatives fit the values determined, and which (a bit set or list)."""
        fixed: list[tuple[int, Number]] = []
        for i in range(len(self.by_value)):
            v = values.get(self.offset + i)
            if v is not None:
                fixed.append((i, v))
        if not self.indexed:
            chosen = [
                j for j, key in enumerate(self.domain)
                if all(key[i] is None or key[i] == v for i, v in fixed)
            ]  # fmt: skip
            return len(chosen), chosen
        mask = self.all
        for i, v in fixed:
            mask &= self.by_value[i].get(v, 0) | self.open[i]
            if not mask:
                break
        return mask.bit_count(), mask

    def members(self, chosen: int | list[int]) -> Iterator[Key]:
        if isinstance(chosen, list):
            yield from (self.domain[j] for j in chosen)
            return
        while chosen:
            low = chosen & -chosen
            chosen ^= low
            yield self.domain[low.bit_length() - 1]


def search(group: Group, domains: Sequence[Sequence[Key]], budget: Budget) -> Joint:
    """Every combination of the rows' alternatives that the identities allow, jointly: what
    they agree on.  The row with the fewest alternatives compatible with what is determined so
    far is chosen next; one evaluation per partial combination; out of budget, incomplete."""
    system = group.system
    rows = [_Index(d, o) for d, o in zip(domains, group.offsets, strict=True)]
    joint = Joint()
    given: list[tuple[int, Number]] = []

    def walk(left: list[int]) -> bool:
        """False to stop: out of budget, or nothing more to learn."""
        if budget.left <= 0:
            joint.complete = False
            return False
        budget.used += 1
        ok, values, _ = system.solve(given)
        if not ok:
            return True
        if not left:
            joint.add({system.cells[i]: v for i, v in values.items()})
            return not (joint.count % 16 == 0 and joint.settled())
        best, fewest = -1, -1
        chosen: int | list[int] = 0
        for r in left:
            n, fits = rows[r].compatible(values)
            if n == 0:
                return True
            if fewest < 0 or n < fewest:
                best, chosen, fewest = r, fits, n
        rest = [r for r in left if r != best]
        row = rows[best]
        for key in row.members(chosen):
            mark = len(given)
            given.extend((row.offset + i, v) for i, v in enumerate(key) if v is not None)
            going = walk(rest)
            del given[mark:]
            if not going:
                return False
        return True

    walk(list(range(len(rows))))
    return joint


def product(domains: Sequence[Sequence[Key]]) -> int:
    return math.prod(len(d) for d in domains)
