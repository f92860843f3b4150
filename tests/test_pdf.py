"""The PDF reader on real and LibreOffice-made PDFs: every cell exact, or a typed error.

Why: most reports are published as PDF.  A table is only a drawing there, so the grid rebuilt
from its ruling lines must give every cell of tables 2–4 (merged cells, labels wrapped or
written a character a line, tables and rows broken across pages), and a damaged, encrypted,
scanned or unmappable PDF must end in a typed error or in cells marked unknown, never in
wrong numbers.
"""

from __future__ import annotations

import functools
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURES, shared_path
from hostile import pdf
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gxnianbao
from gxnianbao.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    NeedsOCRError,
    UnreadableDocument,
)
from gxnianbao.limits import DEFAULT_LIMITS, Limits
from gxnianbao.model import Report, Status
from gxnianbao.parse import parse_document
from gxnianbao.read.document import Document, Grid, Paragraph
from gxnianbao.read.pdf import PdfSettings, read_pdf
from gxnianbao.read.pdf.chars import UNMAPPED, Char, Collector, Seg
from gxnianbao.read.pdf.lattice import find_grids, merge_rules
from gxnianbao.read.pdf.lines import cell_text, clean_paragraph
from gxnianbao.read.pdf.page import PAGE_NUMBER

PDF_FIXTURES = FIXTURES / "pdf"
SETTINGS = PdfSettings()
GENERATED = sorted(p.name.removesuffix(".expected.json") for p in PDF_FIXTURES.glob("*.json"))


@functools.cache
def _read(path: Path) -> Document:
    return read_pdf(path.read_bytes(), name=path.name, limits=DEFAULT_LIMITS)


@functools.cache
def _parse(path: Path) -> Report:
    return parse_document(_read(path))


def _value(key: str, text: str | None) -> int | Decimal | None:
    if text is None:
        return None
    return Decimal(text) if key == "active_disclosure.fees.amount_wan_yuan" else int(text)


# --- LibreOffice-made fixtures ----------------------------------------------------------------


def test_fixture_set_is_complete() -> None:
    assert len(GENERATED) >= 8, GENERATED
    for name in GENERATED:
        assert (PDF_FIXTURES / f"{name}.pdf").exists()


