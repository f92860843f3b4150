"""Identities -> placements of dropped or extra numbers.

When a row has fewer numbers than cells (a scrape dropped empty cells) or more (a phantom
column), the binder leaves the uncertain cells ``ambiguous``.  Here every order-preserving
placement of the row's numbers is tried against the template's identities (勾稽关系):

- a placement puts the row's numbers into its cells in order; cells that get no number, and every
  other unknown cell of the table, are *unknowns*, never assumed to be zero;
- identities with one unknown are solved for it (a count must come out a non-negative integer);
  identities with none must hold; a placement that breaks one is dropped;
- a cell gets a value only if every remaining placement gives it that value.

Values written in the source keep status ``reported``; values no placement wrote are
``inferred`` and name the identities that prove them.  Blank and ``/`` cells are left as they
are and treated as unknowns, because blank may mean zero or "not filled".
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from .bind import BoundTable, CellKey, RowEvidence
from .identities import Equation
from .model import CellRecord, Diagnostic, Number, Severity, Status
from .readers.text import Cell

MAX_PLACEMENTS = 20_000
"""Above this many placements for one row, recovery leaves the row as it is (and says so)."""

_KNOWN = (Status.REPORTED, Status.INFERRED)


@attrs.frozen(slots=True)
class _Outcome:
    """One consistent placement: a value per cell, and where each came from."""

    values: dict[CellKey, Number]
    tokens: dict[CellKey, Cell]
    proofs: dict[CellKey, tuple[str, ...]]


def _equations_of(
    table: str, equations: Iterable[Equation]
) -> list[tuple[str, list[CellKey], list[CellKey]]]:
    out = []
    for eq in equations:
        if eq.left and eq.left[0][0] == table:
            out.append((eq.id, [(r, c) for _, r, c in eq.left], [(r, c) for _, r, c in eq.right]))
    return out


def _propagate(
    known: dict[CellKey, Number],
    unknown: set[CellKey],
    eqs: Sequence[tuple[str, list[CellKey], list[CellKey]]],
    proofs: dict[CellKey, tuple[str, ...]],
) -> bool:
    """Solve identities with one unknown until nothing changes; False if any identity breaks.

    ``known`` and ``proofs`` are extended in place with what was inferred.
    """
    changed = True
    while changed:
        changed = False
        for eq_id, left, right in eqs:
            missing = [k for k in (*left, *right) if k not in known]
            if len(missing) > 1 or any(k not in unknown for k in missing):
                continue
            if not missing:
                if sum(known[k] for k in left) != sum(known[k] for k in right):
                    return False
                continue
            target = missing[0]
            lhs = sum(known[k] for k in left if k != target)
            rhs = sum(known[k] for k in right if k != target)
            value = rhs - lhs if target in left else lhs - rhs
            if value < 0 or (isinstance(value, Decimal) and value != value.to_integral_value()):
                return False
            known[target] = int(value)
            proofs[target] = (eq_id,)
            changed = True
    return True


def _state(cells: Mapping[CellKey, CellRecord]) -> tuple[dict[CellKey, Number], set[CellKey]]:
    known: dict[CellKey, Number] = {}
    unknown: set[CellKey] = set()
    for key, rec in cells.items():
        if rec.status in _KNOWN and rec.value is not None:
            known[key] = rec.value
        elif rec.status in (Status.MISSING, Status.AMBIGUOUS):
            unknown.add(key)
    return known, unknown


def _count(n: int, k: int) -> int:
    return math.comb(k, n) if n <= k else math.comb(n, k)


_CONFLICT = object()


class _Agreement:
    """What all consistent placements of a row agree on, gathered one placement at a time."""

    def __init__(self, first: _Outcome) -> None:
        self.first = first
        self.count = 1
        self.values: dict[CellKey, object] = dict(first.values)
        self.unsure: set[CellKey] = set()
        """Cells whose value agrees but which some placements wrote and others inferred."""

    def add(self, other: _Outcome) -> None:
        self.count += 1
        values = self.values
        for key, value in other.values.items():
            mine = values.get(key, _CONFLICT)
            if mine is not _CONFLICT and mine != value:
                values[key] = _CONFLICT
            elif key not in values:
                values[key] = _CONFLICT
        for key in values:
            if key not in other.values:
                values[key] = _CONFLICT
        first_tokens = self.first.tokens
        for key, token in other.tokens.items():
            if first_tokens.get(key) is not token:
                self.unsure.add(key)
        for key in first_tokens:
            if key not in other.tokens:
                self.unsure.add(key)

    def value(self, key: CellKey) -> Number | None:
        value = self.values.get(key, _CONFLICT)
        return None if value is _CONFLICT else value  # type: ignore[return-value]


def _try_row(
    row: RowEvidence,
    cells: Mapping[CellKey, CellRecord],
    eqs: Sequence[tuple[str, list[CellKey], list[CellKey]]],
) -> _Agreement | None:
    all_known, all_unknown = _state(cells)
    # Only the identities connected to this row (through unknown cells) can decide it.
    reach = set(row.cells)
    relevant: list[tuple[str, list[CellKey], list[CellKey]]] = []
    todo = list(eqs)
    grew = True
    while grew:
        grew = False
        for eq in list(todo):
            keys = (*eq[1], *eq[2])
            if any(k in reach for k in keys):
                relevant.append(eq)
                todo.remove(eq)
                reach.update(k for k in keys if k in all_unknown)
                grew = True
    # The identities fall apart into independent components (table 4's three groups, say):
    # a placement is consistent when each component is, and each component's verdict depends
    # only on the numbers placed in its own cells, so it is worked out once per sub-placement.
    variable = set(row.cells) | all_unknown
    components = _components(relevant, variable)
    row_cells = set(row.cells)
    index_of = {cell: i for i, cell in enumerate(row.cells)}
    getters: list[Callable[[list[int]], object]] = []
    for _, comp_cells in components:
        mine = [index_of[c] for c in comp_cells if c in row_cells]
        getters.append(operator.itemgetter(*mine) if mine else (lambda _a: 0))
    memo: dict[tuple[int, object], _Verdict] = {}
    agreement: _Agreement | None = None
    tokens = row.tokens
    for assignment in _assignments(len(tokens), len(row.cells)):
        values: dict[CellKey, Number] = {}
        proofs: dict[CellKey, tuple[str, ...]] = {}
        for index, (comp_eqs, comp_cells) in enumerate(components):
            key = (index, getters[index](assignment))
            verdict = memo.get(key)
            if verdict is None:
                placed = {
                    c: tokens[assignment[index_of[c]]]
                    for c in comp_cells
                    if c in row_cells and assignment[index_of[c]] >= 0
                }
                verdict = memo[key] = _solve(
                    comp_eqs, comp_cells, all_known, all_unknown, row_cells, placed
                )
            if not verdict[0]:
                break
            values.update(verdict[1])
            proofs.update(verdict[2])
        else:
            placement = {row.cells[i]: tokens[t] for i, t in enumerate(assignment) if t >= 0}
            for k, token in placement.items():
                if token.value.value is not None:
                    values[k] = token.value.value
            outcome = _Outcome(values, placement, proofs)
            if agreement is None:
                agreement = _Agreement(outcome)
            else:
                agreement.add(outcome)
    return agreement


_Verdict = tuple[bool, dict[CellKey, Number], dict[CellKey, tuple[str, ...]]]


def _assignments(n: int, k: int) -> Iterable[list[int]]:
    """For each order-preserving placement, the token index per cell (-1: no number)."""
    if n <= k:
        for positions in itertools.combinations(range(k), n):
            a = [-1] * k
            for t, p in enumerate(positions):
                a[p] = t
            yield a
    else:
        for kept in itertools.combinations(range(n), k):
            yield list(kept)


def _components(
    eqs: Sequence[tuple[str, list[CellKey], list[CellKey]]], variable: set[CellKey]
) -> list[tuple[list[tuple[str, list[CellKey], list[CellKey]]], list[CellKey]]]:
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
    out = []
    for members in groups.values():
        comp_eqs = [eqs[i] for i in members]
        comp_cells = sorted({k for _, lhs, rhs in comp_eqs for k in (*lhs, *rhs) if k in variable})
        out.append((comp_eqs, comp_cells))
    return out


def _solve(
    eqs: Sequence[tuple[str, list[CellKey], list[CellKey]]],
    comp_cells: Sequence[CellKey],
    all_known: Mapping[CellKey, Number],
    all_unknown: set[CellKey],
    row_cells: set[CellKey],
    placement: Mapping[CellKey, Cell],
) -> tuple[bool, dict[CellKey, Number], dict[CellKey, tuple[str, ...]]]:
    """One component under one placement: consistent?, the values it fixes, and their proofs."""
    used = {k for _, lhs, rhs in eqs for k in (*lhs, *rhs)}
    known = {k: v for k, v in all_known.items() if k in used and k not in row_cells}
    unknown = {k for k in all_unknown if k in used} | (used & row_cells)
    for k in used & row_cells:
        token = placement.get(k)
        if token is not None and token.value.value is not None:
            known[k] = token.value.value
            unknown.discard(k)
    proofs: dict[CellKey, tuple[str, ...]] = {}
    if not _propagate(known, unknown, eqs, proofs):
        return False, {}, {}
    return True, {k: known[k] for k in comp_cells if k in known}, proofs


def _accept(bound: BoundTable, agreed: _Agreement, candidates: Iterable[CellKey]) -> list[CellKey]:
    """Cells every placement agrees on; recorded as in the first placement. Returns the keys."""
    first = agreed.first
    table = bound.spec.key
    accepted: list[CellKey] = []
    for key in candidates:
        old = bound.cells[key]
        if old.status not in (Status.AMBIGUOUS, Status.MISSING):
            continue  # already known; nothing new
        token = first.tokens.get(key)
        if token is not None and token.value.kind == "na":
            if key not in agreed.unsure:
                bound.cells[key] = CellRecord(
                    table, key[0], key[1], None, Status.NOT_APPLICABLE, token.text, token.span()
                )
                accepted.append(key)
            continue
        value = agreed.value(key)
        if value is None:
            continue
        if token is not None:
            bound.cells[key] = CellRecord(
                table, key[0], key[1], value, Status.REPORTED, token.text,
                token.number_span(), token.value.unit,
            )  # fmt: skip
        else:
            proof = first.proofs.get(key, ())
            bound.cells[key] = CellRecord(
                table, key[0], key[1], value, Status.INFERRED, identity=" ".join(proof) or None
            )
        accepted.append(key)
    return accepted


def recover_table(bound: BoundTable, equations: Iterable[Equation]) -> None:
    """Place what the identities prove in one bound table (in place), with diagnostics."""
    eqs = _equations_of(bound.spec.key, equations)
    if not eqs:
        return
    table = bound.spec.key
    notes: dict[int, tuple[RowEvidence, str, str]] = {}
    pending = list(bound.unfitted)
    progress = True
    while pending and progress:
        progress = False
        for row in list(pending):
            if not any(bound.cells[k].status is Status.AMBIGUOUS for k in row.cells):
                pending.remove(row)
                continue
            count = _count(len(row.tokens), len(row.cells))
            if count > MAX_PLACEMENTS:
                notes[id(row)] = (
                    row,
                    "recovery-skipped",
                    f"{count} placements of this row's numbers are too many to try",
                )
                pending.remove(row)
                continue
            agreed = _try_row(row, bound.cells, eqs)
            if agreed is None:
                notes[id(row)] = (
                    row,
                    "recovery-inconsistent",
                    "no placement of this row's numbers agrees with the identities; "
                    "its cells stay ambiguous",
                )
                pending.remove(row)
                continue
            # Cells of rows still waiting are theirs to decide, from their own numbers.
            waiting = {k for r in pending if r is not row for k in r.cells}
            others = sorted({k for k in agreed.values if k not in row.cells and k not in waiting})
            if _accept(bound, agreed, [*row.cells, *others]):
                progress = True
            still = [k for k in row.cells if bound.cells[k].status is Status.AMBIGUOUS]
            note = (
                f"{agreed.count} placements of the row's numbers agree with the identities; "
                f"{len(row.cells) - len(still)} of {len(row.cells)} cells are certain"
            )
            unsure = sorted(k[1] for k in agreed.unsure if k in row.cells)
            if unsure and not still:
                note += (
                    "; the values are certain, but which of them were written and which were "
                    f"dropped among {', '.join(unsure)} is not: shown as in the first placement"
                )
            notes[id(row)] = (row, "recovered-row", note)
            if not still:
                pending.remove(row)
    # Last, what the identities prove about cells no row wrote at all.
    known, unknown = _state(bound.cells)
    proofs: dict[CellKey, tuple[str, ...]] = {}
    if _propagate(known, unknown, eqs, proofs):
        for key, proof in proofs.items():
            bound.cells[key] = CellRecord(
                table, key[0], key[1], known[key], Status.INFERRED, identity=" ".join(proof)
            )
    for row, code, note in notes.values():
        severity: Severity = "warning" if code == "recovery-inconsistent" else "info"
        bound.diagnostics.append(
            Diagnostic(
                code, severity, note, row.tokens[0].span() if row.tokens else None, table, row.row
            )
        )
