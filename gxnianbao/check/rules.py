"""Checks of a parsed report, declared as data: what a 政务公开 clerk must fix, and why.

Every rule has a stable id (listed in ``docs/rules.md`` and by :func:`rules`), a severity and
the expression it checks in the template's words.  The identity rules are not written here at
all: they are built from :func:`gxnianbao.identities.equations`, so a new 勾稽关系 is one
declaration there (plus, optionally, a :class:`Wording` here for a better sentence).

Values: ``reported`` and ``inferred`` cells count with their value; ``blank`` and
``not_applicable`` cells count as 0 (reports leave zero cells empty; the blank cells are
reported by ``structure-blank-cells``); a ``missing`` or ``ambiguous`` cell makes a rule that
needs it ``not_assessable`` – never a guess.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs
import regex

from ..common.labels import core
from ..locate import sections
from ..model import CellRecord, Number, Report, Severity, SourceLabel, Span, Status
from ..templates import TEMPLATES, TemplateSpec
from ..templates.identities import CellRef, Equation, equations
from .findings import Finding, FindingStatus, fingerprint
from .narrative import check_narrative, narrative_rules

__all__ = [
    "FAMILIES",
    "Rule",
    "Wording",
    "check_blank_cells",
    "check_fee",
    "check_identities",
    "check_labels",
    "check_narrative_rules",
    "check_nonnegative",
    "check_parts",
    "check_structure",
    "check_tables",
    "check_template",
    "rules",
    "validate",
    "validate_series",
]

# --- the catalogue ---------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Rule:
    """One rule as ``docs/rules.md`` lists it."""

    id: str
    severity: Severity
    family: str
    """``identities``, ``nonnegative``, ``narrative``, ``fee``, ``structure`` or ``series``."""
    expression: str
    """What it checks, in the template's words."""


@attrs.frozen(slots=True)
class Wording:
    """How a clerk is told about one identity: where it holds and its two sides, in words.

    ``scope`` is formatted with ``{scope}``, the column's or row's name in the template.
    """

    scope: str
    left: str
    right: str


WORDINGS: dict[str, Wording] = {
    "t3-balance": Wording('表三"{scope}"列', "第一项与第二项之和", "第三项与第四项之和"),
    "t3-results-total": Wording('表三"{scope}"列', "（七）总计", "（一）至（六）各项办理结果之和"),
    "t3-row-total": Wording(
        '表三"{scope}"行',
        "总计",
        "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他各列之和",
    ),
    "t4-group-total": Wording(
        '表四"{scope}"', "总计", "结果维持、结果纠正、其他结果、尚未审结之和"
    ),
}
"""Sentences for the declared identities; an identity without one gets a generic sentence."""

IDENTITY_SEVERITY: Severity = "error"

STATIC_RULES = (
    Rule(
        "nonnegative-integer",
        "error",
        "nonnegative",
        "表二至表四的件数、数量为非负整数；本年收费金额（单位：万元）不为负数",
    ),
    Rule(
        "fee-not-reported",
        "warning",
        "fee",
        "六、其他需要报告的事项：报告本年度信息处理费收取情况（未收取的也应说明）",
    ),
    Rule(
        "fee-unreadable",
        "warning",
        "fee",
        '六、其他需要报告的事项：信息处理费写明金额（如"收取信息处理费3940元"）',
    ),
    Rule(
        "structure-part-missing",
        "warning",
        "structure",
        "报告包括一、总体情况至六、其他需要报告的事项共六部分",
    ),
    Rule(
        "structure-table-missing",
        "warning",
        "structure",
        "第二、三、四部分各有一张表格",
    ),
    Rule(
        "structure-label-wording",
        "warning",
        "structure",
        "表格的行、列标签使用格式规定的用语",
    ),
    Rule(
        "structure-template-outdated",
        "warning",
        "structure",
        "2021年度起的报告使用国办公开办函〔2021〕30号印发的格式",
    ),
    Rule(
        "structure-blank-cells",
        "info",
        "structure",
        "应填数字的单元格填写数字（没有的填0）",
    ),
)

_RULE = {rule.id: rule for rule in STATIC_RULES}

SERIES_SEVERITY: Severity = "warning"
_SERIES_CARRY = '本年"二、上年结转政府信息公开申请数量" = 上年"四、结转下年度继续办理"'
_SERIES_IN_FORCE = "本年现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数"
_IN_FORCE_ROWS = ("regulations", "normative_documents")


