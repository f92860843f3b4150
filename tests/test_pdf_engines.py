"""The two PDF engines (issue 13): PDFium (the default) and pdfminer.six read the same Document.

The comparison is of the whole Document: every block's text, every cell's row, column, span
and box (to the hundredth of a point, as ``Origin.bbox`` gives it), every page number and every
diagnostic (code, message, page); then of the reports parsed from them (values, statuses,
pages, findings).  Nothing is compared loosely: the PDFium reader gives each character the box
pdfminer gives it (origin and advance from PDFium, descent as pdfminer reads it from the font's
dictionary) and hands ruling lines to the same collector, so the two agree exactly on every
fixture and on the real report.  Where PDFium and pdfminer see a file differently by nature
(PDFium drops a glyph drawn twice at one place before counting, reads a stream with an unknown
filter raw), the PDFium reader follows pdfminer's reading (see ``read/pdf/preflight.py``), and
the tests below hold it to that.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from conftest import FIXTURES, SHARED
from hostile import pdf
from hypothesis import given
from hypothesis import strategies as st

import gxnianbao
from gxnianbao.errors import CorruptDocumentError, DocumentTooLargeError, UnreadableDocument
from gxnianbao.limits import DEFAULT_LIMITS, Limits
from gxnianbao.parse import parse_document
from gxnianbao.read.document import Document, Paragraph
from gxnianbao.read.pdf import read_pdf

PDFS = sorted((FIXTURES / "pdf").glob("*.pdf"))
CORPUS = SHARED / "corpus" / "huaian-2024.pdf"


def _read(data: bytes, engine: str) -> Document | tuple[str, str]:
    """The Document, or the error's type and reason."""
    try:
        return read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS, engine=engine)
    except UnreadableDocument as err:
        return type(err).__name__, err.reason


def _report_json(doc: Document) -> str:
    report = parse_document(doc)
    findings = gxnianbao.validate(report, include_passed=True)
    data = {"report": report.to_dict(), "findings": [(f.rule, str(f.status)) for f in findings]}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def _same_reading(data: bytes) -> None:
    pdfium = _read(data, "pdfium")
    pdfminer = _read(data, "pdfminer")
    assert pdfium == pdfminer
    if isinstance(pdfium, Document):
        assert isinstance(pdfminer, Document)
        assert _report_json(pdfium) == _report_json(pdfminer)


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_engines_read_every_fixture_alike(path: Path) -> None:
    _same_reading(path.read_bytes())


def test_engines_read_the_real_report_alike() -> None:
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus PDF is absent ({CORPUS})")
    data = CORPUS.read_bytes()
    _same_reading(data)
    doc = _read(data, "pdfium")
    assert isinstance(doc, Document) and doc.pages == 6


# --- generated pages: text of every orientation, rules of every kind ------------------------

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
_WORD = st.text(alphabet="0123456789ABCabcxyz.,-", min_size=1, max_size=8)
_COORD = st.integers(min_value=20, max_value=560).map(lambda v: v + 0.25 * (v % 4))


@st.composite
def _page_content(draw: st.DrawFn) -> bytes:
    parts: list[bytes] = []
    for _ in range(draw(st.integers(0, 12))):
        x, y = draw(_COORD), draw(_COORD)
        size = draw(st.sampled_from([8, 9, 10, 12, 16]))
        turn = draw(st.sampled_from([b"1 0 0 1", b"0 1 -1 0", b"0 -1 1 0", b"-1 0 0 -1"]))
        word = draw(_WORD).encode("latin-1")
        parts.append(b"BT /F1 %g Tf %s %.2f %.2f Tm (%s) Tj ET\n" % (size, turn, x, y, word))
    for _ in range(draw(st.integers(0, 10))):
        x, y = draw(_COORD), draw(_COORD)
        w = draw(st.sampled_from([0.5, 1, 2.5, 40, 120.5, 200]))
        h = draw(st.sampled_from([0.5, 1, 2.5, 30, 80.25]))
        gray = draw(st.sampled_from([b"0 g 0 G", b"1 g 1 G", b"0.5 g 0.5 G"]))
        paint = draw(st.sampled_from([b"f", b"S", b"B"]))
        if draw(st.booleans()):
            path = b"%.2f %.2f %g %g re" % (x, y, w, h)
        else:
            path = b"%.2f %.2f m %.2f %.2f l" % (x, y, x + w, y + draw(st.sampled_from([0, h])))
        parts.append(b"q %s 0.75 w %s %s Q\n" % (gray, path, paint))
    return b"".join(parts)