@pytest.mark.parametrize("name", GENERATED)
def test_generated_pdf_round_trips(name: str) -> None:
    """Every cell's status and value, issuer, year and fee, as the generated report has them."""
    expected = json.loads((PDF_FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    report = _parse(PDF_FIXTURES / f"{name}.pdf")
    problems = []
    for cell in expected["cells"]:
        table, rest = cell["key"].split(".", 1)
        row, column = rest.rsplit(".", 1)
        rec = report.cell(table, row, column)
        want = (cell["status"], _value(cell["key"], cell["value"]))
        got = (str(rec.status), rec.value)
        if got != want or type(got[1]) is not type(want[1]):
            problems.append(f"{cell['key']}: expected {want}, got {got} (raw {rec.raw!r})")
        elif rec.status is Status.REPORTED:
            assert rec.span is not None and rec.span.origin is not None
            assert rec.span.origin.kind == "pdf" and rec.span.origin.page is not None
    assert problems == []
    assert report.meta.issuer == expected["issuer"]
    assert report.meta.year == expected["year"]
    fee = expected["fee"]
    assert report.processing_fee == (None if fee is None else Decimal(fee))
    assert [d for d in report.diagnostics if d.severity == "error"] == []
    assert [d.code for d in report.diagnostics if d.code.startswith("pdf-")] == []


def _table3(doc: Document) -> Grid:
    grids = [b for b in doc.blocks if isinstance(b, Grid)]
    assert len(grids) == 3, "tables 2, 3 and 4 each one grid (parts on later pages joined)"
    return grids[1]


@pytest.mark.parametrize("name", ["long-intro", "template-gaps", "template-filled"])
def test_table_broken_across_pages_is_one_grid(name: str) -> None:
    """Table 3 runs over a page break (rows broken in the middle, too): still one grid of its
    28 rows, and the round trip above binds it fully."""
    grid = _table3(_read(PDF_FIXTURES / f"{name}.pdf"))
    assert len({c.origin.page for c in grid.cells}) >= 2
    assert grid.n_rows == 28 and grid.n_cols == 10
    labels = {c.text.replace("\n", "") for c in grid.cells}
    assert "三、本年度办理结果" in labels


def test_narrow_merged_label_keeps_its_lines() -> None:
    """三、本年度办理结果 wrapped in a narrow merged cell: its lines joined by line breaks."""
    grid = _table3(_read(PDF_FIXTURES / "template-filled.pdf"))
    cell = next(c for c in grid.cells if "本" in c.text and "结果" in c.text)
    assert cell.text == "三、本\n年度办\n理结果"
    assert (cell.row, cell.col, cell.rowspan, cell.colspan) == (5, 0, 22, 1)


def test_repeated_header_rows_are_dropped() -> None:
    """Table 3's header rows marked to repeat on each page: drawn twice, read once."""
    grid = _table3(_read(PDF_FIXTURES / "repeat-header.pdf"))
    assert len({c.origin.page for c in grid.cells}) == 2
    assert [c.text for c in grid.cells].count("申请人情况") == 1
    assert grid.n_rows == 28


def test_page_numbers_are_dropped_and_titles_rejoined() -> None:
    doc = _read(PDF_FIXTURES / "template-gaps.pdf")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any(PAGE_NUMBER.match(t) for t in texts)
    assert texts[0].endswith("政府信息公开工作年度报告")  # wrapped over two lines in the PDF


# --- the real WPS export --------------------------------------------------------------------

HUAIAN_T2 = {
    "regulations": (1, 0, 11),
    "normative_documents": (8, 26, 66),
    "licensing": (447228,),
    "punishment": (3985758,),
    "coercion": (88283,),
    "fees": (Decimal("96171.6"),),
}
HUAIAN_T2_COLUMNS = {
    "regulations": ("issued", "repealed", "in_force"),
    "normative_documents": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "punishment": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount_wan_yuan",),
}
APP_COLUMNS = (
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
    "total",
)  # fmt: skip
HUAIAN_T3 = {  # read off the PDF (pdftotext -layout and the page images)
    "received": (3001, 53, 0, 0, 61, 4, 3119),
    "carried_over": (34, 0, 0, 0, 0, 0, 34),
    "granted": (1288, 21, 0, 0, 50, 3, 1362),
    "partially_granted": (447, 7, 0, 0, 0, 0, 454),
    "withheld.state_secret": (2, 0, 0, 0, 0, 0, 2),
    "withheld.prohibited_by_law": (30, 1, 0, 0, 0, 0, 31),
    "withheld.security_stability": (5, 0, 0, 0, 0, 0, 5),
    "withheld.third_party_rights": (6, 0, 0, 0, 0, 0, 6),
    "withheld.internal_affairs": (7, 1, 0, 0, 0, 0, 8),
    "withheld.process_information": (12, 0, 0, 0, 0, 0, 12),
    "withheld.enforcement_files": (9, 0, 0, 0, 0, 0, 9),
    "withheld.inquiry_matters": (105, 0, 0, 0, 0, 0, 105),
    "unavailable.not_held": (746, 12, 0, 0, 10, 1, 769),
    "unavailable.needs_creation": (11, 0, 0, 0, 0, 0, 11),
    "unavailable.unclear_after_correction": (1, 0, 0, 0, 0, 0, 1),
    "not_processed.petition_complaint": (56, 6, 0, 0, 0, 0, 62),
    "not_processed.duplicate": (25, 0, 0, 0, 0, 0, 25),
    "not_processed.publication": (0, 0, 0, 0, 0, 0, 0),
    "not_processed.mass_repetitive": (0, 0, 0, 0, 0, 0, 0),
    "not_processed.confirmation": (1, 0, 0, 0, 0, 0, 1),
    "other.overdue_correction": (67, 3, 0, 0, 1, 0, 71),
    "other.unpaid_fee": (6, 0, 0, 0, 0, 0, 6),
    "other.other": (108, 2, 0, 0, 0, 0, 110),
    "total": (2932, 53, 0, 0, 61, 4, 3050),
    "carried_forward": (103, 0, 0, 0, 0, 0, 103),
}
HUAIAN_T4 = {
    "review": (72, 64, 178, 37, 351),
    "litigation_direct": (13, 4, 8, 1, 26),
    "litigation_after_review": (12, 1, 1, 6, 20),
}
OUTCOME_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def _huaian() -> tuple[Path, Report]:
    path = shared_path("corpus", "huaian-2024.pdf")
    return path, _parse(path)


def test_huaian_every_cell() -> None:
    """The WPS export: tables 2 and 3 each broken over two pages, table 3's group labels split
    by the page break (（四）无 / 法提供), header words wrapped (结果 / 维持)."""
    _, report = _huaian()
    expected: list[tuple[str, str, str, int | Decimal]] = []
    for row, values in HUAIAN_T2.items():
        for col, v in zip(HUAIAN_T2_COLUMNS[row], values, strict=True):
            expected.append(("active_disclosure", row, col, v))
    for row, values in HUAIAN_T3.items():
        for col, v in zip(APP_COLUMNS, values, strict=True):
            expected.append(("applications", row, col, v))
    for row, values in HUAIAN_T4.items():
        for col, v in zip(OUTCOME_COLUMNS, values, strict=True):
            expected.append(("review_litigation", row, col, v))
    assert len(expected) == 200
    problems = []
    for table, row, col, v in expected:
        rec = report.cell(table, row, col)
        if rec.status is not Status.REPORTED or rec.value != v or type(rec.value) is not type(v):
            problems.append(f"{table}.{row}.{col}: expected {v!r}, got {rec.status} {rec.value!r}")
    assert problems == []
    assert [c for c in report.cells() if c.status is not Status.REPORTED] == []
    assert [d for d in report.diagnostics if d.severity != "info"] == []


def test_huaian_grid_shape() -> None:
    """A character a line (三、本年度办理结果) is one word; the group label broken by the page
    (（四）无 / 法提供) is one merged cell again, spanning its three rows over both pages."""
    path = shared_path("corpus", "huaian-2024.pdf")
    grid = _table3(_read(path))
    cells = {c.text: c for c in grid.cells}
    vertical = cells["三、本年度办理结果"]
    assert (vertical.row, vertical.col, vertical.rowspan) == (5, 0, 22)
    broken = cells["（四）无\n法提供"]
    assert (broken.row, broken.col, broken.rowspan) == (15, 1, 3)
    assert grid.n_rows == 28 and grid.n_cols == 10
    assert {c.origin.page for c in grid.cells} == {4, 5}


def test_huaian_meta_and_fee() -> None:
    _, report = _huaian()
    assert report.meta.issuer == "淮安市人民政府"
    assert report.meta.year == 2024
    assert report.meta.template == "2021"
    assert report.processing_fee == Decimal(3940)  # 全年收取政府信息公开信息处理费 3940 元


@pytest.mark.parametrize(
    ("key", "page", "text"),
    [
        (("applications", "received", "total"), 4, "3119"),
        (("applications", "unavailable.not_held", "natural_person"), 4, "746"),
        (("applications", "unavailable.needs_creation", "total"), 5, "11"),
        (("active_disclosure", "punishment", "decisions"), 4, "3985758"),
        (("active_disclosure", "licensing", "decisions"), 3, "447228"),
        (("review_litigation", "review", "other"), 5, "178"),
    ],
)
def test_huaian_positions(key: tuple[str, str, str], page: int, text: str) -> None:
    """A number's origin is its page and a box around its characters (checked with
    pdfplumber, which measures from the page's top-left like Origin.bbox)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    path, report = _huaian()
    rec = report.cell(*key)
    assert rec.span is not None and rec.span.origin is not None
    origin = rec.span.origin
    assert origin.kind == "pdf" and origin.page == page and origin.bbox is not None
    with pdfplumber.open(path) as pdf:
        inside = pdf.pages[page - 1].within_bbox(origin.bbox).extract_text()
    assert inside.replace(" ", "").replace("\n", "") == text


# --- unreadable and hostile PDFs ----------------------------------------------------------------


def _raises(
    data: bytes,
    error: type[UnreadableDocument],
    limits: Limits = DEFAULT_LIMITS,
    settings: PdfSettings = SETTINGS,
) -> str:
    with pytest.raises(error) as info:
        read_pdf(data, name="x.pdf", limits=limits, settings=settings)
    assert info.value.kind == "pdf" and info.value.name == "x.pdf"
    return info.value.reason


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_pdf_is_corrupt(fraction: float) -> None:
    data = (PDF_FIXTURES / "basic-small.pdf").read_bytes()
    _raises(data[: int(len(data) * fraction)], CorruptDocumentError)


@pytest.mark.parametrize("seed", range(4))
def test_random_bytes_behind_a_pdf_header(seed: int) -> None:
    rng = random.Random(seed)
    junk = b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20_000))
    _raises(junk, CorruptDocumentError)


def test_not_a_pdf_at_all() -> None:
    _raises(b"hello, world", CorruptDocumentError)
    _raises(b"", CorruptDocumentError)


@pytest.mark.parametrize("seed", range(6))
def test_damaged_pdf_gives_a_document_or_a_typed_error(seed: int) -> None:
    """Bytes overwritten here and there (a broken download): a Document, or a typed error."""
    data = bytearray((PDF_FIXTURES / "gaps.pdf").read_bytes())
    rng = random.Random(seed)
    for _ in range(20):
        at = rng.randrange(len(data))
        data[at : at + 8] = bytes(rng.randrange(256) for _ in range(8))
    try:
        doc = read_pdf(bytes(data), name="x.pdf", limits=DEFAULT_LIMITS)
    except UnreadableDocument:
        return
    parse_document(doc)


def test_encrypted_pdf() -> None:
    """Made with ``qpdf --encrypt user owner 256`` (see make_pdf_fixtures.py)."""
    reason = _raises((PDF_FIXTURES / "encrypted.pdf").read_bytes(), EncryptedDocumentError)
    assert "password" in reason


def test_pdf_with_only_an_owner_password_is_read() -> None:
    """Printing and copying "not allowed", no password to open (common on government sites):
    it opens, so it is read."""
    path = PDF_FIXTURES / "owner-password.pdf"
    doc = read_pdf(path.read_bytes(), name=path.name, limits=DEFAULT_LIMITS)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["An encrypted PDF."]


def test_scanned_pdf_needs_ocr() -> None:
    """A page image in a Word file, converted by LibreOffice: images, no text layer."""
    reason = _raises((PDF_FIXTURES / "scanned.pdf").read_bytes(), NeedsOCRError)
    assert "OCR" in reason


def test_too_many_pages() -> None:
    data = (PDF_FIXTURES / "basic-small.pdf").read_bytes()
    reason = _raises(data, DocumentTooLargeError, Limits(max_pages=1))
    assert "1 pages" in reason
    _raises(data, DocumentTooLargeError, Limits(max_bytes=1000))
    _raises(data, DocumentTooLargeError, Limits(max_cells=50))


def test_characters_per_page_are_bounded() -> None:
    data = (PDF_FIXTURES / "basic-small.pdf").read_bytes()
    reason = _raises(data, DocumentTooLargeError, Limits(max_chars_per_page=100))
    assert "more than 100 characters" in reason and "max_chars_per_page" in reason


def test_parse_file_reads_pdf() -> None:
    report = gxnianbao.parse_file((PDF_FIXTURES / "basic-small.pdf").read_bytes())
    assert report.meta.issuer == _parse(PDF_FIXTURES / "basic-small.pdf").meta.issuer
    with pytest.raises(EncryptedDocumentError):
        gxnianbao.parse_file((PDF_FIXTURES / "encrypted.pdf").read_bytes())


# --- glyphs without a Unicode mapping ---------------------------------------------------------


def test_digits_without_tounicode_are_unknown_not_wrong() -> None:
    """basic-small.pdf with the ToUnicode map of its digit font removed: the labels still read,
    but no number is guessed – every cell is missing or ambiguous, with a diagnostic per page."""
    doc = _read(PDF_FIXTURES / "no-tounicode-digits.pdf")
    unmapped = [d for d in doc.diagnostics if d.code == "pdf-unmapped-glyphs"]
    assert unmapped and all(d.severity == "warning" for d in unmapped)
    assert {d.span.origin.page for d in unmapped if d.span and d.span.origin} == set(
        range(1, (doc.pages or 0) + 1)
    )
    report = parse_document(doc)
    statuses = {c.status for c in report.cells()}
    assert statuses <= {Status.MISSING, Status.AMBIGUOUS}, statuses
    assert report.meta.year is None  # its digits are unmapped too: not guessed
    texts = "".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "政府信息公开" in texts  # the CJK font kept its map


def test_no_mapped_text_at_all_needs_ocr() -> None:
    """Every glyph without a Unicode mapping: the text layer is useless, as for a scan."""
    reason = _raises((PDF_FIXTURES / "no-tounicode-all.pdf").read_bytes(), NeedsOCRError)
    assert "Unicode" in reason and "OCR" in reason


def _chars(*specs: tuple[str, float, float]) -> list[Char]:
    return [Char(t, x, top, x + 6, top + 10, 10.0) for t, x, top in specs]


def test_cell_with_an_unmapped_digit_is_left_out() -> None:
    u = UNMAPPED
    text, unmapped = cell_text(_chars(("1", 0, 0), (u, 6, 0), ("3", 12, 0)), SETTINGS)
    assert (text, unmapped) == ("", True)
    text, unmapped = cell_text(_chars(("自", 0, 0), (u, 6, 0), ("人", 12, 0)), SETTINGS)
    assert (text, unmapped) == ("自人", True)  # a label keeps what it has
    assert cell_text(_chars(("1", 0, 0), ("3", 6, 0)), SETTINGS) == ("13", False)


def test_cid_glyph_text_is_caught() -> None:
    """pdfminer writes ``(cid:N)`` for a glyph it cannot map; private-use code points too."""
    col = Collector(SETTINGS)
    col.reset(800)
    col.add_char("(cid:17)", (0, 0, 5, 10), 10)
    col.add_char("\ue012", (5, 0, 10, 10), 10)
    col.add_char("7", (10, 0, 15, 10), 10)
    assert col.unmapped == 2
    assert [c.text for c in col.chars] == [UNMAPPED, UNMAPPED, "7"]
    assert clean_paragraph("收取费用3" + UNMAPPED + "0元") == "收取费用" + UNMAPPED + "元"


# --- the grid builder on drawn lines ------------------------------------------------------------


def _seg(pos: float, a: float, b: float) -> Seg:
    return Seg(pos, a, b)


def test_lattice_with_a_merged_cell() -> None:
    """Three columns, three rows; the first column's two lower cells merged (the rule between
    them absent) and the top row merged across (no inner verticals in it)."""
    hs = [_seg(0, 0, 300), _seg(20, 0, 300), _seg(40, 100, 300), _seg(60, 0, 300)]
    # pieces of one rule, 0.3 pt apart, as WPS draws them
    vs = [_seg(0, 0, 60), _seg(100.3, 20, 40), _seg(100, 40, 60), _seg(200, 20, 60),
          _seg(300, 0, 60)]  # fmt: skip
    grids = find_grids(merge_rules(hs, SETTINGS), merge_rules(vs, SETTINGS), 1, SETTINGS)
    assert len(grids) == 1
    cells = {(c.row, round(c.x0)): (c.rowspan, round(c.x1)) for c in grids[0].cells}
    assert cells == {
        (0, 0): (1, 300),
        (1, 0): (2, 100),
        (1, 100): (1, 200),
        (1, 200): (1, 300),
        (2, 100): (1, 200),
        (2, 200): (1, 300),
    }


def test_a_frame_around_text_is_not_a_table() -> None:
    hs = [_seg(0, 0, 300), _seg(50, 0, 300)]
    vs = [_seg(0, 0, 50), _seg(300, 0, 50)]
    assert find_grids(hs, vs, 1, SETTINGS) == []


# --- small PDFs written here: drawings the grid builder must read ---------------------------------


def _pdf(content: bytes | list[bytes], *, compress: bool = False, rotate: int = 0) -> bytes:
    """An A4 PDF with a page per content stream (Helvetica as /F1)."""
    import zlib

    pages = [content] if isinstance(content, bytes) else content
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, page in enumerate(pages):
        stream = zlib.compress(page) if compress else page
        flate = b"/Filter /FlateDecode " if compress else b""
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (rotate, 5 + 2 * i)
        )
        objects.append(
            b"<< " + flate + b"/Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        )
    return pdf(objects)


def _text(x: float, y: float, s: str) -> bytes:
    return b"BT /F1 10 Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET\n" % (x, y, s.encode("latin-1"))


def _grid_of(data: bytes) -> list[tuple[int, int, int, int, str]]:
    doc = read_pdf(data, name="t.pdf", limits=DEFAULT_LIMITS)
    grids = [b for b in doc.blocks if isinstance(b, Grid)]
    assert len(grids) == 1
    return [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in grids[0].cells]


# A 2 x 3 table (x 100-400, y from the top 100-140); its first column merged down.
_WORDS = _text(110, 725, "Label") + _text(210, 725, "12") + _text(310, 725, "34") + _text(
    210, 705, "56"
) + _text(310, 705, "78")  # fmt: skip
_MERGED = [(0, 0, 2, 1, "Label"), (0, 1, 1, 1, "12"), (0, 2, 1, 1, "34"), (1, 1, 1, 1, "56"),
           (1, 2, 1, 1, "78")]  # fmt: skip


def test_borders_as_stroked_lines() -> None:
    lines = b"0.5 w 0 G\n"
    for y in (742, 722, 702):
        x0 = 200 if y == 722 else 100
        lines += b"%d %d m 400 %d l S\n" % (x0, y, y)
    for x in (100, 200, 300, 400):
        lines += b"%d 702 m %d 742 l S\n" % (x, x)
    assert _grid_of(_pdf(lines + _WORDS)) == _MERGED


def test_borders_as_thin_filled_rectangles() -> None:
    """WPS draws borders as filled rectangles half a point thick, cell by cell."""
    rects = b"0 g\n"
    for y in (742, 722, 702):
        for x0 in (100, 200, 300):
            if y == 722 and x0 == 100:
                continue
            rects += b"%d %.2f 100 0.5 re f\n" % (x0, y - 0.25)
    for x in (100, 200, 300, 400):
        for y0 in (702, 722):
            rects += b"%.2f %d 0.5 20 re f\n" % (x - 0.25, y0)
    assert _grid_of(_pdf(rects + _WORDS)) == _MERGED


def test_borders_as_stroked_cell_rectangles() -> None:
    """Each cell a stroked rectangle (``re S``); the merged cell one tall rectangle."""
    rects = b"0.5 w 0 G\n100 702 100 40 re S\n"
    for x in (200, 300):
        for y in (702, 722):
            rects += b"%d %d 100 20 re S\n" % (x, y)
    assert _grid_of(_pdf(rects + _WORDS)) == _MERGED


def test_white_rules_do_not_split_cells() -> None:
    lines = b"0.5 w 0 G\n"
    for y in (742, 722, 702):
        x0 = 200 if y == 722 else 100
        lines += b"%d %d m 400 %d l S\n" % (x0, y, y)
    for x in (100, 200, 300, 400):
        lines += b"%d 702 m %d 742 l S\n" % (x, x)
    lines += b"1 G 100 722 m 200 722 l S 1 1 1 RG 150 702 m 150 742 l S\n"
    assert _grid_of(_pdf(lines + _WORDS)) == _MERGED


def test_overprinted_bold_is_read_once() -> None:
    data = _pdf(_text(100, 700, "Bold 2024") + _text(100.3, 700, "Bold 2024"))
    doc = read_pdf(data, name="t.pdf", limits=DEFAULT_LIMITS)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["Bold 2024"]


def test_rotated_page_keeps_top_left_origin() -> None:
    """A landscape page made by /Rotate 90 with its text drawn turned back: read upright, boxes
    measured on the page as shown."""
    upright = b"BT /F1 10 Tf 0 1 -1 0 300 100 Tm (Hello) Tj ET\n"
    doc = read_pdf(_pdf(upright, rotate=90), name="t.pdf", limits=DEFAULT_LIMITS)
    (para,) = doc.blocks
    assert isinstance(para, Paragraph) and para.text == "Hello"
    assert para.origin.bbox is not None
    x0, top, x1, bottom = para.origin.bbox
    assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 595  # the rotated page is landscape


def test_flate_bomb_is_stopped() -> None:
    """A content stream of a few KB that inflates to 50 MB, against a 1 MB limit."""
    data = _pdf(b"%" + b" " * 50_000_000 + b"\n" + _text(100, 700, "x"), compress=True)
    assert len(data) < 100_000
    reason = _raises(data, DocumentTooLargeError, Limits(max_decompressed=1_000_000))
    assert "max_decompressed" in reason


def test_drawing_without_text_needs_ocr() -> None:
    _raises(_pdf(b"0.5 w 100 100 m 400 100 l S\n"), NeedsOCRError)


def test_a_mesh_of_lines_is_bounded() -> None:
    """A page of 400 x 400 crossing lines (160,000 lattice cells): no table, no blow-up."""
    few_rules = Limits(max_rules_per_page=700)
    lines = b"0.1 w\n" + b"".join(
        b"10 %.2f m 410 %.2f l S\n" % (10 + i, 10 + i) for i in range(400)
    )
    lines += b"".join(b"%.2f 10 m %.2f 410 l S\n" % (10 + i, 10 + i) for i in range(400))
    data = _pdf(lines + _text(100, 700, "x"))
    doc = read_pdf(data, name="t.pdf", limits=few_rules)
    assert [d.code for d in doc.diagnostics] == ["pdf-too-many-rules"]
    assert "more than 700 lines" in doc.diagnostics[0].message
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["x"]


def test_table_without_side_borders() -> None:
    """Horizontal rules run past the outermost verticals (no left or right border drawn): the
    outer columns are cells all the same."""
    lines = b"0.5 w 0 G\n"
    for y in (742, 722, 702):
        x0 = 200 if y == 722 else 100
        lines += b"%d %d m 400 %d l S\n" % (x0, y, y)
    for x in (200, 300):
        lines += b"%d 702 m %d 742 l S\n" % (x, x)
    assert _grid_of(_pdf(lines + _WORDS)) == _MERGED


@st.composite
def _tables(draw: st.DrawFn) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """A grid of up to 7 x 8 with random rectangular merges: (rows, cols, cells)."""
    n_rows = draw(st.integers(1, 7))
    n_cols = draw(st.integers(2 if n_rows == 1 else 1, 8))
    taken: set[tuple[int, int]] = set()
    cells = []
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in taken:
                continue
            width = 1
            while c + width < n_cols and (r, c + width) not in taken:
                width += 1
            cs = draw(st.integers(1, width)) if draw(st.booleans()) else 1
            rs = draw(st.integers(1, n_rows - r)) if draw(st.booleans()) else 1
            cells.append((r, c, rs, cs))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
    assume(len(cells) >= 2)
    return n_rows, n_cols, cells


@settings(
    max_examples=settings.default.max_examples // 2, suppress_health_check=[HealthCheck.too_slow]
)
@given(_tables(), st.sampled_from(["lines", "thin-rects", "cell-rects"]), st.randoms())
def test_grid_builder_recovers_random_merges(
    table: tuple[int, int, list[tuple[int, int, int, int]]], style: str, rnd: random.Random
) -> None:
    """Drawn cell by cell (as LibreOffice and WPS do), with borders a hair off their place:
    every cell comes back at its row and column with its spans and its text."""
    _, _, cells = table
    w, h, left, top = 60.0, 20.0, 60.0, 100.0
    out = b"0.5 w 0 G 0 g\n"

    def j() -> float:
        return rnd.uniform(-0.3, 0.3)

    for r, c, rs, cs in cells:
        x0, x1 = left + c * w, left + (c + cs) * w
        y1, y0 = 842 - (top + r * h), 842 - (top + (r + rs) * h)
        if style == "cell-rects":
            out += b"%.2f %.2f %.2f %.2f re S\n" % (x0 + j(), y0 + j(), x1 - x0, y1 - y0)
        for (ax, ay), (bx, by) in (((x0, y0), (x1, y0)), ((x0, y1), (x1, y1)),
                                   ((x0, y0), (x0, y1)), ((x1, y0), (x1, y1))):  # fmt: skip
            if style == "lines":
                out += b"%.2f %.2f m %.2f %.2f l S\n" % (ax + j(), ay + j(), bx + j(), by + j())
            elif style == "thin-rects":
                dx, dy = (bx - ax, 0.5) if ay == by else (0.5, by - ay)
                out += b"%.2f %.2f %.2f %.2f re f\n" % (ax - 0.25 + j(), ay - 0.25, dx, dy)
        out += _text(x0 + 4, y1 - 14, f"R{r}C{c}")
    got = _grid_of(_pdf(out))
    # Lattice lines exist only where some cell has an edge: renumber rows and columns so.
    xs = sorted({c for _, c, _, cs in cells} | {c + cs for _, c, _, cs in cells})
    ys = sorted({r for r, _, rs, _ in cells} | {r + rs for r, _, rs, _ in cells})
    want = [
        (ys.index(r), xs.index(c), ys.index(r + rs) - ys.index(r), xs.index(c + cs) - xs.index(c),
         f"R{r}C{c}")
        for r, c, rs, cs in sorted(cells)
    ]  # fmt: skip
    assert got == want


def _rows(top: float, n: int) -> bytes:
    """A 3-column table of ``n`` 20 pt rows from ``top`` (PDF y) down, x 100-400."""
    out = b"0.5 w 0 G\n"
    for i in range(n + 1):
        out += b"100 %.2f m 400 %.2f l S\n" % (top - 20 * i, top - 20 * i)
    for x in (100, 200, 300, 400):
        out += b"%d %.2f m %d %.2f l S\n" % (x, top - 20 * n, x, top)
    return out


def test_table_continued_on_the_next_page_with_running_header_and_footer() -> None:
    """Page 1 ends with a row whose label the page break cut (Lab / el); a running footer and
    header lie between the parts: one grid, the row joined, the margins' lines dropped."""
    page1 = (
        _text(100, 500, "Heading")
        + _rows(100, 2)
        + _text(110, 85, "Row A") + _text(210, 85, "3") + _text(310, 85, "4")
        + _text(110, 65, "Lab") + _text(210, 65, "1") + _text(310, 65, "2")
        + _text(250, 30, "City gazette 2024")
    )  # fmt: skip
    page2 = (
        _text(250, 815, "Annual report")
        + _rows(780, 2)
        + _text(110, 765, "el")
        + _text(110, 745, "Row B") + _text(210, 745, "5") + _text(310, 745, "6")
        + _text(100, 500, "After")
    )  # fmt: skip
    doc = read_pdf(_pdf([page1, page2]), name="t.pdf", limits=DEFAULT_LIMITS)
    assert [b.text if isinstance(b, Paragraph) else "GRID" for b in doc.blocks] == [
        "Heading", "GRID", "After",
    ]  # fmt: skip
    grid = doc.blocks[1]
    assert isinstance(grid, Grid) and grid.n_rows == 3
    assert [(c.row, c.col, c.text, c.origin.page) for c in grid.cells] == [
        (0, 0, "Row A", 1), (0, 1, "3", 1), (0, 2, "4", 1),
        (1, 0, "Lab\nel", 1), (1, 1, "1", 1), (1, 2, "2", 1),
        (2, 0, "Row B", 2), (2, 1, "5", 2), (2, 2, "6", 2),
    ]  # fmt: skip


def test_page_content_is_bounded() -> None:
    data = _pdf(b"%" + b" " * 20_000 + b"\n" + _text(100, 700, "x"), compress=True)
    reason = _raises(data, DocumentTooLargeError, Limits(max_content_per_page=10_000))
    assert "more than 10000 bytes of content (max_content_per_page)" in reason
    read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS)  # within the default bound


