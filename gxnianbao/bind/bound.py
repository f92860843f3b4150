"""What binding one table produces, for the recovery stage and the report.

The binder fills a :class:`BoundTable` as it walks the table's cells; rows whose numbers did
not fit their cells keep their tokens as :class:`RowEvidence`, which identity-based recovery
(:mod:`gxnianbao.recover`) may place afterwards.
"""

from __future__ import annotations

import attrs

from ..common.lines import Cell
from ..model import CellRecord, Diagnostic, ExtraRow, SourceLabel
from ..templates import TableSpec

CellKey = tuple[str, str]


@attrs.frozen(slots=True)
class RowEvidence:
    """What the source wrote for a row whose numbers did not fit its cells.

    Kept for identity-based recovery: the tokens in source order and the cells they belong to.
    """

    table: str
    row: str | None
    cells: tuple[CellKey, ...]
    tokens: tuple[Cell, ...]
    glued: bool = False
    """The row's numbers were cut from text without separators: a digit run may hold several
    cells (``51000253``), which recovery splits by the identities (:mod:`.recover.glued`)."""


@attrs.define
class BoundTable:
    """The result of binding one table: every cell's record, diagnostics, unfitted rows."""

    spec: TableSpec
    cells: dict[CellKey, CellRecord]
    diagnostics: list[Diagnostic] = attrs.Factory(list)
    unfitted: list[RowEvidence] = attrs.Factory(list)
    labels: list[SourceLabel] = attrs.Factory(list)
    extra: list[ExtraRow] = attrs.Factory(list)
    found: bool = False
    """Whether any row of the table was found in the source."""
    positions: dict[tuple[int, int], int] = attrs.Factory(dict)
    """Each cell's index among the cells of its physical row, by (row, start)."""
    widths: dict[int, int] = attrs.Factory(dict)
    """How many cells each physical row holds (a grid's rows hold the same number)."""
    header_columns: dict[str, int] = attrs.Factory(dict)
    """The index in its row of the latest header cell naming each column key."""
    max_row_tokens: int = 1_000
    """How many of a row's numbers its diagnostics list and recovery is offered
    (``Limits.max_row_tokens``)."""
    glued_at: set[int] = attrs.Factory(set)
    """Start offsets of number tokens whose digits touched text or other digits without a
    separator (cut from a flattened row): each may hold several cells' numbers."""
    grid: bool = True
    """Whether every row fitted so far stood under its header cells (a grid-aligned layout;
    seed 001's tab rows are not: their merged cells shift rows by one or two cells)."""
