"""The OCR reader's own steps, with a stand-in engine: no model is run, so these are fast.

What is pinned here: a page's ruling lines become a grid whose cells hold the engine's text;
a digit the engine is unsure of is never read (its cell is left out, with a diagnostic that
quotes what the engine saw); a cell with ink the engine read nothing in is unknown, not blank;
a tilted page is turned straight; the seal's red is taken out; every origin says ``ocr``;
the formats registry reads images with the extra and refuses them, with the advice to install
it, without.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

cv2 = pytest.importorskip("cv2", reason="the ocr extra is not installed")
np = pytest.importorskip("numpy")
pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")

from PIL import Image  # noqa: E402

import gxnianbao  # noqa: E402
from gxnianbao.check.places import diagnostic_zh  # noqa: E402
from gxnianbao.limits import DEFAULT_LIMITS  # noqa: E402
from gxnianbao.read.document import Document, Grid  # noqa: E402
from gxnianbao.read.files import read_document, sniff  # noqa: E402
from gxnianbao.read.ocr import OcrSettings, ocr_available  # noqa: E402
from gxnianbao.read.ocr.engine import MODEL_FILES, Glyph, TextBox, rapid_model_dir  # noqa: E402
from gxnianbao.read.ocr.raster import skew_angle, without_red  # noqa: E402
from gxnianbao.read.ocr.reader import read_image  # noqa: E402

SCALE = 200 / 72  # pixels a point at 200 dpi
XS = (100, 500, 800, 1100)  # column rules, pixels
YS = (300, 380, 460, 540)  # row rules, pixels


class StandIn:
    """An engine that answers a page with the boxes it was given, and a piece of a page (a
    second look at a line or a cell) with nothing."""

    name = "stand-in"

    def __init__(self, boxes: list[TextBox]) -> None:
        self.boxes = boxes
        self.seen: list[tuple[int, ...]] = []

    def recognise(self, image: object) -> list[TextBox]:
        shape = getattr(image, "shape", ())
        self.seen.append(shape)
        return self.boxes if shape and shape[0] > 1000 else []


def _box(text: str, x: float, y: float, conf: float = 0.99, weak: int | None = None) -> TextBox:
    """A line of text at ``(x, y)`` (its top-left, pixels), 20 px a character."""
    glyphs = tuple(
        Glyph(ch, (x + 20 * i, y, x + 20 * i + 18, y + 30), 0.5 if i == weak else conf)
        for i, ch in enumerate(text)
    )
    quad = ((x, y), (x + 20 * len(text), y), (x + 20 * len(text), y + 30), (x, y + 30))
    return TextBox(quad, text, min(g.confidence for g in glyphs), glyphs)


def _page(ink_in: tuple[int, int] | None = None, seal: bool = False) -> bytes:
    """A white A4 page at 200 dpi with a 3 x 3 ruled table, as a PNG."""
    img = np.full((2339, 1654, 3), 255, np.uint8)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), (0, 0, 0), 3)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), (0, 0, 0), 3)
    if ink_in is not None:  # a scrawl the engine does not read
        r, c = ink_in
        cx, cy = (XS[c] + XS[c + 1]) // 2, (YS[r] + YS[r + 1]) // 2
        cv2.line(img, (cx - 20, cy - 15), (cx + 20, cy + 15), (0, 0, 0), 4)
        cv2.line(img, (cx - 20, cy + 15), (cx + 20, cy - 15), (0, 0, 0), 4)
    if seal:  # red ink printed over the page: black stays black under it
        ink = np.full_like(img, 255)
        cv2.circle(ink, (900, 420), 160, (40, 30, 214), 12)  # BGR: red
        cv2.putText(ink, "SEAL", (800, 440), cv2.FONT_HERSHEY_SIMPLEX, 2, (40, 30, 214), 8)
        img = np.minimum(img, ink)
    buf = io.BytesIO()
    Image.fromarray(img[:, :, ::-1]).save(buf, "PNG", dpi=(200, 200))
    return buf.getvalue()


def _cell_boxes(weak: int | None = None) -> list[TextBox]:
    rows = [("行政许可", "12", "7"), ("行政处罚", "305", "0"), ("其他", "", "48")]
    out = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                w = weak if (r, c) == (1, 1) else None
                out.append(_box(text, XS[c] + 15, YS[r] + 25, weak=w))
    return out


def _cells(doc: Document) -> dict[tuple[int, int], str]:
    grids = [b for b in doc.blocks if isinstance(b, Grid)]
    assert len(grids) == 1
    return {(c.row, c.col): c.text for c in grids[0].cells}


def test_a_ruled_table_becomes_a_grid_with_the_engine_text_and_ocr_origins() -> None:
    engine = StandIn(_cell_boxes())
    doc = read_image(_page(), name="p.png", limits=DEFAULT_LIMITS, engine=engine)
    assert doc.kind == "image" and doc.pages == 1
    cells = _cells(doc)
    assert cells == {
        (0, 0): "行政许可", (0, 1): "12", (0, 2): "7",
        (1, 0): "行政处罚", (1, 1): "305", (1, 2): "0",
        (2, 0): "其他", (2, 1): "", (2, 2): "48",
    }  # fmt: skip
    grid = next(b for b in doc.blocks if isinstance(b, Grid))
    cell = next(c for c in grid.cells if c.text == "305")
    assert cell.origin.kind == "ocr" and cell.origin.page == 1
    assert cell.origin.bbox is not None
    x0, top, x1, bottom = cell.origin.bbox  # points: the rules' places
    assert abs(x0 - XS[1] / SCALE) < 2 and abs(x1 - XS[2] / SCALE) < 2
    assert abs(top - YS[1] / SCALE) < 2 and abs(bottom - YS[2] / SCALE) < 2
    assert [d.code for d in doc.diagnostics] == ["ocr-read"]
    assert "stand-in" in doc.diagnostics[0].message
    # every cell read says how sure the engine was: the least of its characters'
    assert cell.origin.confidence == 0.99
    empty = next(c for c in grid.cells if (c.row, c.col) == (2, 1))
    assert empty.origin.confidence is None  # nothing read there


def test_a_value_read_from_a_scan_keeps_the_engines_confidence_in_its_json() -> None:
    """The least confidence of a cell's characters travels to its span's origin, through
    ``to_dict()``, and validates against the JSON Schema (which knows the ``ocr`` kind)."""
    import jsonschema

    boxes = _cell_boxes()
    boxes[1] = _box("12", XS[1] + 15, YS[0] + 25, conf=0.93)
    doc = read_image(_page(), name="p.png", limits=DEFAULT_LIMITS, engine=StandIn(boxes))
    grid = next(b for b in doc.blocks if isinstance(b, Grid))
    assert {c.text: c.origin.confidence for c in grid.cells if c.text} == {
        "行政许可": 0.99, "12": 0.93, "7": 0.99, "行政处罚": 0.99, "305": 0.99, "0": 0.99,
        "其他": 0.99, "48": 0.99,
    }  # fmt: skip
    from gxnianbao.export.dicts import json_schema
    from gxnianbao.model.dicts import span_to_dict

    cell = next(c for c in grid.cells if c.text == "12")
    as_dict = span_to_dict(gxnianbao.Span(0, 2, 1, 1, cell.origin))
    assert as_dict is not None and as_dict["origin"]["confidence"] == 0.93
    assert as_dict["origin"]["kind"] == "ocr"
    defs = json_schema()["$defs"]
    jsonschema.validate(as_dict["origin"], {"$ref": "#/$defs/origin", "$defs": defs})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"kind": "ocr", "confidence": 1.5}, {"$ref": "#/$defs/origin", "$defs": defs}
        )


def test_a_doubtful_digit_leaves_its_cell_out_and_says_what_the_engine_read() -> None:
    engine = StandIn(_cell_boxes(weak=1))  # the "0" of "305" at confidence 0.5
    doc = read_image(_page(), name="p.png", limits=DEFAULT_LIMITS, engine=engine)
    cells = _cells(doc)
    assert (1, 1) not in cells  # not "305", not "35", not blank: unknown
    assert cells[(1, 2)] == "0" and cells[(0, 1)] == "12"
    doubt = [d for d in doc.diagnostics if d.code == "ocr-doubtful-number"]
    assert len(doubt) == 1 and "'305'" in doubt[0].message and "0.50" in doubt[0].message
    assert doubt[0].span is not None and doubt[0].span.origin is not None
    assert doubt[0].span.origin.kind == "ocr" and doubt[0].span.origin.page == 1
    assert "305" in diagnostic_zh(doubt[0])


def test_a_label_with_a_doubtful_character_is_kept() -> None:
    boxes = _cell_boxes()
    boxes[0] = _box("行政许可", XS[0] + 15, YS[0] + 25, weak=2)
    doc = read_image(_page(), name="p.png", limits=DEFAULT_LIMITS, engine=StandIn(boxes))
    assert _cells(doc)[(0, 0)] == "行政许可"
    assert not [d for d in doc.diagnostics if d.code == "ocr-doubtful-number"]


def test_ink_the_engine_did_not_read_is_unknown_not_blank() -> None:
    doc = read_image(
        _page(ink_in=(2, 1)), name="p.png", limits=DEFAULT_LIMITS, engine=StandIn(_cell_boxes())
    )
    assert (2, 1) not in _cells(doc)
    unread = [d for d in doc.diagnostics if d.code == "ocr-unread-cell"]
    assert len(unread) == 1 and unread[0].span is not None
    assert diagnostic_zh(unread[0]).startswith("表格")
    clean = read_image(_page(), name="p.png", limits=DEFAULT_LIMITS, engine=StandIn(_cell_boxes()))
    assert _cells(clean)[(2, 1)] == ""  # no ink: a blank cell stays blank


def test_the_seal_is_taken_out_and_the_table_still_found() -> None:
    engine = StandIn(_cell_boxes())
    doc = read_image(_page(seal=True), name="p.png", limits=DEFAULT_LIMITS, engine=engine)
    assert _cells(doc)[(1, 1)] == "305"
    assert not [d for d in doc.diagnostics if d.code == "ocr-unread-cell"]


def test_red_ink_turns_white_and_black_under_it_stays() -> None:
    rgb = np.zeros((4, 4, 3), np.uint8)
    rgb[0, 0] = (214, 38, 44)  # seal red
    rgb[0, 1] = (240, 160, 165)  # its pale edge
    rgb[0, 2] = (30, 10, 12)  # black text under the seal
    rgb[0, 3] = (255, 255, 255)
    grey = without_red(rgb)
    assert grey[0, 0] == 255 and grey[0, 1] == 255 and grey[0, 3] == 255
    assert grey[0, 2] < 60


@settings(max_examples=8)
@given(angle=st.floats(min_value=-2.8, max_value=2.8))
def test_the_tilt_of_a_page_is_found(angle: float) -> None:
    img = np.full((1400, 1000), 255, np.uint8)
    for y in range(200, 1200, 40):  # lines of "text"
        cv2.rectangle(img, (100, y), (900, y + 14), 0, -1)
    m = cv2.getRotationMatrix2D((500, 700), angle, 1.0)
    tilted = cv2.warpAffine(img, m, (1000, 1400), borderValue=255)
    assert abs(skew_angle(tilted, 3.0) + angle) <= 0.15  # 4 pixels across an A4 page


def test_the_models_ship_inside_the_engine_package() -> None:
    """Nothing is fetched: the three model files are in the installed package."""
    folder = rapid_model_dir()
    for name in MODEL_FILES:
        assert (folder / name).stat().st_size > 100_000, name


def test_images_are_taken_by_the_ocr_reader_with_the_extra() -> None:
    assert ocr_available()
    assert sniff(_page(), "scan.png") == "image"


def test_without_the_extra_the_errors_say_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gxnianbao.read.ocr import available

    monkeypatch.setattr(available, "ocr_available", lambda: False)
    with pytest.raises(gxnianbao.UnsupportedFormatError) as info:
        read_document(_page())
    assert "pip install 'gxnianbao[ocr]'" in info.value.reason
    with pytest.raises(gxnianbao.UnsupportedFormatError) as forced:
        read_document(_page(), kind="image")
    assert "pip install 'gxnianbao[ocr]'" in forced.value.reason
    scanned = (Path(__file__).parent / "fixtures" / "pdf" / "scanned.pdf").read_bytes()
    with pytest.raises(gxnianbao.NeedsOCRError) as err:
        gxnianbao.parse_file(scanned)
    assert "pip install 'gxnianbao[ocr]'" in err.value.reason and err.value.kind == "pdf"


def test_an_oversized_image_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(gxnianbao.DocumentTooLargeError):
        read_image(
            _page(), name="p.png", limits=DEFAULT_LIMITS,
            settings=OcrSettings(max_pixels=1000), engine=StandIn([]),
        )  # fmt: skip


class CellReader(StandIn):
    """A stand-in that misses the scrawled cell on the page but reads it cut out: ``9``."""

    def recognise(self, image: object) -> list[TextBox]:
        shape = getattr(image, "shape", ())
        if shape and shape[0] > 1000:
            return self.boxes
        h, w = shape[:2]
        return [_box("9", w / 2 - 10, h / 2 - 15)]


def test_a_cell_the_page_read_missed_is_read_on_its_own() -> None:
    engine = CellReader(_cell_boxes())
    doc = read_image(_page(ink_in=(2, 1)), name="p.png", limits=DEFAULT_LIMITS, engine=engine)
    cells = _cells(doc)
    assert cells[(2, 1)] == "9"  # placed back in its own cell, not a neighbour
    assert cells[(2, 2)] == "48" and cells[(1, 1)] == "305"
    assert not [d for d in doc.diagnostics if d.code == "ocr-unread-cell"]


def _edited(doc: Document, old: str, new: str, kind: str) -> Document:
    """``doc`` with every origin's kind ``kind`` and the first grid cell holding ``old`` read
    as ``new``."""
    import attrs

    def moved(o: gxnianbao.Origin) -> gxnianbao.Origin:
        return attrs.evolve(o, kind=kind)

    blocks = []
    done = False
    for b in doc.blocks:
        if isinstance(b, Grid):
            cells = []
            for c in b.cells:
                text = c.text
                if not done and text == old:
                    text, done = new, True
                cells.append(attrs.evolve(c, text=text, origin=moved(c.origin)))
            b = attrs.evolve(b, cells=tuple(cells), origin=moved(b.origin))
        else:
            b = attrs.evolve(b, origin=moved(b.origin))
        blocks.append(b)
    assert done
    return attrs.evolve(doc, blocks=tuple(blocks))


def test_an_ocr_number_that_breaks_the_identities_the_rest_keep_is_not_reported() -> None:
    """1182 misread as 1132 (a 3 for an 8): its row's total and its column's identity fail,
    every other identity holds; the cell is doubted and recovery proves 1182.  The same
    misprint in a text layer is the report's own: it stays as written."""
    from gxnianbao.parse import parse_document

    pdf = Path(__file__).parent / "fixtures" / "pdf" / "basic-small.pdf"
    source = read_document(pdf)
    assert isinstance(source, Document)
    key = "applications.received.commercial"
    read = parse_document(_edited(source, "1182", "1132", "ocr"))
    cell = next(c for c in read.cells() if c.key == key)
    assert cell.status is gxnianbao.Status.INFERRED and cell.value == 1182
    doubt = [d for d in read.diagnostics if d.code == "ocr-identity-doubt"]
    assert len(doubt) == 1 and "'1132'" in doubt[0].message
    assert "勾稽关系" in diagnostic_zh(doubt[0])
    truth = {c.key: c.value for c in gxnianbao.parse_file(pdf).cells()}
    assert all(c.value == truth[c.key] for c in read.cells() if c.value is not None)
    printed = parse_document(_edited(source, "1182", "1132", "pdf"))
    cell = next(c for c in printed.cells() if c.key == key)
    assert cell.status is gxnianbao.Status.REPORTED and cell.value == 1132
    assert not [d for d in printed.diagnostics if d.code == "ocr-identity-doubt"]


_COORD = st.floats(0, 100, allow_nan=False)


@given(
    st.lists(st.tuples(_COORD, _COORD, st.floats(0, 1)), max_size=40),
    st.tuples(_COORD, _COORD, _COORD, _COORD),
)
def test_a_box_s_confidence_is_the_least_of_the_characters_inside_it(
    centres: list[tuple[float, float, float]], corners: tuple[float, float, float, float]
) -> None:
    """Found by bisection on the page's characters sorted by x: the same as looking at each."""
    from gxnianbao.model import Origin
    from gxnianbao.read.ocr.reader import _ocr_origin

    boxes = [TextBox(((x, y), (x, y), (x, y), (x, y)), "字", c, (Glyph("字", (x, y, x, y), c),))
             for x, y, c in centres]  # fmt: skip
    x0, x1 = sorted(corners[:2])
    top, bottom = sorted(corners[2:])
    from gxnianbao.read.ocr.reader import _glyph_confidences

    origin = _ocr_origin(Origin("pdf", 1, (x0, top, x1, bottom)), {1: _glyph_confidences(boxes, 1)})
    inside = [c for x, y, c in centres if x0 <= x <= x1 and top <= y <= bottom]
    assert origin.confidence == (round(min(inside), 4) if inside else None)
