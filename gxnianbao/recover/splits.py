"""A glued row's digit runs cut into its cells: every way, counted before it is enumerated.

Why its own module: :mod:`.glued` decides between the alternatives with the identities; this
module only says what the alternatives are (the form of a number in each column, and what the
known cells allow each cell) and how many there are.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from ..bind.table import CellKey, RowEvidence
from ..common.text import FULLWIDTH_DIGITS
from ..model import Number
from ..templates import TableSpec
from ..templates.spec import ValueKind

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
    blanks: bool = True
    """Whether a cell may get no number (``RecoverySettings.glued_blanks``)."""

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
            count = 1 if self.units.blanks or c == self.k else 0  # the cells left: no number
        elif c == self.k:
            count = 0
        else:
            count = self.ways(u, pos, c + 1) if self.units.blanks else 0  # c gets no number
            if not isinstance(seq[u], str):
                count += self.ways(u + 1, 0, c + 1)
            else:
                count += sum(self.ways(nu, npos, c + 1) for _, nu, npos in self.steps(u, pos, c))
        self.memo[at] = count
        return count


def _possible(units: Units) -> bool:
    """Whether any split can exist at all (checked before any table of states is built)."""
    k = len(units.kinds)
    # Each unit is at least one number, and a glued row's numbers are never set aside (unlike
    # the placements of an ordinary row): a run holds cells, not strays.
    return len(units.units) <= k and units.length <= k * MAX_PIECE


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
        if units.blanks and ways(u, pos, c + 1):
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
