"""Numbers read by OCR that break an identity the rest of their row and column keep: doubted.

Why: the engine can misread a digit with high confidence (a 4 as a 0 under a seal).  A text
layer's numbers are what the report says, so an identity they break is the report's own fault
(the checker's business); a number read from pixels may be the reader's fault.  When an
identity over read cells fails, the cells it shares with every other failing identity, and
with no identity that holds over read cells, are the suspects; a single suspect is not
reported: it becomes ``ambiguous`` (recovery may then prove its value: ``inferred``), with a
diagnostic giving what the engine read.  When no single cell is shared, every read cell of a
failing identity that no holding identity vouches for is a suspect, and none of them is
reported: which one the engine misread cannot be told.  (A report whose own numbers break an
identity loses those cells when scanned; an unknown is fine, a wrong number is not.)
"""

from __future__ import annotations

from collections.abc import Iterable

from ..bind.bound import BoundTable
from ..bind.table import CellKey
from ..model import CellRecord, Diagnostic, Status
from ..templates.identities import Equation
from .system import KNOWN, equations_of


def _read_by_ocr(rec: CellRecord) -> bool:
    return (
        rec.status is Status.REPORTED
        and rec.span is not None
        and rec.span.origin is not None
        and rec.span.origin.kind == "ocr"
    )


def doubt_ocr_cells(bound: BoundTable, equations: Iterable[Equation]) -> None:
    """Make the one OCR'd cell that every failing identity of the table shares, and no holding
    identity vouches for, ``ambiguous`` (in place), with an ``ocr-identity-doubt`` diagnostic."""
    cells = bound.cells
    if not any(_read_by_ocr(rec) for rec in cells.values()):
        return
    failing: list[set[CellKey]] = []
    holding: set[CellKey] = set()
    for _id, left, right in equations_of(bound.spec.key, equations):
        keys = [*left, *right]
        recs = [cells.get(k) for k in keys]
        if any(r is None or r.status not in KNOWN or r.value is None for r in recs):
            continue
        total = sum(cells[k].value or 0 for k in left) - sum(cells[k].value or 0 for k in right)
        if total:
            failing.append(set(keys))
        else:
            holding.update(keys)
    if not failing:
        return
    shared = set.intersection(*failing) - holding
    suspects = [k for k in sorted(shared) if _read_by_ocr(cells[k])]
    if len(suspects) != 1:
        unvouched = set().union(*failing) - holding
        suspects = [k for k in sorted(unvouched) if _read_by_ocr(cells[k])]
    for key in suspects:
        rec = cells[key]
        cells[key] = CellRecord(rec.table, rec.row, rec.column, None, Status.AMBIGUOUS, raw=rec.raw)
        bound.diagnostics.append(
            Diagnostic(
                "ocr-identity-doubt",
                "warning",
                f"{bound.spec.key} {rec.row} {rec.column}: the engine read {rec.raw!r}, in "
                f"{len(failing)} failing identit{'y' if len(failing) == 1 else 'ies'} that no "
                "holding identity vouches for; the number is left unknown",
                rec.span,
                bound.spec.key,
                rec.row,
            )
        )
