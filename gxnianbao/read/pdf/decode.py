"""A PDF stream's filters and predictors applied within a budget of decoded bytes.

Why our own decoders: pdfminer decodes each filter in full before anyone can look at the size
(a RunLength or predictor bomb takes gigabytes: its predictors build Python lists of ints, and a
forged ``Columns`` allocates a row of that many), and its LZW decoder formats a slice of its
code table on every code (quadratic time) and lets table entries grow without end.  Each
decoder here stops as soon as its output passes what the budget allows, and gives pdfminer's
output for every stream that decodes (damaged data ends the output where pdfminer would fail).
"""

from __future__ import annotations

import base64
import itertools
import re
import zlib
from collections.abc import Callable
from typing import Any

from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_FLATE_DECODE,
    LITERALS_LZW_DECODE,
    LITERALS_RUNLENGTH_DECODE,
    PDFStream,
    int_value,
)

from ...limits import Limits
from .settings import OverLimit

_CHUNK = 1 << 16
"""Compressed bytes inflated at a time, so that a bomb is caught after one chunk's output."""


class DecodeBudget:
    """Bytes the streams of one PDF may still decode to (one per read, never shared), and
    what one stream may decode to."""

    def __init__(self, limits: Limits) -> None:
        self.left = limits.max_decompressed
        self.per_stream = limits.max_stream_bytes
        self.max_predicted = limits.max_predicted_bytes

    def allowed(self) -> tuple[int, str]:
        """The bytes the next stream may decode to, and the budget that sets them."""
        if self.per_stream <= self.left:
            return self.per_stream, "max_stream_bytes"
        return self.left, "max_decompressed"

    def decode(self, stream: PDFStream, data: bytes) -> bytes:
        """``data`` (the stream's raw bytes, deciphered) through the stream's filters."""
        limit, field = self.allowed()
        for name, params in stream.get_filters():
            decoder = _DECODERS.get(name)
            try:
                if decoder is None:  # images (DCT, JPX, CCITT, JBIG2), unknown: pdfminer's
                    data = PDFStream({"Filter": name, "DecodeParms": params}, data).get_data()
                else:
                    data = decoder(data, limit)
                    if len(data) <= limit and params and "Predictor" in params:
                        data = self.unpredict(data, params)
            except _TooLong:
                raise OverLimit(f"the PDF's streams decode beyond the limit ({field})") from None
            if len(data) > limit:
                raise OverLimit(f"the PDF's streams decode beyond the limit ({field})")
        self.left -= len(data)
        return data

    def unpredict(self, data: bytes, params: Any) -> bytes:
        """``data`` with its predictor undone, within ``max_predicted_bytes``."""
        if len(data) > self.max_predicted:
            raise OverLimit(
                f"a PDF stream has more than {self.max_predicted} bytes under a predictor "
                "(max_predicted_bytes)"
            )
        return unpredict(data, params)


class _TooLong(Exception):
    """A decoder's output would pass its limit (raised where it is known before decoding)."""


def inflate(data: bytes, limit: int) -> bytes:
    """``data`` inflated (zlib format), at most ``limit`` bytes (one more tells the caller it
    ran over); what inflated before a damaged part when the stream is damaged."""
    d = zlib.decompressobj(zlib.MAX_WBITS)
    out = bytearray()
    for i in range(0, len(data), _CHUNK):
        try:
            out += d.decompress(data[i : i + _CHUNK], limit + 1 - len(out))
        except zlib.error:
            break
        if len(out) > limit:
            break
    return bytes(out)


def lzw(data: bytes, limit: int) -> bytes:
    """LZW (PDF's, with early change) as pdfminer decodes it, in linear time: the code table
    stops growing at 4,096 entries, which 12-bit codes cannot address past anyway."""
    out = bytearray()
    table: list[bytes] = []
    prev: bytes | None = None
    nbits = 9
    acc = bits = 0
    for byte in data:
        acc = (acc << 8) | byte
        bits += 8
        if bits < nbits:
            continue
        bits -= nbits
        code = acc >> bits
        acc &= (1 << bits) - 1
        if code == 256:
            table = [bytes((c,)) for c in range(256)] + [b"", b""]
            prev = b""
            nbits = 9
            continue
        if code == 257:
            continue
        if not prev:
            if code >= len(table):
                break  # no table yet, or a code it lacks: damaged
            x = prev = table[code]
        else:
            if code < len(table):
                x = table[code]
                entry = prev + x[:1]
            elif code == len(table):
                x = entry = prev + prev[:1]
            else:
                break  # damaged: pdfminer stops here too
            if len(table) < 4096:
                table.append(entry)
            n = len(table)
            nbits = 10 if n >= 511 else nbits
            nbits = 11 if n >= 1023 else nbits
            nbits = 12 if n >= 2047 else nbits
            prev = x
        out += x
        if len(out) > limit:
            break
    return bytes(out)


