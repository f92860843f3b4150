"""Glued digits: a row's digit runs split into its cells, decided by the identities.

A flattened page runs a row's cells together (``（七）总计3210000033``): the binder hands such a
row over with ``RowEvidence.glued`` set, its digit runs as tokens.  Here every way to cut the runs
into numbers and place them in the row's cells is an *alternative*:

- a number has no leading zero (except a lone ``0``), at most :data:`MAX_PIECE` characters, a
  decimal point only in an amount column and a sign only in a signed one;
- cells may get no number (a blank cell leaves no trace in a run), as in the placements of
  :mod:`.placements`; a token that is not a digit run (``/``, ``12万元``) is placed whole.

The truth is always among the alternatives, so a cell is decided only when every alternative
consistent with the identities agrees on it.  Each row's alternatives are checked against the
table's identities alone, then the rows linked by identities (table 3's columns, say) are
searched jointly.  Alternatives are *counted* before they are enumerated (a count over cut
positions and cells), and a row whose count exceeds what is left of the table's budget is not
enumerated at all; the joint search spends one evaluation per partial assignment and stops when
the budget runs out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import attrs

from ..bind.table import BoundTable, CellKey, RowEvidence
from ..common.text import FULLWIDTH_DIGITS
from ..model import CellRecord, Number, Status
from ..templates import TableSpec
from ..templates.spec import ValueKind
from .agreement import CONFLICT
from .placements import Budget
from .system import Eq, System, state

MAX_PIECE = 12
"""The most characters one cell's number may have when cut from a run (sign and point
included): a report's counts have at most seven digits, its sums of money a few more."""

_ASCII = str.maketrans(FULLWIDTH_DIGITS + "．－\u2212", "0123456789.--")
_RUN_CHARS = frozenset("0123456789.-")

Key = tuple[Number | None, ...]
"""One alternative: the number each cell of the row gets (None: no number)."""


def _piece(text: str, kind: ValueKind) -> Number | None:
    """The value of ``text`` as one cell's number in a column of ``kind``, or None if it cannot
    be one (a leading zero, a point outside an amount, a sign outside a signed column)."""
    body = text
    if body.startswith("-"):
        body = body[1:]
        if kind != "signed" or body in ("", "0"):
            return None
    whole, point, fraction = body.partition(".")
    if point and (kind != "amount" or not fraction.isdigit() or not fraction.isascii()):
        return None
    if not whole or not whole.isdigit() or not whole.isascii():
        return None
    if len(whole) > 1 and whole[0] == "0":
        return None
    return Decimal(text) if point or kind == "amount" else int(text)


@attrs.frozen(slots=True)
class Units:
    """A glued row's tokens as runs to cut (``str``) or numbers to place whole (``Number``,
    None for ``/``), and the value kind of each of its cells."""

    units: tuple[str | Number | None, ...]
    kinds: tuple[ValueKind, ...]
    only: tuple[Number | None, ...] = ()
    """Per cell, the value the other cells' known values already fix (None: not fixed)."""
    most: tuple[Number | None, ...] = ()
    """Per cell, the largest value the known cells leave it (None: no bound)."""

    def value(self, text: str, c: int) -> Number | None:
        """The value of ``text`` as cell ``c``'s number, or None if it cannot be that."""
        value = _piece(text, self.kinds[c])
        if value is None or not self.only:
            return value
        only, most = self.only[c], self.most[c]
        if (only is not None and value != only) or (most is not None and value > most):
            return None
        return value

    @property
    def length(self) -> int:
        return sum(len(u) for u in self.units if isinstance(u, str))


def units_of(row: RowEvidence, spec: TableSpec) -> Units | None:
    """The row's units, or None when no token is a run of two or more characters (then the row
    is an ordinary one: :mod:`.placements` places its tokens)."""
    kinds: dict[CellKey, ValueKind] = {}
    for r in spec.rows:
        for c in r.columns:
            kinds[(r.key, c.key)] = c.kind or r.kind
    out: list[str | Number | None] = []
    runs = False
    for token in row.tokens:
        value = token.value
        text = token.text[value.start : value.end].translate(_ASCII)
        if value.kind == "number" and value.unit is None and set(text) <= _RUN_CHARS:
            out.append(text)
            runs = runs or len(text) > 1
        else:
            out.append(value.value)
    if not runs:
        return None
    return Units(tuple(out), tuple(kinds.get(k, "count") for k in row.cells))


