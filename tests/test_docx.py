"""The DOCX reader: merged cells once with their spans, body order, and hostile files.

Why: Word tables hold a report's numbers in merged cells (``w:gridSpan``, ``w:vMerge``); a
generated report written into the official template (and into a table built from scratch with
the same merges) must parse back to exactly its 200 cells, each span pointing at its Word
table, row and column.  Files that are not DOCX, damaged, or built to exhaust memory must end in
a typed error naming the file.
"""

from __future__ import annotations

import io
import sys
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import reportgen
from conftest import shared_path
from docxgen import build_docx, fill_template, fixture_reports
from reportgen import (
    APP_COLUMNS,
    APP_ROWS,
    FEE_KEY,
    OUTCOME_COLUMNS,
    OUTCOME_GROUPS,
    CellKey,
    GenReport,
    build_report,
    cell_mismatches,
    reported_spans,
    reports,
    reports_with_gaps,
)

import gxnianbao
from gxnianbao.errors import CorruptDocumentError, DocumentTooLargeError, UnreadableDocument
from gxnianbao.limits import DEFAULT_LIMITS, Limits
from gxnianbao.parse import parse_document
from gxnianbao.read.document import Document, Grid, GridCell, Paragraph, text_view
from gxnianbao.read.docx import read_docx