@functools.lru_cache(maxsize=4)
def rules(template: str = "2021") -> tuple[Rule, ...]:
    """Every rule id this module can give, with severity and expression (narrative excepted:
    its ids come from :mod:`gxnianbao.narrative`)."""
    spec = _template(template)
    words = _words(template)
    out = [
        Rule(eq.id, IDENTITY_SEVERITY, "identities", eq.expression) for eq in equations(template)
    ]
    out.extend(STATIC_RULES)
    app = spec.table("applications")
    for col in app.rows[0].columns:
        out.append(
            Rule(
                f"series-carry-over/{col.key}",
                SERIES_SEVERITY,
                "series",
                f"{_SERIES_CARRY}（{col.label}）",
            )
        )
    for row in _IN_FORCE_ROWS:
        out.append(
            Rule(
                f"series-in-force/{row}",
                SERIES_SEVERITY,
                "series",
                f"{words.row[('active_disclosure', row)]}：{_SERIES_IN_FORCE}",
            )
        )
    return tuple(out)


# --- the template's words ------------------------------------------------------------------

TABLE_WORDS = {"active_disclosure": "表二", "applications": "表三", "review_litigation": "表四"}
_TABLE_NUMBER = {"active_disclosure": 2, "applications": 3, "review_litigation": 4}
_GROUP_PREFIXED = ("withheld", "unavailable", "not_processed", "other")
_GROUP_WORDS_T4 = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
_TRAILING_NOTE = regex.compile(r"（[^（）]*）$")
_NUMERALS = "〇一二三四五六"


@attrs.frozen(slots=True)
class _Words:
    """Names of rows, columns and cells in the template's words."""

    row: dict[tuple[str, str], str]
    column: dict[tuple[str, str], str]
    cell: dict[CellRef, str]
    """``一、本年新收政府信息公开申请数量·自然人``: a cell named by its row and column."""
    amounts: frozenset[CellRef]
    signed: frozenset[CellRef]
    """Cells that may be negative (2019's 本年增/减)."""


def _template(name: str) -> TemplateSpec:
    return TEMPLATES[name]


@functools.lru_cache(maxsize=4)
def _words(name: str) -> _Words:
    spec = _template(name)
    row: dict[tuple[str, str], str] = {}
    column: dict[tuple[str, str], str] = {}
    cell: dict[CellRef, str] = {}
    amounts: set[CellRef] = set()
    signed: set[CellRef] = set()
    for table in spec.tables:
        groups = {g.key: g.label for g in table.groups}
        for r in table.rows:
            label = r.label
            if table.key == "applications":
                label = _TRAILING_NOTE.sub("", label) if r.key == "partially_granted" else label
                if r.group in _GROUP_PREFIXED:
                    label = f"{groups[r.group]} {label}"
            elif table.key == "review_litigation":
                label = _GROUP_WORDS_T4.get(r.key, label)
            row[(table.key, r.key)] = label
            for c in r.columns:
                col_label = _TRAILING_NOTE.sub("", c.label)
                column.setdefault((table.key, c.key), col_label)
                ref = (table.key, r.key, c.key)
                cell[ref] = f"{label}·{col_label}"
                kind = c.kind or r.kind
                if kind == "amount":
                    amounts.add(ref)
                elif kind == "signed":
                    signed.add(ref)
    return _Words(row, column, cell, frozenset(amounts), frozenset(signed))


def _num(value: Number | None) -> str:
    if value is None:
        return "?"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _abs(value: Number) -> Number:
    return -value if value < 0 else value


def _names(refs: Sequence[CellRef], words: _Words, limit: int = 3) -> str:
    """``表三"一、…·自然人"、…等5个单元格``: the first few cells named, the rest counted."""
    names = [f'{TABLE_WORDS.get(r[0], r[0])}"{words.cell.get(r, ".".join(r))}"' for r in refs]
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}个单元格"


# --- evaluation context --------------------------------------------------------------------

_R, _I, _B, _N = Status.REPORTED, Status.INFERRED, Status.BLANK, Status.NOT_APPLICABLE
_STATUS_WORDS = {
    Status.MISSING: "在原文中缺失",
    Status.AMBIGUOUS: "的数字无法确定位置",
}


