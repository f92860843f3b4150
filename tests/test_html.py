"""The HTML reader: generated pages round-trip exactly; small pages place cells exactly; hostile
pages end in a typed error (or a clean Document) without quadratic work.

Why: most reports are published as HTML pages; their tables' merged cells, ``&nbsp;`` blanks,
charsets and site chrome must not change a single cell, and a page from anywhere must not hang
or crash the reader.
"""

from __future__ import annotations

import codecs
import importlib.util
import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import reportgen
from htmlgen import HtmlStyle, html_styles, render_html
from reportgen import (
    GenReport,
    Style,
    build_report,
    cell_mismatches,
    diagnostic_problems,
    reports,
    reports_of,
    reports_with_gaps,
    styles,
)
from test_roundtrip import WORKED

import gxnianbao
from gxnianbao.errors import CorruptDocumentError, DocumentTooLargeError, UnreadableDocument
from gxnianbao.limits import DEFAULT_LIMITS, Limits
from gxnianbao.parse import parse_document
from gxnianbao.read.document import Document, Grid, Paragraph, text_view
from gxnianbao.read.html import decode_html, read_html

HAVE_PARSE_FILE = importlib.util.find_spec("gxnianbao.read.files") is not None

ROUNDTRIP = settings(reportgen.ROUNDTRIP, max_examples=settings.default.max_examples // 2)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def read(html: str | bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return read_html(data, name="page.html", limits=limits)


def grids(doc: Document) -> list[Grid]:
    return [b for b in doc.blocks if isinstance(b, Grid)]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def placed(grid: Grid) -> list[tuple[str, int, int, int, int]]:
    return [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in grid.cells]


# --- round trips ---------------------------------------------------------------------------


def check_page(
    r: GenReport, style: Style, page: HtmlStyle, *, exact: bool, trace: bool = True
) -> None:
    """Read and parse the page; every cell, the meta data, no error or structure findings."""
    data = render_html(r, style=style, page=page)
    if trace:
        note(decode_html(data)[0])
    doc = read_html(data, name="report.html", limits=DEFAULT_LIMITS)
    report = parse_document(doc)
    view = text_view(doc).text
    problems = cell_mismatches(report, r, view)
    problems += _meta_problems(report, r)
    problems += diagnostic_problems(report, exact=exact)
    for cell in report.cells():
        if cell.status.value == "reported":
            origin = cell.span.origin if cell.span else None
            if origin is None or origin.kind != "html" or origin.table is None:
                problems.append(f"{cell.key}: span without an html origin ({origin})")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:25])
    if HAVE_PARSE_FILE:
        from gxnianbao.parse import parse_file

        again = parse_file(data)
        assert [(c.key, c.status, c.value) for c in again.cells()] == [
            (c.key, c.status, c.value) for c in report.cells()
        ]


def _meta_problems(report: gxnianbao.Report, r: GenReport) -> list[str]:
    out: list[str] = []
    meta = report.meta
    if (meta.issuer, meta.year) != (r.issuer, r.year):
        out.append(f"issuer/year: expected {(r.issuer, r.year)}, got {(meta.issuer, meta.year)}")
    if meta.template != r.template:
        out.append(f"template: expected {r.template}, got {meta.template}")
    if meta.published != r.published:
        out.append(f"published: expected {r.published}, got {meta.published}")
    if report.processing_fee != r.fee or (r.fee is None) != (report.processing_fee is None):
        out.append(f"processing_fee: expected {r.fee!r}, got {report.processing_fee!r}")
    return out


@ROUNDTRIP
@given(r=reports(), style=styles(), page=html_styles(plain=True))
def test_plain_pages_roundtrip(r: GenReport, style: Style, page: HtmlStyle) -> None:
    """The official template's merged cells, UTF-8, nothing else: every cell, nothing guessed."""
    check_page(r, style, page, exact=True)


