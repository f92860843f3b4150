"""The identities of one table as a linear system over its unknown cells, solved by propagation.

Why its own module: placement enumeration (:mod:`.placements`) solves this system once per
placement, and the table driver (:mod:`.table`) once more for cells no row wrote; the system
knows nothing of rows or tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from ..bind.table import CellKey
from ..model import CellRecord, Number, Status
from ..templates.identities import Equation

KNOWN = (Status.REPORTED, Status.INFERRED)
"""Statuses whose value is certain: the system folds them into its constants."""

Eq = tuple[str, list[CellKey], list[CellKey]]
"""One expanded identity of a table: its id and the (row, column) keys of its two sides."""


def equations_of(table: str, equations: Iterable[Equation]) -> list[Eq]:
    """The identities of one table, as row and column keys."""
    out = []
    for eq in equations:
        if eq.left and eq.left[0][0] == table:
            out.append((eq.id, [(r, c) for _, r, c in eq.left], [(r, c) for _, r, c in eq.right]))
    return out


def state(cells: Mapping[CellKey, CellRecord]) -> tuple[dict[CellKey, Number], set[CellKey]]:
    """The known values, and the cells still unknown (missing or ambiguous)."""
    known: dict[CellKey, Number] = {}
    unknown: set[CellKey] = set()
    for key, rec in cells.items():
        if rec.status in KNOWN and rec.value is not None:
            known[key] = rec.value
        elif rec.status in (Status.MISSING, Status.AMBIGUOUS):
            unknown.add(key)
    return known, unknown


# --- a linear system solved by propagation --------------------------------------------------


class System:
    """Identities reduced to ``const + sum(sign * x) == 0`` over their variable cells.

    Known cells are folded into the constant.  An identity that holds a cell which is neither
    known nor a variable (a blank or ``/`` cell) can neither be checked nor solved: it is left
    out, as it would never fire.
    """

    def __init__(
        self, eqs: Sequence[Eq], known: Mapping[CellKey, Number], variables: Iterable[CellKey]
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
