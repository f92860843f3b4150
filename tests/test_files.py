"""parse_file: kinds from content, text encodings, and a typed error for whatever is unreadable.

Why: downloaded reports come with wrong extensions and in every encoding Chinese sites use; a
``.doc``, an image or junk named ``.txt`` must end in an error that names the file and says
what to do, never in a traceback from a reader.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gxnianbao
from gxnianbao.read.files import decode_text, read_document, sniff
from gxnianbao.read.ocr import ocr_available

# A damaged PNG or JPEG: refused with the advice to OCR it, or (the ocr extra installed) read
# by the OCR reader, which finds it damaged.
_DAMAGED_IMAGE: tuple[type[gxnianbao.UnreadableDocument]] = (
    (gxnianbao.CorruptDocumentError,) if ocr_available() else (gxnianbao.UnsupportedFormatError,)
)
_DAMAGED_IMAGE_WORDS = "cannot be read" if ocr_available() else "OCR"

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCRAPE = (FIXTURES / "scrape.txt").read_text(encoding="utf-8-sig")


def _received(report: gxnianbao.Report) -> int | None:
    assert report.applications is not None
    return report.applications.received.total


EXPECTED_RECEIVED = _received(gxnianbao.parse_report(SCRAPE))


def test_fixture_baseline() -> None:
    assert EXPECTED_RECEIVED == 45


@pytest.mark.parametrize(
    ("encoding", "diagnostic"),
    [
        ("utf-8", None),
        ("utf-8-sig", None),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16-le"),  # with a BOM
        ("utf-16-le", "utf-16-le"),  # without one
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_text_encodings(encoding: str, diagnostic: str | None) -> None:
    report = gxnianbao.parse_file(SCRAPE.encode(encoding))
    assert _received(report) == EXPECTED_RECEIVED
    assert report.meta.issuer == gxnianbao.parse_report(SCRAPE).meta.issuer
    notes = [d.message for d in report.diagnostics if d.code == "text-encoding"]
    assert notes == ([] if diagnostic is None else [f"the file was decoded as {diagnostic}"])


def test_offsets_refer_to_the_decoded_text() -> None:
    report = gxnianbao.parse_file(SCRAPE.encode("gb18030"))
    cell = report.cell("applications", "received", "total")
    assert cell.span is not None
    assert SCRAPE[cell.span.start : cell.span.end] == "45"


def test_path_bytes_and_stream_agree(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(SCRAPE.encode("gbk"))
    by_path = gxnianbao.parse_file(path)
    by_str = gxnianbao.parse_file(str(path))
    by_bytes = gxnianbao.parse_file(path.read_bytes())
    with path.open("rb") as f:
        by_stream = gxnianbao.parse_file(f)
    dicts = [r.to_dict() for r in (by_path, by_str, by_bytes, by_stream)]
    assert dicts[0] == dicts[1] == dicts[2] == dicts[3]


def test_markdown_file() -> None:
    report = gxnianbao.parse_file(FIXTURES / "markdown.txt")
    assert (
        report.to_dict()
        == gxnianbao.parse_report(
            (FIXTURES / "markdown.txt").read_text(encoding="utf-8-sig")
        ).to_dict()
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"  \n<!-- saved from url -->\n<html lang='zh'>", "html"),
        (b"<meta charset='gbk'><table><tr><td>1</td></tr></table>", "html"),
        ("一、总体情况\n".encode(), "text"),
        ("# 标题\n| a | b |".encode(), "text"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_sniff_docx_by_content_whatever_the_name() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert sniff(buf.getvalue(), "report.doc") == "docx"
    assert sniff(buf.getvalue(), "report.html") == "docx"


def test_sniff_html_extension_breaks_a_tie() -> None:
    data = "报告正文 <table><tr><td>1</td></tr></table>".encode()
    assert sniff(data, "x.txt") == "text"
    assert sniff(data, "x.html") == "html"


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return buf.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("data", "name", "error", "kind", "words"),
    [
        (OLE + "WordDocument".encode("utf-16-le"), "r.doc", gxnianbao.UnsupportedFormatError,
         "doc", "old Word document (.doc)"),
        (OLE, "r.wps", gxnianbao.UnsupportedFormatError, "wps", "WPS Office"),
        (OLE + "EncryptionInfo".encode("utf-16-le"), "r.docx", gxnianbao.EncryptedDocumentError,
         "docx", "password"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "scan.png", *_DAMAGED_IMAGE, "png",
         _DAMAGED_IMAGE_WORDS),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "scan.txt", *_DAMAGED_IMAGE, "jpeg",
         _DAMAGED_IMAGE_WORDS),
        (b"{\\rtf1\\ansi ...}", "r.rtf", gxnianbao.UnsupportedFormatError, "rtf", "DOCX"),
        (_zip("xl/workbook.xml"), "r.xlsx", gxnianbao.UnsupportedFormatError, "xlsx", "Excel"),
        (_zip("OFD.xml"), "r.ofd", gxnianbao.UnsupportedFormatError, "ofd", "OFD"),
        (_zip("a.txt"), "r.zip", gxnianbao.UnsupportedFormatError, "zip", "unpack"),
        (b"PK\x03\x04" + b"\x00" * 30, "r.docx", gxnianbao.CorruptDocumentError, "docx",
         "damaged"),
        (b"", "empty.txt", gxnianbao.CorruptDocumentError, None, "empty"),
        (bytes(range(256)) * 64, "junk.txt", gxnianbao.CorruptDocumentError, None, "not text"),
        (b"\x00\x01\x02\x03" * 1000, "junk.txt", gxnianbao.CorruptDocumentError, None,
         "not text"),
    ],
)  # fmt: skip
def test_unreadable_files_get_typed_errors(
    tmp_path: Path,
    data: bytes,
    name: str,
    error: type[gxnianbao.UnreadableDocument],
    kind: str | None,
    words: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        gxnianbao.parse_file(path)
    err = info.value
    assert isinstance(err, gxnianbao.GxnianbaoError)
    assert err.name == str(path)
    assert str(err).startswith(f"{path}: ")
    assert words in err.reason
    if kind is not None:
        assert err.kind == kind


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as f:  # sparse: costs no disk
        f.truncate(200 * 1024 * 1024)
    with pytest.raises(gxnianbao.DocumentTooLargeError) as info:
        gxnianbao.parse_file(path)
    assert "209,715,200 bytes" in info.value.reason
    small = gxnianbao.Limits(max_bytes=1000)
    with pytest.raises(gxnianbao.DocumentTooLargeError):
        gxnianbao.parse_file(SCRAPE.encode(), limits=small)
    with pytest.raises(gxnianbao.DocumentTooLargeError):
        gxnianbao.parse_file(io.BytesIO(SCRAPE.encode()), limits=small)


def test_text_limit() -> None:
    with pytest.raises(gxnianbao.DocumentTooLargeError):
        gxnianbao.parse_file(SCRAPE.encode(), limits=gxnianbao.Limits(max_text_chars=100))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(gxnianbao.UnreadableDocument) as info:
        gxnianbao.parse_file(tmp_path / "nope.pdf")
    assert "cannot open" in info.value.reason
    assert isinstance(info.value.__cause__, OSError)
    with pytest.raises(gxnianbao.UnreadableDocument):
        gxnianbao.parse_file(tmp_path)


def test_wrong_argument_types() -> None:
    with pytest.raises(TypeError, match="binary file object"):
        gxnianbao.parse_file(io.StringIO(SCRAPE))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not int"):
        gxnianbao.parse_file(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind must be one of"):
        gxnianbao.parse_file(b"x", kind="doc")


def test_kind_forces_a_reader() -> None:
    # HTML-looking text read as text on request, and as HTML by default.
    data = SCRAPE.encode()
    assert read_document(data, kind="txt").text == SCRAPE  # type: ignore[union-attr]
    assert _received(gxnianbao.parse_file(data, kind="markdown")) == EXPECTED_RECEIVED


def test_strict_and_template_pass_through() -> None:
    report = gxnianbao.parse_file(SCRAPE.encode(), template="2019")
    assert report.meta.template == "2019"
    with pytest.raises(ValueError, match="template must be one of"):
        gxnianbao.parse_file(SCRAPE.encode(), template="2020")
    text = (FIXTURES / "not_a_report.txt").read_bytes()
    with pytest.raises(gxnianbao.NotAReportError):
        gxnianbao.parse_file(text, strict=True)


@settings(
    max_examples=3 * settings.default.max_examples, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b),
        st.binary(max_size=2000).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=2000).map(lambda b: b"<html><table><tr><td>" + b),
        st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
)
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        report = gxnianbao.parse_file(data)
    except gxnianbao.UnreadableDocument as err:
        assert err.name == "<bytes>" and err.reason
    else:
        assert isinstance(report, gxnianbao.Report)


def test_decode_text_rejects_control_noise() -> None:
    with pytest.raises(gxnianbao.CorruptDocumentError):
        decode_text(("报告" + "\x01\x02\x03\x04" * 50).encode())
    assert decode_text("报告\f第二页".encode()).text == "报告\f第二页"  # a form feed is fine


def test_sparse_file_helper_is_sparse(tmp_path: Path) -> None:
    # The 200 MB test must stay cheap: the file takes (almost) no blocks on disk.
    path = tmp_path / "s.bin"
    with path.open("wb") as f:
        f.truncate(10 * 1024 * 1024)
    assert os.stat(path).st_size == 10 * 1024 * 1024
