"""What binding one table produces, for the recovery stage and the report.

The binder fills a :class:`BoundTable` as it walks the table's cells; rows whose numbers did
not fit their cells keep their tokens as :class:`RowEvidence`, which identity-based recovery
(:mod:`gxnianbao.recover`) may place afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..common.lines import AT_OF, KIND_OF, VALUE_OF, Cell
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
    empty_dropped: bool = False
    """The row has fewer numbers than cells in a region whose layout drops empty cells (a
    scrape: one cell per line, no empty cell anywhere): a cell that received no number was
    empty or 0, so recovery's proof of inconsistency and the narrative's decision count it as 0
    in the identities (and never give it that 0)."""


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
    group_totals: dict[str, list[Cell]] = attrs.Factory(dict)
    """Groups written as one row (the 2019 form of a 2021 group): their cells, in column order."""
    last_at: dict[int, int] = attrs.Factory(dict)
    """Each physical row's last cell's ``at`` (see :meth:`width`)."""
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
    drops_empty: bool = False
    """Whether the region's layout drops empty cells (:func:`drops_empty_cells`)."""

    def width(self, row: int) -> int:
        """How many cells the physical row holds (a grid's rows hold the same number); 0 for a
        row not in the region."""
        return self.last_at.get(row, -1) + 1


def drops_empty_cells(cells: Sequence[Cell]) -> bool:
    """Whether a table region is laid out one cell per line with no empty cell in it.

    That is a web-page scrape: every cell on a physical row of its own and no row of several
    cells (tab, bar or grid rows show their empty cells as empty fields), and not one empty
    cell, so the scraper dropped the empty ones.  A row with fewer numbers than cells then lost
    only empty (or 0) cells, never a number."""
    if not cells or any(map(AT_OF, cells)):
        return False  # a row of several cells (readers count a row's cells in ``at``)
    return "blank" not in map(KIND_OF, map(VALUE_OF, cells))