ROUNDTRIP = settings(reportgen.ROUNDTRIP, max_examples=settings.default.max_examples // 2)
NAME = "report-2023.docx"

# --- where each cell is in the template's Word tables ------------------------------------

_T2_PLACES = {"regulations": 2, "normative_documents": 3, "licensing": 6, "punishment": 9,
              "coercion": 10, "fees": 13}  # fmt: skip


def word_place(key: CellKey) -> tuple[int, int, int]:
    """(table, grid row, grid column) of a cell's value in the template (and build_docx)."""
    table, row, col = key
    if table == "active_disclosure":
        cols = ("issued", "repealed", "in_force")
        return 0, _T2_PLACES[row], 1 + (cols.index(col) if col in cols else 0)
    if table == "applications":
        return 1, 3 + APP_ROWS.index(row), 3 + APP_COLUMNS.index(col)
    return 2, 3, OUTCOME_GROUPS.index(row) * 5 + OUTCOME_COLUMNS.index(col)


# --- checking one parse ------------------------------------------------------------------


def parse_bytes(data: bytes) -> tuple[gxnianbao.Report, str]:
    """The report through ``parse_file``, and the text view its spans point into."""
    report = gxnianbao.parse_file(data)
    return report, text_view(read_docx(data, name=NAME, limits=DEFAULT_LIMITS)).text


def mismatches(report: gxnianbao.Report, r: GenReport, text: str) -> list[str]:
    """Every way the parse differs from the generated report: the shared check of every cell,
    plus meta, fee, each reported cell's place in the Word tables, and no error diagnostics."""
    problems: list[str] = []
    if report.meta.issuer != r.issuer:
        problems.append(f"issuer {report.meta.issuer!r} != {r.issuer!r}")
    if report.meta.year != r.year:
        problems.append(f"year {report.meta.year!r} != {r.year}")
    if report.processing_fee != r.fee:
        problems.append(f"processing fee {report.processing_fee!r} != {r.fee!r}")
    problems += cell_mismatches(report, r, text)
    for key, _, span in reported_spans(report, r):
        name = ".".join(key)
        o = span.origin
        if o is None:
            problems.append(f"{name}: reported cell without a span in the file")
            continue
        got = (o.kind, o.table, o.row, o.col)
        want = ("docx", *word_place(key))
        if got != want:
            problems.append(f"{name}: origin {got} != {want}")
        if o.block is None:
            problems.append(f"{name}: origin without a block index")
    errors = [d for d in report.diagnostics if d.severity == "error"]
    if errors:
        problems.append(f"error diagnostics: {errors}")
    return problems


def check(r: GenReport, data: bytes) -> None:
    report, text = parse_bytes(data)
    problems = mismatches(report, r, text)
    assert not problems, "\n".join([*problems, "text view:", text])


# --- round trips -------------------------------------------------------------------------


@settings(ROUNDTRIP, max_examples=settings.default.max_examples // 4)
@given(st.one_of(reports(), reports_with_gaps()), st.integers(0, 2**16))
def test_built_docx_round_trips(r: GenReport, seed: int) -> None:
    check(r, build_docx(r, seed=seed))


@pytest.fixture(scope="module")
def template() -> Path:
    return shared_path("corpus", "template-2021.docx")


@ROUNDTRIP
@given(r=st.one_of(reports(), reports_with_gaps()), seed=st.integers(0, 2**16))
def test_filled_template_round_trips(template: Path, r: GenReport, seed: int) -> None:
    check(r, fill_template(r, template, seed=seed))


def _big_report() -> GenReport:
    """Seven-digit totals, a four-decimal fee amount and a fee with fen."""
    values: dict[CellKey, int | Decimal] = {
        ("applications", "granted", c): 999_999 for c in APP_COLUMNS[:-1]
    }
    values[("applications", "carried_forward", "natural_person")] = 999_999
    values[("review_litigation", "review", "upheld")] = 999_999
    values[FEE_KEY] = Decimal("999999.9999")
    return build_report("重庆市綦江区司法局", 2023, Decimal("1234.50"), values)


def test_big_numbers_round_trip(template: Path) -> None:
    r = _big_report()
    check(r, fill_template(r, template))
    check(r, build_docx(r))


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "docx"


@pytest.mark.parametrize("name", sorted(fixture_reports()))
def test_libreoffice_saved_docx_round_trips(name: str) -> None:
    """The filled template saved again by LibreOffice (tests/fixtures/docx/make_fixtures.py):
    another writer's XML for the same merges."""
    check(fixture_reports()[name], (FIXTURES / f"libreoffice-{name}.docx").read_bytes())


def test_streamed_main_part_reads_the_same() -> None:
    """A main part over Limits.max_tree_bytes is streamed block by block: the same Document."""
    data = build_docx(_big_report())
    whole = read(data)
    streamed = Limits(max_tree_bytes=0)
    assert read(data, streamed) == whole
    report = gxnianbao.parse_file(data, limits=streamed)
    problems = mismatches(report, _big_report(), text_view(whole).text)
    assert not problems, "\n".join(problems)
    body = "<w:sdt><w:sdtContent>" + p("块") + "</w:sdtContent></w:sdt>" + p("&amp;x")
    blocks = read(mini_docx(body), streamed).blocks
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["块", "&x"]
    with pytest.raises(CorruptDocumentError):
        read(mini_docx(p("x"), prolog="<!DOCTYPE w:document>"), streamed)


def test_built_docx_has_the_template_merges() -> None:
    """build_docx's table 3 header: the note over 3×3, 申请人情况 across 7, 自然人 down 2."""
    doc = read_docx(build_docx(_big_report()), name=NAME, limits=DEFAULT_LIMITS)
    grids = [b for b in doc.blocks if isinstance(b, Grid)]
    assert [(g.n_rows, g.n_cols) for g in grids] == [(14, 4), (28, 10), (4, 15)]
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in grids[1].cells if c.row < 3}
    assert spans == {
        (0, 0): (3, 3), (0, 3): (1, 7), (1, 3): (2, 1), (1, 4): (1, 5), (1, 9): (2, 1),
        **{(2, c): (1, 1) for c in range(4, 9)},
    }  # fmt: skip
    results = next(c for c in grids[1].cells if c.text == "三、本年度办理结果")
    assert (results.row, results.col, results.rowspan, results.colspan) == (5, 0, 22, 1)


Rect = tuple[int, int, int, int]


@st.composite
def merged_tables(draw: st.DrawFn) -> tuple[int, int, list[Rect]]:
    """A table size and non-overlapping merge rectangles (row, col, height, width) in it."""
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    taken: set[tuple[int, int]] = set()
    rects: list[Rect] = []
    for _ in range(draw(st.integers(0, 6))):
        r, c = draw(st.integers(0, rows - 1)), draw(st.integers(0, cols - 1))
        h, w = draw(st.integers(1, rows - r)), draw(st.integers(1, cols - c))
        area = {(r + i, c + j) for i in range(h) for j in range(w)}
        if (h, w) != (1, 1) and not area & taken:
            taken |= area
            rects.append((r, c, h, w))
    return rows, cols, rects


@settings(max_examples=settings.default.max_examples // 2)
@given(merged_tables())
def test_any_merges_made_by_python_docx_come_back_once(table: tuple[int, int, list[Rect]]) -> None:
    """Whatever rectangles python-docx merges (gridSpan, vMerge or both), each comes back as
    one cell at its top-left with its spans, every other position as a 1×1 cell."""
    import docx

    rows, cols, rects = table
    document = docx.Document()
    made = document.add_table(rows=rows, cols=cols)
    grid = [list(row.cells) for row in made.rows]
    covered = {(r + i, c + j) for r, c, h, w in rects for i in range(h) for j in range(w)}
    expected = {(r, c, 1, 1) for r in range(rows) for c in range(cols) if (r, c) not in covered}
    expected |= set(rects)
    for r, c, _, _ in expected:
        grid[r][c].paragraphs[0].text = f"{r}.{c}"
    for r, c, h, w in rects:
        grid[r][c].merge(grid[r + h - 1][c + w - 1])
    out = io.BytesIO()
    document.save(out)
    read_grid = read(out.getvalue()).blocks[0]
    assert isinstance(read_grid, Grid)
    assert (read_grid.n_rows, read_grid.n_cols) == (rows, cols)
    got = [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in read_grid.cells]
    want = sorted((f"{r}.{c}", r, c, h, w) for r, c, h, w in expected)
    assert sorted(got) == want
    assert [(c.row, c.col) for c in read_grid.cells] == sorted((c.row, c.col) for c in
                                                                read_grid.cells)  # fmt: skip


# --- the reader on hand-made files -------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = (
    f'xmlns:w="{_W}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{target}"/></Relationships>'
)


def mini_docx(body: str, *, part: str = "word/document.xml", prolog: str = "") -> bytes:
    """A minimal DOCX whose body is ``body`` (WordprocessingML with the ``w:`` prefix)."""
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f"<w:document {_NS}><w:body>{body}</w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS.format(target=part))
        z.writestr(part, xml)
    return buf.getvalue()


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def tc(text: str, pr: str = "") -> str:
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{p(text) if text else '<w:p/>'}</w:tc>"


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    return read_docx(data, name=NAME, limits=limits)


def cells_of(grid: Grid) -> list[tuple[str, int, int, int, int]]:
    return [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in grid.cells]


def test_merged_cells_appear_once_with_their_spans() -> None:
    span2 = '<w:gridSpan w:val="2"/>'
    body = (
        p("before")
        + "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 4 + "</w:tblGrid>"
        + "<w:tr>" + tc("A", span2 + '<w:vMerge w:val="restart"/>') + tc("B") + tc("C",
          '<w:vMerge w:val="restart"/>') + "</w:tr>"
        + "<w:tr>" + tc("", span2 + "<w:vMerge/>") + tc("D") + tc("hidden",
          '<w:vMerge w:val="continue"/>') + "</w:tr>"
        + '<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>'
        + tc("F") + tc("G", '<w:vMerge w:val="restart"/>') + "</w:tr>"
        + "<w:tr>" + tc("H") + tc("I") + tc("", "<w:vMerge/>") + tc("C2", "<w:vMerge/>")
        + "</w:tr></w:tbl>"
        + p("after")
    )  # fmt: skip
    doc = read(mini_docx(body))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Grid", "Paragraph"]
    grid = doc.blocks[1]
    assert isinstance(grid, Grid)
    assert (grid.n_rows, grid.n_cols) == (4, 4)
    assert cells_of(grid) == [
        ("A", 0, 0, 2, 2), ("B", 0, 2, 1, 1), ("C", 0, 3, 2, 1),
        ("D", 1, 2, 1, 1),
        ("F", 2, 1, 1, 1), ("G", 2, 2, 2, 1),
        ("H", 3, 0, 1, 1), ("I", 3, 1, 1, 1), ("C2", 3, 3, 1, 1),
    ]  # fmt: skip
    # C2 continues nothing (row 2 column 3 is gridAfter): it stands as a cell of its own.
    first = grid.cells[0]
    assert first.origin.kind == "docx"
    assert (first.origin.block, first.origin.table, first.origin.row, first.origin.col) == (
        1, 0, 0, 0,
    )  # fmt: skip
    assert doc.blocks[2].origin.block == 2


def test_paragraph_text_runs_tabs_breaks_deletions_fields() -> None:
    body = (
        "<w:p><w:r><w:t>一、</w:t><w:tab/><w:t>总体</w:t><w:br/><w:t>情况</w:t></w:r>"
        "<w:del><w:r><w:delText>删去</w:delText></w:r></w:del>"
        "<w:moveFrom><w:r><w:t>移走</w:t></w:r></w:moveFrom>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>"
        "<w:sdt><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>"
        "<w:sdt><w:sdtContent>" + p("块控件") + "</w:sdtContent></w:sdt>"
        "<w:customXml>" + p("自定义") + "</w:customXml>"
    )
    doc = read(mini_docx(body))
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == [
        "一、 总体\n情况3链接控件插入", "块控件", "自定义",
    ]  # fmt: skip
    assert doc.diagnostics == ()


def test_cell_paragraphs_join_with_line_breaks() -> None:
    body = "<w:tbl><w:tr><w:tc>" + p("商业") + p("企业") + "</w:tc></w:tr></w:tbl>"
    grid = read(mini_docx(body)).blocks[0]
    assert isinstance(grid, Grid)
    assert grid.cells[0].text == "商业\n企业"


def test_nested_table_is_its_own_grid_after_the_outer_one() -> None:
    inner = "<w:tbl><w:tr>" + tc("x") + tc("y") + "</w:tr><w:tr>" + tc("z") + tc("w")
    inner += "</w:tr></w:tbl>"
    body = (
        "<w:tbl><w:tr><w:tc>" + p("outer") + inner + p("tail") + "</w:tc>" + tc("B")
        + "</w:tr></w:tbl>" + "<w:tbl><w:tr>" + tc("next") + "</w:tr></w:tbl>" + p("end")
    )  # fmt: skip
    doc = read(mini_docx(body))
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Grid", "Grid", "Grid", "Paragraph"]
    outer, nested, following = doc.blocks[:3]
    assert isinstance(outer, Grid) and isinstance(nested, Grid) and isinstance(following, Grid)
    assert cells_of(outer) == [("outer\ntail", 0, 0, 1, 1), ("B", 0, 1, 1, 1)]
    assert cells_of(nested) == [("x", 0, 0, 1, 1), ("y", 0, 1, 1, 1), ("z", 1, 0, 1, 1),
                                ("w", 1, 1, 1, 1)]  # fmt: skip
    assert (nested.origin.block, nested.origin.table) == (1, 1)
    assert (following.origin.block, following.origin.table) == (2, 2)
    assert nested.cells[3].origin.table == 1


def test_text_box_is_ignored_with_a_diagnostic() -> None:
    box = (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx>"
        "<w:txbxContent>" + p("框内123") + "</w:txbxContent></wps:txbx></wps:wsp></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" + p("框内123")
        + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>"
        "</w:r>"
    )  # fmt: skip
    vml = "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>" + p("另一框")
    vml += "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    body = f"<w:p><w:r><w:t>正文</w:t></w:r>{box}</w:p><w:tbl><w:tr><w:tc><w:p>{vml}</w:p>"
    body += "</w:tc></w:tr></w:tbl>"
    doc = read(mini_docx(body))
    assert doc.blocks[0].text == "正文" if isinstance(doc.blocks[0], Paragraph) else False
    grid = doc.blocks[1]
    assert isinstance(grid, Grid) and grid.cells[0].text == ""
    codes = [(d.code, d.severity) for d in doc.diagnostics]
    assert codes == [("docx-textbox-ignored", "warning")]
    assert doc.diagnostics[0].message.startswith("2 text box")
    report = parse_document(doc)
    assert "docx-textbox-ignored" in [d.code for d in report.diagnostics]


def test_main_part_found_through_relationships() -> None:
    doc = read(mini_docx(p("正文"), part="word/document2.xml"))
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["正文"]


def test_grid_cell_is_the_documents_type() -> None:
    grid = read(mini_docx("<w:tbl><w:tr>" + tc("1") + "</w:tr></w:tbl>")).blocks[0]
    assert isinstance(grid, Grid) and isinstance(grid.cells[0], GridCell)


@st.composite
def odd_tables(draw: st.DrawFn) -> str:
    """Well-formed but odd tables: any gridSpan (also 0, negative, not a number), vMerge
    anywhere (first row, after a different span), gridBefore/gridAfter, empty rows."""
    props = st.sampled_from(
        ["", '<w:gridSpan w:val="2"/>', '<w:gridSpan w:val="3"/>', '<w:gridSpan w:val="0"/>',
         '<w:gridSpan w:val="-4"/>', '<w:gridSpan w:val="x"/>', "<w:vMerge/>",
         '<w:vMerge w:val="restart"/>', '<w:vMerge w:val="continue"/>',
         '<w:gridSpan w:val="2"/><w:vMerge/>', '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>']
    )  # fmt: skip
    rows = []
    for i in range(draw(st.integers(0, 6))):
        before = draw(st.sampled_from(["", '<w:gridBefore w:val="1"/>', '<w:gridAfter w:val="2"/>',
                                       '<w:gridBefore w:val="99999999999"/>']))  # fmt: skip
        cells = "".join(tc(f"{i}{j}", draw(props)) for j in range(draw(st.integers(0, 5))))
        rows.append(f"<w:tr><w:trPr>{before}</w:trPr>{cells}</w:tr>")
    return "<w:tbl>" + "".join(rows) + "</w:tbl>"


@given(odd_tables())
def test_odd_tables_give_disjoint_cells(body: str) -> None:
    """Whatever the spans say, the cells of a grid never overlap and lie inside it."""
    grid = read(mini_docx(body)).blocks[0]
    assert isinstance(grid, Grid)
    seen: set[tuple[int, int]] = set()
    for c in grid.cells:
        assert c.rowspan >= 1 and c.colspan >= 1
        assert c.row + c.rowspan <= grid.n_rows and c.col + c.colspan <= grid.n_cols
        if c.colspan * c.rowspan > 10_000:
            continue  # a huge gridBefore or span: do not enumerate it
        area = {(c.row + i, c.col + j) for i in range(c.rowspan) for j in range(c.colspan)}
        assert not area & seen, (c, body)
        seen |= area


@given(st.data())
def test_damaged_bytes_give_typed_errors(data: st.DataObject) -> None:
    """Bytes flipped, cut or dropped anywhere: a Document or an UnreadableDocument, never a
    library exception."""
    good = bytearray(mini_docx(p("一、总体情况") + "<w:tbl><w:tr>" + tc("1") + tc("2") +
                               "</w:tr></w:tbl>"))  # fmt: skip
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(good) - 1))
        op = data.draw(st.sampled_from(["flip", "cut", "drop"]))
        if op == "flip":
            good[at] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del good[at:]
            break
        else:
            del good[at : at + data.draw(st.integers(1, 64))]
    try:
        doc = read(bytes(good))
    except UnreadableDocument as err:
        assert err.name == NAME
    else:
        assert isinstance(doc, Document)