@ROUNDTRIP
@given(r=reports_with_gaps(), style=styles(), page=html_styles())
def test_pages_with_gaps_roundtrip(r: GenReport, style: Style, page: HtmlStyle) -> None:
    """Blank cells (``<td></td>``, ``&nbsp;``, ``<p>&nbsp;</p>``) come back ``blank``, not 0;
    ``/`` cells ``not_applicable``; under every page variant."""
    check_page(r, style, page, exact=False)


@ROUNDTRIP
@given(data=st.data())
def test_perturbed_pages_roundtrip(data: st.DataObject) -> None:
    """Spaced / variant labels, full-width or padded numbers, units, 2、 headings, in pages."""
    r = data.draw(st.one_of(reports(), reports_with_gaps()), label="report")
    style = data.draw(styles(perturbed=True), label="style")
    page = data.draw(html_styles(), label="page")
    check_page(r, style, page, exact=False)


@ROUNDTRIP
@given(data=st.data())
def test_2019_pages_roundtrip(data: st.DataObject) -> None:
    """The 2019 template's tables (signed 本年增/减, 采购总金额 with its unit, single （六）)."""
    r = data.draw(st.one_of(reports_of("2019"), reports_with_gaps(template="2019")))
    check_page(r, data.draw(styles()), data.draw(html_styles()), exact=False)


@pytest.mark.parametrize(
    "page",
    [
        HtmlStyle(seed=1),
        HtmlStyle(seed=2, encoding="gbk", meta="http-equiv", chrome=True),
        HtmlStyle(seed=3, encoding="utf-8-bom", meta="none", layout_table=True, br_labels=True),
        HtmlStyle(seed=4, encoding="gbk", meta="none", word_cells=True, blank="mixed"),
        HtmlStyle(seed=5, encoding="utf-16", omit_end_tags=True, split_table2=True),
        HtmlStyle(
            seed=6,
            th_headers=True,
            entities=True,
            upper_tags=True,
            chrome=True,
            layout_table=True,
            br_labels=True,
            word_cells=True,
            omit_end_tags=True,
        ),
    ],
    ids=["plain", "gbk-chrome", "bom-layout-br", "gbk-nometa-word", "utf16-unclosed", "all"],
)
def test_worked_example_pages(page: HtmlStyle) -> None:
    """The worked example through the typed attributes, in a range of pages."""
    check_page(WORKED, Style(seed=7), page, exact=False, trace=False)
    report = parse_document(read(render_html(WORKED, page=page)))
    apps = report.applications
    assert apps is not None
    assert (apps.received.total, apps.total.total, apps.carried_forward.total) == (48, 45, 5)
    assert report.active_disclosure is not None
    assert report.active_disclosure.fees.amount_wan_yuan == Decimal("16197.02")
    assert report.processing_fee == Decimal(3940)


def test_blank_cells_are_blank_not_zero() -> None:
    gaps = {
        ("applications", "granted", "commercial"): "blank",
        ("applications", "total", "total"): "blank",
        ("active_disclosure", "regulations", "issued"): "na",
        ("review_litigation", "litigation_direct", "pending"): "blank",
    }
    r = build_report("重庆市綦江区司法局", 2023, None, {}, gaps=gaps)  # type: ignore[arg-type]
    for blank in ("empty", "nbsp", "mixed"):
        report = parse_document(read(render_html(r, page=HtmlStyle(blank=blank))))  # type: ignore[arg-type]
        for key, gap in gaps.items():
            cell = report.cell(*key)
            assert (str(cell.status), cell.value) == (
                ("blank", None) if gap == "blank" else ("not_applicable", None)
            ), (blank, key)
        assert str(report.cell("applications", "granted", "natural_person").status) == "reported"


