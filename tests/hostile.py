"""The hostile corpus of issue 16, generated: small deterministic files that attack the readers.

Why: reports come from the open web, so a batch meets every kind of broken and malicious file.
Each function below writes one such file into a folder and says what it attacks; the test
(``tests/test_hostile_corpus.py``) runs every one through ``parse_file`` in a child under a time
and memory bound, and ``gxnianbao batch`` over all of them.  Nothing is committed as a binary:
the files are written on the fly (the largest in well under a second).

``make_corpus(folder)`` writes them all; ``CASES`` maps a case name to its builder and to the
outcomes it may end in (a ``gxnianbao`` error class name, or ``"parse"`` for a Report).
"""

from __future__ import annotations

import base64
import io
import os
import random
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportgen import APP_ROW_LABELS, SECTION_TITLES, T2_ROW_LABELS
from test_docx import forged_sizes, mini_docx, p

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SECRET = "root:x:0:0"
"""What a leaked ``/etc/passwd`` would show; the XXE cases point at that file."""

ANY = ("parse", "error")
"""Outcomes of a case whose only demand is "typed error or parse, in bounds" (``"error"``:
any ``gxnianbao`` error)."""


# --- a small PDF writer ---------------------------------------------------------------------


def pdf(objects: Sequence[bytes], *, root: int = 1) -> bytes:
    """A PDF of ``objects`` (numbered from 1, in order) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    """A stream object's body: its dictionary (``extra`` entries added) and the data."""
    return b"<< %s /Length %d >>\nstream\n" % (extra, len(data)) + data + b"\nendstream"


def flate(data: bytes, extra: bytes = b"") -> bytes:
    """A stream object's body, its data deflated (``extra`` entries added to its dictionary)."""
    return stream(zlib.compress(data, 9), b"/Filter /FlateDecode " + extra)


def deflated(head: bytes, chunk: bytes, times: int, tail: bytes = b"") -> bytes:
    """zlib data of ``head + chunk * times + tail``, made fast: ``chunk`` is compressed once
    after a full flush (which forgets the window) and the compressed block repeated."""
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = raw.compress(head) + raw.flush(zlib.Z_FULL_FLUSH)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    end = raw.compress(tail) + raw.flush()
    check = zlib.adler32(head)
    for _ in range(times):
        check = zlib.adler32(chunk, check)
    check = zlib.adler32(tail, check)
    return b"\x78\xda" + start + block * times + end + check.to_bytes(4, "big")


TEXT = b"BT /F1 12 Tf 72 720 Td (Hostile) Tj ET\n"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def pages_pdf(contents: Sequence[int], extra: Sequence[bytes], *, xobjects: bytes = b"") -> bytes:
    """A PDF whose pages use the content streams numbered ``contents`` (object numbers among
    ``extra``, which are numbered from 4 on: 1 catalog, 2 pages, 3 font).  Pages come after."""
    first_page = 4 + len(extra)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        _FONT,
        *extra,
    ]
    for number in contents:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
            b"<< /F1 3 0 R >> %s >> /Contents %d 0 R >>" % (xobjects, number)
        )
    return pdf(objects)


def lzw_pack(codes: Sequence[int]) -> bytes:
    """``codes`` as LZWDecode data: each code as wide as the decoder expects it then (9 bits
    after a clear code, one more bit when its table reaches 511, 1023 and 2047 entries)."""
    size, width, fresh = 258, 9, True
    bits = count = 0
    out = bytearray()
    for code in codes:
        bits = (bits << width) | code
        count += width
        while count >= 8:
            count -= 8
            out.append((bits >> count) & 0xFF)
        bits &= (1 << count) - 1
        if code == 256:
            size, width, fresh = 258, 9, True
        elif code == 257:
            pass
        elif fresh:
            fresh = False
        else:
            size += 1
            width = {511: 10, 1023: 11, 2047: 12}.get(size, width)
    if count:
        out.append((bits << (8 - count)) & 0xFF)
    return bytes(out)


# --- the cases ------------------------------------------------------------------------------


def pdf_xobject_fanout(folder: Path) -> Path:
    """A 4 KB PDF whose form XObjects draw each other 10x over 9 levels (10^9 draws of a
    line, no text): the interpreter's operation count and memory (XObject depth, fan-out)."""
    levels = 9
    forms = []
    for level in range(levels + 1):
        if level == levels:
            body = b"0 0 m 1 1 l S\n"
        else:
            body = b"q /X%d Do Q\n" % (level + 1) * 10
        names = b" ".join(b"/X%d %d 0 R" % (n, 4 + n) for n in range(levels + 1))
        forms.append(
            stream(
                body,
                b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                b"/Resources << /Font << /F1 3 0 R >> /XObject << %s >> >>" % names,
            )
        )
    content = stream(TEXT + b"/X0 Do\n")
    names = b" ".join(b"/X%d %d 0 R" % (n, 4 + n) for n in range(levels + 1))
    data = pages_pdf([4 + len(forms)], [*forms, content], xobjects=b"/XObject << %s >>" % names)
    return _write(folder / "xobject-fanout.pdf", data)


