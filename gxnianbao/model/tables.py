"""The typed tables of a report, built from the template cells the binder filled.

Why each template's tables 2 and 3 are still declared as classes: ``report.applications``
must be typed (``report.applications.received.total`` is an ``int | None`` to mypy), and a
class generated at run time is not.  What used to be written twice is not: a table class is only
its list of typed rows; building it from cells, walking its rows and finding the class of a
:class:`~gxnianbao.templates.TableSpec` are derived from those declarations, and
:func:`table_class` picks the class whose rows and columns are exactly the spec's, so a class
that drifts from its template is found at import and by ``tests/test_model_spec.py``.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, TypeVar

import attrs

from ..templates import TEMPLATE_2021, TEMPLATES, RowSpec, TableSpec
from .cells import CellRecord, Status
from .rows import (
    ApplicantCounts,
    DecisionCount,
    DocumentCounts,
    DocumentCounts2019,
    FeeAmount,
    FeeItems,
    ItemCounts,
    OutcomeCounts,
    Procurement,
    Row,
)

CellMap = Mapping[tuple[str, str], CellRecord]

_T = TypeVar("_T", bound="Table")


@attrs.frozen(slots=True)
class RowSlot:
    """Where one template row sits in a table class: its key, attribute path and row class."""

    key: str
    """The stable row key (dotted for a row inside a group: ``withheld.state_secret``)."""
    path: tuple[str, ...]
    row_class: type[Row]


def row_slots(cls: type) -> tuple[RowSlot, ...]:
    """The rows of a table (or group) class in declaration order, groups flattened."""
    return _row_slots(cls)


@functools.cache
def _row_slots(cls: type) -> tuple[RowSlot, ...]:
    out: list[RowSlot] = []
    for name, kind in _fields(cls):
        if issubclass(kind, Row):
            out.append(RowSlot(name, (name,), kind))
        else:
            out.extend(
                RowSlot(f"{name}.{slot.key}", (name, *slot.path), slot.row_class)
                for slot in row_slots(kind)
            )
    return tuple(out)


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, type], ...]:
    """The attrs fields of a table or group class with their (resolved) types."""
    hints = typing.get_type_hints(cls)
    return tuple((field.name, hints[field.name]) for field in attrs.fields(cls))


def _by_row(cells: CellMap) -> dict[str, dict[str, CellRecord]]:
    rows: dict[str, dict[str, CellRecord]] = {}
    for (row, col), rec in cells.items():
        rows.setdefault(row, {})[col] = rec
    return rows


def _build(
    cls: type,
    prefix: str,
    rows: Mapping[str, Mapping[str, CellRecord]],
    specs: Mapping[str, RowSpec],
) -> Any:
    values: dict[str, object] = {}
    for name, kind in _fields(cls):
        key = prefix + name
        if issubclass(kind, Row):
            values[name] = kind(rows[key], specs.get(key))
        else:
            values[name] = _build(kind, f"{key}.", rows, specs)
    return cls(**values)


class Table:
    """Shared access by stable keys; subclasses are frozen attrs classes with typed rows."""

    __slots__ = ()
    key: ClassVar[str] = ""

    def _rows(self) -> Iterator[tuple[str, Row]]:
        for slot in row_slots(type(self)):
            obj: Any = self
            for part in slot.path:
                obj = getattr(obj, part)
            yield slot.key, obj

    def row(self, key: str) -> Row:
        for row_key, row in self._rows():
            if row_key == key:
                return row
        raise KeyError(f"table {self.key!r} has no row {key!r}")

    def cell(self, row: str, column: str) -> CellRecord:
        return self.row(row).cell(column)

    def cells(self) -> Iterator[CellRecord]:
        for _, row in self._rows():
            yield from row.cells()

    @classmethod
    def from_cells(cls: type[_T], cells: CellMap, spec: TableSpec | None = None) -> _T:
        """The table of these cells; ``spec`` is the template table they fill (by default the
        first template table whose rows and columns are this class's)."""
        table = spec or default_spec(cls)
        built: _T = _build(cls, "", _by_row(cells), {row.key: row for row in table.rows})
        return built


# --- table 2 ---------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class ActiveDisclosure(Table):
    """Table 2 of the 2021 template: 主动公开政府信息情况."""

    key = "active_disclosure"
    regulations: DocumentCounts
    normative_documents: DocumentCounts
    licensing: DecisionCount
    punishment: DecisionCount
    coercion: DecisionCount
    fees: FeeAmount


@attrs.frozen(slots=True)
class ActiveDisclosure2019(Table):
    """Table 2 of the 2019 template: 主动公开政府信息情况 (items on lists, 政府集中采购)."""

    key = "active_disclosure"
    regulations: DocumentCounts2019
    normative_documents: DocumentCounts2019
    licensing: ItemCounts
    other_services: ItemCounts
    punishment: ItemCounts
    coercion: ItemCounts
    fees: FeeItems
    procurement: Procurement


# --- table 3 ---------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Withheld:
    """Table 3 （三）不予公开."""

    state_secret: ApplicantCounts
    prohibited_by_law: ApplicantCounts
    security_stability: ApplicantCounts
    third_party_rights: ApplicantCounts
    internal_affairs: ApplicantCounts
    process_information: ApplicantCounts
    enforcement_files: ApplicantCounts
    inquiry_matters: ApplicantCounts


@attrs.frozen(slots=True)
class Unavailable:
    """Table 3 （四）无法提供."""

    not_held: ApplicantCounts
    needs_creation: ApplicantCounts
    unclear_after_correction: ApplicantCounts


@attrs.frozen(slots=True)
class NotProcessed:
    """Table 3 （五）不予处理."""

    petition_complaint: ApplicantCounts
    duplicate: ApplicantCounts
    publication: ApplicantCounts
    mass_repetitive: ApplicantCounts
    confirmation: ApplicantCounts


@attrs.frozen(slots=True)
class OtherHandling:
    """Table 3 （六）其他处理 (2021: three sub-rows)."""

    overdue_correction: ApplicantCounts
    unpaid_fee: ApplicantCounts
    other: ApplicantCounts


@attrs.frozen(slots=True)
class Applications(Table):
    """Table 3 of the 2021 template: 收到和处理政府信息公开申请情况."""

    key = "applications"
    received: ApplicantCounts
    carried_over: ApplicantCounts
    granted: ApplicantCounts
    partially_granted: ApplicantCounts
    withheld: Withheld
    unavailable: Unavailable
    not_processed: NotProcessed
    other: OtherHandling
    total: ApplicantCounts
    carried_forward: ApplicantCounts


@attrs.frozen(slots=True)
class Applications2019(Table):
    """Table 3 of the 2019 template: as 2021, but （六）其他处理 is one row."""

    key = "applications"
    received: ApplicantCounts
    carried_over: ApplicantCounts
    granted: ApplicantCounts
    partially_granted: ApplicantCounts
    withheld: Withheld
    unavailable: Unavailable
    not_processed: NotProcessed
    other: ApplicantCounts
    total: ApplicantCounts
    carried_forward: ApplicantCounts


APPLICATION_ROWS = tuple(slot.key for slot in row_slots(Applications))
"""The row keys of table 3 (2021 template) in template order."""
APPLICATION_ROWS_2019 = tuple(slot.key for slot in row_slots(Applications2019))
"""The row keys of table 3 (2019 template) in template order."""


# --- table 4 ---------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class ReviewLitigation(Table):
    """Table 4: 政府信息公开行政复议、行政诉讼情况 (the same in both templates)."""

    key = "review_litigation"
    review: OutcomeCounts
    litigation_direct: OutcomeCounts
    litigation_after_review: OutcomeCounts


# --- tables and template specs ---------------------------------------------------------------

AnyTable = (
    ActiveDisclosure | ActiveDisclosure2019 | Applications | Applications2019 | ReviewLitigation
)
TableClass = (
    type[ActiveDisclosure]
    | type[ActiveDisclosure2019]
    | type[Applications]
    | type[Applications2019]
    | type[ReviewLitigation]
)
ALL_TABLE_CLASSES: tuple[TableClass, ...] = (
    ActiveDisclosure,
    ActiveDisclosure2019,
    Applications,
    Applications2019,
    ReviewLitigation,
)
"""Every typed table class; :func:`table_class` chooses among them."""


def shape(spec: TableSpec) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A table spec's rows and their column keys, in template order."""
    return tuple((row.key, tuple(col.key for col in row.columns)) for row in spec.rows)


def class_shape(cls: type[Table]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A table class's rows and their column keys, in declaration order."""
    return tuple((slot.key, slot.row_class.columns) for slot in row_slots(cls))


def table_class(spec: TableSpec) -> TableClass:
    """The typed class of a template table: the one with its key, rows and columns."""
    want = shape(spec)
    for cls in ALL_TABLE_CLASSES:
        if cls.key == spec.key and class_shape(cls) == want:
            return cls
    raise LookupError(f"no table class has the rows and columns of table {spec.key!r}")


def default_spec(cls: type[Table]) -> TableSpec:
    """The first template table (in :data:`~gxnianbao.templates.TEMPLATES`) of this class."""
    return _default_spec(cls.key, class_shape(cls))


@functools.cache
def _default_spec(key: str, rows: tuple[tuple[str, tuple[str, ...]], ...]) -> TableSpec:
    for template in TEMPLATES.values():
        for spec in template.tables:
            if spec.key == key and shape(spec) == rows:
                return spec
    raise LookupError(f"no template has a table {key!r} with rows {[r for r, _ in rows]}")


TABLE_CLASSES_BY_TEMPLATE: dict[str, dict[str, TableClass]] = {
    name: {spec.key: table_class(spec) for spec in template.tables}
    for name, template in TEMPLATES.items()
}
"""The typed class of each table, by template name and table key (derived from the specs)."""
TABLE_CLASSES: dict[str, TableClass] = {
    spec.key: table_class(spec) for spec in TEMPLATE_2021.tables
}
"""The typed class of each table, by key, for the 2021 template."""


def missing_cells(spec: TableSpec) -> dict[tuple[str, str], CellRecord]:
    """Every cell of a table, all ``missing``: the starting point before anything is bound.

    A fresh dict each call; its records (frozen) are made once per table shape (they depend on
    nothing else, and a shape hashes far faster than a whole spec with its aliases)."""
    return dict(_missing_records(spec.key, shape(spec)))


@functools.lru_cache(maxsize=32)
def _missing_records(
    table: str, rows: tuple[tuple[str, tuple[str, ...]], ...]
) -> Mapping[tuple[str, str], CellRecord]:
    return {
        (row, col): CellRecord(table, row, col, None, Status.MISSING)
        for row, columns in rows
        for col in columns
    }