def test_positions_point_into_the_page() -> None:
    """span.origin: kind, table index, grid row and column, and the source line of the cell."""
    for page in (HtmlStyle(seed=1), HtmlStyle(seed=2, split_table2=True, layout_table=True)):
        data = render_html(WORKED, page=page)
        source = data.decode("utf-8").split("\n")
        doc = read(data)
        report = parse_document(doc)
        t2 = 0
        t3, t4 = (4, 5) if page.split_table2 else (1, 2)
        expected = {
            ("active_disclosure", "normative_documents", "in_force"): (t2, 3, 3),
            ("applications", "granted", "natural_person"): (t3, 5, 3),
            ("applications", "withheld.state_secret", "natural_person"): (t3, 7, 3),
            ("applications", "not_processed.duplicate", "other_org"): (t3, 19, 8),
            ("applications", "carried_forward", "total"): (t3, 27, 9),
            ("review_litigation", "review", "upheld"): (t4, 3, 0),
            ("review_litigation", "litigation_after_review", "total"): (t4, 3, 14),
        }
        if page.split_table2:
            expected[("active_disclosure", "normative_documents", "in_force")] = (0, 3, 3)
            expected[("active_disclosure", "coercion", "decisions")] = (2, 3, 1)
        for key, (table, row, col) in expected.items():
            cell = report.cell(*key)
            assert cell.span is not None and cell.span.origin is not None, key
            o = cell.span.origin
            assert (o.kind, o.table, o.row, o.col) == ("html", table, row, col), key
            block = doc.blocks[o.block]  # type: ignore[index]
            assert isinstance(block, Grid) and block.origin.table == table
            assert o.line is not None and "<td" in source[o.line - 1], (key, source[o.line - 1])
            assert f">{cell.raw}<" in source[o.line - 1], (key, cell.raw, source[o.line - 1])


# --- the reader on small pages -------------------------------------------------------------


def test_rowspan_and_colspan_placement() -> None:
    doc = read(
        """<table>
        <tr><td rowspan="3" colspan="2">A</td><td colspan=2>B</td><td rowspan=2>C</td></tr>
        <tr><td>D</td><td>E</td></tr>
        <tr><td colspan="3">F</td></tr>
        <tr><td>G</td><td>H</td><td rowspan="0">I</td></tr>
        <tr><td>J</td><td>K</td></tr>
        </table>"""
    )
    (g,) = grids(doc)
    assert placed(g) == [
        ("A", 0, 0, 3, 2), ("B", 0, 2, 1, 2), ("C", 0, 4, 2, 1),
        ("D", 1, 2, 1, 1), ("E", 1, 3, 1, 1),
        ("F", 2, 2, 1, 3),
        ("G", 3, 0, 1, 1), ("H", 3, 1, 1, 1), ("I", 3, 2, 2, 1),
        ("J", 4, 0, 1, 1), ("K", 4, 1, 1, 1),
    ]  # fmt: skip
    assert (g.n_rows, g.n_cols) == (5, 5)
    assert [(c.origin.row, c.origin.col) for c in g.cells] == [(c.row, c.col) for c in g.cells]


def test_spans_are_clipped_and_bad_values_read_as_one() -> None:
    doc = read(
        '<table><tr><td rowspan="99">a</td><td colspan="x">b</td><td colspan="5000">c</td>'
        '<td rowspan="-2" colspan=" +2">d</td></tr><tr><td>e</td></tr></table>'
    )
    (g,) = grids(doc)
    assert placed(g) == [
        ("a", 0, 0, 2, 1), ("b", 0, 1, 1, 1), ("c", 0, 2, 1, 1000), ("d", 0, 1002, 1, 2),
        ("e", 1, 1, 1, 1),
    ]  # fmt: skip


def test_blank_cells_br_and_blocks_inside_cells() -> None:
    doc = read(
        "<table><tr><td>&nbsp;</td><td></td><td> \u3000 </td><td><p>&nbsp;</p></td>"
        "<td>结果<br>维持</td><td><p>商业</p><p>企业</p></td><td><div>a</div>b<br/><br>c</td>"
        "<td>x&amp;y &lt;z&gt; &#20013;&#x6587;</td><td>  padded\n text  </td>"
        "<td>&#8203;</td><td>\ufeff1\u200b2</td></tr></table>"
    )
    (g,) = grids(doc)
    assert [c.text for c in g.cells] == [
        "", "", "", "", "结果\n维持", "商业\n企业", "a\nb\nc", "x&y <z> 中文", "padded text",
        "", "12",
    ]  # fmt: skip