def pdf_lzw(folder: Path) -> Path:
    """A page whose content is a ~450 KB LZWDecode stream of 300,000 codes and no clear code:
    pdfminer's decoder copies a slice of its ever-growing code table on every code (for a log
    line), so it is quadratic; it can only be bounded from outside."""
    data = lzw_pack([256] + [0] * 300_000 + [257])
    content = stream(data, b"/Filter /LZWDecode")
    return _write(folder / "lzw.pdf", pages_pdf([4], [content]))


def pdf_shared_text_stream(folder: Path) -> Path:
    """200 pages sharing one content stream of ~99,000 characters of text: small file, each
    page interpreted again (operations per document)."""
    places = [(40 + i % 50 * 10, 40 + i // 50 % 70 * 10, i) for i in range(2500)]
    show = b"".join(b"BT /F1 8 Tf %d %d Td (%05d) Tj ET\n" % place for place in places)
    content = flate(show[:99_000])
    return _write(folder / "shared-text-stream.pdf", pages_pdf([4] * 200, [content]))


def pdf_shared_noop_stream(folder: Path) -> Path:
    """200 pages sharing one content stream of 15 MB of ``q Q`` no-ops (~50 KB file):
    operations per page and per document."""
    content = stream(deflated(b"", b"q Q " * 37_500, 100, TEXT), b"/Filter /FlateDecode")
    return _write(folder / "shared-noop-stream.pdf", pages_pdf([4] * 200, [content]))


def pdf_noop_page(folder: Path) -> Path:
    """One ~16 KB page of 15 MB of no-op operators: operations interpreted per page."""
    content = stream(deflated(b"", b"q Q " * 37_500, 100, TEXT), b"/Filter /FlateDecode")
    return _write(folder / "noop-page.pdf", pages_pdf([4], [content]))


def pdf_runlength_bomb(folder: Path) -> Path:
    """Flate then RunLengthDecode: 16 MB of flate output (under the inflate limit) that the
    run-length filter turns into 1 GiB, decoded in full unless checked while decoding."""
    runs = deflated(b"", b"\x81 " * 80_000, 100, b"\x80")
    content = stream(runs, b"/Filter [/FlateDecode /RunLengthDecode]")
    return _write(folder / "runlength-bomb.pdf", pages_pdf([4], [content]))


def pdf_predictor_bomb(folder: Path) -> Path:
    """Flate with a PNG predictor over 100 MB of rows: under the inflate limit, but the
    predictor's own decoding took 1 GB; bytes decoded per stream, checked while decoding."""
    rows = deflated(b"", (b"\x02" + bytes(999)) * 1000, 100)
    content = stream(rows, b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 999 >>")
    return _write(folder / "predictor-bomb.pdf", pages_pdf([4], [content]))


def pdf_flate_bomb(folder: Path) -> Path:
    """A content stream of ~200 KB that inflates to 200 MB (already refused: keep it so)."""
    data = deflated(b"%", b" " * 1_000_000, 200, b"\n" + TEXT)
    content = stream(data, b"/Filter /FlateDecode")
    return _write(folder / "flate-bomb.pdf", pages_pdf([4], [content]))


def pdf_encrypted(folder: Path) -> Path:
    """A PDF that needs a user password (the committed qpdf fixture): refused, typed."""
    return _write(folder / "encrypted.pdf", (FIXTURES / "pdf" / "encrypted.pdf").read_bytes())


def pdf_truncated(folder: Path) -> Path:
    """A real PDF cut in half (a broken download): no cross-reference table, no trailer."""
    data = (FIXTURES / "pdf" / "basic-small.pdf").read_bytes()
    return _write(folder / "truncated.pdf", data[: len(data) // 2])


def docx_paragraph_flood(folder: Path) -> Path:
    """A DOCX of 3 M empty paragraphs (~21 MB of XML), kept within the compression-ratio
    limit by an incompressible comment: elements per XML document."""
    noise = base64.b64encode(random.Random(3).randbytes(150_000)).decode()
    data = mini_docx(f"<!--{noise}-->" + "<w:p/>\n" * 3_000_000)
    return _write(folder / "paragraph-flood.docx", data)


def docx_billion_laughs(folder: Path) -> Path:
    """Nested XML entities in word/document.xml (billion laughs): refused, no expansion."""
    prolog = (
        '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;">]>'
    )
    return _write(folder / "billion-laughs.docx", mini_docx(p("&f;"), prolog=prolog))


def docx_xxe(folder: Path) -> Path:
    """An external entity naming /etc/passwd in word/document.xml: never read (no leak)."""
    prolog = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return _write(folder / "xxe.docx", mini_docx(p("二、主动公开政府信息情况 &x;"), prolog=prolog))


def html_xxe(folder: Path) -> Path:
    """XHTML declaring an external entity that names /etc/passwd: never read (no leak)."""
    data = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>政府信息公开 &x;</p></body></html>'
    )
    return _write(folder / "xxe.html", data.encode())


def docx_zip_bomb(folder: Path) -> Path:
    """200 MB of zeros in word/document.xml, ~200 KB compressed: refused by the ratio limit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            for _ in range(200):
                f.write(chunk)
    return _write(folder / "zip-bomb.docx", buf.getvalue())


def docx_forged_sizes(folder: Path) -> Path:
    """Zip headers that understate word/document.xml's size (100 bytes): the XML ends early,
    a damaged file, and nothing inflates beyond what the header says."""
    return _write(folder / "forged-sizes.docx", forged_sizes())


def docx_version_needed(folder: Path) -> Path:
    """A 145-byte ZIP whose central directory says version 24.6 is needed to extract its
    member (a flipped byte): zipfile raises NotImplementedError while the kind is sniffed;
    found by ``benchmarks/fuzz_readers.py``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buf.getvalue())
    data[data.find(b"PK\x01\x02") + 6] = 246
    return _write(folder / "version-needed.docx", bytes(data))


def html_unclosed_p(folder: Path) -> Path:
    """HTML of 1 M unclosed ``<p>`` (4 MB): elements per HTML document."""
    return _write(folder / "unclosed-p.html", b"<html><body>" + b"<p>1" * 1_000_000)


def html_unclosed_li(folder: Path) -> Path:
    """HTML of 1 M unclosed ``<li>`` in one list (5 MB): elements per HTML document."""
    return _write(folder / "unclosed-li.html", b"<html><body><ul>" + b"<li>1" * 1_000_000)


def html_attribute_flood(folder: Path) -> Path:
    """One tag with 4 M attributes (16 MB): attributes per HTML document (a regex over the
    tag ran out of memory)."""
    return _write(
        folder / "attribute-flood.html",
        b"<html><body><p" + b" a=1" * 4_000_000 + b">x</p></body></html>",
    )


_HEADINGS = (
    "政府信息公开工作年度报告\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
)
"""What makes a text a report, so the table code (not only the "not a report" check) runs."""


def text_number_row(folder: Path) -> Path:
    """20 MB of text: a report's headings, then one row of 10 M numbers (just inside
    ``max_text_chars``): the text limit, and memory linear in the input (147 s, 9.1 GB)."""
    return _write(folder / "number-row.txt", _HEADINGS.encode() + b"1\t" * 9_990_000)


def text_label_row(folder: Path) -> Path:
    """46 MB of text: a report's headings, then label fragments in one tab-separated row: the
    text limit, and
    the label matcher's work on one huge line (it took 85 s and 5 GB)."""
    labels = [p + b for p, b, _ in APP_ROW_LABELS.values()]
    labels += [b for _, b, _ in T2_ROW_LABELS.values()]
    labels += [t for ts in SECTION_TITLES.values() for t in ts]
    unit = ("\t".join(labels) + "\t").encode()
    data = _HEADINGS.encode() + unit * (46_000_000 // len(unit))
    return _write(folder / "label-row.txt", data)


_PROSE = (
    "为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步推进政务公开工作，本机关坚持以公开为"
    "常态、不公开为例外，统一思想、统一部署，全面推进决策公开、执行公开、管理公开、服务公开、结果"
    "公开，切实保障人民群众的知情权、参与权、表达权和监督权。\n"
)


def report_text() -> str:
    """A report (a fixture) opened by prose without ASCII, heavy in 公开 and 一: in UTF-16 its
    first kilobytes put NULs on both sides of the code units, as real reports do."""
    lines = (FIXTURES / "word_cells.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(lines[:2]) + _PROSE * 12 + "".join(lines[2:])


def text_utf16le_no_bom(folder: Path) -> Path:
    """A real report as UTF-16 LE without a BOM: ASCII puts NULs after, 开 (U+5F00) and 一
    (U+4E00) before, so a guess from where NULs fall fails.  Must parse."""
    return _write(folder / "utf16le-no-bom.txt", report_text().encode("utf-16-le"))


def text_utf16be_no_bom(folder: Path) -> Path:
    """The same report as UTF-16 BE without a BOM.  Must parse."""
    return _write(folder / "utf16be-no-bom.txt", report_text().encode("utf-16-be"))


def fifo(folder: Path) -> Path:
    """A FIFO named like a report: opening it blocks forever; refused before it is opened."""
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@attrs.frozen
class Case:
    """One hostile file: how to make it and which outcomes are right for it."""

    build: Callable[[Path], Path]
    outcomes: tuple[str, ...] = ANY
    """Class names of acceptable ``gxnianbao`` errors, ``"error"`` for any of them, and
    ``"parse"`` for a Report."""
    reference: Callable[[], str] | None = None
    """A text the file must parse like (same issuer, same number of reported cells)."""

    def accepts(self, outcome: str) -> bool:
        """Whether ending in ``outcome`` (an error's class name or ``"parse"``) is right."""
        return outcome in self.outcomes or ("error" in self.outcomes and outcome != "parse")


_TOO_LARGE = ("DocumentTooLargeError",)
CASES: dict[str, Case] = {
    "pdf-xobject-fanout": Case(pdf_xobject_fanout),
    "pdf-lzw": Case(pdf_lzw),
    "pdf-shared-text-stream": Case(pdf_shared_text_stream),
    "pdf-shared-noop-stream": Case(pdf_shared_noop_stream),
    "pdf-noop-page": Case(pdf_noop_page),
    "pdf-runlength-bomb": Case(pdf_runlength_bomb, _TOO_LARGE),
    "pdf-predictor-bomb": Case(pdf_predictor_bomb),
    "pdf-flate-bomb": Case(pdf_flate_bomb, _TOO_LARGE),
    "pdf-encrypted": Case(pdf_encrypted, ("EncryptedDocumentError",)),
    "pdf-truncated": Case(pdf_truncated, ("CorruptDocumentError",)),
    "docx-paragraph-flood": Case(docx_paragraph_flood, _TOO_LARGE),
    "docx-billion-laughs": Case(docx_billion_laughs, ("CorruptDocumentError",)),
    "docx-xxe": Case(docx_xxe, ("CorruptDocumentError", "parse")),
    "docx-zip-bomb": Case(docx_zip_bomb, _TOO_LARGE),
    "docx-forged-sizes": Case(docx_forged_sizes, ("CorruptDocumentError",)),
    "docx-version-needed": Case(docx_version_needed, ("CorruptDocumentError",)),
    "html-xxe": Case(html_xxe, ("CorruptDocumentError", "parse")),
    "html-unclosed-p": Case(html_unclosed_p),
    "html-unclosed-li": Case(html_unclosed_li),
    "html-attribute-flood": Case(html_attribute_flood),
    "text-number-row": Case(text_number_row),
    "text-label-row": Case(text_label_row),
    "text-utf16le-no-bom": Case(text_utf16le_no_bom, ("parse",), report_text),
    "text-utf16be-no-bom": Case(text_utf16be_no_bom, ("parse",), report_text),
    "fifo": Case(fifo, ("error",)),
}


def make_corpus(folder: Path) -> list[Path]:
    """Write every case of :data:`CASES` into ``folder``; the paths, in ``CASES`` order."""
    folder.mkdir(parents=True, exist_ok=True)
    return [case.build(folder) for case in CASES.values()]


def measure(names: Sequence[str] = (), *, seconds: float = 5.0, memory_mib: int = 512) -> None:
    """Print time, peak memory and outcome of ``parse_file`` on each case (all by default),
    each in a child under the bounds: the before/after figures of issue 16."""
    import tempfile

    from bounded import bounded

    code = (
        "import gxnianbao\n"
        "try:\n    gxnianbao.parse_file({path!r})\n"
        "except gxnianbao.GxnianbaoError as e:\n"
        "    report(outcome=type(e).__name__, why=str(e))\n"
        "except BaseException as e:\n"
        "    report(outcome='untyped ' + type(e).__name__, why=str(e))\n"
        "else:\n    report(outcome='parse', why='')\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name in names or list(CASES):
            path = CASES[name].build(Path(folder))
            out = bounded(code.format(path=str(path)), seconds=seconds, memory_mib=memory_mib)
            result = out.result or {"outcome": "killed" if out.killed else "crashed", "why": ""}
            why = str(result["why"]).replace(folder, "")[:90]
            print(
                f"{name:24} {out.seconds:6.1f} s {out.peak_mib:7.0f} MiB  {result['outcome']}"
                f"  {why}",
                flush=True,
            )


if __name__ == "__main__":
    measure(sys.argv[1:])
