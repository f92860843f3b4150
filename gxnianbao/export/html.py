"""A report and its findings as one self-contained HTML page a clerk can look at.

Why a page: a 政务公开 office checks a report against the printed template, so the tables are
drawn in the template's own shape (its labels, merged header and label cells), every cell shows
what the source says (a number, 空白, 不适用, 缺失, 无法确定, 推算) and is coloured by it and by the
findings that involve it, findings link to their cells and back, and hovering a cell tells where
it is in the document.  The page needs nothing else: inline CSS, no script, no network.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from ..check.context import spec_of
from ..check.findings import Finding
from ..check.outcomes import outcome
from ..check.places import OUTCOME_ZH, SEVERITY_ZH
from ..model import CellRecord, Report, Span, Status
from ..model.cells import STATUS_ZH
from ..model.rows import ApplicantCounts
from ..templates import RowSpec, TableSpec, TemplateSpec
from ..templates.names import names

__all__ = [
    "AMBIGUOUS_BACKGROUND",
    "FAIL_BACKGROUND",
    "NOT_ASSESSABLE_BACKGROUND",
    "cell_id",
    "report_html",
    "summary",
]

CellRef = tuple[str, str, str]

FAIL_BACKGROUND = (248, 196, 196)
"""The background of a cell in a failed finding (RGB), whatever its status."""
NOT_ASSESSABLE_BACKGROUND = (255, 226, 170)
"""The background of a cell in a finding that could not be assessed."""
AMBIGUOUS_BACKGROUND = (232, 214, 247)

_STATUS_WORDS = STATUS_ZH
"""Each status as the page names it (legend, hover text)."""

_FINDING_CLASSES = {"fail": "fail", "not_assessable": "not-assessable"}


def _rgb(colour: tuple[int, int, int]) -> str:
    return f"rgb({colour[0]}, {colour[1]}, {colour[2]})"


_CSS = f"""
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
  margin: 1.5em; color: #1a1a1a; font-size: 14px; }}