def _turned(x: float, y: float, s: str, m: bytes) -> bytes:
    return b"BT /F1 10 Tf %s %.2f %.2f Tm (%s) Tj ET\n" % (m, x, y, s.encode("latin-1"))


@pytest.mark.parametrize(
    ("matrix", "x", "y"), [(b"0 1 -1 0", 145, 705), (b"0 -1 1 0", 155, 738)]
)  # fmt: skip
def test_label_set_sideways_in_a_cell(matrix: bytes, x: float, y: float) -> None:
    """A merged label turned a quarter left (reads upwards) or right (downwards)."""
    lines = b"0.5 w 0 G\n"
    for yy in (742, 722, 702):
        x0 = 200 if yy == 722 else 100
        lines += b"%d %d m 400 %d l S\n" % (x0, yy, yy)
    for xx in (100, 200, 300, 400):
        lines += b"%d 702 m %d 742 l S\n" % (xx, xx)
    words = _turned(x, y, "Lab", matrix) + _WORDS.split(b"\n", 1)[1]
    assert _grid_of(_pdf(lines + words)) == [(0, 0, 2, 1, "Lab"), *_MERGED[1:]]


def test_slanted_watermark_is_ignored() -> None:
    data = _pdf(_turned(200, 400, "DRAFT", b"0.7 0.7 -0.7 0.7") + _text(100, 700, "Body"))
    doc = read_pdf(data, name="t.pdf", limits=DEFAULT_LIMITS)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["Body"]
    assert [d.code for d in doc.diagnostics] == ["pdf-slanted-text-ignored"]


