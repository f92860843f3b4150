"""The typed table and row classes agree with the template specs, so they cannot drift.

Every template table has exactly one class (found by its key, rows and columns); every row key
of the spec is an attribute path of the class and every column key a typed property of the row
class, in template order; every class serves some template; and the plain construction
(``from_cells``) puts each cell under its own keys.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from gxnianbao.model import (
    ALL_TABLE_CLASSES,
    APPLICATION_ROWS,
    APPLICATION_ROWS_2019,
    TABLE_CLASSES,
    TABLE_CLASSES_BY_TEMPLATE,
    CellRecord,
    Procurement,
    Row,
    Status,
    missing_cells,
    table_class,
)
from gxnianbao.model.tables import row_slots
from gxnianbao.templates import TEMPLATE_2021, TEMPLATES, ColumnSpec, TableSpec

SPECS = [
    pytest.param(name, spec, id=f"{name}-{spec.key}")
    for name, template in TEMPLATES.items()
    for spec in template.tables
]


@pytest.mark.parametrize(("name", "spec"), SPECS)
def test_every_table_spec_has_its_class(name: str, spec: TableSpec) -> None:
    cls = table_class(spec)
    assert cls.key == spec.key
    assert TABLE_CLASSES_BY_TEMPLATE[name][spec.key] is cls
    slots = row_slots(cls)
    # every row key <-> an attribute path of the class, in template order
    assert [s.key for s in slots] == [r.key for r in spec.rows]
    for slot, row in zip(slots, spec.rows, strict=True):
        assert slot.path == tuple(row.key.split("."))
        # every column key <-> a property of the row class, in template order
        assert slot.row_class.columns == tuple(c.key for c in row.columns)


@pytest.mark.parametrize(("name", "spec"), SPECS)
def test_from_cells_puts_every_cell_under_its_keys(name: str, spec: TableSpec) -> None:
    cells = {
        key: attrs.evolve(rec, value=i, status=Status.REPORTED)
        for i, (key, rec) in enumerate(missing_cells(spec).items())
    }
    table = table_class(spec).from_cells(cells, spec)
    assert list(table.cells()) == list(cells.values())
    for (row, column), rec in cells.items():
        obj: object = table
        for part in row.split("."):
            obj = getattr(obj, part)
        assert isinstance(obj, Row)
        assert getattr(obj, column) == rec.value
        assert table.cell(row, column) is rec


def test_every_row_class_has_a_property_per_column() -> None:
    row_classes = {s.row_class for cls in ALL_TABLE_CLASSES for s in row_slots(cls)}
    for row_class in row_classes:
        assert row_class.columns, row_class
        for column in row_class.columns:
            assert isinstance(getattr(row_class, column), property), (row_class, column)


def test_every_table_class_serves_a_template() -> None:
    used = {cls for classes in TABLE_CLASSES_BY_TEMPLATE.values() for cls in classes.values()}
    assert used == set(ALL_TABLE_CLASSES)
    assert set(TABLE_CLASSES_BY_TEMPLATE) == set(TEMPLATES)
    assert TABLE_CLASSES == {t.key: table_class(t) for t in TEMPLATE_2021.tables}


def test_application_rows_follow_the_specs() -> None:
    keys = {tuple(r.key for r in t.table("applications").rows) for t in TEMPLATES.values()}
    assert keys == {APPLICATION_ROWS, APPLICATION_ROWS_2019}


def test_a_spec_without_a_class_is_refused() -> None:
    spec = TEMPLATE_2021.table("review_litigation")
    bent = attrs.evolve(spec, rows=spec.rows[:2])
    with pytest.raises(LookupError, match="review_litigation"):
        table_class(bent)


def _procurement_spec() -> TableSpec:
    """The table 2 that has a 政府集中采购 row (the 2019 template's)."""
    (spec,) = [
        t.table("active_disclosure")
        for t in TEMPLATES.values()
        if any(r.key == "procurement" for r in t.table("active_disclosure").rows)
    ]
    return spec


def test_amount_units_are_template_data() -> None:
    """采购总金额's units and their worth in yuan come from the column spec."""
    spec = _procurement_spec()
    row = spec.row("procurement")
    amount = next(c for c in row.columns if c.key == "amount")
    assert dict(amount.yuan_per_unit) == {
        "元": Decimal(1),
        "万元": Decimal(10000),
        "亿元": Decimal(100000000),
    }
    cells = missing_cells(spec)
    cells[("procurement", "amount")] = CellRecord(
        spec.key, "procurement", "amount", Decimal("1.5"), Status.REPORTED, "1.5亿元", unit="亿元"
    )
    table = table_class(spec).from_cells(cells, spec)
    procurement = table.row("procurement")
    assert isinstance(procurement, Procurement)
    assert procurement.amount_yuan == Decimal(150000000)
    # A unit the spec does not list gives no yuan amount; a spec may add one.
    cells[("procurement", "amount")] = attrs.evolve(cells[("procurement", "amount")], unit="千元")
    assert table_class(spec).from_cells(cells, spec).row("procurement").amount_yuan is None  # type: ignore[attr-defined]
    wider = attrs.evolve(amount, yuan_per_unit=(*amount.yuan_per_unit, ("千元", Decimal(1000))))
    columns: tuple[ColumnSpec, ...] = tuple(wider if c.key == "amount" else c for c in row.columns)
    extended = attrs.evolve(
        spec,
        rows=tuple(
            attrs.evolve(r, columns=columns) if r.key == "procurement" else r for r in spec.rows
        ),
    )
    got = table_class(extended).from_cells(cells, extended).row("procurement")
    assert got.amount_yuan == Decimal(1500)  # type: ignore[attr-defined]