def test_text_outside_tables_and_dropped_elements() -> None:
    doc = read(
        "<html><head><title>标题_网站</title><style>p{}</style>"
        "<script>document.write('<table><tr><td>x</td></tr></table>');</script></head><body>"
        "<nav><ul><li>首页</li></ul></nav><header><h1>某市2022年政府信息公开工作年度报告</h1></header>"
        "<noscript><p>请启用脚本</p></noscript><!-- <p>注释</p> -->"
        "<p>第一段<span>续</span><br>第二段</p><div>块<p>段中</div>尾"
        "<ul><li>甲<li>乙</ul><select><option>选项</option></select>"
        "<footer><p>版权所有：某市人民政府</p></footer></body></html>"
    )
    assert paragraphs(doc) == [
        "某市2022年政府信息公开工作年度报告", "第一段续", "第二段", "块", "段中", "尾", "甲", "乙",
        "版权所有：某市人民政府",
    ]  # fmt: skip
    assert grids(doc) == []


def test_several_tables_in_body_order() -> None:
    doc = read(
        "<p>前</p><table><tr><td>1</td></tr></table><p>中</p>"
        "<table><tr><td>2</td><td>3</td></tr></table><table><tr><td>4</td></tr></table><p>后</p>"
    )
    kinds = [(type(b).__name__, b.origin.block, b.origin.table) for b in doc.blocks]
    assert kinds == [
        ("Paragraph", 0, None), ("Grid", 1, 0), ("Paragraph", 2, None), ("Grid", 3, 1),
        ("Grid", 4, 2), ("Paragraph", 5, None),
    ]  # fmt: skip
    assert [[c.text for c in g.cells] for g in grids(doc)] == [["1"], ["2", "3"], ["4"]]


def test_layout_table_text_becomes_paragraphs_and_inner_tables_grids() -> None:
    doc = read(
        "<table><tr><td>菜单一<br>菜单二</td></tr><tr><td><h1>标题</h1>"
        "<table><tr><td rowspan=2>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
        "<p>段落</p><table><tr><td><table><tr><td>深</td></tr></table>外</td></tr></table>"
        "</td></tr></table><p>页脚</p>"
    )
    shapes = [b.text if isinstance(b, Paragraph) else [c.text for c in b.cells] for b in doc.blocks]
    assert shapes == ["菜单一", "菜单二", "标题", ["a", "b", "c"], "段落", ["深"], "外", "页脚"]
    assert [g.origin.table for g in grids(doc)] == [0, 1]
    assert [b.origin.block for b in doc.blocks] == list(range(8))


def test_a_small_table_inside_a_data_cell_makes_it_a_layout_table() -> None:
    """The rule is structural: any table holding a table is a container."""
    doc = read("<table><tr><td>x</td><td><table><tr><td>y</td></tr></table></td></tr></table>")
    assert paragraphs(doc) == ["x"]
    assert [[c.text for c in g.cells] for g in grids(doc)] == [["y"]]


def test_implicit_closes() -> None:
    doc = read(
        "<table><tr><td>a<td>b<tr><td>c<p>d<p>e<td>f</table>"
        "<p>g<p>h<ul><li>i<li>j</ul><table><thead><tr><th>k<tbody><tr><td>l</table>"
    )
    g1, g2 = grids(doc)
    assert placed(g1) == [
        ("a", 0, 0, 1, 1),
        ("b", 0, 1, 1, 1),
        ("c\nd\ne", 1, 0, 1, 1),
        ("f", 1, 1, 1, 1),
    ]
    assert placed(g2) == [("k", 0, 0, 1, 1), ("l", 1, 0, 1, 1)]
    assert paragraphs(doc) == ["g", "h", "i", "j"]