def runlength(data: bytes, limit: int) -> bytes:
    """RunLengthDecode: a length byte, then that many bytes plus one copied, or one byte
    repeated 257 minus the length times; 128 (or the end) ends the data."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n and len(out) <= limit:
        length = data[i]
        if length == 128:
            break
        if length < 128:
            out += data[i + 1 : i + 2 + length]
            i += 2 + length
        else:
            if i + 1 >= n:
                break
            out += data[i + 1 : i + 2] * (257 - length)
            i += 2
    return bytes(out)


_A85_START = re.compile(rb"^\s*<?\s*~\s*")
_A85_END = re.compile(rb"\s*~\s*>?\s*$")
_WHITE = b" \t\n\r\x0b\x0c\x00"


def ascii85(data: bytes, limit: int) -> bytes:
    """ASCII85 as pdfminer decodes it (``<~``/``~>`` stripped); not decoded when its length
    (``z`` stands for four zero bytes) is over ``limit``."""
    data = _A85_END.sub(b"", _A85_START.sub(b"", data))
    zeros = data.count(b"z")
    digits = len(data.translate(None, _WHITE)) - zeros
    if zeros * 4 + digits * 4 // 5 > limit:
        raise _TooLong
    return base64.a85decode(data)


def asciihex(data: bytes, limit: int) -> bytes:
    """ASCIIHexDecode as pdfminer decodes it (white space ignored, ``>`` ends the data); the
    output is half the input, so no bomb."""
    data = re.sub(rb"\s", b"", data)
    end = data.find(b">")
    if end != -1:
        data = data[:end] + (b"0" if end % 2 else b"")
    return bytes.fromhex(data.decode("latin-1"))


_DECODERS: dict[object, Callable[[bytes, int], bytes]] = {
    **{name: inflate for name in LITERALS_FLATE_DECODE},
    **{name: lzw for name in LITERALS_LZW_DECODE},
    **{name: runlength for name in LITERALS_RUNLENGTH_DECODE},
    **{name: ascii85 for name in LITERALS_ASCII85_DECODE},
    **{name: asciihex for name in LITERALS_ASCIIHEX_DECODE},
}


def unpredict(data: bytes, params: Any) -> bytes:
    """The TIFF or PNG predictor named in ``params`` undone; the output is never longer than
    the input, and rows are slices of it (a forged ``Columns`` allocates nothing)."""
    pred = int_value(params["Predictor"])
    if pred == 1:
        return data
    colors = int_value(params.get("Colors", 1))
    columns = int_value(params.get("Columns", 1))
    bpc = int_value(params.get("BitsPerComponent", 8))
    if pred == 2:
        if bpc != 8:
            raise ValueError(f"Unsupported `bitspercomponent': {bpc}")
        return _tiff(data, colors, colors * columns)
    if pred >= 10:
        if bpc not in (8, 1):
            raise ValueError(f"Unsupported `bitspercomponent': {bpc}")
        return _png(data, max(colors * bpc // 8, 1), colors * columns * bpc // 8)
    raise ValueError(f"Unsupported predictor: {pred!r}")


def _sub(row: bytes, bpp: int) -> bytearray:
    """Each byte plus the byte ``bpp`` before it (already undone), modulo 256."""
    out = bytearray(row)
    for k in range(min(bpp, len(row))):
        out[k::bpp] = bytes(map((255).__and__, itertools.accumulate(row[k::bpp])))
    return out


def _tiff(data: bytes, bpp: int, nbytes: int) -> bytes:
    """TIFF predictor 2, 8 bits a component: each row's bytes summed along the row."""
    if nbytes <= 0:
        return data
    out = bytearray()
    for i in range(0, len(data), nbytes):
        out += _sub(data[i : i + nbytes], bpp)
    return bytes(out)


def _add(a: bytes, b: bytes) -> bytes:
    """``a`` and ``b`` added byte by byte modulo 256 (``b`` at least as long), in C time: the
    sums of the low seven bits, their top bits put back with an exclusive or."""
    n = len(a)
    x = int.from_bytes(a, "big")
    y = int.from_bytes(b[:n], "big")
    low = int.from_bytes(b"\x7f" * n, "big")
    high = int.from_bytes(b"\x80" * n, "big")
    return (((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(n, "big")


def _png(data: bytes, bpp: int, nbytes: int) -> bytes:
    """PNG predictors (a filter byte before each row): None, Sub, Up, Average, Paeth."""
    if nbytes <= 0:
        return b""
    out = bytearray()
    above = bytes(min(nbytes, len(data)))
    for i in range(0, len(data), nbytes + 1):
        kind = data[i]
        row = data[i + 1 : i + 1 + nbytes]
        if kind == 0:
            raw: bytes | bytearray = row
        elif kind == 1:
            raw = _sub(row, bpp)
        elif kind == 2:
            raw = _add(row, above)
        elif kind == 3:
            raw = bytearray(row)
            for j in range(len(raw)):
                left = raw[j - bpp] if j >= bpp else 0
                raw[j] = (raw[j] + (left + above[j]) // 2) & 255
        elif kind == 4:
            raw = bytearray(row)
            for j in range(len(raw)):
                left = raw[j - bpp] if j >= bpp else 0
                corner = above[j - bpp] if j >= bpp else 0
                raw[j] = (raw[j] + _paeth(left, above[j], corner)) & 255
        else:
            raise ValueError(f"Unsupported predictor value: {kind}")
        out += raw
        above = bytes(raw)
    return bytes(out)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c
