"""Text and markdown files: their bytes decoded, with the encoding that worked.

Why not just UTF-8: reports are saved by every editor Chinese offices use, so a file may be
UTF-8 with or without a BOM, UTF-16 with or without one, or GB18030; binary data named ``.txt``
must be refused rather than decoded into noise.
"""

from __future__ import annotations

import array
import functools
import sys

import attrs
import regex

from ..errors import CorruptDocumentError, DocumentTooLargeError
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Diagnostic

_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@attrs.frozen(slots=True)
class DecodedText:
    """A text file's content and how it was decoded."""

    text: str
    encoding: str
    name: str
    diagnostics: tuple[Diagnostic, ...] = ()


def utf16_bom(data: bytes) -> str | None:
    """The UTF-16 codec a byte-order mark names, or None."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    return None


def decode_text(data: bytes, name: str = "<bytes>", limits: Limits | None = None) -> DecodedText:
    """Decode a text or markdown file: BOM, then UTF-8, UTF-16 without BOM, GB18030.

    Binary data is refused (``CorruptDocumentError``) rather than decoded into noise.
    """
    limits = limits or DEFAULT_LIMITS
    text: str | None = None
    encoding = ""
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif codec := utf16_bom(data):
        text, encoding = _strict(data[2:], codec), codec
    else:
        guess = utf16_order(data)
        for codec in ((guess,) if guess else ()) + ("utf-8", "gb18030"):
            text = _strict(data, codec)
            if text is not None:
                encoding = codec
                break
    if text is None:
        raise CorruptDocumentError(
            name, "not text: the bytes are neither UTF-8, UTF-16 nor GB18030", kind="text"
        )
    if len(text) > limits.max_text_chars:
        raise DocumentTooLargeError(
            name, f"the text has {len(text):,} characters; the limit is {limits.max_text_chars:,} "
            "(limits.max_text_chars)"
        )
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise CorruptDocumentError(
            name, f"not text: binary data ({controls} control characters in the first 64 KB)"
        )
    diagnostics: tuple[Diagnostic, ...] = ()
    if encoding not in ("utf-8", "utf-8-sig"):
        diagnostics = (
            Diagnostic("text-encoding", "info", f"the file was decoded as {encoding}", None),
        )
    return DecodedText(text, encoding, name, diagnostics)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


_UTF16_SAMPLE = 1 << 17
"""Bytes of a file weighed to tell UTF-16's byte order (64 K code units: a report's first 40
pages, enough for the byte order to show however its characters fall)."""
_TEXT_RANGES = (
    (0x09, 0x0A), (0x0D, 0x0D), (0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x206F), (0x2150, 0x218F),
    (0x2460, 0x25FF), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF),
)  # fmt: skip
"""Code units a report's text is made of: ASCII, CJK ideographs and punctuation, fullwidth
forms, general punctuation (not its spaces), numbers in circles, box shapes."""


@functools.lru_cache(maxsize=1)
def _text_units() -> bytes:
    """Per BMP code unit, 1 when it is one of ``_TEXT_RANGES`` (built on first use)."""
    flags = bytearray(0x10000)
    for low, high in _TEXT_RANGES:
        flags[low : high + 1] = b"\x01" * (high + 1 - low)
    return bytes(flags)


def utf16_order(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when ``data`` reads as UTF-16 text without a BOM, else None.

    Why not the side the NUL bytes fall on: ASCII puts them on one side, but CJK characters such
    as 开 (U+5F00) and 一 (U+4E00) put them on the other, so a Chinese report has them on both.
    Instead each code unit of the sample is read in both byte orders: units that are text in
    both (开 reads as ``_`` the other way round) say nothing; the others vote for the order in
    which they are text.  The winner must be nearly all text and carry the vote four to one.
    UTF-8 and GB18030 text hold no NUL byte, so data without any is never taken for UTF-16.
    """
    sample = data[:_UTF16_SAMPLE]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8 or sample.count(0) < 2:
        return None
    text = _text_units()
    units = array.array("H", sample)
    if sys.byteorder == "big":
        units.byteswap()
    swapped = array.array("H", units)
    swapped.byteswap()
    le_text = be_text = le_only = be_only = 0
    for le, be in zip(units, swapped, strict=True):
        a, b = text[le], text[be]
        le_text += a
        be_text += b
        if a != b:
            le_only += a
            be_only += b
    need = 0.8 * len(units)
    if le_text >= need and le_only >= max(2, 4 * be_only):
        return "utf-16-le"
    if be_text >= need and be_only >= max(2, 4 * le_only):
        return "utf-16-be"
    return None
