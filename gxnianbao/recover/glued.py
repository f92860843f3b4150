"""Glued digits: a row's digit runs split into its cells, decided by the identities.

A flattened page runs a row's cells together (``（七）总计3210000033``): the binder hands such a
row over with ``RowEvidence.glued`` set, its digit runs as tokens.  Here every way to cut the runs
into numbers and place them in the row's cells is an *alternative*:

- a number has no leading zero (except a lone ``0``), at most :data:`.splits.MAX_PIECE`
  characters, a decimal point only in an amount column and a sign only in a signed one;
- cells may get no number (a blank cell leaves no trace in a run), as in the placements of
  :mod:`.placements`; a token that is not a digit run (``/``, ``12万元``) is placed whole.

The truth is always among the alternatives, so a cell is decided only when every alternative
consistent with the identities agrees on it.  Each row's alternatives are checked against the
table's identities alone, narrowed across the rows linked by identities (table 3's columns, say)
and, when few combinations are left, searched jointly (:mod:`.joint`).  Alternatives are
*counted* before they are enumerated (:mod:`.splits`), and a row whose count exceeds what is
left of the table's budget is not enumerated at all, nor a joint search whose combinations could
exceed it started.  This module drives the steps and records what they prove.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from ..bind.table import BoundTable, CellKey, RowEvidence
from ..model import CellRecord, Number, Status
from .joint import Alternative, Group, Joint, groups, product, prune, row_domain, search
from .placements import Budget
from .proof import IMPOSSIBLE, impossible_message
from .splits import Units, split_count
from .system import Eq, state

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
            short.pop(i, None)  # (tried now, after a first pass that could not)
            domain = row_domain(group, at, units, budget)
            if not domain:
                # With no split at all, the identities are the cause only if the row could be
                # split before the known cells bounded its cells.
                by_identities = count > 0 or split_count(units_of_row[i]) > 0
                _inconsistent(
                    notes, i, row, units, count, group.system.ids if by_identities else ()
                )
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
                _inconsistent(notes, i, rows[i], units_of_row[i], -1, group.system.ids)
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
        # Each alternative with what it solved for its dropped cells: fewer combinations fit.
        keys = [
            list(dict.fromkeys(tuple(values.get(c) for c in rows[i].cells) for _, values in d))
            for i, d in zip(tried, domains, strict=True)
        ]
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


def _inconsistent(
    notes: Notes, i: int, row: RowEvidence, units: Units, count: int, eqs: Sequence[str]
) -> None:
    """Note a glued row no split of which fits.  Where the identities ``eqs`` rule out every
    split (every split was tried, blank cells included), note that proof too
    (:data:`IMPOSSIBLE`); ``eqs`` is empty when they are not the cause."""
    if units.blanks and eqs:
        ids = list(dict.fromkeys(eqs))
        written = [u if isinstance(u, str) else "/" if u is None else str(u) for u in units.units]
        notes[(3, i)] = (row, IMPOSSIBLE, impossible_message(row, written, ids))
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
