"""Text and markdown files: their bytes decoded, with the encoding that worked.

Why not just UTF-8: reports are saved by every editor Chinese offices use, so a file may be
UTF-8 with or without a BOM, UTF-16 with or without one, or GB18030; binary data named ``.txt``
must be refused rather than decoded into noise.
"""

from __future__ import annotations

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
        for codec in (*_utf16_guess(data), "utf-8", "gb18030"):
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
            name, f"the text has {len(text):,} characters; the limit is {limits.max_text_chars:,}"
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


def _utf16_guess(data: bytes) -> tuple[str, ...]:
    """UTF-16 without a BOM: many NUL bytes on one side of every pair."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if even + odd < 4:  # UTF-8 and GB18030 text hold no NUL at all
        return ()
    if odd >= 4 * even:
        return ("utf-16-le",)
    if even >= 4 * odd:
        return ("utf-16-be",)
    return ()
