"""One template cell's record from one source cell: its number, unit, status and place.

Also where a value's kind is checked: a negative or fractional count, an amount in another
unit than its column's (converted, with a warning), an approximate number.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal

from ..common.lines import Cell
from ..model import CellRecord, Diagnostic, Number, NumberToken, Status
from ..model.cells import new_record, new_span
from ..templates import ColumnSpec

# Enum member lookups are slow in the hot paths (a class attribute lookup through the enum
# machinery per cell): the members once, as module constants.
_REPORTED = Status.REPORTED
_NOT_APPLICABLE = Status.NOT_APPLICABLE
_BLANK = Status.BLANK


def _token(cell: Cell) -> NumberToken:
    assert cell.value.value is not None
    return NumberToken(
        cell.value.value, cell.text[cell.value.start : cell.value.end], cell.number_span()
    )


def number_tokens(cells: Sequence[Cell], most: int | None = None) -> tuple[NumberToken, ...]:
    """The numbers among ``cells``, as the tokens a diagnostic shows (the first ``most``)."""
    numbers = (_token(c) for c in cells if c.value.kind == "number")
    return tuple(numbers if most is None else itertools.islice(numbers, most))


def record(
    table: str, row: str, col: ColumnSpec, kind: str, cell: Cell, out: list[Diagnostic]
) -> CellRecord:
    """The record of cell (``row``, ``col``) read from ``cell``; findings go to ``out``."""
    # Unpacked at once: reading a cell's fields by name one by one costs more.
    text, start, end, line, column, _, _, value, origin = cell
    kind_of_value, number_or_none, number_start, number_end, unit, approximate = value
    if kind_of_value == "number" and number_or_none is not None:
        number: Number = number_or_none
        span = new_span(
            start + number_start, start + number_end, line, column + number_start, origin
        )  # cell.number_span(), built once for the record and any diagnostic
        if kind == "amount":
            if isinstance(number, int):
                number = Decimal(number)
            if unit in ("元", "亿元") and "万元" in col.label:
                # 元 and 亿元 read in the column's 万元 (a 2021 fee); a unit is never dropped
                # silently.
                number = Decimal(number) / 10000 if unit == "元" else Decimal(number) * 10000
                out.append(
                    Diagnostic(
                        "unit-converted",
                        "warning",
                        f"{text!r} is written in {unit} in a 万元 column; converted "
                        f"to {number} 万元",
                        span,
                        table,
                        row,
                    )
                )
        elif kind == "count":
            if number < 0:  # a 2019 本年增/减 ("signed") may be negative
                out.append(
                    Diagnostic(
                        "negative-count",
                        "warning",
                        f"{text!r} is negative but the cell counts items",
                        span,
                        table,
                        row,
                    )
                )
            elif isinstance(number, Decimal):
                out.append(
                    Diagnostic(
                        "non-integer-count",
                        "warning",
                        f"{text!r} is not a whole number but the cell counts items",
                        span,
                        table,
                        row,
                    )
                )
        if approximate:
            out.append(
                Diagnostic(
                    "approximate-number",
                    "info",
                    f"{text!r} is an approximate number",
                    span,
                    table,
                    row,
                )
            )
        return new_record(table, row, col.key, number, _REPORTED, text, span, unit)
    span = new_span(start, end, line, column, origin)  # cell.span()
    if kind_of_value == "na":
        return new_record(table, row, col.key, None, _NOT_APPLICABLE, text, span)
    return new_record(table, row, col.key, None, _BLANK, "", span)
