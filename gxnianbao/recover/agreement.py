"""What every consistent placement of a row agrees on, gathered one placement at a time."""

from __future__ import annotations

from collections.abc import Mapping

from ..bind.table import CellKey
from ..common.lines import Cell
from ..model import Number

CONFLICT = object()
"""Marks a cell on which two consistent placements differ (in value or written token)."""


class Agreement:
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

    def merge(self, other: Agreement) -> None:
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
                if mine.get(key, CONFLICT) != value:
                    mine[key] = CONFLICT
            for key in mine:
                if key not in values:
                    mine[key] = CONFLICT
            held = self.tokens
            for key, token in tokens.items():
                if held.get(key, CONFLICT) is not token:
                    held[key] = CONFLICT
        for key, proof in proofs.items():
            self.first_proof.setdefault(key, proof)
            ids = self.proofs.setdefault(key, [])
            if proof not in ids:
                ids.append(proof)

    def settled(self) -> bool:
        """Nothing more can be learned: every cell already has two different values."""
        if any(v is not CONFLICT for v in self.values.values()):
            return False
        # A written ``/`` is accepted as not applicable if every placement puts it in its cell.
        return all(
            t is CONFLICT or t is None or t.value.kind != "na"  # type: ignore[attr-defined]
            for t in self.tokens.values()
        )

    def value(self, key: CellKey) -> Number | None:
        value = self.values.get(key, CONFLICT)
        return None if value is CONFLICT else value  # type: ignore[return-value]