def test_unclosed_and_stray_tags() -> None:
    doc = read(
        "</td></tr></table></p></div><td>stray</td><tr>x<div><p>a<div>b</span></p>"
        "<table><tr><td>1</div></div></div>2</td></tr></table><div><div><div>end"
    )
    # Cells and rows outside any table are dropped tags, as browsers drop them.
    assert paragraphs(doc) == ["strayx", "a", "b", "end"]
    (g,) = grids(doc)
    assert [c.text for c in g.cells] == ["12"]


def test_fostered_text_and_caption_become_paragraphs() -> None:
    doc = read("<table><caption>表一</caption>散落<tr><td>1</td></tr></table>")
    assert paragraphs(doc) == ["表一散落"] or paragraphs(doc) == ["表一", "散落"]
    assert [c.text for c in grids(doc)[0].cells] == ["1"]


def test_source_lines() -> None:
    doc = read(
        "<p>一</p>\n\n<table>\n<tr>\n<td>a</td>\n<td\n colspan=2>b</td></tr></table>\n<p>\n二</p>"
    )
    # A paragraph's line is its first text's; a grid's and a cell's, their start tag's.
    assert [b.origin.line for b in doc.blocks] == [1, 3, 9]
    (g,) = grids(doc)
    assert [c.origin.line for c in g.cells] == [5, 6]


def test_pre_and_entities_in_paragraphs() -> None:
    doc = read("<p>A&nbsp;&nbsp;B&ensp;C &copy;</p><p>&amp;lt; &#0; &#xD800; &bogus;</p>")
    assert paragraphs(doc)[0] == "A B\u2002C ©"
    assert paragraphs(doc)[1].startswith("&lt;")


# --- charsets ------------------------------------------------------------------------------

REPORT_LINE = "重庆市綦江区2022年政府信息公开工作年度报告（“三安全一稳定”）"


def _page(meta: str = "") -> str:
    return f"<html><head>{meta}</head><body><p>{REPORT_LINE}</p></body></html>"


@pytest.mark.parametrize(
    ("data", "fallback"),
    [
        (_page('<meta charset="gbk">').encode("gbk"), False),
        (
            _page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode(
                "gbk"
            ),
            False,
        ),
        (_page("<META CHARSET=GB2312>").encode("gb18030"), False),
        (_page('<meta charset="utf-8">').encode("utf-8"), False),
        (_page().encode("utf-8"), False),
        (codecs.BOM_UTF8 + _page('<meta charset="gbk">').encode("utf-8"), False),
        (codecs.BOM_UTF16_LE + _page().encode("utf-16-le"), False),
        (codecs.BOM_UTF16_BE + _page().encode("utf-16-be"), False),
        (_page().encode("utf-16-le"), True),
        (_page().encode("gbk"), True),
        (_page('<meta charset="utf-8">').encode("gbk"), True),
        (_page('<meta charset="gb2312">').encode("utf-8"), True),
        (_page('<meta charset="iso-8859-1">').encode("gbk"), True),
        (_page('<meta charset="no-such-charset">').encode("gbk"), True),
        (b'<?xml version="1.0" encoding="gb2312"?>' + _page().encode("gbk"), False),
    ],
)
def test_charsets(data: bytes, fallback: bool) -> None:
    doc = read(data)
    assert paragraphs(doc) == [REPORT_LINE]
    codes = [d.code for d in doc.diagnostics]
    assert codes == (["charset-fallback"] if fallback else [])
    assert all(d.severity == "info" for d in doc.diagnostics)


def test_undecodable_bytes_are_replaced_with_a_warning() -> None:
    data = _page('<meta charset="utf-8">').encode("utf-8") + b"<p>\xff\xfe\x80ok</p>"
    doc = read(data)
    assert paragraphs(doc)[0] == REPORT_LINE
    assert [d.code for d in doc.diagnostics] == ["undecodable-bytes"]


