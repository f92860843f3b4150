"""Hostile text, HTML and DOCX inputs end in bounded time and memory (issue 16).

Each hostile input is generated here (small code, deterministic) and run in a child process
under :func:`bounded.bounded`: it must end within 5 s and 512 MiB with a typed error naming the
budget that ran out, or a parse.  The 1 MB versions of the hostile text shapes must parse, in
100 MiB.  The UTF-16 tests read real report text from the shared seeds.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import attrs
import pytest
from bounded import bounded, within
from conftest import shared_path

from gxnianbao import DocumentTooLargeError, Limits, parse_file, parse_report
from gxnianbao.read.html import read_html
from gxnianbao.read.textfile import decode_text, utf16_order

SAMPLE = Path(__file__).resolve().parent.parent / "gxnianbao" / "samples" / "sample-2022.txt"

_SHAPES = """
from pathlib import Path
SAMPLE = Path("gxnianbao/samples/sample-2022.txt").read_text(encoding="utf-8").splitlines()
def with_row(line_no, row):
    lines = list(SAMPLE)
    lines[line_no - 1] = row
    return "\\n".join(lines) + "\\n"
def numbers_row(n):  # table 3's first row, followed by n characters of numbers
    return with_row(51, "一、本年新收政府信息公开申请数量\\t" + "1\\t" * (n // 2))
def label_row(n):  # label fragments of tables 3 and 4 in one row
    frag = "予以公开\\t不予公开\\t结果维持\\t3.其他\\t"
    return with_row(60, frag * (n // len(frag)))
def one_cell_lines(n):  # a cell per line inside table 3
    return with_row(60, "1\\n" * (n // 2))
def glued_line(n):  # one tab cell of a label and a number again and again (cut into tokens)
    return with_row(60, "\\t" + "规章0" * (n // 3))
def pipe_row(n):  # a markdown row of n bars
    return with_row(60, "|" * n)
"""


def _run(code: str, *, memory_mib: int = 512) -> dict[str, object]:
    out = bounded(code, seconds=5, memory_mib=memory_mib)
    assert within(out, seconds=5, memory_mib=memory_mib) == [], (out.seconds, out.peak_mib)
    assert out.result is not None
    return out.result


def _refused(call: str, setup: str = "") -> dict[str, object]:
    code = f"""{setup}
from gxnianbao import DocumentTooLargeError
try:
    {call}
    report(error=None)
except DocumentTooLargeError as e:
    report(error=type(e).__name__, message=str(e))
"""
    result = _run(code)
    assert result["error"] == "DocumentTooLargeError", result
    return result


# --- text -------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("shape", "chars"), [("numbers_row", 20_000_000), ("label_row", 46_000_000)]
)
def test_a_huge_text_is_refused_naming_the_budget(shape: str, chars: int) -> None:
    """Was 147 s and 9.1 GB (20 MB of numbers in one row), 85 s and 5 GB (46 MB of labels)."""
    result = _refused(
        "parse_report(text)", _SHAPES + f"text = {shape}({chars})\nfrom gxnianbao import *"
    )
    assert "max_report_chars" in str(result["message"])


@pytest.mark.slow
@pytest.mark.parametrize(
    "shape", ["numbers_row", "label_row", "one_cell_lines", "glued_line", "pipe_row"]
)
def test_a_megabyte_of_a_hostile_shape_parses_in_bounds(shape: str) -> None:
    """The 1 MB one-cell-lines text took 3.8 s and 293 MiB; a 1 MB row of numbers 4.8 s and
    329 MiB; one cell of 333,000 labels and numbers 8.7 s and 292 MiB; a row of a million bars
    0.8 s and 163 MiB.  Now each parses, its table region cut at ``max_region_cells`` (the
    glued cell while it is cut into tokens, the bars while they are split)."""
    code = (
        _SHAPES
        + f"""
from gxnianbao import parse_report
r = parse_report({shape}(1_000_000))
report(codes=sorted({{d.code for d in r.diagnostics}}), year=r.meta.year)
"""
    )
    # half a million one-character lines: their Line records alone hold ~70 MiB
    result = _run(code, memory_mib=128 if shape == "one_cell_lines" else 100)
    assert result["year"] == 2022
    assert "table-region-truncated" in result["codes"]  # type: ignore[operator]


def test_parse_file_refuses_the_same_size_as_parse_report(tmp_path: Path) -> None:
    limits = Limits(max_report_chars=10_000)
    text = SAMPLE.read_text(encoding="utf-8")
    padded = text + "\n" + "x" * (10_001 - len(text) - 1)
    path = tmp_path / "report.txt"
    path.write_text(padded, encoding="utf-8")
    for call in (
        lambda: parse_report(padded, limits=limits),
        lambda: parse_file(path, limits=limits),
    ):
        with pytest.raises(DocumentTooLargeError, match="max_report_chars"):
            call()
    assert parse_report(padded[:-1], limits=limits).meta.year == 2022
    assert parse_file(path, limits=Limits(max_report_chars=10_001)).meta.year == 2022


def test_a_long_region_is_cut_at_the_cell_budget() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert "table-region-truncated" not in {d.code for d in parse_report(text).diagnostics}
    small = parse_report(text, limits=Limits(max_region_cells=50))
    cut = [d for d in small.diagnostics if d.code == "table-region-truncated"]
    assert cut and all("max_region_cells" in d.message for d in cut)


def test_a_long_row_lists_its_first_numbers_only() -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[50] = "一、本年新收政府信息公开申请数量\t" + "\t".join(str(i) for i in range(3000))
    r = parse_report("\n".join(lines), limits=Limits(max_row_tokens=100))
    (mismatch,) = [d for d in r.diagnostics if d.code == "row-count-mismatch"]
    assert len(mismatch.numbers) == 100
    assert "max_row_tokens" in mismatch.message


# --- HTML and DOCX ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("tag", [b"p", b"li"])
def test_a_million_unclosed_elements_stop_at_the_element_budget(tag: bytes) -> None:
    """Was 12 s and 475 MB."""
    result = _refused(
        "read_html(data)",
        f"from gxnianbao.read.html import read_html\n"
        f"data = b'<html><body><ul>' + b'<{tag.decode()}>x' * 1_000_000",
    )
    assert "max_elements" in str(result["message"])


@pytest.mark.slow
def test_a_tag_of_four_million_attributes_is_refused_in_bounded_memory() -> None:
    """Was a MemoryError from a regex, reported as "cannot be read as HTML"."""
    result = _refused(
        "read_html(data)",
        "from gxnianbao.read.html import read_html\n"
        "data = b'<html><body><p ' + b'a ' * 4_000_000 + b'>x</p>'",
    )
    assert "max_attributes" in str(result["message"])


def test_attributes_of_an_ordinary_page_are_read() -> None:
    page = b"<table><tr><td colspan=2 class='x'>1</td></tr><tr><td>2<td>3</table>"
    assert read_html(page).blocks
    with pytest.raises(DocumentTooLargeError, match="max_attributes"):
        read_html(page, limits=Limits(max_attributes=1))
    with pytest.raises(DocumentTooLargeError, match="max_elements"):
        read_html(page, limits=Limits(max_elements=4))


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(paragraphs: int) -> bytes:
    """A DOCX of ``paragraphs`` numbered paragraphs (numbered so that it compresses about 16
    times, well within ``max_ratio``)."""
    body = "".join(f"<w:p><w:r><w:t>{i}</w:t></w:r></w:p>" for i in range(paragraphs))
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


@pytest.mark.slow
def test_a_docx_of_a_million_paragraphs_stops_while_streaming(tmp_path: Path) -> None:
    """3 M paragraphs (21.6 MB) were refused after 21 s and 506 MB: its elements are now
    counted as they are parsed."""
    path = tmp_path / "many.docx"
    path.write_bytes(_docx(1_000_000))
    result = _refused("parse_file(path)", f"from gxnianbao import parse_file\npath = {str(path)!r}")
    assert "max_elements" in str(result["message"])


def test_a_small_docx_is_counted_whole() -> None:
    data = _docx(100)
    assert len(parse_file(data, kind="docx").diagnostics) >= 0
    with pytest.raises(DocumentTooLargeError, match="max_elements"):
        parse_file(data, kind="docx", limits=Limits(max_elements=100))


# --- UTF-16 without a BOM ---------------------------------------------------------------------


def _without_encoding_note(report: object) -> dict[str, object]:
    kept = tuple(d for d in report.diagnostics if d.code != "text-encoding")  # type: ignore[attr-defined]
    return attrs.evolve(report, diagnostics=kept).to_dict()  # type: ignore[no-any-return]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_real_reports_in_utf16_without_a_bom_parse_as_in_utf8(codec: str) -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    assert seeds
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        decoded = decode_text(text.encode(codec))
        assert decoded.encoding == codec and decoded.text == text, seed.name
        report = parse_file(text.encode(codec))
        assert _without_encoding_note(report) == parse_report(text).to_dict(), seed.name


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_nul_bytes_on_both_sides_do_not_hide_utf16(codec: str) -> None:
    """开 (U+5F00) and 一 (U+4E00) put their NUL on the other side from ASCII's."""
    text = "开一开一开一" * 50 + "2022年收到申请57件，一开始" * 20
    data = text.encode(codec)
    assert data.count(0) and data[0::2].count(0) and data[1::2].count(0)
    assert utf16_order(data) == codec
    assert decode_text(data).text == text
    page = f"<html><body><p>{text}</p><table><tr><td>一</td></tr></table></body></html>"
    doc = read_html(page.encode(codec))
    assert any(n.code == "charset-fallback" for n in doc.diagnostics)
    assert "开一开一" in str(doc.blocks[0])


def test_utf8_and_gb18030_are_never_taken_for_utf16() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    for codec in ("utf-8", "gb18030"):
        assert utf16_order(text.encode(codec)) is None
    assert utf16_order(b"abcdefgh" * 100) is None
