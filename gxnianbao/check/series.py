"""Rules across consecutive years of one issuer's reports.

Cells are named ``<year>:<table>.<row>.<column>``; the messages name rows in the words of the
template in force, which both templates share for the rows compared here.

A rule applies to a pair of years only when both reports' templates have every cell it needs:
across a template change (the older template's table 2 counts no 现行有效件数) the rule is not
applicable and gives no finding at all, not even with ``include_passed`` – it is not a cell the
report failed to give (``not_assessable``) but one its template never asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..model import CellRecord, Number
from ..templates import LATEST, TemplateSpec
from ..templates.names import names
from .context import CellRef, Context
from .findings import Finding, FindingStatus
from .registry import RuleDef
from .words import magnitude, number

__all__ = ["CARRY_OVER", "IN_FORCE"]

_CARRY = '本年"二、上年结转政府信息公开申请数量" = 上年"四、结转下年度继续办理"'
_STOCK = "本年现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数"
_IN_FORCE_ROWS = ("regulations", "normative_documents")


@attrs.frozen(slots=True)
class _Term:
    """One cell of one year in a series rule."""

    key: str
    """``<year>:<table>.<row>.<column>``."""
    name: str
    """``2023年"二、上年结转政府信息公开申请数量·自然人"``."""
    record: CellRecord | None
    value: Number | None


def _applies(ctx: Context, refs: Sequence[CellRef]) -> bool:
    """Whether the report's template has every cell of ``refs``."""
    for table, row, column in refs:
        try:
            columns = ctx.spec.table(table).row(row).columns
        except KeyError:
            return False
        if all(c.key != column for c in columns):
            return False
    return True


def _term(ctx: Context, ref: CellRef) -> _Term:
    year = ctx.report.meta.year
    rec = ctx.cells.get(ref)
    name = f'{year}年"{ctx.names.cell.get(ref, ".".join(ref))}"'
    return _Term(f"{year}:{'.'.join(ref)}", name, rec, ctx.values.get(ref))


def _finding(
    rule: RuleDef,
    rule_id: str,
    expression: str,
    terms: Sequence[_Term],
    sides: tuple[Number | None, Number | None],
    fail: str,
    passed: str,
    unknown: str,
    include_passed: bool,
) -> Finding | None:
    left, right = sides
    if left is None or right is None:
        status: FindingStatus = "not_assessable"
        message = unknown
        left = right = None
    elif left != right:
        status, message = "fail", fail
    elif include_passed:
        status, message = "pass", passed
    else:
        return None
    return rule.finding(
        status,
        message,
        rule=rule_id,
        expression=expression,
        left=left,
        right=right,
        cells=[t.key for t in terms],
        spans=[t.record.span if t.record is not None else None for t in terms],
    )


def _difference(left: Number | None, right: Number | None) -> str:
    return number(magnitude(left - right)) if left is not None and right is not None else "?"


def _carry_over(a: Context, b: Context, include_passed: bool) -> list[Finding]:
    words = names(LATEST)
    out: list[Finding] = []
    y0, y1 = a.report.meta.year, b.report.meta.year
    over_label = words.row[("applications", "carried_over")]
    forward_label = words.row[("applications", "carried_forward")]
    for col in LATEST.table("applications").rows[0].columns:
        this_ref = ("applications", "carried_over", col.key)
        last_ref = ("applications", "carried_forward", col.key)
        if not (_applies(b, [this_ref]) and _applies(a, [last_ref])):
            continue
        this = _term(b, this_ref)
        last = _term(a, last_ref)
        left, right = this.value, last.value
        scope = f'{words.table["applications"]}"{col.label}"列'
        said = f'{y1}年报告的"{over_label}"（{number(left)}）'
        said_last = f'{y0}年报告的"{forward_label}"（{number(right)}）'
        missing = [t.name for t in (this, last) if t.value is None]
        f = _finding(
            CARRY_OVER,
            f"series-carry-over/{col.key}",
            f"{_CARRY}（{col.label}）",
            (this, last),
            (left, right),
            f"{scope}：{said}不等于{said_last}，相差{_difference(left, right)}。",
            f"{scope}：{said}等于{said_last}。",
            f'{scope}：{y1}年"{over_label}"应等于{y0}年"{forward_label}"，无法核对：'
            f"{'、'.join(missing)}的数字未能确定。",
            include_passed,
        )
        if f is not None:
            out.append(f)
    return out