class _Table:
    """The memoised count of ``ways(u, pos, c)``: how many ways the units from unit ``u`` (at
    ``pos`` in it) go into the cells from ``c`` on (at most length x cells states), and each
    piece's value per cell, computed once."""

    def __init__(self, units: Units) -> None:
        self.units = units
        self.k = len(units.kinds)
        self.memo: dict[tuple[int, int, int], int] = {}
        self.pieces: dict[tuple[int, int, int], list[tuple[Number, int, int]]] = {}

    def steps(self, u: int, pos: int, c: int) -> list[tuple[Number, int, int]]:
        """Cell ``c``'s possible numbers from unit ``u`` at ``pos``: (value, next u, next pos)."""
        at = (u, pos, c)
        found = self.pieces.get(at)
        if found is None:
            unit = self.units.units[u]
            found = []
            if isinstance(unit, str):
                for end in range(pos + 1, min(len(unit), pos + MAX_PIECE) + 1):
                    value = self.units.value(unit[pos:end], c)
                    if value is not None:
                        found.append((value, *((u + 1, 0) if end == len(unit) else (u, end))))
            self.pieces[at] = found
        return found

    def ways(self, u: int, pos: int, c: int) -> int:
        at = (u, pos, c)
        count = self.memo.get(at)
        if count is not None:
            return count
        seq = self.units.units
        if u == len(seq):
            count = 1  # the cells left get no number
        elif c == self.k:
            count = 0
        else:
            count = self.ways(u, pos, c + 1)  # cell c gets no number
            if not isinstance(seq[u], str):
                count += self.ways(u + 1, 0, c + 1)
            else:
                count += sum(self.ways(nu, npos, c + 1) for _, nu, npos in self.steps(u, pos, c))
        self.memo[at] = count
        return count


def _possible(units: Units) -> bool:
    """Whether any split can exist at all (checked before any table of states is built)."""
    k = len(units.kinds)
    fixed = sum(1 for u in units.units if not isinstance(u, str))
    return fixed <= k and units.length <= k * MAX_PIECE


def split_count(units: Units) -> int:
    """How many alternatives the row has: counted over cut positions, none enumerated."""
    return _Table(units).ways(0, 0, 0) if _possible(units) else 0


def splits(units: Units) -> list[Key]:
    """Every alternative, in order (as many as :func:`split_count` says: the caller counts
    first); a branch is entered only where the count says an alternative lies, so the work is
    that of the alternatives."""
    if not _possible(units):
        return []
    seq = units.units
    k = len(units.kinds)
    table = _Table(units)
    ways = table.ways
    out: list[Key] = []
    chosen: list[Number | None] = []

    def walk(u: int, pos: int) -> None:
        c = len(chosen)
        if u == len(seq):
            out.append((*chosen, *([None] * (k - c))))
            return
        if ways(u, pos, c + 1):
            chosen.append(None)
            walk(u, pos)
            chosen.pop()
        unit = seq[u]
        if not isinstance(unit, str):
            if ways(u + 1, 0, c + 1):
                chosen.append(unit)
                walk(u + 1, 0)
                chosen.pop()
            return
        for value, nu, npos in table.steps(u, pos, c):
            if ways(nu, npos, c + 1):
                chosen.append(value)
                walk(nu, npos)
                chosen.pop()

    if ways(0, 0, 0):
        walk(0, 0)
    return out


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
                    possible.append(frozenset(alt[0][at[1]] for alt in domains[at[0]]))
            for j, (sign, key) in enumerate(terms):
                if key not in where:
                    continue
                r, i = where[key]
                domain = domains[r]
                if len(domain) > budget.left:
                    return True  # out of budget: what is pruned so far stays pruned
                budget.used += len(domain)
                fits = _supports(terms, possible, j)
                if fits is None:
                    continue
                kept = [alt for alt in domain if _fits(fits, sign, alt[0][i])]
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


