"""Hostile PDFs (issue 16): each is generated here, small and deterministic, and read in a child
process that must end within 5 s and 512 MiB with a typed error or a parse."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from bounded import bounded, within
from hostile import flate, pdf, stream

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def pages_pdf(n_pages: int, content: bytes, xobjects: Sequence[bytes] = ()) -> bytes:
    """``n_pages`` pages that all draw the one content stream object ``content`` (object 4);
    ``xobjects`` are objects 5, 6, ... named /X0, /X1, ... in every page's resources."""
    names = b" ".join(b"/X%d %d 0 R" % (i, 5 + i) for i in range(len(xobjects)))
    resources = b"<< /Font << /F1 3 0 R >> /XObject << %s >> >>" % names
    first_page = 5 + len(xobjects)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(n_pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources %s >>"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages),
            FONT,
            content,
            *xobjects,
            *[page % resources] * n_pages,
        ]
    )


def text(s: bytes) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (%s) Tj ET\n" % s


def form(content: bytes, names: bytes = b"") -> bytes:
    """A form XObject whose resources name the forms in ``names`` (``/X1 6 0 R ...``)."""
    return stream(
        content,
        b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> /XObject << %s >> >>" % names,
    )


# --- the generators ------------------------------------------------------------------------


def fan_out(levels: int = 9, times: int = 10) -> bytes:
    """Forms drawing the next form ``times`` times, ``levels`` deep: times**levels draws."""
    forms = []
    for i in range(levels):
        if i + 1 < levels:
            draw = b"/X%d Do\n" % (i + 1)
            forms.append(form(draw * times, b"/X%d %d 0 R" % (i + 1, 6 + i)))
        else:
            forms.append(form(b"q Q\n"))
    return pages_pdf(1, stream(text(b"page") + b"/X0 Do\n" * times), forms)


def deep_forms(levels: int = 40) -> bytes:
    """Forms each drawing the next once, ``levels`` deep."""
    forms = [
        form(b"/X%d Do\n" % (i + 1), b"/X%d %d 0 R" % (i + 1, 6 + i)) for i in range(levels - 1)
    ] + [form(text(b"leaf"))]
    return pages_pdf(1, stream(b"/X0 Do\n"), forms)


def lzw_encode(data: bytes) -> bytes:
    """LZW with early change as PDF writes it, and no clear code after the first: the code
    table grows to its end (4,096 entries) and stays there (what made pdfminer quadratic)."""
    table = {bytes((i,)): i for i in range(256)}
    size, nbits, acc, bits = 258, 9, 0, 0
    out = bytearray()

    def put(code: int) -> None:
        nonlocal acc, bits
        acc = (acc << nbits) | code
        bits += nbits
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 255)
            acc &= (1 << bits) - 1

    put(256)
    w = b""
    for byte in data:
        wc = w + bytes((byte,))
        if wc in table:
            w = wc
            continue
        put(table[w])
        if size < 4096:
            table[wc] = size
            size += 1
        w = bytes((byte,))
        nbits = 12 if size >= 2048 else 11 if size >= 1024 else 10 if size >= 512 else 9
    if w:
        put(table[w])
    put(257)
    if bits:
        out.append((acc << (8 - bits)) & 255)
    return bytes(out)