def test_tables_without_rules_are_read_by_their_labels_never_wrong() -> None:
    """A PDF whose tables have no ruling lines (simulated: ``find_tables=False``) is read as
    text lines, columns separated by runs of spaces and labels wrapped into the numbers.  Its
    numbers are bound by the labels found among them: every cell read equals the ruled reading,
    and a row whose numbers do not fit (a blank cell the text layer lost, a wrapped label) is
    left unknown, never guessed."""
    path = PDF_FIXTURES / "gaps.pdf"
    no_tables = PdfSettings(find_tables=False)
    doc = read_pdf(path.read_bytes(), name=path.name, limits=DEFAULT_LIMITS, settings=no_tables)
    assert not any(isinstance(b, Grid) for b in doc.blocks)
    report = parse_document(doc)
    ruled = {c.key: c for c in _parse(path).cells()}
    known = [c for c in report.cells() if c.status not in (Status.MISSING, Status.AMBIGUOUS)]
    wrong = [
        c.key for c in known if (c.value, c.status) != (ruled[c.key].value, ruled[c.key].status)
    ]
    assert wrong == []
    assert len(known) >= 150  # of 200: the rows whose blank cells the text layer dropped are not
    assert report.meta.issuer == _parse(path).meta.issuer


def _cells_drawn(top: float, cells: list[tuple[int, int, int, int, str]]) -> bytes:
    """Cells (row, col, rowspan, colspan, text) of 100 x 20 pt from x 100 and PDF y ``top``
    down, each drawn as its own four edges."""
    out = b"0.5 w 0 G\n"
    for r, c, rs, cs, text in cells:
        x0, x1 = 100 + 100 * c, 100 + 100 * (c + cs)
        y1, y0 = top - 20 * r, top - 20 * (r + rs)
        out += b"%d %d m %d %d l %d %d l %d %d l h S\n" % (x0, y0, x1, y0, x1, y1, x0, y1)
        if text:
            out += _text(x0 + 5, y1 - 15, text)
    return out