def _one_page_pdf(content: bytes, rotate: int) -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            _FONT,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>" % rotate,
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )


@given(_page_content(), st.sampled_from([0, 90, 180, 270]))
def test_engines_read_generated_pages_alike(content: bytes, rotate: int) -> None:
    """Words set upright, turned and upside down, on pages turned by /Rotate, with black, gray
    and white rectangles and strokes, thin and thick: one Document from either engine.

    Positions and advances here have at most three decimals (font sizes are whole points),
    as a report's do: PDFium computes in single precision, pdfminer in double, and the
    collector rounds both to a thousandth of a point; a value that falls on half a thousandth
    (a 10.5-point glyph 0.333 em wide ends 3.4965 pt on) may round apart by one thousandth,
    which moves a box by 0.01 pt after ``Origin.bbox`` rounds it, or decides whether two boxes
    that touch overlap."""
    data = _one_page_pdf(content, rotate)
    assert _read(data, "pdfium") == _read(data, "pdfminer")


# --- what the PDFium reader takes from pdfminer's reading ------------------------------------


def test_a_glyph_drawn_over_itself_counts_against_the_page_limit() -> None:
    """PDFium drops the copies of a glyph drawn again at one place before counting them;
    what the page draws is still counted, as in pdfminer."""
    content = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET\n" * 50
    data = _one_page_pdf(content, 0)
    for engine in ("pdfium", "pdfminer"):
        with pytest.raises(DocumentTooLargeError, match="max_chars_per_page"):
            read_pdf(data, name="x.pdf", limits=Limits(max_chars_per_page=100), engine=engine)


def test_fan_out_is_refused_before_pdfium_draws_it() -> None:
    """Forms drawing forms ten times over nine levels: measured, not drawn (PDFium would try
    10⁹ draws)."""
    from test_hostile_pdf import fan_out

    with pytest.raises(DocumentTooLargeError, match="max_"):
        read_pdf(fan_out(), name="x.pdf", limits=DEFAULT_LIMITS)


def test_pdfminer_reads_what_pdfium_cannot_open(monkeypatch: pytest.MonkeyPatch) -> None:
    from gxnianbao.read.pdf import reader

    def refuse(data: bytes, name: str) -> object:
        raise CorruptDocumentError(name, "PDFium cannot open the PDF (test)", kind="pdf")

    data = (FIXTURES / "pdf" / "basic-small.pdf").read_bytes()
    expected = read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS, engine="pdfminer")
    monkeypatch.setattr(reader, "open_document", refuse)
    doc = read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS)
    assert doc.blocks == expected.blocks
    note, *rest = doc.diagnostics
    assert note.code == "pdf-engine-fallback" and "PDFium cannot open" in note.message
    assert tuple(rest) == expected.diagnostics


