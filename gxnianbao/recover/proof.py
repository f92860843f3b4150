"""Proof that a row's written numbers fit its cells in no way: which identities rule it out.

Recovery asks which placements of a row's numbers satisfy the identities; when the answer is
*none*, the report itself breaks a 勾稽关系 (or a number was misread), whatever the layout
dropped.  That is a fact worth an ``error``: :data:`IMPOSSIBLE` carries the numbers as written
and names the identities no placement can satisfy together, found here by dropping, one at a
time, each identity whose absence still leaves no placement (a minimal set, within the budget).

It is claimed only where it is proven: the enumeration was complete (a row cut short by the
budget proves nothing), cells elsewhere that are unknown are free non-negative counts, and an
identity holding a blank or ``/`` cell takes no part (:class:`~.system.System` leaves it out).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..bind.table import CellKey, RowEvidence
from ..model import CellRecord
from .placements import Budget, try_row
from .system import Eq

IMPOSSIBLE = "placement-impossible"
"""The code of a row whose written numbers satisfy the identities in no placement."""

_MARK = re.compile(r"\[identities: ([^\]]*)\]")


def identities_named(message: str) -> tuple[str, ...]:
    """The identity ids a :data:`IMPOSSIBLE` diagnostic's message names (its ``[identities:
    …]`` part), in order; empty for any other message."""
    m = _MARK.search(message)
    return tuple(m.group(1).split(", ")) if m else ()


def impossible_message(row: RowEvidence, numbers: Sequence[str], ids: Sequence[str]) -> str:
    """The diagnostic's message: the numbers as written and the identities, machine-readable."""
    together = "together " if len(ids) > 1 else ""
    return (
        f"no placement of this row's numbers as written ({', '.join(numbers)}) in its "
        f"{len(row.cells)} cells satisfies the identities {together}[identities: "
        f"{', '.join(ids)}]; the report breaks them, or a number was misread"
    )


def culprits(
    row: RowEvidence,
    cells: Mapping[CellKey, CellRecord],
    eqs: Sequence[Eq],
    budget: Budget,
    split: bool = True,
    zeros: bool | None = None,
) -> list[str]:
    """The ids of identities that no placement of ``row`` satisfies together, for a row no
    placement of which satisfies ``eqs``: a minimal such set, or a larger one (still
    unsatisfiable) when the budget runs out while it is being narrowed."""
    kept = list(eqs)
    for eq in list(kept):
        trial = [e for e in kept if e is not eq]
        outcome = try_row(row, cells, trial, budget, split, zeros, exists=True)
        if isinstance(outcome, int):
            break  # out of budget: what is kept is unsatisfiable, if not minimal
        if outcome is None:
            kept = trial
    return list(dict.fromkeys(eq_id for eq_id, _, _ in kept))
