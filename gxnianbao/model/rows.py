"""The typed rows of the report's tables: one class per kind of row, one property per column.

Why declared rather than generated from the template: ``report.applications.received.total``
must stay an ``int | None`` for mypy and an editor.  Each class names its column keys once in
``columns``; ``tests/test_model_spec.py`` checks them against the template specs and against the
properties, and :func:`gxnianbao.model.tables.table_class` matches tables to specs by them, so a
class and its template cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

import attrs

from .cells import CellRecord, Number

if TYPE_CHECKING:
    from ..templates import RowSpec


@attrs.frozen(slots=True)
class Row:
    """A row of cells keyed by column key; subclasses expose each column as an attribute."""

    columns: ClassVar[tuple[str, ...]] = ()
    """The column keys of this kind of row, in template order."""
    _cells: Mapping[str, CellRecord] = attrs.field(repr=False)
    _spec: RowSpec | None = attrs.field(default=None, repr=False, eq=False)
    """The template row these cells fill (for what the template says about units)."""

    def cell(self, column: str) -> CellRecord:
        """The full record of one cell of this row."""
        try:
            return self._cells[column]
        except KeyError:
            raise KeyError(f"no column {column!r}; columns: {list(self._cells)}") from None

    def cells(self) -> tuple[CellRecord, ...]:
        return tuple(self._cells.values())

    def values(self) -> dict[str, Number | None]:
        return {key: rec.value for key, rec in self._cells.items()}

    def _int(self, column: str) -> int | None:
        value = self._cells[column].value
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        return None

    def _decimal(self, column: str) -> Decimal | None:
        value = self._cells[column].value
        return None if value is None else Decimal(value)

    def _yuan_per_unit(self, column: str) -> dict[str, Decimal]:
        """The units the template accepts in a money column, with their worth in yuan."""
        if self._spec is not None:
            for col in self._spec.columns:
                if col.key == column:
                    return dict(col.yuan_per_unit)
        return {}

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._cells)
        return f"{type(self).__name__}({inner})"


class DocumentCounts(Row):
    """Table 2, （一）: 规章 / 行政规范性文件."""

    columns = ("issued", "repealed", "in_force")

    @property
    def issued(self) -> int | None:
        """本年制发件数"""
        return self._int("issued")

    @property
    def repealed(self) -> int | None:
        """本年废止件数"""
        return self._int("repealed")

    @property
    def in_force(self) -> int | None:
        """现行有效件数"""
        return self._int("in_force")


class DecisionCount(Row):
    """Table 2, （五）（六）: 本年处理决定数量."""

    columns = ("decisions",)

    @property
    def decisions(self) -> int | None:
        return self._int("decisions")


class FeeAmount(Row):
    """Table 2, （八）: 本年收费金额（单位：万元）."""

    columns = ("amount_wan_yuan",)

    @property
    def amount_wan_yuan(self) -> Decimal | None:
        return self._decimal("amount_wan_yuan")


class ApplicantCounts(Row):
    """Table 3 row: counts by kind of applicant."""

    columns = (
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
        "total",
    )

    @property
    def natural_person(self) -> int | None:
        return self._int("natural_person")

    @property
    def commercial(self) -> int | None:
        return self._int("commercial")

    @property
    def research(self) -> int | None:
        return self._int("research")

    @property
    def social_welfare(self) -> int | None:
        return self._int("social_welfare")

    @property
    def legal_service(self) -> int | None:
        return self._int("legal_service")

    @property
    def other_org(self) -> int | None:
        return self._int("other_org")

    @property
    def total(self) -> int | None:
        return self._int("total")


class OutcomeCounts(Row):
    """Table 4 group: 结果维持 · 结果纠正 · 其他结果 · 尚未审结 · 总计."""

    columns = ("upheld", "corrected", "other", "pending", "total")

    @property
    def upheld(self) -> int | None:
        return self._int("upheld")

    @property
    def corrected(self) -> int | None:
        return self._int("corrected")

    @property
    def other(self) -> int | None:
        return self._int("other")

    @property
    def pending(self) -> int | None:
        return self._int("pending")

    @property
    def total(self) -> int | None:
        return self._int("total")


class DocumentCounts2019(Row):
    """Table 2 (2019), （一）: 规章 / 规范性文件."""

    columns = ("made", "published", "total_published")

    @property
    def made(self) -> int | None:
        """本年新制作数量"""
        return self._int("made")

    @property
    def published(self) -> int | None:
        """本年新公开数量"""
        return self._int("published")

    @property
    def total_published(self) -> int | None:
        """对外公开总数量"""
        return self._int("total_published")


class ItemCounts(Row):
    """Table 2 (2019), （五）（六）: items on a list, their change, and decisions."""

    columns = ("previous_items", "change", "decisions")

    @property
    def previous_items(self) -> int | None:
        """上一年项目数量"""
        return self._int("previous_items")

    @property
    def change(self) -> int | None:
        """本年增/减 (signed: ``-8`` is a decrease)."""
        return self._int("change")

    @property
    def decisions(self) -> int | None:
        """处理决定数量"""
        return self._int("decisions")


class FeeItems(Row):
    """Table 2 (2019), （八）行政事业性收费: fee items on the list, not money."""

    columns = ("previous_items", "change")

    @property
    def previous_items(self) -> int | None:
        return self._int("previous_items")

    @property
    def change(self) -> int | None:
        return self._int("change")


class Procurement(Row):
    """Table 2 (2019), （九）政府集中采购."""

    columns = ("projects", "amount")

    @property
    def projects(self) -> int | None:
        """采购项目数量"""
        return self._int("projects")

    @property
    def amount(self) -> Decimal | None:
        """采购总金额 as written, in :attr:`amount_unit`."""
        return self._decimal("amount")

    @property
    def amount_unit(self) -> str | None:
        """The unit written in the cell (``元``, ``万元``), None when none is written."""
        return self._cells["amount"].unit

    @property
    def amount_yuan(self) -> Decimal | None:
        """采购总金额 in yuan; None when the amount or its unit is unknown."""
        amount, unit = self.amount, self.amount_unit
        factor = self._yuan_per_unit("amount").get(unit) if unit is not None else None
        if amount is None or factor is None:
            return None
        return amount * factor
