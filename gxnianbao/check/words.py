"""Numbers and cells as the messages write them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..model import Number
from ..templates.names import TemplateNames

__all__ = ["cell_list", "magnitude", "number"]

CellRef = tuple[str, str, str]


def number(value: Number | None) -> str:
    """``3``, ``2.50``; ``?`` for an unknown value."""
    if value is None:
        return "?"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def magnitude(value: Number) -> Number:
    return -value if value < 0 else value


def cell_list(refs: Sequence[CellRef], names: TemplateNames, limit: int = 3) -> str:
    """``表三"一、…·自然人"、…等5个单元格``: the first few cells named, the rest counted."""
    listed = [f'{names.table.get(r[0], r[0])}"{names.cell.get(r, ".".join(r))}"' for r in refs]
    if len(listed) <= limit:
        return "、".join(listed)
    return "、".join(listed[:limit]) + f"等{len(listed)}个单元格"