def _value(rec: CellRecord | None) -> Number | None:
    """A cell's value for a rule: blank and ``/`` are 0; unknown cells are None."""
    if rec is None:
        return None
    status = rec.status  # compared by identity: hashing a str enum member is slow
    if status is _R or status is _I:
        return rec.value
    if status is _B or status is _N:
        return 0
    return None


@attrs.frozen(slots=True)
class _Checked:
    """A report with its cells indexed and valued once, shared by every rule family."""

    report: Report
    cells: dict[CellRef, CellRecord]
    values: dict[CellRef, Number | None]
    """Each cell's value for the rules (see :func:`_value`)."""
    template: str

    @classmethod
    def of(cls, report: Report) -> _Checked:
        if not isinstance(report, Report):
            raise TypeError(f"expected a gxnianbao.Report, not {type(report).__name__}")
        cells: dict[CellRef, CellRecord] = {}
        values: dict[CellRef, Number | None] = {}
        for c in report.cells():
            ref = (c.table, c.row, c.column)
            cells[ref] = c
            values[ref] = _value(c)
        return cls(report, cells, values, report.meta.template or "2021")


def _make(
    rule: str,
    severity: Severity,
    status: FindingStatus,
    message: str,
    *,
    expression: str = "",
    left: Number | None = None,
    right: Number | None = None,
    cells: Sequence[str] = (),
    spans: Sequence[Span | None] = (),
    identify: Iterable[object] = (),
    span: Span | None = None,
) -> Finding:
    difference = left - right if left is not None and right is not None else None
    return Finding(
        rule=rule,
        severity=severity,
        status=status,
        message=message,
        expression=expression,
        left=left,
        right=right,
        difference=difference,
        cells=tuple(cells),
        spans=tuple(spans),
        fingerprint=fingerprint(rule, cells, status, left, right, *identify),
        span=span,
    )


def _keep(findings: list[Finding], include_passed: bool) -> list[Finding]:
    return findings if include_passed else [f for f in findings if f.status != "pass"]


# --- identities ----------------------------------------------------------------------------


@attrs.frozen(slots=True)
class _PreparedEquation:
    """An equation with everything its findings need that does not depend on the report."""

    eq: Equation
    keys: tuple[str, ...]
    scope: str
    left: str
    right: str


@functools.lru_cache(maxsize=4)
def _prepared(template: str) -> tuple[_PreparedEquation, ...]:
    words = _words(template)
    out = []
    for eq in equations(template):
        table = eq.identity.table
        if eq.identity.over == "columns":
            scope_name = words.column.get((table, eq.scope), eq.scope)
        else:
            scope_name = words.row.get((table, eq.scope), eq.scope)
        wording = WORDINGS.get(eq.identity.id)
        if wording is None:
            scope, left, right = eq.expression, "左边各项之和", "右边各项之和"
        else:
            scope = wording.scope.format(scope=scope_name)
            left, right = wording.left, wording.right
        keys = tuple(".".join(ref) for ref in eq.cells)
        out.append(_PreparedEquation(eq, keys, scope, left, right))
    return tuple(out)


def _identities(ctx: _Checked, include_passed: bool) -> list[Finding]:
    words = _words(ctx.template)
    cells = ctx.cells
    out: list[Finding] = []
    values = ctx.values
    for p in _prepared(ctx.template):
        eq = p.eq
        left: Number = 0
        right: Number = 0
        unknown: list[CellRef] = []
        for ref in eq.left:
            v = values.get(ref)
            if v is None:
                unknown.append(ref)
            else:
                left += v
        for ref in eq.right:
            v = values.get(ref)
            if v is None:
                unknown.append(ref)
            else:
                right += v
        if not unknown and left == right and not include_passed:
            continue
        spans = [rec.span if (rec := cells.get(ref)) is not None else None for ref in eq.cells]
        if unknown:
            why = _why_unknown(unknown, cells, words)
            message = f"{p.scope}：{p.left}应等于{p.right}，无法核对：{why}。"
            out.append(
                _make(
                    eq.id,
                    IDENTITY_SEVERITY,
                    "not_assessable",
                    message,
                    expression=eq.expression,
                    cells=p.keys,
                    spans=spans,
                )
            )
            continue
        if left == right:
            status: FindingStatus = "pass"
            message = f"{p.scope}：{p.left}（{_num(left)}）等于{p.right}（{_num(right)}）。"
        else:
            status = "fail"
            message = (
                f"{p.scope}：{p.left}（{_num(left)}）不等于{p.right}（{_num(right)}），"
                f"相差{_num(_abs(left - right))}。"
            )
        out.append(
            _make(
                eq.id,
                IDENTITY_SEVERITY,
                status,
                message,
                expression=eq.expression,
                left=left,
                right=right,
                cells=p.keys,
                spans=spans,
            )
        )
    return out


