"""Identities no reading of the written numbers can satisfy: a proven inconsistency.

When a layout dropped cells, the identity rules can only say "not assessable" about the cells
left unknown.  Recovery (:mod:`gxnianbao.recover.proof`) goes further: when no placement of a
row's numbers as written satisfies the identities, it records a ``placement-impossible``
diagnostic naming them.  That is no doubt about the reading but a fact about the report – it
breaks a 勾稽关系 whichever cell each number belongs to – so it is a fail here, named in the
template's words.
"""

from __future__ import annotations

import functools

from ..model import Diagnostic
from ..recover.narrative import CONTRADICTS, fragments_named
from ..recover.proof import IMPOSSIBLE, identities_named
from ..templates import TemplateSpec
from ..templates.identities import Equation, equations
from ..templates.names import TemplateNames
from .context import Context
from .findings import Finding
from .identities import scope_name
from .registry import RuleDef

__all__ = ["IDENTITIES_UNSATISFIABLE", "NARRATIVE_PLACEMENTS"]


@functools.lru_cache(maxsize=8)
def _equations(spec: TemplateSpec) -> dict[str, Equation]:
    return {eq.id: eq for eq in equations(spec)}


def _worded(eq: Equation, words: TemplateNames) -> str:
    """``表四"行政复议"：总计应等于结果维持、…之和`` (as the identity rules word it)."""
    wording = eq.identity.wording
    if wording is None:
        return eq.expression
    scope = wording.scope.format(scope=scope_name(eq, words))
    return f"{scope}：{wording.left}应等于{wording.right}"


def _where(d: Diagnostic, words: TemplateNames) -> str:
    table = words.table.get(d.table or "", d.table or "表格")
    row = words.row.get((d.table or "", d.row), d.row) if d.row else None
    place = f'{table}"{row}"一行' if row else f"{table}的数据行"
    if d.span is not None:
        place += f"（原文第{d.span.line}行）"
    return place


def _unsatisfiable(ctx: Context, include_passed: bool) -> list[Finding]:
    by_id = _equations(ctx.spec)
    words = ctx.names
    out: list[Finding] = []
    for d in ctx.report.diagnostics:
        if d.code != IMPOSSIBLE:
            continue
        ids = [i for i in identities_named(d.message) if i in by_id]
        if not ids:
            continue  # (another template's identities: nothing to word)
        written = "、".join(t.raw for t in d.numbers)
        worded = "；".join(_worded(by_id[i], words) for i in ids)
        together = "同时" if len(ids) > 1 else ""
        message = (
            f"{_where(d, words)}写有的数字（{written}）无论怎样放入该行的单元格，"
            f"都不能使以下勾稽关系{together}成立：{worded}。请核对这些数字。"
        )
        refs = list(dict.fromkeys(ref for i in ids for ref in by_id[i].cells))
        out.append(
            IDENTITIES_UNSATISFIABLE.finding(
                "fail",
                message,
                expression="；".join(by_id[i].expression for i in ids),
                cells=[".".join(ref) for ref in refs],
                spans=[rec.span if (rec := ctx.cells.get(ref)) else None for ref in refs],
                identify=(*ids, *(t.raw for t in d.numbers)),
                span=d.span,
            )
        )
    return out


IDENTITIES_UNSATISFIABLE = RuleDef(
    "identities-unsatisfiable",
    "error",
    "identities",
    "一行所写的数字，无论怎样放入该行的单元格，都应能使表格的勾稽关系成立",
    check=_unsatisfiable,
    doc=(
        "a scraped table 4 that dropped its empty cells, with 行政复议 总计 written 8 where its "
        "four results add up to 7: no placement of the row's numbers satisfies "
        "`t4-group-total/review`; the message lists the numbers as written"
    ),
)


def _contradicted(ctx: Context, include_passed: bool) -> list[Finding]:
    words = ctx.names
    out: list[Finding] = []
    for d in ctx.report.diagnostics:
        if d.code != CONTRADICTS:
            continue
        stated = "、".join(f"“{f}”" for f in fragments_named(d.message))
        written = "、".join(t.raw for t in d.numbers)
        row = f"{_where(d, words)}写有的数字（{written}）"
        message = (
            f"总体情况所述{stated}，与{row}的任何一种符合勾稽关系的排列都不一致："
            "正文或表格必有一处有误，请核对。"
        )
        out.append(
            NARRATIVE_PLACEMENTS.finding(
                "fail",
                message,
                identify=(*fragments_named(d.message), *(t.raw for t in d.numbers)),
                span=d.span,
            )
        )
    return out


NARRATIVE_PLACEMENTS = RuleDef(
    "narrative-placements",
    "warning",
    "narrative",
    "总体情况所述件数，应与表格中该行数字的某种符合勾稽关系的排列一致",
    check=_contradicted,
    doc=(
        "part 一 states `行政复议5件`, table 4 writes 1 2 3 1 7 for 行政复议 and drops a cell "
        "further on: no placement that keeps every identity gives 行政复议 总计 5"
    ),
)
