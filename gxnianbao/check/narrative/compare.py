"""Counts stated in part 一、总体情况 checked against tables 2–4.

Why: the narrative and the tables of a report are written separately and often disagree (a real
report says it had 2 applications while its table 3 says 0).  A clerk reading the tables alone
does not see it.  Each count read (:mod:`.statements`) is compared with the table cells its
quantity must equal in the report's template (:mod:`gxnianbao.templates.quantities`); a count
that cannot be read one way, or a cell whose value is unknown, gives ``not_assessable``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ...model import CellRecord, Number, Report, Span, Status
from ...model.cells import STATUS_ZH
from ...templates import TemplateSpec
from ...templates.quantities import QUANTITIES, Quantity
from ..context import Context, spec_of
from ..findings import Finding, FindingStatus
from ..registry import RuleDef
from .statements import Statement, statements

__all__ = ["NARRATIVE", "check_narrative", "narrative_rules"]

CellRef = tuple[str, str, str]

_AD, _APP, _RL = "active_disclosure", "applications", "review_litigation"


def narrative_rules() -> tuple[tuple[str, str], ...]:
    """Every rule id this family can give, with the table side of its expression."""
    return tuple((q.rule, q.words) for q in QUANTITIES.values())


_KNOWN = {Status.REPORTED, Status.INFERRED}
_ZERO = {Status.BLANK, Status.NOT_APPLICABLE}
_STATUS_WORDS = STATUS_ZH


@attrs.frozen(slots=True)
class _Side:
    value: Number | None
    cells: tuple[str, ...]
    spans: tuple[Span | None, ...]
    unknown: tuple[str, ...]
    """Cells whose value is unknown, with why (``applications.received.total：缺失``)."""


class _CellLookup:
    """A report's cells by (table, row, column), found by attribute (``withheld.state_secret``)."""

    def __init__(self, report: Report) -> None:
        self.tables: dict[str, object | None] = {
            _AD: report.active_disclosure,
            _APP: report.applications,
            _RL: report.review_litigation,
        }

    def get(self, ref: CellRef) -> CellRecord | None:
        table, row, column = ref
        obj = self.tables.get(table)
        try:
            for part in row.split("."):
                obj = getattr(obj, part)
            rec = obj.cell(column)  # type: ignore[attr-defined]
        except (AttributeError, KeyError):
            return None
        return rec if isinstance(rec, CellRecord) else None


def _table_side(cells: _CellLookup, refs: Sequence[CellRef]) -> _Side:
    keys: list[str] = []
    spans: list[Span | None] = []
    unknown: list[str] = []
    total: Number = 0
    for ref in refs:
        key = ".".join(ref)
        keys.append(key)
        rec = cells.get(ref)
        if rec is None:
            spans.append(None)
            unknown.append(f"{key}：表格缺失")
            continue
        spans.append(rec.span)
        if rec.status in _KNOWN and rec.value is not None:
            total += rec.value
        elif rec.status not in _ZERO:
            unknown.append(f"{key}：{_STATUS_WORDS.get(rec.status, str(rec.status))}")
    return _Side(None if unknown else total, tuple(keys), tuple(spans), tuple(unknown))


@attrs.frozen(slots=True)
class _Head:
    """A sub-head of part 一: where its title is in the overview text, its name, its span."""

    pos: int
    name: str
    span: Span


def _subheads(report: Report) -> list[_Head]:
    overview = report.overview
    out: list[_Head] = []
    if overview is None:
        return out
    pos = 0
    for sub in overview.subsections:
        i = overview.text.find(sub.title, pos)
        if i >= 0:
            out.append(_Head(i, f"（{sub.number}）{sub.title}", sub.span))
            pos = i
    return out


def _head(heads: Sequence[_Head], s: Statement) -> _Head | None:
    """The sub-head a statement is under, if any."""
    found = None
    for head in heads:
        if head.pos > s.start:
            break
        found = head
    return found


def _where(heads: Sequence[_Head], s: Statement) -> str:
    """``（二）依申请公开情况`` when the statement is under that sub-head, else ``""``."""
    head = _head(heads, s)
    return "" if head is None else head.name