# --- hostile pages -------------------------------------------------------------------------


def test_ten_thousand_nested_tables() -> None:
    with pytest.raises(DocumentTooLargeError, match="max_depth") as err:
        read(b"<table><tr><td>" * 10_000 + b"x")
    assert err.value.kind == "html" and err.value.name == "page.html"


def test_deep_blocks_are_refused_but_deep_inline_markup_is_not() -> None:
    with pytest.raises(DocumentTooLargeError):
        read(b"<div>" * 10_000)
    with pytest.raises(DocumentTooLargeError):
        read(b"<ul><li>" * 10_000)
    doc = read(b"<span><font><b>" * 30_000 + b"deep")
    assert paragraphs(doc) == ["deep"]
    doc = read(b"<table>" * 10_000 + b"<tr><td>1</td></tr>")  # each closes the one before
    assert [c.text for g in grids(doc) for c in g.cells] == ["1"]


def test_unclosed_paragraphs_and_list_items_do_not_nest() -> None:
    doc = read(b"<p>a" * 20_000 + b"<li>b" * 20_000 + b"<td>c<tr>" * 5_000)
    assert len(paragraphs(doc)) == 40_000 + 5_000


def test_too_many_cells() -> None:
    with pytest.raises(DocumentTooLargeError, match="max_cells"):
        # (more elements than limits.max_elements allows by default: that budget is raised)
        read(b"<table><tr>" + b"<td>1" * 200_001 + b"</table>", Limits(max_elements=300_000))
    small = Limits(max_cells=1000)
    with pytest.raises(DocumentTooLargeError, match="max_cells"):
        read(b"<table>" + b"<tr><td>1</td><td>2</td>" * 501 + b"</table>", small)
    doc = read(b"<table>" + b"<tr><td>1</td><td>2</td>" * 500 + b"</table>", small)
    assert len(grids(doc)[0].cells) == 1000


def test_merged_cells_cannot_blow_up_the_grid() -> None:
    """Spans are clipped; the grid positions they cover count against max_cells."""
    bomb = b"<table><tr>" + b'<td colspan="1000" rowspan="65534">x' * 300 + b"<tr><td>y" * 2000
    with pytest.raises(DocumentTooLargeError, match="grid positions"):
        read(bomb + b"</table>")


@pytest.mark.parametrize(
    "data",
    [
        b"<a" * 50_000,
        b"<!--" * 50_000,
        b"</" * 50_000,
        b"<?" * 50_000,
        b"<!" * 50_000,
        b"<" * 100_000 + b"<p>x",
        b'<p title="' + b"x>" * 50_000,
        b"<p a=" * 50_000,
        b"<td rowspan=" * 50_000,
        b"<script>" + b"</scrip" * 50_000,
        b"<p>" + b"&#" * 50_000 + b"&" * 50_000,
        b"<table><tr><td>" + b"</td></tr></table>" * 50_000,
    ],
    ids=[
        "lt-a",
        "comments",
        "end-opens",
        "pis",
        "bangs",
        "lts",
        "open-quote",
        "attrs",
        "cell-attrs",
        "script",
        "entities",
        "closes",
    ],
)
def test_unclosed_constructs_are_linear(data: bytes) -> None:
    """CPython's html.parser takes minutes on some of these (CVE-2025-6069); here each is a
    clean Document, read in one pass."""
    doc = read(data)
    assert isinstance(doc, Document)


def test_binary_junk_is_not_html() -> None:
    junk = random.Random(4).randbytes(200_000)
    with pytest.raises(CorruptDocumentError, match="not HTML"):
        read(junk)
    with pytest.raises(CorruptDocumentError, match="not HTML"):
        read(b"\x00\x01\x02\x03" * 1000 + b"<p>x</p>")
    with pytest.raises(CorruptDocumentError, match="no markup"):
        read("只是一段文字，没有标记。".encode())
    with pytest.raises(CorruptDocumentError):
        read(b"")