# --- hostile and broken files ------------------------------------------------------------


def raises(data: bytes, error: type[UnreadableDocument], fragment: str,
           limits: Limits = DEFAULT_LIMITS) -> UnreadableDocument:  # fmt: skip
    """``read_docx`` raises ``error`` naming the file, with ``fragment`` in the reason."""
    with pytest.raises(error) as info:
        read(data, limits)
    err = info.value
    assert NAME in str(err) and err.name == NAME
    assert fragment in err.reason, err.reason
    return err


def test_not_a_zip() -> None:
    raises(b"<html><body>not a docx</body></html>", CorruptDocumentError, "not a readable ZIP")


def test_truncated_docx() -> None:
    data = mini_docx(p("正文" * 500))
    raises(data[: len(data) // 2], CorruptDocumentError, "ZIP")


def test_damaged_member() -> None:
    data = bytearray(mini_docx(p("正文" * 2000)))
    start = data.find(b"word/document.xml") + len("word/document.xml") + 40
    data[start : start + 64] = bytes(64)
    err = raises(bytes(data), CorruptDocumentError, "")
    assert "document.xml" in err.reason or "ZIP" in err.reason


def test_zip_without_word_document() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    raises(buf.getvalue(), CorruptDocumentError, "not a DOCX (no word/document.xml)")


def test_zip_bomb() -> None:
    """200 MB of zeros in word/document.xml (about 200 KB compressed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            for _ in range(200):
                f.write(chunk)
    data = buf.getvalue()
    assert len(data) < 1_000_000
    started = time.perf_counter()
    raises(data, DocumentTooLargeError, "zip bomb")
    raises(data, DocumentTooLargeError, "inflates to",
           Limits(max_ratio=10**6, max_decompressed=100 * 1024 * 1024))  # fmt: skip
    assert time.perf_counter() - started < 2.0


def forged_sizes() -> bytes:
    """A DOCX whose zip headers understate word/document.xml's size (100 bytes)."""
    data = bytearray(mini_docx(p("正文" * 20_000)))
    name = b"word/document.xml"
    local = data.rfind(b"PK\x03\x04", 0, data.find(name))
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[local + 22 : local + 26] = (100).to_bytes(4, "little")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    return bytes(data)


def test_lying_sizes_inflate_no_further() -> None:
    """A header that understates a member's size: zipfile inflates no more than it says, so
    the XML ends early and the file is damaged, not large."""
    raises(forged_sizes(), CorruptDocumentError, "")


def test_inflated_size_over_the_limit() -> None:
    """The members' declared sizes add up to more than max_decompressed."""
    data = mini_docx(p("正文" * 40_000))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        size = z.getinfo("word/document.xml").file_size
    limits = Limits(max_decompressed=size - 1000, max_ratio=10**6)
    raises(data, DocumentTooLargeError, "inflates to", limits)


def test_too_many_members() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("word/document.xml", f"<w:document {_NS}><w:body/></w:document>")
        for i in range(DEFAULT_LIMITS.max_zip_members):
            z.writestr(f"word/media/{i}.bin", b"")
    raises(buf.getvalue(), DocumentTooLargeError, "zip members")


def test_xml_bomb_is_refused() -> None:
    prolog = (
        '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )
    raises(mini_docx(p("&d;"), prolog=prolog), CorruptDocumentError, "DTD")


def test_not_word_xml() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<html><body>x</body></html>")
    raises(buf.getvalue(), CorruptDocumentError, "not a Word document")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body><w:p>")
    raises(buf.getvalue(), CorruptDocumentError, "damaged XML")


def test_deep_nesting() -> None:
    """Tables nested 60 deep are read (one grid each); XML nested past libxml2's 256 levels is
    a damaged file, not a stack overflow."""
    inner = p("core")
    for i in range(60):
        inner = "<w:tbl><w:tr><w:tc>" + p(f"L{i}") + inner + "</w:tc></w:tr></w:tbl>"
    doc = read(mini_docx(inner))
    assert len(doc.blocks) == 60 and all(isinstance(b, Grid) for b in doc.blocks)
    deep = "<w:sdt><w:sdtContent>" * 300 + p("x") + "</w:sdtContent></w:sdt>" * 300
    raises(mini_docx(deep), CorruptDocumentError, "damaged XML")
    with pytest.raises(DocumentTooLargeError):
        read(mini_docx(inner), Limits(max_depth=10))


def test_too_many_cells() -> None:
    body = "<w:tbl>" + ("<w:tr>" + tc("1") * 10 + "</w:tr>") * 3 + "</w:tbl>"
    raises(mini_docx(body), DocumentTooLargeError, "table cells", Limits(max_cells=20))


def test_parse_file_is_read_docx_then_parse_document() -> None:
    data = build_docx(_big_report())
    direct = parse_document(read_docx(data, name=NAME, limits=DEFAULT_LIMITS))
    assert gxnianbao.parse_file(data).to_dict() == direct.to_dict()


def test_through_parse_file_with_a_name(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(UnreadableDocument) as info:
        gxnianbao.parse_file(path)
    assert NAME in str(info.value)


# --- timing ------------------------------------------------------------------------------


def test_time_per_report(template: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Prints read_docx + parse_document CPU time for a filled template (goal: < 20 ms), with a
    plain Python loop as a yardstick of the machine's speed.  Asserts nothing about speed."""

    def best(fn: Callable[[], object], runs: int = 10) -> float:
        fn()
        times = []
        for _ in range(3):
            started = time.process_time()
            for _ in range(runs):
                fn()
            times.append((time.process_time() - started) / runs)
        return min(times) * 1000

    data = fill_template(_big_report(), template)
    doc = read(data)
    reading = best(lambda: read(data))
    binding = best(lambda: parse_document(doc))
    loop = best(lambda: sum(range(1_000_000)), 3)
    with capsys.disabled():
        print(f"\nDOCX per report (CPU): read_docx {reading:.1f} ms + parse_document "
              f"{binding:.1f} ms; yardstick sum(range(10**6)) {loop:.1f} ms")  # fmt: skip
