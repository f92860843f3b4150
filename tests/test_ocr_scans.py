"""The OCR reader with its real engine, on scans made from the project's own PDFs.

Truth is the text-layer parse of the PDF the scan was made from.  What is pinned: no number
is ever wrong (a value given for a cell is the source's); on the committed scans, the cells
read, their statuses and their boxes; the share of cells read on generated scans (a property
over fixture, page, resolution, tilt, grain, blur and the seal's place) and on the shared
corpus report made into a scan (the goal: at least 95 %).  The engine's time dominates: the
heavy tests are marked slow and draw few examples.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")
pytest.importorskip("cv2", reason="the ocr extra is not installed")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import shared_path
from make_scans import pdf_bytes, png_bytes, scan_page

import gxnianbao
from gxnianbao.model import Report, Status

HERE = Path(__file__).resolve().parent
SCANS = HERE / "fixtures" / "scans"
PDFS = HERE / "fixtures" / "pdf"


def _truth(pdf: Path) -> Report:
    return gxnianbao.parse_file(pdf)


def compare(
    truth: Report, read: Report, tables: set[str] | None = None
) -> tuple[list[str], int, int]:
    """(wrong cells, cells read as the truth has them, cells compared): a cell is wrong when it
    has a value that is not the truth's, or is reported where the truth has none (a value
    inferred by the identities for a cell the source leaves blank is the identities', and
    marked so); only ``tables`` (default: all) are compared."""
    wrong: list[str] = []
    same = total = 0
    mine = {c.key: c for c in read.cells()}
    for cell in truth.cells():
        if tables is not None and cell.table not in tables:
            continue
        total += 1
        got = mine[cell.key]
        if (
            got.value is not None
            and got.value != cell.value
            and (cell.value is not None or got.status is Status.REPORTED)
        ):
            wrong.append(f"{cell.key}: {got.value} ({got.status}), source {cell.value}")
        elif got.status == cell.status and got.value == cell.value:
            same += 1
    return wrong, same, total


BAND_TOP = 0.70 * 792
"""Where the scan of table 4 starts on page 2 of basic-small (points): its ``band``."""


def test_the_committed_pdf_scan_reads_table_four_exactly() -> None:
    """Page 2 of basic-small from part 四 down, grey, 200 dpi, turned 2°, grain: table 4 as
    the text layer gives it, every cell in its own box."""
    read = gxnianbao.parse_file(SCANS / "basic-small-table4.pdf")
    truth = _truth(PDFS / "basic-small.pdf")
    wrong, same, total = compare(truth, read, {"review_litigation"})
    assert wrong == []
    assert (same, total) == (15, 15)
    expected = {c.key: c for c in truth.cells() if c.table == "review_litigation"}
    for cell in read.cells():
        if cell.table != "review_litigation":
            continue
        assert cell.status is Status.REPORTED and cell.value == expected[cell.key].value
        origin = cell.span.origin if cell.span is not None else None
        assert origin is not None and origin.kind == "ocr" and origin.page == 1
        text_layer = expected[cell.key].span
        assert text_layer is not None and text_layer.origin is not None
        assert origin.bbox is not None and text_layer.origin.bbox is not None
        # The same cell: within a few points (the scan was turned and back), the band's top
        # taken off the text layer's.
        x0, top, x1, bottom = text_layer.origin.bbox
        moved = (x0, top - BAND_TOP, x1, bottom - BAND_TOP)
        assert all(abs(a - b) < 8 for a, b in zip(origin.bbox, moved, strict=True)), (
            origin.bbox,
            moved,
        )
    assert read.diagnostics[0].code == "ocr-read"


def test_the_committed_png_scan_never_gives_a_wrong_number() -> None:
    """Page 1 of basic-small in colour at 150 dpi, a seal over table 1, turned 1.5°, dust."""
    read = gxnianbao.parse_file(SCANS / "basic-small-p1.png")
    truth = _truth(PDFS / "basic-small.pdf")
    wrong, same, _total = compare(truth, read, {"active_disclosure"})
    assert wrong == []
    assert read.meta.issuer == truth.meta.issuer and read.meta.year == truth.meta.year
    # What is read is at least the rows clear of the seal (行政许可, 处罚, 强制, 收费).
    assert same >= 4, same


def test_nothing_is_fetched_the_engine_runs_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine is built and run with every socket refused."""
    import numpy as np

    from gxnianbao.read.ocr.engine import RapidEngine

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the OCR engine tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    engine = RapidEngine()
    page = np.full((200, 600), 255, np.uint8)
    assert engine.recognise(page) == []


FIXTURES = ("basic-small.pdf", "gaps.pdf", "template-filled.pdf")


@pytest.mark.slow
@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: an example costs seconds
)
@given(
    fixture=st.sampled_from(FIXTURES),
    page=st.sampled_from((0, 1)),
    dpi=st.sampled_from((150, 200, 300)),
    colour=st.booleans(),
    angle=st.floats(min_value=-3.0, max_value=3.0),
    noise=st.floats(min_value=0.0, max_value=10.0),
    blur=st.floats(min_value=0.0, max_value=1.0),
    seal=st.none() | st.tuples(st.floats(0.1, 0.7), st.floats(0.2, 0.7)),
    as_pdf=st.booleans(),
)
def test_a_scan_of_a_fixture_never_gives_a_wrong_number(
    fixture: str,
    page: int,
    dpi: int,
    colour: bool,
    angle: float,
    noise: float,
    blur: float,
    seal: tuple[float, float] | None,
    as_pdf: bool,
) -> None:
    src = PDFS / fixture
    img = scan_page(
        src, page, dpi=dpi, colour=colour, angle=angle, noise=noise, blur=blur, seal_at=seal
    )
    data = pdf_bytes([img], dpi) if as_pdf else png_bytes(img)
    read = gxnianbao.parse_file(data)
    truth = _truth(src)
    on_page = {c.table for c in read.cells() if c.status is not Status.MISSING}
    wrong, same, total = compare(truth, read, on_page)
    note(f"{fixture} page {page + 1}: {same} of {total} cells read as the source has them")
    note(f"wrong: {wrong}")
    print(f"ocr share {fixture} p{page + 1} {dpi}dpi: {same}/{total}")
    assert wrong == []


@pytest.mark.slow
def test_the_corpus_report_made_into_a_scan_reads_95_percent_with_no_wrong_number() -> None:
    """The goal: the 6-page WPS-exported report, stamped and turned, read by OCR."""
    src = shared_path("corpus", "huaian-2024.pdf")
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(src))
    n = len(doc)
    doc.close()
    pages = [
        scan_page(
            src,
            i,
            dpi=200,
            angle=(1.2 if i % 2 else -0.8),
            noise=6,
            blur=0.6,
            seal_at=(0.55, 0.08) if i == 0 else ((0.55, 0.5) if i == n - 1 else None),
            seed=i,
        )
        for i in range(n)
    ]
    read = gxnianbao.parse_file(pdf_bytes(pages, 200, quality=70))
    truth = _truth(src)
    wrong, same, total = compare(truth, read)
    print(f"ocr share huaian-2024: {same}/{total}")
    assert wrong == []
    assert same >= 0.95 * total, (same, total)
