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
from collections.abc import Iterable, Mapping, Sequence
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


def _placements(tokens: Sequence[Cell], cells: Sequence[CellKey]) -> Iterable[dict[CellKey, Cell]]:
    n, k = len(tokens), len(cells)
    if n <= k:
        for positions in itertools.combinations(range(k), n):
            yield {cells[p]: t for p, t in zip(positions, tokens, strict=True)}
    else:
        for kept in itertools.combinations(range(n), k):
            yield {c: tokens[i] for c, i in zip(cells, kept, strict=True)}


def _count(n: int, k: int) -> int:
    return math.comb(k, n) if n <= k else math.comb(n, k)


def _try_row(
    row: RowEvidence,
    cells: Mapping[CellKey, CellRecord],
    eqs: Sequence[tuple[str, list[CellKey], list[CellKey]]],
) -> list[_Outcome]:
    base_known, base_unknown = _state(cells)
    outcomes: list[_Outcome] = []
    for placement in _placements(row.tokens, row.cells):
        known = dict(base_known)
        unknown = set(base_unknown)
        for key in row.cells:
            known.pop(key, None)
            unknown.add(key)
        for key, token in placement.items():
            if token.value.value is None:
                continue  # a written "/": a cell of its own, but no number for the identities
            known[key] = token.value.value
            unknown.discard(key)
        proofs: dict[CellKey, tuple[str, ...]] = {}
        if not _propagate(known, unknown, eqs, proofs):
            continue
        values = {k: known[k] for k in (*row.cells, *base_unknown) if k in known}
        outcomes.append(_Outcome(values, placement, proofs))
    return outcomes


def _accept(
    bound: BoundTable,
    outcomes: Sequence[_Outcome],
    candidates: Iterable[CellKey],
) -> list[CellKey]:
    """Cells every outcome agrees on; records them from the first outcome. Returns the keys."""
    first = outcomes[0]
    table = bound.spec.key
    accepted: list[CellKey] = []
    for key in candidates:
        old = bound.cells[key]
        if old.status not in (Status.AMBIGUOUS, Status.MISSING):
            continue  # already known; nothing new
        token = first.tokens.get(key)
        if token is not None and token.value.kind == "na":
            if all(o.tokens.get(key) is token for o in outcomes[1:]):
                bound.cells[key] = CellRecord(
                    table, key[0], key[1], None, Status.NOT_APPLICABLE, token.text, token.span()
                )
                accepted.append(key)
            continue
        value = first.values.get(key)
        if value is None or any(o.values.get(key) != value for o in outcomes[1:]):
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
            outcomes = _try_row(row, bound.cells, eqs)
            if not outcomes:
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
            others = sorted(
                {k for o in outcomes for k in o.values if k not in row.cells and k not in waiting}
            )
            if _accept(bound, outcomes, [*row.cells, *others]):
                progress = True
            still = [k for k in row.cells if bound.cells[k].status is Status.AMBIGUOUS]
            note = (
                f"{len(outcomes)} placements of the row's numbers agree with the identities; "
                f"{len(row.cells) - len(still)} of {len(row.cells)} cells are certain"
            )
            unsure = sorted(
                {
                    k[1]
                    for o in outcomes
                    for k in row.cells
                    if (k in o.tokens) != (k in outcomes[0].tokens)
                }
            )
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