def _fmt(value: Number | None) -> str:
    return "?" if value is None else str(value)


def check_narrative(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Findings comparing counts stated in the overview with the tables.

    One finding per quantity stated: ``fail`` when the stated count differs from the table,
    ``pass`` (only with ``include_passed``) when it is equal, ``not_assessable`` when the table
    cell is unknown or the narrative can be read more than one way.  Blank and not-applicable
    cells count as 0.
    """
    return _narrative(report, spec_of(report), include_passed)


def _check(ctx: Context, include_passed: bool) -> list[Finding]:
    return _narrative(ctx.report, ctx.spec, include_passed)


def _narrative(report: Report, spec: TemplateSpec, include_passed: bool) -> list[Finding]:
    overview = report.overview
    if overview is None or not overview.text:
        return []
    found = statements(overview.text, year=report.meta.year)
    by_key: dict[str, list[Statement]] = {}
    for s in found:
        by_key.setdefault(s.quantity, []).append(s)
    out: list[Finding] = []
    cells = _CellLookup(report)
    heads = _subheads(report)
    for key, q in QUANTITIES.items():
        stated = by_key.get(key)
        refs = q.cells_for(spec)
        if not stated or not refs:
            continue  # not stated, or a count the report's template has no cell for
        finding = _finding(heads, overview.span, cells, q, refs, stated, include_passed)
        if finding is not None:
            out.append(finding)
    return out


def _finding(
    heads: Sequence[_Head],
    part: Span | None,
    cells: _CellLookup,
    q: Quantity,
    refs: Sequence[CellRef],
    stated: list[Statement],
    include_passed: bool,
) -> Finding | None:
    """The finding on one quantity; None for a pass that was not asked for."""
    side = _table_side(cells, refs)
    first = stated[0]
    where = _where(heads, first)
    values = {s.value for s in stated}
    unclear = [s for s in stated if s.reason is not None]
    left: int | None = first.value if len(values) == 1 and not unclear else None
    expression = f'总体情况所述"{first.fragment}" = {q.words}'
    status: FindingStatus
    if unclear:
        s = unclear[0]
        status = "not_assessable"
        message = (
            f"总体情况{_where(heads, s)}所述“{s.fragment}”不作核对：{s.reason}。"
            f"{q.name}应与{q.words}一致，请人工核对。"
        )
    elif len(values) > 1:
        status = "not_assessable"
        readings = "；".join(f"“{s.fragment}”为{_fmt(s.value)}件" for s in stated)
        message = (
            f"总体情况对{q.name}的表述前后不一：{readings}。无法确定应以哪一个与{q.words}核对，"
            "请人工核对。"
        )
    elif side.value is None:
        status = "not_assessable"
        message = (
            f"总体情况{where}所述“{first.fragment}”，{q.name}为{_fmt(left)}件；"
            f"但{q.words}的数字无法确定（{'、'.join(side.unknown)}），无法核对。"
        )
    elif left == side.value:
        if not include_passed:
            return None
        status = "pass"
        message = (
            f"总体情况{where}所述“{first.fragment}”，{q.name}为{left}件，"
            f"与{q.words}（{side.value}件）一致。"
        )
    else:
        status = "fail"
        assert left is not None
        diff = left - side.value
        message = (
            f"总体情况{where}所述“{first.fragment}”，{q.name}为{left}件；"
            f"而{q.words}为{side.value}件，相差{abs(diff)}件。请核对正文与表格，改正有误的一处。"
        )
    right = side.value
    head = _head(heads, unclear[0] if unclear else first)
    return NARRATIVE.finding(
        status,
        message,
        rule=q.rule,
        expression=expression,
        left=left,
        right=right,
        cells=side.cells,
        spans=side.spans,
        span=part if head is None else head.span,
        same_as=(left, right, status),
    )


NARRATIVE = RuleDef(
    "narrative-<quantity>",
    "warning",
    "narrative",
    '总体情况所述"…" = the table cells of the quantity stated',
    check=_check,
    expand=lambda spec: narrative_rules(),
)