def _in_force(a: Context, b: Context, include_passed: bool) -> list[Finding]:
    words = names(LATEST)
    out: list[Finding] = []
    y0, y1 = a.report.meta.year, b.report.meta.year
    for row in _IN_FORCE_ROWS:
        flow = [("active_disclosure", row, col) for col in ("in_force", "issued", "repealed")]
        if not (_applies(b, flow) and _applies(a, flow[:1])):
            continue
        now = _term(b, ("active_disclosure", row, "in_force"))
        before = _term(a, ("active_disclosure", row, "in_force"))
        issued = _term(b, ("active_disclosure", row, "issued"))
        repealed = _term(b, ("active_disclosure", row, "repealed"))
        terms = (now, before, issued, repealed)
        left = now.value
        right: Number | None = None
        if before.value is not None and issued.value is not None and repealed.value is not None:
            right = before.value + issued.value - repealed.value
        row_words = words.row[("active_disclosure", row)]
        scope = f'{words.table["active_disclosure"]}"{row_words}"'
        sides = (
            f"{y1}年现行有效件数（{number(left)}）",
            f"{y0}年现行有效件数（{number(before.value)}）加"
            f"{y1}年制发件数（{number(issued.value)}）减{y1}年废止件数"
            f"（{number(repealed.value)}）（{number(right)}）",
        )
        missing = [t.name for t in terms if t.value is None]
        f = _finding(
            IN_FORCE,
            f"series-in-force/{row}",
            f"{row_words}：{_STOCK}",
            terms,
            (left, right),
            f"{scope}：{sides[0]}不等于{sides[1]}，相差{_difference(left, right)}。"
            "清理、机构调整等可能造成合理差异，请核实。",
            f"{scope}：{sides[0]}等于{sides[1]}。",
            f"{scope}：{y1}年现行有效件数应等于{y0}年现行有效件数加{y1}年制发件数减废止件数，"
            f"无法核对：{'、'.join(missing)}的数字未能确定。",
            include_passed,
        )
        if f is not None:
            out.append(f)
    return out


def _carry_over_rules(spec: TemplateSpec) -> list[tuple[str, str]]:
    columns = spec.table("applications").rows[0].columns
    return [(f"series-carry-over/{c.key}", f"{_CARRY}（{c.label}）") for c in columns]


def _in_force_rules(spec: TemplateSpec) -> list[tuple[str, str]]:
    words = names(spec)
    table = spec.table("active_disclosure")
    if not any(c.key == "in_force" for row in _IN_FORCE_ROWS for c in table.row(row).columns):
        return []  # a template without 现行有效件数 never gets these rules
    return [
        (f"series-in-force/{row}", f"{words.row[('active_disclosure', row)]}：{_STOCK}")
        for row in _IN_FORCE_ROWS
    ]


CARRY_OVER = RuleDef(
    "series-carry-over/<column>",
    "warning",
    "series",
    f"{_CARRY}, in each column of table 3",
    compare=_carry_over,
    expand=_carry_over_rules,
    doc='`表三"自然人"列：2023年报告的"二、上年结转政府信息公开申请数量"（3）不等于2022年报告的'
    '"四、结转下年度继续办理"（2），相差1。`',
)
IN_FORCE = RuleDef(
    "series-in-force/<row>",
    "warning",
    "series",
    f"{_STOCK}, for 规章 and 行政规范性文件",
    compare=_in_force,
    expand=_in_force_rules,
    doc="规章 had 4 in force in 2022, and 2023 has 2 issued, 1 repealed and 4 in force (5"
    " expected)",
)