def _why_unknown(
    unknown: Sequence[CellRef], cells: dict[CellRef, CellRecord], words: _Words
) -> str:
    """Which cells are unknown and why, grouped by reason."""
    by_reason: dict[str, list[CellRef]] = {}
    for ref in unknown:
        rec = cells.get(ref)
        if rec is None:
            reason = f"所在的{TABLE_WORDS.get(ref[0], ref[0])}未读取"
        else:
            reason = _STATUS_WORDS.get(rec.status, f"状态为{rec.status.value}")
        by_reason.setdefault(reason, []).append(ref)
    return "；".join(f"{_names(refs, words)}{reason}" for reason, refs in by_reason.items())


def check_identities(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Every identity (勾稽关系) of the template, one finding per expanded equation."""
    return _identities(_Checked.of(report), include_passed)


# --- non-negative integers -----------------------------------------------------------------


def _nonnegative(ctx: _Checked, include_passed: bool) -> list[Finding]:
    words = _words(ctx.template)
    rule = "nonnegative-integer"
    expression = _RULE[rule].expression
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
        name = f'{TABLE_WORDS.get(ref[0], ref[0])}"{words.cell.get(ref, rec.key)}"'
        if value < 0:
            problem = "金额不能为负数" if amount else "件数不能为负数"
        else:
            problem = "件数应为整数"
        out.append(
            _make(
                rule,
                "error",
                "fail",
                f"{name}为{_num(value)}，{problem}。",
                expression=expression,
                left=value,
                cells=(rec.key,),
                spans=(rec.span,),
            )
        )
    if unknown:
        refs = [(c.table, c.row, c.column) for c in unknown]
        out.append(
            _make(
                rule,
                "error",
                "not_assessable",
                f"{_names(refs, words)}的数字未能确定，无法核对是否为非负整数。",
                expression=expression,
                cells=[c.key for c in unknown],
                spans=[c.span for c in unknown],
            )
        )
    if include_passed and fine:
        out.append(
            _make(
                rule,
                "error",
                "pass",
                f"{len(fine)}个单元格的数字均为非负整数（收费金额为非负数）。",
                expression=expression,
                cells=[c.key for c in fine],
                spans=[c.span for c in fine],
            )
        )
    return out


def check_nonnegative(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Counts in tables 2–4 are non-negative integers; the fee amount is not negative.

    One ``fail`` per offending cell; unknown cells are gathered in one ``not_assessable``
    finding, and (when asked) the cells that pass in one ``pass`` finding."""
    return _nonnegative(_Checked.of(report), include_passed)


# --- narrative -----------------------------------------------------------------------------


def _narrative(ctx: _Checked, include_passed: bool) -> list[Finding]:
    return _keep(list(check_narrative(ctx.report, include_passed=include_passed)), include_passed)


def check_narrative_rules(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Counts stated in 一、总体情况 against tables 2–4 (see :mod:`gxnianbao.narrative`)."""
    return _narrative(_Checked.of(report), include_passed)


# --- the information processing fee --------------------------------------------------------

_SENTENCE = regex.compile(r"[^。；;\n]*信息处理费[^。；;\n]*")


def _fee(ctx: _Checked, include_passed: bool) -> list[Finding]:
    report = ctx.report
    if report.meta.template == "2019":
        return []  # the 2019 template asks for no fee statement
    not_reported, unreadable = _RULE["fee-not-reported"], _RULE["fee-unreadable"]
    other = report.other_matters
    fee = sections.processing_fee(other) if other else sections.Fee(None, False)
    amount = report.processing_fee if report.processing_fee is not None else fee.amount
    part6 = next((s.span for s in report.sections if s.number == 6), None)
    out: list[Finding] = []
    if amount is not None:
        if include_passed:
            said = f"第六部分说明了信息处理费：{_num(amount)}元。"
            for rule in (not_reported, unreadable):
                out.append(
                    _make(
                        rule.id,
                        rule.severity,
                        "pass",
                        said,
                        expression=rule.expression,
                        identify=(amount,),
                    )
                )
        return out
    if fee.stated:
        m = _SENTENCE.search(other or "")
        sentence = m.group(0).strip() if m else "信息处理费"
        out.append(
            _make(
                unreadable.id,
                unreadable.severity,
                "fail",
                f'第六部分提到信息处理费，但未能读出金额："{sentence}"。'
                '请写明收取的金额（元），未收取的写明"未收取信息处理费"。',
                expression=unreadable.expression,
                identify=(sentence,),
                span=part6,
            )
        )
        if include_passed:
            out.append(
                _make(
                    not_reported.id,
                    not_reported.severity,
                    "pass",
                    "第六部分提到了信息处理费。",
                    expression=not_reported.expression,
                )
            )
        return out
    part = '第六部分"其他需要报告的事项"'
    where = f"未找到{part}，" if other is None else part
    out.append(
        _make(
            not_reported.id,
            not_reported.severity,
            "fail",
            f"{where}未说明本年度信息处理费收取情况。按照2021年版格式，收取或未收取信息"
            '处理费都应在第六部分说明（如"本年度未收取信息处理费"）。',
            expression=not_reported.expression,
            identify=(other is None,),
            span=part6,
        )
    )
    return out


def check_fee(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Part 六 states the 信息处理费 (2021 template), with an amount that can be read."""
    return _fee(_Checked.of(report), include_passed)


# --- structure -----------------------------------------------------------------------------


def _parts(ctx: _Checked, include_passed: bool) -> list[Finding]:
    rule = _RULE["structure-part-missing"]
    present = {s.number for s in ctx.report.sections}
    out: list[Finding] = []
    for spec in _template(ctx.template).sections:
        if spec.number in present:
            if include_passed:
                out.append(
                    _make(
                        rule.id,
                        rule.severity,
                        "pass",
                        f'找到第{_NUMERALS[spec.number]}部分"{spec.heading}"。',
                        expression=rule.expression,
                        identify=(spec.number,),
                    )
                )
            continue
        out.append(
            _make(
                rule.id,
                rule.severity,
                "fail",
                f'未找到第{_NUMERALS[spec.number]}部分"{spec.heading}"。',
                expression=rule.expression,
                identify=(spec.number,),
            )
        )
    return out


def check_parts(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Each of the six parts is found; one finding per part."""
    return _parts(_Checked.of(report), include_passed)


def _tables(ctx: _Checked, include_passed: bool) -> list[Finding]:
    rule = _RULE["structure-table-missing"]
    out: list[Finding] = []
    for spec in _template(ctx.template).tables:
        table = getattr(ctx.report, spec.key)
        if table is None:
            continue  # no such table in this report
        name = f'{TABLE_WORDS[spec.key]}"{spec.title}"'
        if all(c.status is Status.MISSING for c in table.cells()):
            status: FindingStatus = "fail"
            number = _NUMERALS[_TABLE_NUMBER[spec.key]]
            message = f"第{number}部分未找到{name}，表中所有单元格缺失。"
        elif include_passed:
            status, message = "pass", f"找到{name}。"
        else:
            continue
        out.append(
            _make(
                rule.id,
                rule.severity,
                status,
                message,
                expression=rule.expression,
                identify=(spec.key,),
            )
        )
    return out


def check_tables(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Tables 2, 3 and 4 are found (a table whose every cell is missing is not)."""
    return _tables(_Checked.of(report), include_passed)


def _label_cells(ctx: _Checked, label: SourceLabel) -> list[CellRecord]:
    """The cells a label names: its row's, its column's or its group's rows'."""
    if label.kind == "row":
        return [c for ref, c in ctx.cells.items() if ref[0] == label.table and ref[1] == label.key]
    if label.kind == "column":
        return [c for ref, c in ctx.cells.items() if ref[0] == label.table and ref[2] == label.key]
    if label.kind == "group":
        spec = _template(ctx.template).table(label.table)
        rows = {r.key for r in spec.rows if r.group == label.key}
        return [c for ref, c in ctx.cells.items() if ref[0] == label.table and ref[1] in rows]
    return []


def _wording_differs(label: SourceLabel) -> bool:
    """The label's core differs from the official one, other than by being cut short.

    A label that is the start of the official wording (``三、本年度办理`` for
    ``三、本年度办理结果``) was split over lines or merged cells far more often than reworded.
    """
    if label.text == label.official:
        return False
    written, official = core(label.text), core(label.official)
    return written != official and not (written and official.startswith(written))


def _labels(ctx: _Checked, include_passed: bool) -> list[Finding]:
    rule = _RULE["structure-label-wording"]
    out: list[Finding] = []
    seen: set[tuple[str, str, str, str]] = set()
    for label in ctx.report.labels:
        if label.kind == "header":
            continue
        ident = (label.table, label.kind, label.key, core(label.text))
        if ident in seen:
            continue
        seen.add(ident)
        differs = _wording_differs(label)
        if not differs and not include_passed:
            continue
        cells = _label_cells(ctx, label)
        table = TABLE_WORDS.get(label.table, label.table)
        if differs:
            status: FindingStatus = "fail"
            message = (
                f'{table}第{label.span.line}行的标签"{label.text}"与格式用语不一致，'
                f'格式规定为"{label.official}"。'
            )
        else:
            status, message = "pass", f'{table}的标签"{label.text}"符合格式用语。'
        out.append(
            _make(
                rule.id,
                rule.severity,
                status,
                message,
                expression=rule.expression,
                cells=[c.key for c in cells],
                spans=[c.span for c in cells],
                identify=ident,
                span=label.span,
            )
        )
    return out


def check_labels(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Table labels use the template's official wording; one finding per distinct wording."""
    return _labels(_Checked.of(report), include_passed)


def _template_outdated(ctx: _Checked, include_passed: bool) -> list[Finding]:
    rule = _RULE["structure-template-outdated"]
    meta = ctx.report.meta
    if meta.template is None or meta.year is None:
        missing = "所用格式" if meta.template is None else "报告年度"
        return [
            _make(
                rule.id,
                rule.severity,
                "not_assessable",
                f"未能识别{missing}，无法核对。",
                expression=rule.expression,
                identify=(meta.template, meta.year),
            )
        ]
    if meta.template == "2019" and meta.year >= 2021:
        message = (
            f"本报告为{meta.year}年度报告，使用的是2019年版格式（国办公开办函〔2019〕60号）；"
            "2021年度起应使用国办公开办函〔2021〕30号印发的格式。"
        )
        status: FindingStatus = "fail"
    elif include_passed:
        message = f"{meta.year}年度报告使用{meta.template}年版格式。"
        status = "pass"
    else:
        return []
    return [
        _make(
            rule.id,
            rule.severity,
            status,
            message,
            expression=rule.expression,
            identify=(meta.template, meta.year),
        )
    ]


def check_template(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """A report on 2021 or later uses the 2021 template."""
    return _template_outdated(_Checked.of(report), include_passed)


def _blank_cells(ctx: _Checked, include_passed: bool) -> list[Finding]:
    rule = _RULE["structure-blank-cells"]
    words = _words(ctx.template)
    blank = [c for c in ctx.cells.values() if c.status is _B]
    if not blank:
        if not include_passed:
            return []
        return [
            _make(
                rule.id,
                rule.severity,
                "pass",
                "没有空白的单元格。",
                expression=rule.expression,
                left=0,
            )
        ]
    refs = [(c.table, c.row, c.column) for c in blank]
    listed = _names(refs, words, limit=10)
    message = (
        f"{len(blank)}个应填数字的单元格为空白（核对勾稽关系时按0计算）：{listed}。"
        "没有发生的请填写0。"
    )
    return [
        _make(
            rule.id,
            rule.severity,
            "fail",
            message,
            expression=rule.expression,
            left=len(blank),
            cells=[c.key for c in blank],
            spans=[c.span for c in blank],
        )
    ]


def check_blank_cells(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Blank cells where numbers are required: one ``info`` finding with the count and cells."""
    return _blank_cells(_Checked.of(report), include_passed)


_STRUCTURE = (_parts, _tables, _labels, _template_outdated, _blank_cells)


def _structure(ctx: _Checked, include_passed: bool) -> list[Finding]:
    return [f for check in _STRUCTURE for f in check(ctx, include_passed)]


def check_structure(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Parts, tables, label wording, template version and blank cells."""
    return _structure(_Checked.of(report), include_passed)


# --- all of them ---------------------------------------------------------------------------

Family = Callable[[_Checked, bool], list[Finding]]

FAMILIES: tuple[tuple[str, Family], ...] = (
    ("identities", _identities),
    ("nonnegative", _nonnegative),
    ("narrative", _narrative),
    ("fee", _fee),
    ("structure", _structure),
)
"""The rule families in the order :func:`validate` runs them."""


def validate(
    report: Report, *, include_passed: bool = False, rules: Iterable[str] | None = None
) -> list[Finding]:
    """Every rule on one report: failures and ``not_assessable`` findings, and with
    ``include_passed=True`` the rules that hold too.  Raises nothing for the report's content.

    ``rules`` runs only some: each item is a rule id (``"fee-not-reported"``,
    ``"t3-balance/natural_person"``), an id's prefix before ``/`` (``"t3-balance"``: every
    column) or a family name (``"identities"``, ``"narrative"``, ``"fee"``, …; see
    :data:`FAMILIES`).  An item that names no rule raises ValueError.
    """
    ctx = _Checked.of(report)
    if rules is None:
        return [f for _, family in FAMILIES for f in family(ctx, include_passed)]
    wanted = _selection(rules, ctx.template)
    out: list[Finding] = []
    for name, family in FAMILIES:
        if name in wanted.families:
            out.extend(family(ctx, include_passed))
        elif wanted.ids or wanted.prefixes:
            out.extend(f for f in family(ctx, include_passed) if wanted.matches(f.rule))
    return out


@attrs.frozen(slots=True)
class _Selection:
    families: frozenset[str]
    ids: frozenset[str]
    prefixes: frozenset[str]

    def matches(self, rule: str) -> bool:
        return rule in self.ids or rule.split("/", 1)[0] in self.prefixes


def _selection(items: Iterable[str], template: str) -> _Selection:
    """Sort the selectors of ``validate(rules=...)`` and refuse one that names no rule."""
    if isinstance(items, str):
        items = [items]
    known = {r.id for r in rules(template)} | {rule for rule, _ in narrative_rules()}
    prefixes_known = {rule.split("/", 1)[0] for rule in known if "/" in rule}
    family_names = {name for name, _ in FAMILIES}
    families: set[str] = set()
    ids: set[str] = set()
    prefixes: set[str] = set()
    for item in items:
        if item in family_names:
            families.add(item)
        elif item in known:
            ids.add(item)
        elif item in prefixes_known:
            prefixes.add(item)
        else:
            raise ValueError(
                f"no rule, rule prefix or family is called {item!r}; see gxnianbao.rules.rules()"
                " and gxnianbao.rules.FAMILIES"
            )
    return _Selection(frozenset(families), frozenset(ids), frozenset(prefixes))


# --- series --------------------------------------------------------------------------------


def validate_series(reports: Iterable[Report], *, include_passed: bool = False) -> list[Finding]:
    """Rules across consecutive years of one issuer's reports.

    Reports are sorted by year; only pairs of consecutive years are compared (a missing year
    leaves its neighbours unchecked).  Cells are named ``<year>:<table>.<row>.<column>``.
    Raises ValueError when the reports are of more than one issuer, or when a year is unknown
    or given twice.
    """
    items = list(reports)
    for r in items:
        if not isinstance(r, Report):
            raise TypeError(f"expected gxnianbao.Report objects, not {type(r).__name__}")
    issuers = {r.meta.issuer for r in items}
    if len(issuers) > 1:
        names = ", ".join(sorted(repr(i) for i in issuers))
        raise ValueError(f"validate_series() needs the reports of one issuer; got {names}")
    years = [r.meta.year for r in items]
    if any(y is None for y in years):
        raise ValueError("validate_series() needs the year of every report; a report has none")
    known_years = [y for y in years if y is not None]
    if len(set(known_years)) != len(known_years):
        twice = sorted({y for y in known_years if known_years.count(y) > 1})
        raise ValueError(f"validate_series() got more than one report for {twice}")
    ordered = sorted(items, key=lambda r: r.meta.year or 0)
    words = _words("2021")
    out: list[Finding] = []
    for last, this in itertools.pairwise(ordered):
        if (this.meta.year or 0) != (last.meta.year or 0) + 1:
            continue
        a = _Checked.of(last)
        b = _Checked.of(this)
        out.extend(_carry_over(a, b, words, include_passed))
        out.extend(_in_force(a, b, words, include_passed))
    return out


@attrs.frozen(slots=True)
class _Term:
    """One cell of one year in a series rule."""

    key: str
    """``<year>:<table>.<row>.<column>``."""
    name: str
    """``2023年"二、上年结转政府信息公开申请数量·自然人"``."""
    record: CellRecord | None
    value: Number | None


def _series_term(ctx: _Checked, ref: CellRef) -> _Term:
    year = ctx.report.meta.year
    rec = ctx.cells.get(ref)
    name = f'{year}年"{_words(ctx.template).cell.get(ref, ".".join(ref))}"'
    return _Term(f"{year}:{'.'.join(ref)}", name, rec, ctx.values.get(ref))


def _series_finding(
    rule: str,
    expression: str,
    terms: Sequence[_Term],
    left: Number | None,
    right: Number | None,
    fail: str,
    passed: str,
    unknown: str,
    include_passed: bool,
) -> Finding | None:
    keys = [t.key for t in terms]
    spans = [t.record.span if t.record is not None else None for t in terms]
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
    return _make(
        rule,
        SERIES_SEVERITY,
        status,
        message,
        expression=expression,
        left=left,
        right=right,
        cells=keys,
        spans=spans,
    )


def _carry_over(a: _Checked, b: _Checked, words: _Words, include_passed: bool) -> list[Finding]:
    out: list[Finding] = []
    y0, y1 = a.report.meta.year, b.report.meta.year
    over_label = words.row[("applications", "carried_over")]
    forward_label = words.row[("applications", "carried_forward")]
    for col in _template("2021").table("applications").rows[0].columns:
        this = _series_term(b, ("applications", "carried_over", col.key))
        last = _series_term(a, ("applications", "carried_forward", col.key))
        left, right = this.value, last.value
        scope = f'表三"{col.label}"列'
        said = f'{y1}年报告的"{over_label}"（{_num(left)}）'
        said_last = f'{y0}年报告的"{forward_label}"（{_num(right)}）'
        diff = _num(_abs(left - right)) if left is not None and right is not None else "?"
        missing = [t.name for t in (this, last) if t.value is None]
        f = _series_finding(
            f"series-carry-over/{col.key}",
            f"{_SERIES_CARRY}（{col.label}）",
            (this, last),
            left,
            right,
            f"{scope}：{said}不等于{said_last}，相差{diff}。",
            f"{scope}：{said}等于{said_last}。",
            f'{scope}：{y1}年"{over_label}"应等于{y0}年"{forward_label}"，无法核对：'
            f"{'、'.join(missing)}的数字未能确定。",
            include_passed,
        )
        if f is not None:
            out.append(f)
    return out


def _in_force(a: _Checked, b: _Checked, words: _Words, include_passed: bool) -> list[Finding]:
    out: list[Finding] = []
    y0, y1 = a.report.meta.year, b.report.meta.year
    for row in _IN_FORCE_ROWS:
        now = _series_term(b, ("active_disclosure", row, "in_force"))
        before = _series_term(a, ("active_disclosure", row, "in_force"))
        issued = _series_term(b, ("active_disclosure", row, "issued"))
        repealed = _series_term(b, ("active_disclosure", row, "repealed"))
        terms = (now, before, issued, repealed)
        left = now.value
        right: Number | None = None
        if before.value is not None and issued.value is not None and repealed.value is not None:
            right = before.value + issued.value - repealed.value
        scope = f'表二"{words.row[("active_disclosure", row)]}"'
        sides = (
            f"{y1}年现行有效件数（{_num(left)}）",
            f"{y0}年现行有效件数（{_num(before.value)}）加"
            f"{y1}年制发件数（{_num(issued.value)}）减{y1}年废止件数（{_num(repealed.value)}）"
            f"（{_num(right)}）",
        )
        diff = _num(_abs(left - right)) if left is not None and right is not None else "?"
        missing = [t.name for t in terms if t.value is None]
        f = _series_finding(
            f"series-in-force/{row}",
            f"{words.row[('active_disclosure', row)]}：{_SERIES_IN_FORCE}",
            terms,
            left,
            right,
            f"{scope}：{sides[0]}不等于{sides[1]}，相差{diff}。清理、机构调整等可能造成合理差异，"
            "请核实。",
            f"{scope}：{sides[0]}等于{sides[1]}。",
            f"{scope}：{y1}年现行有效件数应等于{y0}年现行有效件数加{y1}年制发件数减废止件数，"
            f"无法核对：{'、'.join(missing)}的数字未能确定。",
            include_passed,
        )
        if f is not None:
            out.append(f)
    return out