class _Index:
    """A row's alternatives as bit sets by the value each puts in each cell, so that those
    compatible with the values already determined are found with a few ``&``."""

    def __init__(self, domain: Sequence[Key], offset: int) -> None:
        k = len(domain[0])
        self.offset = offset
        self.domain = domain
        self.all = (1 << len(domain)) - 1
        self.by_value: list[dict[Number, int]] = [{} for _ in range(k)]
        self.open = [0] * k
        """Per cell, the alternatives that give it no number (any value fits them)."""
        for j, key in enumerate(domain):
            bit = 1 << j
            for i, v in enumerate(key):
                if v is None:
                    self.open[i] |= bit
                else:
                    self.by_value[i][v] = self.by_value[i].get(v, 0) | bit

    def compatible(self, values: Mapping[int, Number]) -> int:
        mask = self.all
        for i, by_value in enumerate(self.by_value):
            v = values.get(self.offset + i)
            if v is not None:
                mask &= by_value.get(v, 0) | self.open[i]
                if not mask:
                    break
        return mask


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
        best, mask, fewest = -1, 0, -1
        for r in left:
            m = rows[r].compatible(values)
            n = m.bit_count()
            if n == 0:
                return True
            if fewest < 0 or n < fewest:
                best, mask, fewest = r, m, n
        rest = [r for r in left if r != best]
        row = rows[best]
        while mask:
            low = mask & -mask
            mask ^= low
            key = row.domain[low.bit_length() - 1]
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


INCONSISTENT = "glued-digits-inconsistent"
"""The code of a glued row no split of which agrees with the identities."""
_OPEN = (Status.AMBIGUOUS, Status.MISSING)
Notes = dict[tuple[int, int], tuple[RowEvidence, str, str]]


def _evidence(key: CellKey, eqs: Sequence[Eq]) -> str:
    """What proves a cell cut from a run: the identities it stands in, or the run's form."""
    ids = [eq_id for eq_id, left, right in eqs if key in left or key in right]
    return " ".join(ids) or "glued-digits"


def _runs(units: Units) -> str:
    return ", ".join(u if isinstance(u, str) else str(u) for u in units.units)