def test_pdfminer_reads_what_pdfium_cannot_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFium opens the file but loads none of its pages: pdfminer reads them."""
    import pypdfium2.raw as raw

    data = (FIXTURES / "pdf" / "basic-small.pdf").read_bytes()
    expected = read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS, engine="pdfminer")
    monkeypatch.setattr(raw, "FPDF_LoadPage", lambda pdf, index: None)
    doc = read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS)
    assert doc.blocks == expected.blocks
    assert doc.diagnostics[0].code == "pdf-engine-fallback"


def test_an_unknown_engine_is_refused() -> None:
    data = (FIXTURES / "pdf" / "owner-password.pdf").read_bytes()
    with pytest.raises(ValueError, match="pdfium"):
        read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS, engine="mupdf")
    with pytest.raises(ValueError, match="pdfium"):
        gxnianbao.parse_file(b"plain text", engine="mupdf")


def test_parse_file_passes_the_engine_on() -> None:
    path = FIXTURES / "pdf" / "basic-small.pdf"
    a = gxnianbao.parse_file(path, engine="pdfminer").to_dict()
    b = gxnianbao.parse_file(path, engine="pdfium").to_dict()
    assert a == b == gxnianbao.parse_file(path).to_dict()


def test_threads_read_with_pdfium_one_at_a_time() -> None:
    """pypdfium2 is not thread-safe: reads from several threads take turns and all agree."""
    data = (FIXTURES / "pdf" / "basic-small.pdf").read_bytes()
    expected = read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS)
    results: list[Document | BaseException] = []

    def work() -> None:
        try:
            results.append(read_pdf(data, name="x.pdf", limits=DEFAULT_LIMITS))
        except BaseException as err:  # pragma: no cover - reported below
            results.append(err)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_cli_takes_the_pdf_engine(capsys: pytest.CaptureFixture[str]) -> None:
    from gxnianbao.cli.main import main

    path = str(FIXTURES / "pdf" / "basic-small.pdf")
    outputs = []
    for engine in ("pdfium", "pdfminer"):
        assert main(["parse", "--pdf-engine", engine, path]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    with pytest.raises(SystemExit):
        main(["parse", "--pdf-engine", "mupdf", path])


def test_unreadable_text_is_alike() -> None:
    doc = _read((FIXTURES / "pdf" / "owner-password.pdf").read_bytes(), "pdfium")
    assert isinstance(doc, Document)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["An encrypted PDF."]


def test_descents_are_read_from_the_descriptors_as_pdfminer_reads_them() -> None:
    """The fonts' descents, read from the file's bytes, are the ones pdfminer takes from the
    same descriptors (a positive one made negative, a missing one 0); where the bytes cannot
    say it for certain, pdfminer reads each page's fonts instead."""
    from gxnianbao.read.pdf.preflight import scan_descents

    def descriptor(name: bytes, descent: bytes) -> bytes:
        return b"<< /Type /FontDescriptor /FontName /%s %s /Flags 4 >>" % (name, descent)

    data = pdf(
        [
            descriptor(b"ABCDEF+#E5#AE#8B#E4#BD#93", b"/Descent -140"),
            descriptor(b"Plain", b"/Descent 200"),
            descriptor(b"NoDescent", b""),
        ]
    )
    assert scan_descents(data) == {"宋体": -0.14, "Plain": -0.2, "NoDescent": 0.0}
    assert scan_descents(pdf([descriptor(b"Ref", b"/Descent 9 0 R")])) is None
    assert scan_descents(data + b"\n% /Type /ObjStm") is None


PDFMINER_CHILD = """
import gxnianbao
from gxnianbao.read.pdf import read_pdf
data = open({path!r}, "rb").read()
try:
    doc = read_pdf(data, name="x.pdf", limits=gxnianbao.Limits(), engine="pdfminer")
    report(pages=doc.pages)
except gxnianbao.UnreadableDocument as e:
    report(error=type(e).__name__, reason=e.reason)
"""


@pytest.mark.slow
@pytest.mark.parametrize("case", ["fan-out", "lzw", "runlength-bomb", "shared-noops"])
def test_the_pdfminer_engine_stays_in_bounds(case: str, tmp_path: Path) -> None:
    """tests/test_hostile_pdf.py reads every hostile PDF with the default engine (PDFium);
    the pdfminer engine keeps its own bounds (a sample of the cases)."""
    from bounded import bounded, within
    from test_hostile_pdf import CASES

    path = tmp_path / f"{case}.pdf"
    path.write_bytes(CASES[case]())
    out = bounded(PDFMINER_CHILD.format(path=str(path)), seconds=5, memory_mib=512)
    assert within(out, seconds=5, memory_mib=512) == [], out
    assert out.result is not None
    assert out.result.get("error") in (None, "DocumentTooLargeError", "NeedsOCRError"), out