h1 {{ font-size: 1.4em; margin: 0 0 .3em; }}
h2 {{ font-size: 1.15em; margin: 1.4em 0 .5em; }}
dl.meta {{ display: grid; grid-template-columns: max-content auto; gap: .2em 1em; margin: 0; }}
dl.meta dt {{ color: #555; }} dl.meta dd {{ margin: 0; }}
p.summary {{ font-size: 1.1em; font-weight: bold; }}
ul.legend {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4em 1.2em; }}
ul.legend li {{ display: flex; align-items: center; gap: .35em; }}
span.swatch {{ display: inline-block; width: 1.6em; height: 1.1em; border: 1px solid #999; }}
table.report {{ border-collapse: collapse; margin-bottom: 1em; }}
table.report th, table.report td {{ border: 1px solid #888; padding: .25em .45em; }}
table.report th {{ background: #eef1f5; font-weight: normal; text-align: left; }}
table.report thead th {{ text-align: center; }}
td.cell {{ text-align: right; min-width: 3.2em; white-space: nowrap; }}
.s-reported {{ background: #ffffff; }}
.s-blank {{ background: #ececec; color: #666; }}
.s-not_applicable {{ background: #dfe3ea; color: #555; }}
.s-missing {{ background: #fff3c4; color: #8a5a00; }}
.s-inferred {{ background: #d6ecff; color: #0b4d8c; }}
.s-ambiguous {{ background: {_rgb(AMBIGUOUS_BACKGROUND)}; color: #5b2a86; }}
.not-assessable {{ background: {_rgb(NOT_ASSESSABLE_BACKGROUND)};
  outline: 2px dashed #c77700; outline-offset: -3px; }}
.fail {{ background: {_rgb(FAIL_BACKGROUND)}; outline: 2px solid #c00000; outline-offset: -3px; }}
td.cell:target, tr.finding:target {{ box-shadow: inset 0 0 0 3px #1f6feb; }}
sup.refs a {{ color: #c00000; margin-left: .15em; text-decoration: none; }}
span.mark {{ font-size: .8em; margin-left: .2em; }}
table.findings, table.extra-rows {{ border-collapse: collapse; }}
table.extra-rows th, table.extra-rows td {{ border: 1px dashed #999; padding: .2em .45em; }}
table.findings th, table.findings td {{ border: 1px solid #bbb; padding: .3em .5em;
  vertical-align: top; }}
table.findings th {{ background: #eef1f5; }}
td.rule {{ font-family: monospace; }}
table.findings td:nth-child(-n+4) {{ white-space: nowrap; }}
p.note {{ color: #8a5a00; }}
"""


def cell_id(table: str, row: str, column: str) -> str:
    """The element id of a cell: ``cell-applications-granted-natural_person`` (row keys keep
    their dots: ``cell-applications-withheld.state_secret-total``)."""
    return f"cell-{table}-{row}-{column}"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


# --- what the template does not say about its drawing ----------------------------------------


@attrs.frozen(slots=True)
class _Layout:
    """How the printed template draws a table beyond its rows and columns.

    Every word here must also be one of the table's ``header_labels`` to be drawn, so that the
    page still speaks only the template's words (a spec without them is drawn flat)."""

    corner: str = ""
    """The words in the top-left header cell, above the row labels."""
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Merged header cells: a label over these column keys (or, for a table drawn as one
    row, over these row keys)."""


_LAYOUTS: Mapping[str, _Layout] = {
    "active_disclosure": _Layout(corner="信息内容"),
    "applications": _Layout(
        corner="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        groups=(
            ("申请人情况", ApplicantCounts.columns),
            ("法人或其他组织", ApplicantCounts.columns[1:-1]),  # (between 自然人 and 总计)
        ),
    ),
    "review_litigation": _Layout(
        groups=(("行政诉讼", ("litigation_direct", "litigation_after_review")),)
    ),
}


# --- header trees ------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class _Head:
    """A header cell: a column (``keys`` of one leaf) or a merged cell over its children."""

    label: str
    keys: tuple[str, ...]
    children: tuple[_Head, ...] = ()

    @property
    def depth(self) -> int:
        return 1 + max((c.depth for c in self.children), default=0)


def _nest(heads: list[_Head], groups: Iterable[tuple[str, frozenset[str]]]) -> list[_Head]:
    """Heads with each group's contiguous run merged under its label, smallest groups first
    so that a group inside another ends up as its child; a group that is not exactly a
    contiguous run of heads is left out."""
    for label, keys in sorted(groups, key=lambda g: len(g[1])):
        inside = [i for i, h in enumerate(heads) if set(h.keys) <= keys]
        if not inside or inside != list(range(inside[0], inside[-1] + 1)):
            continue
        run = heads[inside[0] : inside[-1] + 1]
        if {k for h in run for k in h.keys} != keys:
            continue
        merged = _Head(label, tuple(k for h in run for k in h.keys), tuple(run))
        heads = [*heads[: inside[0]], merged, *heads[inside[-1] + 1 :]]
    return heads


def _header_rows(heads: Sequence[_Head], corner: str, corner_cols: int) -> list[str]:
    """The ``<tr>`` rows of a multi-level header: merged cells span their leaves, a leaf spans
    the levels below it."""
    depth = max((h.depth for h in heads), default=1)
    rows: list[list[str]] = [[] for _ in range(depth)]
    if corner_cols:
        rows[0].append(
            f'<th rowspan="{depth}" colspan="{corner_cols}" class="corner">{_esc(corner)}</th>'
        )

    def place(head: _Head, level: int) -> None:
        if head.children:
            rows[level].append(f'<th colspan="{len(head.keys)}">{_esc(head.label)}</th>')
            for child in head.children:
                place(child, level + 1)
        else:
            rows[level].append(f'<th rowspan="{depth - level}">{_esc(head.label)}</th>')

    for head in heads:
        place(head, 0)
    return ["<tr>" + "".join(r) + "</tr>" for r in rows if r]


def _groups(layout: _Layout, spec: TableSpec) -> list[tuple[str, tuple[str, ...]]]:
    return [(label, keys) for label, keys in layout.groups if label in spec.header_labels]


# --- cells -------------------------------------------------------------------------------------


def _number(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _where(span: Span | None, table: str = "") -> str:
    """Where a cell is, in the document's own terms: page (and the table as the template
    numbers it, with the grid's row and column), a Word table's row and column, or a line."""
    if span is None:
        return "原文中无此单元格"
    origin = span.origin
    if origin is None:
        return f"第{span.line}行"
    grid = [f"第{origin.row + 1}行"] if origin.row is not None else []
    grid += [f"第{origin.col + 1}列"] if origin.col is not None else []
    if origin.page is not None:
        return " ".join([f"第{origin.page}页", *([table] if table and grid else []), *grid])
    if origin.kind == "docx" and origin.table is not None:
        return " ".join([f"第{origin.table + 1}个表格", *grid])
    return f"第{origin.line if origin.line is not None else span.line}行"


@attrs.frozen(slots=True)
class _Marks:
    """What the findings say about each cell: the findings (by number) and the worst outcome."""

    refs: Mapping[str, tuple[int, ...]]
    outcome: Mapping[str, str]


def _marks(findings: Sequence[Finding]) -> _Marks:
    refs: dict[str, list[int]] = {}
    outcome: dict[str, str] = {}
    for number, f in enumerate(findings, 1):
        if f.status not in _FINDING_CLASSES:
            continue
        for key in dict.fromkeys(f.cells):
            refs.setdefault(key, []).append(number)
            if f.status == "fail" or key not in outcome:
                outcome[key] = f.status
    return _Marks({k: tuple(v) for k, v in refs.items()}, outcome)


@attrs.frozen(slots=True)
class _Page:
    """What drawing a cell needs: the report, the names of its template, the findings."""

    report: Report
    spec: TemplateSpec
    marks: _Marks

    def record(self, table: str, row: str, column: str) -> CellRecord:
        try:
            return self.report.cell(table, row, column)
        except KeyError:
            return CellRecord(table, row, column, None, Status.MISSING)

    def td(self, table: str, row: str, column: str, colspan: int = 1) -> str:
        rec = self.record(table, row, column)
        key = f"{table}.{row}.{column}"
        status = rec.status
        classes = ["cell", f"s-{status.value}"]
        outcome = self.marks.outcome.get(key)
        if outcome is not None:
            classes.append(_FINDING_CLASSES[outcome])
        shown: str
        if status is Status.REPORTED and rec.value is not None:
            shown = _esc(_number(rec.value))
        elif status is Status.INFERRED and rec.value is not None:
            shown = f'{_esc(_number(rec.value))}<span class="mark">推算</span>'
        else:
            shown = _STATUS_WORDS[status]
        name = names(self.spec).cell.get((table, row, column), key)
        words = names(self.spec).table.get(table, table)
        hover = [f"{words} {name}"]
        hover.append(f"状态：{_STATUS_WORDS[status]}")
        if rec.raw:
            hover.append(f"原文：{rec.raw}")
        if rec.unit:
            hover.append(f"单位：{rec.unit}")
        hover.append(f"位置：{_where(rec.span, words)}")
        if rec.identity:
            hover.append(f"依据：{rec.identity}")
        refs = self.marks.refs.get(key, ())
        back = ""
        if refs:
            links = "".join(f'<a href="#finding-{n}">{n}</a>' for n in refs)
            back = f'<sup class="refs">{links}</sup>'
        span = f' colspan="{colspan}"' if colspan > 1 else ""
        return (
            f'<td id="{_esc(cell_id(table, row, column))}" class="{" ".join(classes)}"'
            f' data-key="{_esc(key)}" data-status="{status.value}"{span}'
            f' title="{_esc(chr(10).join(hover))}">{shown}{back}</td>'
        )


# --- tables ------------------------------------------------------------------------------------


def _row_paths(spec: TableSpec) -> list[tuple[str, ...]]:
    """Each row's merged label cells, outermost first: a prefixed group (（三）不予公开) sits
    inside the unprefixed group around it (三、本年度办理结果)."""
    groups = {g.key: g for g in spec.groups}
    paths: list[tuple[str, ...]] = []
    outer: str | None = None
    for row in spec.rows:
        group = groups.get(row.group) if row.group else None
        if group is None:
            outer = None
            paths.append(())
        elif group.prefix:
            paths.append((outer, group.key) if outer else (group.key,))
        else:
            outer = group.key
            paths.append((group.key,))
    return paths


def _grid(page: _Page, spec: TableSpec, layout: _Layout) -> tuple[list[str], list[str]]:
    """A table whose rows share their columns (table 3): multi-level header and labels."""
    columns = spec.rows[0].columns
    heads = _nest(
        [_Head(c.label, (c.key,)) for c in columns],
        [(label, frozenset(keys)) for label, keys in _groups(layout, spec)],
    )
    paths = _row_paths(spec)
    label_cols = 1 + max((len(p) for p in paths), default=0)
    corner = layout.corner if layout.corner in spec.header_labels else ""
    head = _header_rows(heads, corner, label_cols)
    labels = {g.key: g.label for g in spec.groups}
    body: list[str] = []
    for i, (row, path) in enumerate(zip(spec.rows, paths, strict=True)):
        cells: list[str] = []
        for level, group in enumerate(path):
            if i > 0 and paths[i - 1][: level + 1] == path[: level + 1]:
                continue
            run = 1
            while i + run < len(paths) and paths[i + run][: level + 1] == path[: level + 1]:
                run += 1
            cells.append(f'<th rowspan="{run}" class="group">{_esc(labels[group])}</th>')
        width = label_cols - len(path)
        span = f' colspan="{width}"' if width > 1 else ""
        cells.append(f'<th scope="row"{span}>{_esc(row.label)}</th>')
        cells.extend(page.td(spec.key, row.key, c.key) for c in row.columns)
        body.append("<tr>" + "".join(cells) + "</tr>")
    return head, body


def _blocks(page: _Page, spec: TableSpec, layout: _Layout) -> tuple[list[str], list[str]]:
    """A table whose rows come in blocks of their own columns (table 2): each block under its
    own header row, the narrower blocks' last cell widened to the table's width."""
    width = max(len(r.columns) for r in spec.rows)
    corner = layout.corner if layout.corner in spec.header_labels else ""
    body: list[str] = []
    previous: tuple[str, ...] | None = None
    for row in spec.rows:
        keys = tuple(c.key for c in row.columns)
        if keys != previous:
            heads = [f'<th class="corner">{_esc(corner)}</th>']
            for n, c in enumerate(row.columns, 1):
                extra = width - len(row.columns) + 1 if n == len(row.columns) else 1
                span = f' colspan="{extra}"' if extra > 1 else ""
                heads.append(f'<th class="column"{span}>{_esc(c.label)}</th>')
            body.append('<tr class="block">' + "".join(heads) + "</tr>")
            previous = keys
        cells = [f'<th scope="row">{_esc(row.label)}</th>']
        for n, c in enumerate(row.columns, 1):
            extra = width - len(row.columns) + 1 if n == len(row.columns) else 1
            cells.append(page.td(spec.key, row.key, c.key, extra))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return [], body


def _one_row(page: _Page, spec: TableSpec, layout: _Layout) -> tuple[list[str], list[str]]:
    """A table without row labels (table 4): its rows side by side as header groups over their
    columns, its values in one row."""
    leaves = [(row, c) for row in spec.rows for c in row.columns]
    heads = _nest(
        [_Head(c.label, (f"{row.key}.{c.key}",)) for row, c in leaves],
        [
            *(
                (row.label, frozenset(f"{row.key}.{c.key}" for c in row.columns))
                for row in spec.rows
            ),
            *(
                (label, frozenset(f"{r}.{c.key}" for r in keys for c in spec.row(r).columns))
                for label, keys in _groups(layout, spec)
                if all(r in {x.key for x in spec.rows} for r in keys)
            ),
        ],
    )
    head = _header_rows(heads, "", 0)
    body = ["<tr>" + "".join(page.td(spec.key, row.key, c.key) for row, c in leaves) + "</tr>"]
    return head, body


def _table(page: _Page, spec: TableSpec) -> str:
    layout = _LAYOUTS.get(spec.key, _Layout())
    if not spec.rows:
        return ""
    if spec.unlabelled_row is not None:
        head, body = _one_row(page, spec, layout)
    elif all(_same_columns(r, spec.rows[0]) for r in spec.rows):
        head, body = _grid(page, spec, layout)
    else:
        head, body = _blocks(page, spec, layout)
    present = any(t.key == spec.key for t in page.report.tables())
    extra = _extra_rows(page.report, spec.key)
    note = "" if present else '<p class="note">原文中未找到此表，各单元格均为缺失。</p>'
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    return (
        f'<section class="table" id="table-{_esc(spec.key)}">'
        f"<h2>{_esc(spec.words)} {_esc(spec.title)}</h2>{note}"
        f'<table class="report" data-table="{_esc(spec.key)}">{thead}'
        f"<tbody>{''.join(body)}</tbody></table>{extra}</section>"
    )


def _extra_rows(report: Report, table: str) -> str:
    """Rows the source adds to the table (not in the template), shown as written below it."""
    rows = [e for e in report.extra_rows if e.table == table]
    if not rows:
        return ""
    out = []
    for extra in rows:
        values = "".join(
            f'<td class="extra-value" title="{_esc("位置：" + _where(c.span))}">'
            f"{_esc(_number(c.value)) if c.value is not None else _STATUS_WORDS[c.status]}</td>"
            for c in extra.cells
        )
        out.append(f'<tr><th scope="row">{_esc(extra.label)}</th>{values}</tr>')
    return (
        '<p class="note">原文在此表中另有模板之外的行（未参与核对）：</p>'
        f'<table class="extra-rows"><tbody>{"".join(out)}</tbody></table>'
    )


def _same_columns(a: RowSpec, b: RowSpec) -> bool:
    return tuple(c.key for c in a.columns) == tuple(c.key for c in b.columns)


# --- the page ----------------------------------------------------------------------------------


def summary(findings: Sequence[Finding]) -> str:
    """``0 个错误，1 个警告；4 项无法核对``: counted as ``gxnianbao check`` counts them."""
    return outcome(findings).summary_zh()


def _meta(report: Report, spec: TemplateSpec, source_name: str | None) -> str:
    meta = report.meta
    items = [
        ("发布机关", meta.issuer),
        ("年度", None if meta.year is None else f"{meta.year}年"),
        ("标题", meta.title),
        ("发布日期", None if meta.published is None else meta.published.isoformat()),
        ("模板", f"{spec.name}年版 {spec.document}".strip()),
        ("文件", source_name),
    ]
    shown = "".join(
        f"<dt>{_esc(k)}</dt><dd>{_esc(v) if v else '（未识别）'}</dd>"
        for k, v in items
        if v is not None or k in ("发布机关", "年度", "标题")
    )
    return f'<dl class="meta">{shown}</dl>'


def _legend() -> str:
    items = [
        f'<li><span class="swatch s-{s.value}"></span>{_esc(word)}</li>'
        for s, word in _STATUS_WORDS.items()
    ]
    items.append('<li><span class="swatch fail"></span>不通过的核对所涉单元格</li>')
    items.append('<li><span class="swatch not-assessable"></span>无法核对的核对所涉单元格</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def _findings(findings: Sequence[Finding], page: _Page) -> str:
    if not findings:
        return '<p class="none">未发现问题。</p>'
    known = {f"{c.table}.{c.row}.{c.column}" for c in page.report.cells()}
    cell_names = names(page.spec)
    rows: list[str] = []
    for number, f in enumerate(findings, 1):
        links: list[str] = []
        for key in dict.fromkeys(f.cells):
            parts = key.split(".")
            ref = (parts[0], ".".join(parts[1:-1]), parts[-1]) if len(parts) >= 3 else None
            if ref is not None and (key in known or ref in cell_names.cell):
                name = f"{cell_names.table.get(ref[0], ref[0])} {cell_names.cell.get(ref, key)}"
                links.append(f'<a href="#{_esc(cell_id(*ref))}">{_esc(name)}</a>')
            else:
                links.append(f"<span>{_esc(key)}</span>")
        detail = f'<div class="expression">{_esc(f.expression)}</div>' if f.expression else ""
        if f.span is not None:
            detail += f'<div class="where">位置：{_esc(_where(f.span))}</div>'
        outcome = _FINDING_CLASSES.get(f.status, "pass")
        rows.append(
            f'<tr id="finding-{number}" class="finding {outcome}">'
            f'<td>{number}</td><td class="rule">{_esc(f.rule)}</td>'
            f"<td>{_esc(SEVERITY_ZH.get(f.severity, f.severity))}</td>"
            f"<td>{_esc(OUTCOME_ZH.get(f.status, f.status))}</td>"
            f"<td>{_esc(f.message)}{detail}</td>"
            f'<td class="links">{"、".join(links)}</td></tr>'
        )
    return (
        '<table class="findings"><thead><tr><th>编号</th><th>规则</th><th>级别</th>'
        "<th>结果</th><th>说明</th><th>所涉单元格</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def report_html(
    report: Report,
    findings: Sequence[Finding],
    *,
    source_name: str | None = None,
    template: TemplateSpec | None = None,
) -> str:
    """One self-contained HTML5 page of ``report`` and its ``findings`` (from ``validate``).

    ``source_name`` names the input file on the page; ``template`` draws another spec than
    the report's own (one extended with aliases, say).  Everything from the report, the
    findings and the spec is escaped.
    """
    spec = template or spec_of(report)
    findings = list(findings)
    # (A finding folded into another, by root cause, still marks its cells.)
    page = _Page(report, spec, _marks([*findings, *(a for f in findings for a in f.also)]))
    heading = report.meta.title or "政府信息公开工作年度报告"
    tables = "".join(_table(page, t) for t in spec.tables)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(heading)} 核对结果</title><style>{_CSS}</style></head>"
        f"<body><header><h1>{_esc(heading)}</h1>{_meta(report, spec, source_name)}"
        f'<p class="summary">{_esc(summary(findings))}</p></header>'
        f"<section><h2>图例</h2>{_legend()}<p>将鼠标停在单元格上可查看其在原文中的位置。</p>"
        f"</section>{tables}"
        f'<section id="findings"><h2>核对结果</h2>{_findings(findings, page)}</section>'
        "</body></html>\n"
    )