def lzw_page(size: int = 456_000) -> bytes:
    """A page whose content is an LZW stream of about ``size`` bytes (varied text, so the code
    table fills and codes stay short)."""
    body = b"".join(text(b"%08d" % (i * 7919 % 99_999_989)) for i in range(size // 9))
    return pages_pdf(1, stream(lzw_encode(body), b"/Filter /LZWDecode"))


def runlength_bomb(mib: int = 256) -> bytes:
    """RunLength runs of 128 repeated bytes (two bytes each), flated: a few KB."""
    runs = b"\x81 " * (mib * 1024 * 1024 // 128)
    return pages_pdf(1, flate(runs, b""), ()).replace(
        b"/Filter /FlateDecode", b"/Filter [/FlateDecode /RunLengthDecode]"
    )


def predictor_bomb(kind: int = 4, kib: int = 64 * 1024) -> bytes:
    """A flated PNG-predicted stream of ``kib`` KiB in one row of a forged width."""
    data = bytes((kind,)) + bytes(kib * 1024 - 1)
    params = b"/DecodeParms << /Predictor 12 /Columns 1000000000 >>"
    return pages_pdf(1, flate(data, params))


def shared_content(n_pages: int = 200, chars: int = 99_000) -> bytes:
    """``n_pages`` pages drawing one content stream of ``chars`` characters."""
    return pages_pdf(n_pages, flate(text(b"x" * chars)))


def shared_noops(n_pages: int = 200, kib: int = 15 * 1024) -> bytes:
    """``n_pages`` pages drawing one content stream of ``kib`` KiB of ``q Q`` no-ops."""
    return pages_pdf(n_pages, flate(b"q Q " * (kib * 1024 // 4)))


CASES = {
    "fan-out": fan_out,
    "deep-forms": deep_forms,
    "lzw": lzw_page,
    "runlength-bomb": runlength_bomb,
    "png-sub-bomb": lambda: predictor_bomb(1),
    "png-paeth-bomb": lambda: predictor_bomb(4),
    "png-paeth-30mib": lambda: predictor_bomb(4, 30 * 1024),
    "png-paeth-4mib": lambda: predictor_bomb(4, 4 * 1024),
    "png-sub-4mib": lambda: predictor_bomb(1, 4 * 1024),
    "shared-99k-chars": shared_content,
    "shared-noops": shared_noops,
    "noop-page": lambda: shared_noops(1),
    "shared-19k-chars": lambda: shared_content(200, 19_000),
    "shared-92k-ops": lambda: shared_noops(200, 180),
    "shared-900k-content": lambda: shared_noops(200, 900),
    "shared-nul-content": lambda: pages_pdf(200, flate(bytes(1000 * 1024))),
}

CHILD = """
import gxnianbao
from gxnianbao.read.pdf import read_pdf
data = open({path!r}, "rb").read()
try:
    doc = read_pdf(data, name="x.pdf", limits=gxnianbao.Limits())
    report(pages=doc.pages)
except gxnianbao.UnreadableDocument as e:
    report(error=type(e).__name__, reason=e.reason)
"""


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_pdf_ends_in_bounds(case: str, tmp_path: Path) -> None:
    data = CASES[case]()
    assert len(data) < 600_000
    path = tmp_path / f"{case}.pdf"
    path.write_bytes(data)
    out = bounded(CHILD.format(path=str(path)), seconds=5, memory_mib=512)
    assert within(out, seconds=5, memory_mib=512) == [], out
    assert out.result is not None
    assert out.result.get("error") in (None, "DocumentTooLargeError", "NeedsOCRError"), out


# --- the decoders give pdfminer's output, within their limit ------------------------------


def _samples() -> list[bytes]:
    import random

    rng = random.Random(16)
    return [
        b"",
        b"a" * 100_000,
        bytes(rng.randrange(256) for _ in range(50_000)),
        b"".join(text(b"%d" % rng.randrange(10**6)) for _ in range(3_000)),
    ]


@pytest.mark.parametrize("index", range(4))
def test_lzw_decodes_as_pdfminer_does(index: int) -> None:
    from pdfminer.lzw import lzwdecode

    from gxnianbao.read.pdf.decode import lzw

    data = _samples()[index]
    encoded = lzw_encode(data)
    assert lzw(encoded, 10**9) == lzwdecode(encoded) == data
    assert lzw(encoded[: len(encoded) // 2], 10**9) == lzwdecode(encoded[: len(encoded) // 2])
    if len(data) > 1000:  # stops within one table entry past its limit
        assert 1000 < len(lzw(encoded, 1000)) <= 1000 + 4096


@pytest.mark.parametrize("index", range(4))
def test_simple_filters_decode_as_pdfminer_does(index: int) -> None:
    import base64

    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.runlength import rldecode

    from gxnianbao.read.pdf.decode import ascii85, asciihex, runlength

    data = _samples()[index]
    runs = b"".join(
        bytes((len(data[i : i + 128]) - 1,)) + data[i : i + 128]
        if i % 3
        else bytes((200,)) + data[i : i + 1]
        for i in range(0, len(data), 128)
    )
    assert runlength(runs + b"\x80", 10**9) == rldecode(runs + b"\x80")
    a85 = base64.a85encode(data, wrapcol=70) + b"~>"
    assert ascii85(a85, 10**9) == ascii85decode(a85) == data
    hexed = data.hex().encode() + b">"
    assert asciihex(hexed, 10**9) == asciihexdecode(hexed) == data


@pytest.mark.parametrize("predictor", [2, 10, 11, 12, 13, 14, 15])
def test_predictors_undo_as_pdfminer_does(predictor: int) -> None:
    import random

    from pdfminer.utils import apply_png_predictor, apply_tiff_predictor

    from gxnianbao.read.pdf.decode import unpredict

    rng = random.Random(predictor)
    columns, rows = 7, 50
    params = {"Predictor": predictor, "Columns": columns}
    if predictor == 2:
        data = bytes(rng.randrange(256) for _ in range(columns * rows))
        expected = apply_tiff_predictor(1, columns, 8, data)
    else:
        data = b"".join(
            bytes((rng.randrange(5),)) + bytes(rng.randrange(256) for _ in range(columns))
            for _ in range(rows)
        )
        expected = apply_png_predictor(predictor, 1, columns, 8, data)
    assert unpredict(data, params) == expected


def test_budgets_are_named() -> None:
    from gxnianbao import DocumentTooLargeError, Limits
    from gxnianbao.read.pdf import read_pdf

    page = pages_pdf(3, stream(text(b"hello") * 50))
    read_pdf(page, name="x.pdf", limits=Limits())
    for field, value in [
        ("max_operations_per_page", 100),
        ("max_operations", 1000),
        ("max_content_per_page", 500),
        ("max_content", 3000),
        ("max_chars_per_page", 100),
    ]:
        with pytest.raises(DocumentTooLargeError, match=field):
            read_pdf(page, name="x.pdf", limits=Limits(**{field: value}))
    with pytest.raises(DocumentTooLargeError, match="max_xobject_depth"):
        read_pdf(deep_forms(5), name="x.pdf", limits=Limits(max_xobject_depth=3))
    read_pdf(deep_forms(5), name="x.pdf", limits=Limits(max_xobject_depth=5))
    with pytest.raises(DocumentTooLargeError, match="max_stream_bytes"):
        read_pdf(runlength_bomb(1), name="x.pdf", limits=Limits(max_stream_bytes=100_000))
    with pytest.raises(DocumentTooLargeError, match="max_predicted_bytes"):
        read_pdf(predictor_bomb(1, 200), name="x.pdf", limits=Limits(max_predicted_bytes=1000))