def test_size_limits() -> None:
    with pytest.raises(DocumentTooLargeError, match="max_bytes"):
        read(b"<p>" + b"x" * 2000, Limits(max_bytes=1000))
    with pytest.raises(DocumentTooLargeError, match="max_text_chars"):
        read(b"<p>" + b"x" * 2000, Limits(max_text_chars=1000))


def test_wrong_argument_type() -> None:
    with pytest.raises(TypeError):
        read_html("<p>x</p>", name="x", limits=DEFAULT_LIMITS)  # type: ignore[arg-type]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    r=reports_with_gaps(),
    page=html_styles(),
    cuts=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 400)), max_size=6),
    junk=st.binary(max_size=40),
)
def test_damaged_pages_never_crash(
    r: GenReport, page: HtmlStyle, cuts: list[tuple[int, int]], junk: bytes
) -> None:
    """Slices cut out of a page and junk spliced in: a Document (that parses) or a typed error."""
    data = bytearray(render_html(r, page=page))
    for at, length in cuts:
        at %= len(data) + 1
        del data[at : at + length]
        data[at:at] = junk
    try:
        doc = read_html(bytes(data), name="x.html", limits=DEFAULT_LIMITS)
    except UnreadableDocument:
        return
    report = parse_document(doc)
    assert len(list(report.cells())) in (198, 200)


# --- hand-written fixture pages ------------------------------------------------------------


def test_fixture_word_export_page() -> None:
    """A Word 'save as web page' export (GB2312, MsoNormal paragraphs, vertical merges)."""
    path = FIXTURES / "word_export_gbk.html"
    report = parse_document(read(path.read_bytes()))
    assert (report.meta.issuer, report.meta.year) == ("淮安市清江浦区民政局", 2023)
    apps = report.applications
    assert apps is not None
    assert (apps.received.natural_person, apps.received.total) == (12, 13)
    assert apps.granted.natural_person == 7
    assert apps.withheld.third_party_rights.natural_person == 1
    assert apps.unavailable.not_held.commercial == 1
    assert str(apps.granted.cell("research").status) == "blank"
    assert (apps.carried_forward.natural_person, apps.total.total) == (2, 11)
    ad = report.active_disclosure
    assert ad is not None
    assert str(ad.regulations.cell("issued").status) == "not_applicable"
    assert ad.normative_documents.in_force == 5
    assert ad.fees.amount_wan_yuan == Decimal("0.35")
    rl = report.review_litigation
    assert rl is not None
    assert (rl.review.upheld, rl.review.total, rl.litigation_direct.total) == (1, 1, 0)
    assert report.processing_fee == Decimal(0)
    errors = [d for d in report.diagnostics if d.severity != "info"]
    assert errors == []


def test_fixture_cms_article_page() -> None:
    """A CMS article page: menus, breadcrumb, layout table, tables with th and tbody."""
    path = FIXTURES / "cms_article.html"
    doc = read(path.read_bytes())
    report = parse_document(doc)
    assert (report.meta.issuer, report.meta.year) == ("孝感市孝南区人民政府办公室", 2022)
    assert report.meta.published is not None and report.meta.published.isoformat() == "2023-01-18"
    cells = {c.key: (str(c.status), c.value) for c in report.cells()}
    assert cells["applications.received.total"] == ("reported", 6)
    assert cells["applications.partially_granted.legal_service"] == ("reported", 1)
    assert cells["applications.other.other.natural_person"] == ("reported", 1)
    assert cells["review_litigation.litigation_after_review.upheld"] == ("reported", 1)
    assert cells["active_disclosure.licensing.decisions"] == ("reported", 1208)
    assert sum(1 for s, _ in cells.values() if s == "reported") == 200
    assert report.processing_fee is None
    assert [d for d in report.diagnostics if d.severity != "info"] == []
