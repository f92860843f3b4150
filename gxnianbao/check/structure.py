"""The report's shape: its six parts, its tables, their labels, its template and blank cells."""

from __future__ import annotations

from ..common.labels import core
from ..model import CellRecord, SourceLabel, Status
from ..templates import LATEST
from ..templates.spec import NUMERALS
from .context import Context
from .findings import Finding, FindingStatus
from .registry import RuleDef
from .words import cell_list

__all__ = ["BLANK_CELLS", "LABEL_WORDING", "PART_MISSING", "TABLE_MISSING", "TEMPLATE_OUTDATED"]


def _parts(ctx: Context, include_passed: bool) -> list[Finding]:
    """Each of the six parts is found; one finding per part."""
    present = {s.number for s in ctx.report.sections}
    out: list[Finding] = []
    for spec in ctx.spec.sections:
        part = f'第{NUMERALS[spec.number]}部分"{spec.heading}"'
        if spec.number in present:
            if include_passed:
                out.append(PART_MISSING.finding("pass", f"找到{part}。", identify=(spec.number,)))
            continue
        out.append(PART_MISSING.finding("fail", f"未找到{part}。", identify=(spec.number,)))
    return out


def _tables(ctx: Context, include_passed: bool) -> list[Finding]:
    """Tables 2, 3 and 4 are found (a table whose every cell is missing is not)."""
    out: list[Finding] = []
    for spec in ctx.spec.tables:
        table = getattr(ctx.report, spec.key)
        if table is None:
            continue  # no such table in this report
        name = f'{spec.words}"{spec.title}"'
        if all(c.status is Status.MISSING for c in table.cells()):
            status: FindingStatus = "fail"
            message = f"第{NUMERALS[spec.number]}部分未找到{name}，表中所有单元格缺失。"
        elif include_passed:
            status, message = "pass", f"找到{name}。"
        else:
            continue
        out.append(TABLE_MISSING.finding(status, message, identify=(spec.key,)))
    return out


def _label_cells(ctx: Context, label: SourceLabel) -> list[CellRecord]:
    """The cells a label names: its row's, its column's or its group's rows'."""
    if label.kind == "row":
        return [c for ref, c in ctx.cells.items() if ref[0] == label.table and ref[1] == label.key]
    if label.kind == "column":
        return [c for ref, c in ctx.cells.items() if ref[0] == label.table and ref[2] == label.key]
    if label.kind == "group":
        rows = {r.key for r in ctx.spec.table(label.table).rows if r.group == label.key}
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


def _labels(ctx: Context, include_passed: bool) -> list[Finding]:
    """Table labels use the template's official wording; one finding per distinct wording."""
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
        table = ctx.names.table.get(label.table, label.table)
        if differs:
            status: FindingStatus = "fail"
            message = (
                f'{table}第{label.span.line}行的标签"{label.text}"与格式用语不一致，'
                f'格式规定为"{label.official}"。'
            )
        else:
            status, message = "pass", f'{table}的标签"{label.text}"符合格式用语。'
        out.append(
            LABEL_WORDING.finding(
                status,
                message,
                cells=[c.key for c in cells],
                spans=[c.span for c in cells],
                identify=ident,
                span=label.span,
            )
        )
    return out


def _template_outdated(ctx: Context, include_passed: bool) -> list[Finding]:
    """A report on a year after its template's last year should use the template in force."""
    meta = ctx.report.meta
    rule = TEMPLATE_OUTDATED
    if meta.template is None or meta.year is None:
        missing = "所用格式" if meta.template is None else "报告年度"
        return [
            rule.finding(
                "not_assessable",
                f"未能识别{missing}，无法核对。",
                identify=(meta.template, meta.year),
            )
        ]
    used = ctx.spec
    if used.last_year is not None and meta.year > used.last_year:
        message = (
            f"本报告为{meta.year}年度报告，使用的是{used.name}年版格式（{used.document}）；"
            f"{used.last_year + 1}年度起应使用{LATEST.document}印发的格式。"
        )
        status: FindingStatus = "fail"
    elif include_passed:
        message = f"{meta.year}年度报告使用{meta.template}年版格式。"
        status = "pass"
    else:
        return []
    return [rule.finding(status, message, identify=(meta.template, meta.year))]


def _blank_cells(ctx: Context, include_passed: bool) -> list[Finding]:
    """Blank cells where numbers are required: one ``info`` finding with the count and cells."""
    blank = [c for c in ctx.cells.values() if c.status is Status.BLANK]
    if not blank:
        if not include_passed:
            return []
        return [BLANK_CELLS.finding("pass", "没有空白的单元格。", left=0)]
    refs = [(c.table, c.row, c.column) for c in blank]
    listed = cell_list(refs, ctx.names, limit=10)
    message = (
        f"{len(blank)}个应填数字的单元格为空白（核对勾稽关系时按0计算）：{listed}。"
        "没有发生的请填写0。"
    )
    return [
        BLANK_CELLS.finding(
            "fail",
            message,
            left=len(blank),
            cells=[c.key for c in blank],
            spans=[c.span for c in blank],
        )
    ]


PART_MISSING = RuleDef(
    "structure-part-missing",
    "warning",
    "structure",
    "报告包括一、总体情况至六、其他需要报告的事项共六部分",
    check=_parts,
    doc='one finding per missing part: `未找到第五部分"五、存在的主要问题及改进情况"。`',
)
TABLE_MISSING = RuleDef(
    "structure-table-missing",
    "warning",
    "structure",
    "第二、三、四部分各有一张表格",
    check=_tables,
    doc="one finding per table whose every cell is `missing`",
)
LABEL_WORDING = RuleDef(
    "structure-label-wording",
    "warning",
    "structure",
    "表格的行、列标签使用格式规定的用语",
    check=_labels,
    doc='`表二第48行的标签"规范性文件"与格式用语不一致，格式规定为"行政规范性文件"。` (seed'
    " 004); `社会组织` for `社会公益组织` (seed 002); the typo `行下机关` (seed 001). `cells` are"
    " the cells the label heads",
)
TEMPLATE_OUTDATED = RuleDef(
    "structure-template-outdated",
    "warning",
    "structure",
    f"{LATEST.first_year}年度起的报告使用{LATEST.document}印发的格式",
    check=_template_outdated,
    doc="a report on a year after the last year of its template (`TemplateSpec.last_year`);"
    " `not_assessable` when the year or the template is unknown",
)
BLANK_CELLS = RuleDef(
    "structure-blank-cells",
    "info",
    "structure",
    "应填数字的单元格填写数字（没有的填0）",
    check=_blank_cells,
    doc="one finding for the whole report, with the count in `left` and every blank cell in"
    " `cells`",
)