def test_new_numbered_row_after_a_page_break_is_not_joined() -> None:
    """The next page starts with a numbered row whose values are blank: a row of its own."""
    page1 = _cells_drawn(100, [(0, 0, 1, 1, "1.First"), (0, 1, 1, 1, "5"), (0, 2, 1, 1, "6")])
    page2 = _cells_drawn(780, [(0, 0, 1, 1, "2.Second"), (0, 1, 1, 1, ""), (0, 2, 1, 1, "")])
    doc = read_pdf(_pdf([page1, page2]), name="t.pdf", limits=DEFAULT_LIMITS)
    (grid,) = [b for b in doc.blocks if isinstance(b, Grid)]
    assert [(c.row, c.col, c.text) for c in grid.cells] == [
        (0, 0, "1.First"), (0, 1, "5"), (0, 2, "6"),
        (1, 0, "2.Second"), (1, 1, ""), (1, 2, ""),
    ]  # fmt: skip


def test_merged_group_label_broken_by_the_page_is_one_cell() -> None:
    """（四）无 / 法提供 in the WPS export: a group label merged down its rows, cut by the page
    break, its rows numbered anew on the next page."""
    page1 = _cells_drawn(
        120, [(0, 0, 1, 1, "Group"), (0, 1, 1, 1, "1.one"), (0, 2, 1, 1, "5"),
              (1, 0, 1, 1, "(4)un"), (1, 1, 1, 1, "1.two"), (1, 2, 1, 1, "6")],
    )  # fmt: skip
    page2 = _cells_drawn(
        780, [(0, 0, 2, 1, "available"), (0, 1, 1, 1, "2.three"), (0, 2, 1, 1, "7"),
              (1, 1, 1, 1, "3.four"), (1, 2, 1, 1, "8")],
    )  # fmt: skip
    doc = read_pdf(_pdf([page1, page2]), name="t.pdf", limits=DEFAULT_LIMITS)
    (grid,) = [b for b in doc.blocks if isinstance(b, Grid)]
    got = [(c.row, c.col, c.rowspan, c.text) for c in grid.cells]
    assert got == [
        (0, 0, 1, "Group"), (0, 1, 1, "1.one"), (0, 2, 1, "5"),
        (1, 0, 3, "(4)un\navailable"), (1, 1, 1, "1.two"), (1, 2, 1, "6"),
        (2, 1, 1, "2.three"), (2, 2, 1, "7"),
        (3, 1, 1, "3.four"), (3, 2, 1, "8"),
    ]  # fmt: skip


def test_a_page_of_only_an_image_is_diagnosed() -> None:
    """A scanned page among text pages (a signed last page, say): read the rest, say which
    page needs OCR."""
    image = b"q 400 0 0 600 100 100 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q\n"
    doc = read_pdf(_pdf([_text(100, 700, "Text"), image]), name="t.pdf", limits=DEFAULT_LIMITS)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["Text"]
    (diag,) = doc.diagnostics
    assert diag.code == "pdf-page-needs-ocr" and diag.span is not None
    assert diag.span.origin is not None and diag.span.origin.page == 2


def test_a_damaged_page_is_skipped_and_named() -> None:
    data = _pdf([_text(100, 700, "First"), _text(100, 700, "Second"), _text(100, 700, "Third")])
    head, sep, tail = data.rpartition(b"<< /Length")
    data = head.replace(b"<< /Length", b"<< /Filter /NoSuchFilter /Length", 1) + sep + tail
    doc = read_pdf(data, name="t.pdf", limits=DEFAULT_LIMITS)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["Second", "Third"]
    assert [(d.code, d.span.origin.page if d.span and d.span.origin else None)
            for d in doc.diagnostics] == [("pdf-page-unreadable", 1)]  # fmt: skip
