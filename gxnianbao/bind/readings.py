"""The ways a row's value cells may fit its template cells, and what they agree on.

Merged cells leave empty cells at a row's ends; a number is never shifted into a cell it may
not belong to: only what every reading agrees on is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..common.lines import Cell


def readings_of(values: Sequence[Cell], k: int) -> list[list[Cell]]:
    """Every way the row's cells fit ``k`` cells once merge artefacts are set aside.

    An empty cell at either end may be a merged cell's continuation; when both ends are empty
    (a 2019 row whose 总计 is left blank, after a merged label cell) either may be the artefact.
    """
    n = len(values)
    if n == k:
        return [list(values)]
    out: list[list[Cell]] = []
    if n > k:
        if all(c.value.kind == "blank" for c in values[k:]):
            out.append(list(values[:k]))
        if all(c.value.kind == "blank" for c in values[: n - k]):
            out.append(list(values[n - k :]))
    if out:
        return out
    kept = inner(values)
    return [kept] if len(kept) == k else []


def inner(values: Sequence[Cell]) -> list[Cell]:
    """The row's cells without the empty cells at its ends (merge artefacts, perhaps)."""
    lo, hi = 0, len(values)
    while lo < hi and values[lo].value.kind == "blank":
        lo += 1
    while hi > lo and values[hi - 1].value.kind == "blank":
        hi -= 1
    return list(values[lo:hi])


def fit(values: Sequence[Cell], k: int) -> list[Cell] | None:
    """The row's cells in column order when they fit in one way only (or all ways agree)."""
    return one_reading(readings_of(values, k))


def one_reading(readings: Sequence[list[Cell]]) -> list[Cell] | None:
    """The reading, when there is one or all agree."""
    if len(readings) == 1:
        return readings[0]
    if readings and all(_same_cells(readings[0], other) for other in readings[1:]):
        return readings[0]
    return None


def _same_cells(a: Sequence[Cell], b: Sequence[Cell]) -> bool:
    return all(same(x, y) for x, y in zip(a, b, strict=True))


def same(a: Cell, b: Cell) -> bool:
    """Whether two cells read alike (kind and value)."""
    return a.value.kind == b.value.kind and a.value.value == b.value.value


def agreed_tokens(tokens: Sequence[Cell], k: int) -> list[Cell | None]:
    """Per cell, the token every order-preserving placement agrees on, else None."""
    n = len(tokens)
    if n == k:
        return list(tokens)  # one placement only (the empty cells were not all cells)
    if n < k:
        # Fewer written than cells: any cell may be one whose number was dropped.
        return [None] * k
    extra = n - k
    # alike[j]: how many tokens from j on read like tokens[j] (one pass from the end, so that a
    # long row costs its length, not its length times the surplus)
    alike = [1] * n
    for j in range(n - 2, -1, -1):
        if same(tokens[j], tokens[j + 1]):
            alike[j] = alike[j + 1] + 1
    return [tokens[i] if alike[i] > extra else None for i in range(k)]
