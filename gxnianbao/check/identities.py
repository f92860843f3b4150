"""The 勾稽关系 of the report's template, one finding per expanded equation.

The rules are not written here: they are the identities the template declares
(``TemplateSpec.identities``), expanded by :func:`gxnianbao.templates.identities.equations`.
A new identity is one declaration in the template, with its :class:`Wording` for the messages.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import attrs

from ..model import CellRecord, Number, Status
from ..templates import TemplateSpec
from ..templates.identities import CellRef, Equation, equations
from ..templates.names import TemplateNames, names
from .context import Context
from .findings import Finding, FindingStatus
from .registry import RuleDef
from .words import cell_list, magnitude, number

__all__ = ["IDENTITIES", "scope_name"]

_STATUS_WORDS = {
    Status.MISSING: "在原文中缺失",
    Status.AMBIGUOUS: "的数字无法确定位置",
}


@attrs.frozen(slots=True)
class _Prepared:
    """An equation with everything its findings need that does not depend on the report."""

    eq: Equation
    keys: tuple[str, ...]
    scope: str
    left: str
    right: str


@functools.lru_cache(maxsize=8)
def _prepared(spec: TemplateSpec) -> tuple[_Prepared, ...]:
    words = names(spec)
    out = []
    for eq in equations(spec):
        wording = eq.identity.wording
        if wording is None:
            scope, left, right = eq.expression, "左边各项之和", "右边各项之和"
        else:
            scope = wording.scope.format(scope=scope_name(eq, words))
            left, right = wording.left, wording.right
        keys = tuple(".".join(ref) for ref in eq.cells)
        out.append(_Prepared(eq, keys, scope, left, right))
    return tuple(out)


def scope_name(eq: Equation, words: TemplateNames) -> str:
    """The column or row an expanded identity holds in, in the template's words."""
    table = eq.identity.table
    if eq.identity.over == "columns":
        return words.column.get((table, eq.scope), eq.scope)
    return words.row.get((table, eq.scope), eq.scope)


def _sum(
    refs: Iterable[CellRef], values: dict[CellRef, Number | None], unknown: list[CellRef]
) -> Number:
    total: Number = 0
    for ref in refs:
        v = values.get(ref)
        if v is None:
            unknown.append(ref)
        else:
            total += v
    return total


def _identities(ctx: Context, include_passed: bool) -> list[Finding]:
    cells = ctx.cells
    out: list[Finding] = []
    for p in _prepared(ctx.spec):
        eq = p.eq
        unknown: list[CellRef] = []
        left = _sum(eq.left, ctx.values, unknown)
        right = _sum(eq.right, ctx.values, unknown)
        if not unknown and left == right and not include_passed:
            continue
        spans = [rec.span if (rec := cells.get(ref)) is not None else None for ref in eq.cells]
        if unknown:
            why = _why_unknown(unknown, cells, ctx.names)
            message = f"{p.scope}：{p.left}应等于{p.right}，无法核对：{why}。"
            out.append(
                IDENTITIES.finding(
                    "not_assessable",
                    message,
                    rule=eq.id,
                    expression=eq.expression,
                    cells=p.keys,
                    spans=spans,
                )
            )
            continue
        shown_left = _side(left, eq.left, cells)
        shown_right = _side(right, eq.right, cells)
        if left == right:
            status: FindingStatus = "pass"
            message = f"{p.scope}：{p.left}（{shown_left}）等于{p.right}（{shown_right}）。"
        else:
            status = "fail"
            message = (
                f"{p.scope}：{p.left}（{shown_left}）不等于{p.right}（{shown_right}），"
                f"相差{number(magnitude(left - right))}。"
            )
        out.append(
            IDENTITIES.finding(
                status,
                message,
                rule=eq.id,
                expression=eq.expression,
                left=left,
                right=right,
                cells=p.keys,
                spans=spans,
            )
        )
    return out


_GAP_WORDS = {Status.BLANK: "空白", Status.NOT_APPLICABLE: "不适用"}


def _side(total: Number, refs: Sequence[CellRef], cells: dict[CellRef, CellRecord]) -> str:
    """A side of an identity as the message shows it: its sum, and its empty cells as what
    they are (``空白``, ``不适用``), not as the 0 they count for."""
    gaps = [
        _GAP_WORDS[rec.status]
        for ref in refs
        if (rec := cells.get(ref)) is not None and rec.status in _GAP_WORDS
    ]
    if not gaps:
        return number(total)
    if len(gaps) == len(refs):
        return gaps[0] if len(set(gaps)) == 1 else "空白或不适用"
    counted = "、".join(sorted(set(gaps), key=gaps.index))
    return f"{number(total)}，其中{len(gaps)}格{counted}按0计"


def _why_unknown(
    unknown: Sequence[CellRef], cells: dict[CellRef, CellRecord], words: TemplateNames
) -> str:
    """Which cells are unknown and why, grouped by reason."""
    by_reason: dict[str, list[CellRef]] = {}
    for ref in unknown:
        rec = cells.get(ref)
        if rec is None:
            reason = f"所在的{words.table.get(ref[0], ref[0])}未读取"
        else:
            reason = _STATUS_WORDS.get(rec.status, f"状态为{rec.status.value}")
        by_reason.setdefault(reason, []).append(ref)
    return "；".join(f"{cell_list(refs, words)}{reason}" for reason, refs in by_reason.items())


IDENTITIES = RuleDef(
    "<identity>/<column or row>",
    "error",
    "identities",
    "the identities the template declares, one rule per column or row they hold in",
    check=_identities,
    expand=lambda spec: ((eq.id, eq.expression) for eq in equations(spec)),
)
