"""Generated reports rendered as web pages, with the official template's merged cells.

Why: most reports are published as HTML article pages whose tables use ``rowspan``/``colspan``
the way the official template merges its cells (三、本年度办理结果 down the result rows,
（三）不予公开 down its eight items, 法人或其他组织 across five columns).  A page rendered from a
:class:`~reportgen.GenReport` knows every cell, so the HTML reader and the binder can be checked
exactly.  The page varies the way real ones do (:class:`HtmlStyle`): encoding and charset
declaration, site chrome, a layout table around everything, ``<br>`` in label cells, Word-export
cell markup, ``&nbsp;`` in empty cells, omitted end tags, table 2 split into one table per block.
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence
from typing import Literal

import attrs
from hypothesis import strategies as st
from reportgen import (
    _GROUP_OF_FIRST,
    APP_GROUP_LABELS,
    APPLICANTS,
    CITIES,
    OUTCOME_HEADERS,
    GenReport,
    Style,
    _app_values,
    _applicant_header,
    _block_title,
    _Ctx,
    _extra_rows,
    _fee_header,
    _intro,
    _note,
    _other_matters,
    _outcome_values,
    _overview,
    _problems,
    _t2_values,
    _title_lines,
    styles,
)

Encoding = Literal["utf-8", "utf-8-bom", "gbk", "utf-16"]
Meta = Literal["charset", "http-equiv", "none"]


@attrs.frozen
class HtmlStyle:
    """How the page is built around the report (the report's own wording is :class:`Style`)."""

    seed: int = 0
    encoding: Encoding = "utf-8"
    meta: Meta = "charset"
    """How the charset is declared; ``"none"`` with GBK makes the reader fall back."""
    chrome: bool = False
    """A site header with menus and a breadcrumb, article tools and a footer (版权所有, ICP备)."""
    layout_table: bool = False
    """The whole page laid out in a table, the report in one of its cells."""
    br_labels: bool = False
    """Long labels and header words broken with ``<br>`` (or ``<p>``) inside their cells."""
    word_cells: bool = False
    """Cells as Word's HTML export writes them: ``<td><p><span>12</span></p></td>``."""
    blank: Literal["empty", "nbsp", "mixed"] = "empty"
    """Empty cells as ``<td></td>``, ``<td>&nbsp;</td>``, or a mix (also ``<p>&nbsp;</p>``)."""
    omit_end_tags: bool = False
    """No ``</td>``, ``</tr>``, ``</p>``, ``</li>`` (valid HTML: the parser must close them)."""
    split_table2: bool = False
    """Table 2 as one ``<table>`` per block (several tables in the part)."""
    th_headers: bool = False
    """Header cells as ``<th>`` inside ``<thead>``."""
    entities: bool = False
    """Some characters written as numeric character references (``&#65288;``)."""
    upper_tags: bool = False


ENCODINGS: tuple[Encoding, ...] = ("utf-8", "utf-8-bom", "gbk", "utf-16")


@st.composite
def html_styles(draw: st.DrawFn, *, plain: bool = False) -> HtmlStyle:
    """Page variants; ``plain`` gives a clean UTF-8 page with official merged cells only."""
    seed = draw(st.integers(0, 2**32 - 1))
    if plain:
        return HtmlStyle(seed=seed)
    return HtmlStyle(
        seed=seed,
        encoding=draw(st.sampled_from(ENCODINGS)),
        meta=draw(st.sampled_from(["charset", "http-equiv", "none"])),
        chrome=draw(st.booleans()),
        layout_table=draw(st.booleans()),
        br_labels=draw(st.booleans()),
        word_cells=draw(st.booleans()),
        blank=draw(st.sampled_from(["empty", "nbsp", "mixed"])),
        omit_end_tags=draw(st.booleans()),
        split_table2=draw(st.booleans()),
        th_headers=draw(st.booleans()),
        entities=draw(st.booleans()),
        upper_tags=draw(st.booleans()),
    )


# --- cells and tables ------------------------------------------------------------------------


@attrs.frozen
class HCell:
    """One cell as written: text (``\\n`` for a ``<br>``), spans, header or data."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


Row = list[HCell]


class _Page:
    """One rendering: the report context, the page style and the markup being written."""

    def __init__(self, ctx: _Ctx, hs: HtmlStyle) -> None:
        self.ctx = ctx
        self.hs = hs
        self.rng = random.Random(hs.seed)

    def tag(self, name: str) -> str:
        return name.upper() if self.hs.upper_tags else name

    def esc(self, text: str) -> str:
        out = html.escape(text, quote=False)
        if self.hs.entities:
            out = out.replace("（", "&#65288;").replace("）", "&#xff09;").replace("、", "&#12289;")
            out = out.replace("“", "&ldquo;").replace("”", "&rdquo;")
        return out

    def broken(self, text: str) -> str:
        """A label with a ``<br>`` in it (when ``br_labels``), escaped."""
        if "\n" in text:
            return "<br>".join(self.esc(part) for part in text.split("\n"))
        if not self.hs.br_labels or len(text) < 8 or self.rng.random() < 0.5:
            return self.esc(text)
        at = self.rng.randrange(3, len(text) - 3)
        first, second = text[:at], text[at:]
        if not first.strip() or any(ch.isdigit() for ch in second) or second[:1] in "）)，、":
            return self.esc(text)
        sep = self.rng.choice(["<br>", "<br/>", "<br />", "</p><p>"])
        if sep == "</p><p>":
            return f"<p>{self.esc(first)}</p><p>{self.esc(second)}</p>"
        return self.esc(first) + sep + self.esc(second)

    def cell_html(self, c: HCell) -> str:
        name = self.tag("th" if c.header and self.hs.th_headers else "td")
        attrs_ = ""
        quote = self.rng.choice(['"', "'", ""])
        if c.rowspan > 1:
            attrs_ += f" rowspan={quote}{c.rowspan}{quote}"
        if c.colspan > 1:
            attrs_ += f" colspan={quote}{c.colspan}{quote}"
        if self.hs.word_cells and self.rng.random() < 0.8:
            attrs_ = ' valign="center" style="border:solid windowtext 1.0pt"' + attrs_
        body = self.broken(c.text) if c.text.strip() else self.blank()
        if c.text.strip() and self.hs.word_cells and "<p>" not in body:
            body = (
                f'<p class="MsoNormal" align="center"><span lang="EN-US">{body}</span>'
                "<o:p></o:p></p>"
            )
        end = "" if self.hs.omit_end_tags else f"</{name}>"
        return f"<{name}{attrs_}>{body}{end}"

    def blank(self) -> str:
        mode = self.hs.blank
        if mode == "mixed":
            mode = self.rng.choice(["empty", "nbsp", "p_nbsp", "space", "ideographic"])
        return {
            "empty": "",
            "nbsp": "&nbsp;",
            "p_nbsp": '<p class="MsoNormal"><span>&nbsp;</span></p>',
            "space": " ",
            "ideographic": "\u3000",
        }[mode]

    def table(self, rows: Sequence[Row], n_head: int) -> str:
        tr = self.tag("tr")
        end_tr = "" if self.hs.omit_end_tags else f"</{tr}>"
        out = [f'<{self.tag("table")} border="1" cellspacing="0" cellpadding="0" width="100%">']
        head, body = rows[:n_head], rows[n_head:]
        if self.hs.th_headers:
            out.append(f"<{self.tag('thead')}>")
        for row in head:
            out.append(f"<{tr}>" + "".join(self.cell_html(c) for c in row) + end_tr)
        if self.hs.th_headers:
            out += [f"</{self.tag('thead')}>", f"<{self.tag('tbody')}>"]
        for row in body:
            out.append(f"<{tr}>" + "\n  ".join(self.cell_html(c) for c in row) + end_tr)
        if self.hs.th_headers:
            out.append(f"</{self.tag('tbody')}>")
        out.append(f"</{self.tag('table')}>")
        return "\n".join(out)

    def para(self, text: str, tag: str = "p") -> str:
        end = "" if self.hs.omit_end_tags and tag in ("p", "li") else f"</{self.tag(tag)}>"
        return f"<{self.tag(tag)}>{self.esc(text)}{end}"


def _value_cells(ctx: _Ctx, values: Sequence[str], widths: Sequence[int]) -> Row:
    return [HCell(v, 1, w) for v, w in zip(values, widths, strict=True)]


def _widths(n_headers: int) -> list[int]:
    """Table 2 is four columns wide: one header gets three, two get 1 + 2, three get one each."""
    return {1: [3], 2: [1, 2], 3: [1, 1, 1]}[n_headers]


def table2_blocks(ctx: _Ctx) -> list[list[Row]]:
    """Table 2's blocks, each a list of rows (title row, header row, value rows)."""
    blocks: list[list[Row]] = []
    for numeral, headers, row_keys in ctx.shape.t2_blocks:
        widths = _widths(len(headers))
        rows: list[Row] = [
            [HCell(_block_title(ctx, numeral), 1, 4, True)],
            [HCell("信息内容", header=True),
             *(HCell(_fee_header(ctx, h), 1, w, True)
               for h, w in zip(headers, widths, strict=True))],
        ]  # fmt: skip
        for row in row_keys:
            cols = dict(ctx.shape.table2_rows)[row]
            label = ctx.label(ctx.shape.t2_row_labels[row])
            rows.append([HCell(label), *_value_cells(ctx, _t2_values(ctx, row, cols), widths)])
        for label, values in _extra_rows(ctx, numeral):
            rows.append([HCell(label), *_value_cells(ctx, values, widths)])
        blocks.append(rows)
    return blocks


def table3_rows(ctx: _Ctx, hs: HtmlStyle, rng: random.Random) -> list[Row]:
    """Table 3 with the official template's merged cells (the template .docx's shape)."""
    head3 = [_applicant_header(ctx, c) for c in APPLICANTS[1:]]
    if hs.br_labels:
        head3 = [h[:2] + "\n" + h[2:] if len(h) == 4 and rng.random() < 0.6 else h for h in head3]
    rows: list[Row] = [
        [HCell(_note(ctx), 3, 3, True), HCell(ctx.header("申请人情况"), 1, 7, True)],
        [HCell(_applicant_header(ctx, "natural_person"), 2, 1, True),
         HCell(ctx.header("法人或其他组织"), 1, 5, True), HCell(ctx.header("总计"), 2, 1, True)],
        [HCell(h, header=True) for h in head3],
    ]  # fmt: skip
    shape = ctx.shape
    first_result = shape.app_rows.index("granted")
    n_results = shape.app_rows.index("total") - first_result + 1
    group_sizes: dict[str, int] = {}
    for row in shape.app_rows:
        if "." in row:
            group = row.split(".")[0]
            group_sizes[group] = group_sizes.get(group, 0) + 1
    for row in shape.app_rows:
        values = [HCell(v) for v in _app_values(ctx, row)]
        label = ctx.label(shape.app_row_labels[row])
        if row in ("received", "carried_over", "carried_forward"):
            rows.append([HCell(label, 1, 3), *values])
        elif row == "granted":
            results = ctx.label(APP_GROUP_LABELS["results"])
            rows.append([HCell(results, n_results, 1), HCell(label, 1, 2), *values])
        elif "." not in row:  # （二）, （七）总计, 2019's single （六）其他处理
            rows.append([HCell(label, 1, 2), *values])
        elif row in _GROUP_OF_FIRST:
            group = row.split(".")[0]
            glabel = ctx.label(APP_GROUP_LABELS[_GROUP_OF_FIRST[row]])
            rows.append([HCell(glabel, group_sizes[group], 1), HCell(label), *values])
        else:
            rows.append([HCell(label), *values])
    return rows


def table4_rows(ctx: _Ctx, hs: HtmlStyle) -> list[Row]:
    """Table 4 as in the template: 行政复议 over five columns, 行政诉讼 over ten."""
    heads = [ctx.header(h) for h in OUTCOME_HEADERS]
    if hs.br_labels:
        heads = [h[:2] + "\n" + h[2:] if len(h) == 4 else h for h in heads]
    return [
        [HCell("行政复议", 1, 5, True), HCell("行政诉讼", 1, 10, True)],
        [*(HCell(h, 2, 1, True) for h in heads),
         HCell("未经复议直接起诉", 1, 5, True), HCell("复议后起诉", 1, 5, True)],
        [*(HCell(h, header=True) for h in heads), *(HCell(h, header=True) for h in heads)],
        [HCell(v) for v in _outcome_values(ctx)],
    ]  # fmt: skip


# --- the page ------------------------------------------------------------------------------

_MENU = ("首页", "政务公开", "政务服务", "互动交流", "数据发布", "走进本区")
_TOOLS = ("【打印本页】", "【关闭窗口】")
_FOOTER = (
    "主办单位：{city}人民政府办公室　承办单位：{city}大数据应用发展管理局",
    "版权所有：{city}人民政府　网站标识码5001100023",
    "渝ICP备05003300号-1　渝公网安备 50011002500001号",
)


def _charset_meta(hs: HtmlStyle, label: str) -> str:
    if hs.meta == "charset":
        return f'<meta charset="{label}">'
    if hs.meta == "http-equiv":
        return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
    return ""


def render_html_text(
    r: GenReport, *, style: Style | None = None, page: HtmlStyle | None = None
) -> str:
    """The page as text (before encoding)."""
    hs = page or HtmlStyle()
    ctx = _Ctx(r, style or Style(), "tab_rows")
    p = _Page(ctx, hs)
    city = next((c for c in CITIES if r.issuer.startswith(c)), "本市")
    label = {"gbk": p.rng.choice(["gb2312", "gbk", "GB2312"]), "utf-16": "utf-8"}.get(
        hs.encoding, p.rng.choice(["utf-8", "UTF-8"])
    )
    title = _title_lines(ctx)
    out: list[str] = [
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">',
        f"<{p.tag('html')}><head>",
        _charset_meta(hs, label),
        f"<title>{html.escape(''.join(title))}_{city}人民政府网</title>",
        "<style>td { border: 1px solid #000; } p.MsoNormal { margin: 0 }</style>",
        '<script type="text/javascript">var m = "<td>首页</td>"; if (a < b && c > d) {}</script>',
        "</head><body>",
    ]
    if hs.chrome:
        out.append('<div class="header"><div class="logo">' + city + "人民政府</div>")
        out.append('<ul class="menu">' + "".join(p.para(m, "li") for m in _MENU) + "</ul>")
        out.append('<nav><a href="/">首页</a> | <a href="/zwgk/">政务公开</a></nav></div>')
        out.append(
            '<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; '
            "<a>政府信息公开年报</a></div>"
        )
        out.append("<!-- 正文开始 <table><tr><td>不是表格</td></tr></table> -->")
    body: list[str] = []
    heading = p.tag(p.rng.choice(["h1", "div", "p"]))
    if len(title) == 1 or p.rng.random() < 0.5:
        body.append(
            f'<{heading} class="title">' + "<br>".join(p.esc(t) for t in title) + f"</{heading}>"
        )
    else:
        body += [p.para(t, "h1") for t in title]
    assert r.published is not None
    body.append(
        f'<div class="info"><span>{p.rng.choice(["日期：", "发布日期：", "发布时间："])}'
        f"{r.published.isoformat()}</span>&nbsp;&nbsp;<span>来源：{html.escape(r.issuer)}</span></div>"
    )
    body.append('<div class="content">')
    body.append(p.para(_intro(ctx)))
    opening, subs = _overview(ctx)
    h2 = p.rng.choice(["h2", "p", "h3"])
    body += [p.para(ctx.heading(1), h2), p.para(opening)]
    for head, sentence in subs:
        if p.rng.random() < 0.5:
            body += [f"<p><strong>{p.esc(head)}</strong></p>", p.para(sentence)]
        else:
            body.append(f"<p><strong>{p.esc(head)}</strong>{p.esc(sentence)}</p>")

    body.append(p.para(ctx.heading(2), h2))
    blocks = table2_blocks(ctx)
    if hs.split_table2:
        body += [p.table(rows, 2) for rows in blocks]
    else:
        body.append(p.table([row for rows in blocks for row in rows], 2))
    body.append(p.para(ctx.heading(3), h2))
    body.append(p.table(table3_rows(ctx, hs, p.rng), 3))
    body.append(p.para(ctx.heading(4), h2))
    body.append(p.table(table4_rows(ctx, hs), 3))
    body.append(p.para(ctx.heading(5), h2))
    body += [p.para(t) for t in _problems(ctx)]
    body.append(p.para(ctx.heading(6), h2))
    body += [p.para(t) for t in _other_matters(ctx)]
    body.append("</div>")
    if hs.chrome:
        body.append('<div class="tools">' + "&nbsp;".join(f"<a>{t}</a>" for t in _TOOLS) + "</div>")

    if hs.layout_table:
        out.append('<table width="1000" align="center" border="0"><tr><td class="left">')
        out.append("<ul>" + "".join(p.para(m, "li") for m in ("通知公告", "政策文件")) + "</ul>")
        out.append('</td></tr><tr><td class="main">')
        out += body
        out.append("</td></tr></table>")
    else:
        out += body
    if hs.chrome:
        out.append('<div class="footer">' + "".join(p.para(f.format(city=city)) for f in _FOOTER))
        out.append("</div>")
    out.append("<script>document.write('<p>统计代码</p>');</script></body></html>")
    return "\n".join(line for line in out if line)


def render_html(
    r: GenReport, *, style: Style | None = None, page: HtmlStyle | None = None
) -> bytes:
    """The page as served: encoded as ``page.encoding`` says (BOM, GBK, …)."""
    hs = page or HtmlStyle()
    text = render_html_text(r, style=style, page=hs)
    if hs.encoding == "gbk":
        return text.encode("gbk", "xmlcharrefreplace")
    if hs.encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if hs.encoding == "utf-16":
        return text.encode("utf-16")  # with its BOM
    return text.encode("utf-8")


__all__ = [
    "ENCODINGS",
    "HCell",
    "HtmlStyle",
    "html_styles",
    "render_html",
    "render_html_text",
    "styles",
]
