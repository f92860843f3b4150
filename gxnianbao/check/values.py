"""Counts are non-negative integers; amounts of money are not negative."""

from __future__ import annotations

from ..model import CellRecord, Status
from .context import Context
from .findings import Finding
from .registry import RuleDef
from .words import cell_list, number

__all__ = ["NONNEGATIVE"]

_R, _I = Status.REPORTED, Status.INFERRED


def _nonnegative(ctx: Context, include_passed: bool) -> list[Finding]:
    """One ``fail`` per offending cell; unknown cells are gathered in one ``not_assessable``
    finding, and (when asked) the cells that pass in one ``pass`` finding."""
    words = ctx.names
    out: list[Finding] = []
    unknown: list[CellRecord] = []
    fine: list[CellRecord] = []
    cells = ctx.cells
    for ref, value in ctx.values.items():
        rec = cells[ref]
        if value is None:
            unknown.append(rec)
            continue
        if ref in words.signed and isinstance(value, int):
            continue  # a change: negative is a decrease, not an error
        if type(value) is int and value >= 0:
            if include_passed and (rec.status is _R or rec.status is _I):
                fine.append(rec)
            continue
        if value == 0 and rec.status is not _R and rec.status is not _I:
            continue  # blank or "/": nothing written to check
        amount = ref in words.amounts
        integral = isinstance(value, int) or value == value.to_integral_value()
        if value >= 0 and (amount or integral):
            fine.append(rec)
            continue
        name = f'{words.table.get(ref[0], ref[0])}"{words.cell.get(ref, rec.key)}"'
        if value < 0:
            problem = "金额不能为负数" if amount else "件数不能为负数"
        else:
            problem = "件数应为整数"
        out.append(
            NONNEGATIVE.finding(
                "fail",
                f"{name}为{number(value)}，{problem}。",
                left=value,
                cells=(rec.key,),
                spans=(rec.span,),
            )
        )
    if unknown:
        refs = [(c.table, c.row, c.column) for c in unknown]
        out.append(
            NONNEGATIVE.finding(
                "not_assessable",
                f"{cell_list(refs, words)}的数字未能确定，无法核对是否为非负整数。",
                cells=[c.key for c in unknown],
                spans=[c.span for c in unknown],
            )
        )
    if include_passed and fine:
        out.append(
            NONNEGATIVE.finding(
                "pass",
                f"{len(fine)}个单元格的数字均为非负整数（收费金额为非负数）。",
                cells=[c.key for c in fine],
                spans=[c.span for c in fine],
            )
        )
    return out


NONNEGATIVE = RuleDef(
    "nonnegative-integer",
    "error",
    "nonnegative",
    "表二至表四的件数、数量为非负整数；本年收费金额（单位：万元）不为负数",
    check=_nonnegative,
    doc='表二"行政许可·本年处理决定数量"为-3；表二"行政处罚·本年处理决定数量"为2.5',
)
