"""The shape of a template, as plain frozen data.

A template says which tables a report has, which rows and columns each table has, and every
wording under which a label may appear.  The parser never hard-codes a label: it asks the
template, so a local variant is one more alias here, not new code (like dateutil's parserinfo).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

ValueKind = Literal["count", "amount", "signed"]
"""``count``: a non-negative integer; ``amount``: a decimal sum of money; ``signed``: an integer
change that may be negative (2019's 本年增/减)."""


@attrs.frozen(slots=True)
class ColumnSpec:
    """One value column: its stable key, the template's wording, and accepted variants."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: ValueKind | None = None
    """Overrides the row's kind for this column (2019's 采购总金额 beside 采购项目数量)."""
    yuan_per_unit: tuple[tuple[str, Decimal], ...] = ()
    """For a sum of money written with its unit in the cell (2019's 采购总金额): each unit the
    template accepts and its worth in yuan, so the amount can be given in yuan."""


@attrs.frozen(slots=True)
class RowSpec:
    """One data row: stable key (dotted for grouped rows), official label and variants.

    ``group`` names the merged label cell the row sits under in table 3 (``withheld`` for
    （三）不予公开), so that a bare item label can be resolved in its group's context.
    """

    key: str
    label: str
    columns: tuple[ColumnSpec, ...]
    aliases: tuple[str, ...] = ()
    group: str | None = None
    kind: ValueKind = "count"


@attrs.frozen(slots=True)
class GroupSpec:
    """A merged label cell that heads several rows (table 3's （三）…（六）, 三、本年度办理结果)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class TableSpec:
    """One table: its rows in template order and the header words that are not rows."""

    key: str
    title: str
    rows: tuple[RowSpec, ...]
    groups: tuple[GroupSpec, ...] = ()
    header_labels: tuple[str, ...] = ()
    # Table 4 has no row labels: its single data row follows the header directly.
    unlabelled_row: str | None = None

    def row(self, key: str) -> RowSpec:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"table {self.key!r} has no row {key!r}")


@attrs.frozen(slots=True)
class SectionSpec:
    """One of the six parts: its number (1–6), official heading, and heading keywords."""

    number: int
    heading: str
    keywords: tuple[tuple[str, ...], ...]
    """Alternatives; each alternative is a tuple of words that must all occur in the heading."""


@attrs.frozen(slots=True)
class TemplateSpec:
    """A whole template version (``"2021"`` or ``"2019"``)."""

    name: str
    tables: tuple[TableSpec, ...]
    sections: tuple[SectionSpec, ...]
    markers: tuple[str, ...] = ()
    """Header words that occur only in this template; used to tell templates apart."""

    def table(self, key: str) -> TableSpec:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(f"template {self.name} has no table {key!r}")