def glued_rows(
    bound: BoundTable,
    glued: Sequence[tuple[int, Units]],
    eqs: Sequence[Eq],
    budget: Budget,
    notes: Notes,
    short: dict[int, tuple[int, int, str]],
    waiting: set[CellKey],
) -> bool:
    """Split the glued rows ``glued`` (row index, units) and record what the identities prove;
    whether any cell was proven.  ``waiting`` holds the cells of ordinary rows still to be
    tried: theirs to decide from their own numbers."""
    rows = bound.unfitted
    live = [(i, u) for i, u in glued if any(bound.cells[k].status in _OPEN for k in rows[i].cells)]
    if not live:
        return False
    cut = {k for i, _ in live for k in rows[i].cells}
    all_known, all_unknown = state(bound.cells)
    known = {k: v for k, v in all_known.items() if k not in cut}
    units_of_row = dict(live)
    proven = False
    for group in groups([(i, rows[i]) for i, _ in live], eqs, known, all_unknown | cut):
        domains: list[list[Alternative]] = []
        tried: list[int] = []
        offsets: list[int] = []
        counts: list[int] = []
        for at, i in enumerate(group.rows):
            row = rows[i]
            units = _bounded(units_of_row[i], group, at, row, known)
            count = split_count(units)
            if count > budget.left:
                short[i] = (count, budget.left, "splits")
                continue
            domain = row_domain(group, at, units, budget)
            if not domain:
                _inconsistent(notes, i, row, units, count)
                continue
            domains.append(domain)
            tried.append(i)
            offsets.append(group.offsets[at])
            counts.append(count)
        if not tried:
            continue
        where = {k: (r, c) for r, i in enumerate(tried) for c, k in enumerate(rows[i].cells)}
        if not prune(group, domains, where, known, budget):
            # No combination of the rows' splits keeps every identity: the source breaks one.
            for i in tried:
                _inconsistent(notes, i, rows[i], units_of_row[i], -1)
            continue
        for i, domain, count in zip(tried, domains, counts, strict=True):
            agreed = Joint()
            for _, values in domain:
                agreed.add(values)
            proven = _record(bound, agreed, rows[i].cells, group.eqs) or proven
            notes[(0, i)] = (
                rows[i], "glued-digits",
                f"its digits were run together ({_runs(units_of_row[i])}): {len(domain)} of "
                f"the {count} ways to split them into its cells agree with the identities",
            )  # fmt: skip
        keys = [[key for key, _ in domain] for domain in domains]
        cost = (len(keys) + 1) * product(keys)
        first = rows[tried[0]]
        if cost > budget.left:
            notes[(2, tried[0])] = (
                first, "recovery-budget-exhausted",
                f"{bound.spec.key} {first.row or 'data row'}: the joint search of "
                f"{len(tried)} glued rows was not tried, its up to {cost} evaluations exceed "
                f"what was left of the table's budget ({budget.left} of {budget.limit}); each "
                "row is decided from its own splits only",
            )  # fmt: skip
            continue
        joint = search(attrs.evolve(group, offsets=tuple(offsets)), keys, budget)
        if not joint.complete:
            continue  # (not reached: the cost above bounds the search)
        if len(tried) > 1:
            for i in tried:
                row, head = rows[i], notes[(0, i)][2]
                notes[(0, i)] = (
                    row, "glued-digits",
                    f"{head}; jointly with {len(tried) - 1} other glued rows, {joint.count} "
                    "combinations agree",
                )  # fmt: skip
        others = [k for k in group.system.cells if k not in cut and k not in waiting]
        cells = [k for i in tried for k in rows[i].cells]
        proven = _record(bound, joint, [*cells, *others], group.eqs) or proven
    return proven


def _bounded(
    units: Units, group: Group, at: int, row: RowEvidence, known: Mapping[CellKey, Number]
) -> Units:
    """The row's units with what the known cells say of each cell: a value the identities fix
    from them alone, or the most it can be (counts are never negative)."""
    k = len(row.cells)
    ok, values, _ = group.system.solve([])
    offset = group.offsets[at]
    only = [values.get(offset + i) if ok else None for i in range(k)]
    most: list[Number | None] = [None] * k
    place = {key: i for i, key in enumerate(row.cells)}
    for _, left, right in group.eqs:
        for side, other in ((left, right), (right, left)):
            if all(key in known for key in other):
                room = sum(known[key] for key in other) - sum(known.get(key, 0) for key in side)
                for key in side:
                    i = place.get(key, -1)
                    if i >= 0 and (most[i] is None or room < most[i]):  # type: ignore[operator]
                        most[i] = room
    return attrs.evolve(units, only=tuple(only), most=tuple(most))


def _inconsistent(notes: Notes, i: int, row: RowEvidence, units: Units, count: int) -> None:
    if count < 0:
        why = "no combination of the splits of the glued rows agrees with the identities"
    elif count:
        why = "no split of them into its cells agrees with the identities"
    else:
        why = "they cannot be split into its cells"
    notes[(0, i)] = (
        row, INCONSISTENT,
        f"its digits were run together ({_runs(units)}); {why}: the numbers as written are "
        "kept here",
    )  # fmt: skip


def _record(bound: BoundTable, agreed: Joint, keys: Sequence[CellKey], eqs: Sequence[Eq]) -> bool:
    """Record as inferred each open cell of ``keys`` on which every alternative agrees."""
    table = bound.spec.key
    proven = False
    for key in keys:
        if bound.cells[key].status not in _OPEN:
            continue
        value = agreed.value(key)
        if value is None:
            continue
        bound.cells[key] = CellRecord(
            table, key[0], key[1], value, Status.INFERRED, identity=_evidence(key, eqs)
        )
        proven = True
    return proven
