"""Files as they are published -> a Document: the kind from the bytes, then one reader.

Why sniff the content: downloaded reports often carry the wrong extension (a PDF saved as
``.html``, a DOCX named ``.doc``), and a ``.doc`` or ``.wps`` file must get a clear error that
says what to do, not a crash inside a reader.  The extension only breaks ties between text and
HTML.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Literal

import attrs
import regex

from ..errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EncryptedDocumentError,
    UnreadableDocument,
    UnsupportedFormatError,
)
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Diagnostic
from .document import Document

Kind = Literal["pdf", "docx", "html", "text"]
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]

KINDS: tuple[str, ...] = ("pdf", "docx", "html", "text")
_KIND_ALIASES = {"txt": "text", "md": "text", "markdown": "text", "htm": "html"}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_ARCHIVES = (
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
)
_HTML_START = regex.compile(
    rb"\A(?:\xef\xbb\xbf)?\s{0,200}(?:<!--.{0,2000}?-->\s{0,200})?"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|span|style|script)\b",
    regex.IGNORECASE | regex.DOTALL,
)
_HTML_ANYWHERE = regex.compile(rb"<(?:html|body|table|td)\b", regex.IGNORECASE)
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@attrs.frozen(slots=True)
class DecodedText:
    """A text file's content and how it was decoded."""

    text: str
    encoding: str
    name: str
    diagnostics: tuple[Diagnostic, ...] = ()


def read_document(
    source: Source, *, kind: str | None = None, limits: Limits | None = None
) -> Document | DecodedText:
    """Read a file into the readers' common form (text files: their decoded text)."""
    limits = limits or DEFAULT_LIMITS
    if kind is not None:
        kind = _KIND_ALIASES.get(kind, kind)
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {list(KINDS)} or None, not {kind!r}")
    name, data = _load(source, limits)
    found = kind or sniff(data, name)
    reader = _READERS[found]
    return reader(data, name, limits)


def _load(source: Source, limits: Limits) -> tuple[str, bytes]:
    """The file's name and bytes, refusing more than ``limits.max_bytes``."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = "<bytes>"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(path)
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise DocumentTooLargeError(
                    name, f"the file has {size:,} bytes; the limit is {limits.max_bytes:,}"
                )
            with path.open("rb") as f:
                data = f.read(limits.max_bytes + 1)
        except OSError as err:
            raise UnreadableDocument(name, f"cannot open the file: {err.strerror or err}") from err
    elif isinstance(source, io.TextIOBase):
        raise TypeError(
            "parse_file() needs a binary file object (open(path, 'rb')); for text already "
            "decoded use parse_report()"
        )
    elif hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        try:
            data = source.read(limits.max_bytes + 1)
        except OSError as err:
            raise UnreadableDocument(name, f"cannot read the stream: {err}") from err
        if not isinstance(data, bytes):
            raise TypeError(
                f"parse_file() needs a binary file object; its read() gave {type(data).__name__}"
            )
    else:
        raise TypeError(
            "parse_file() expects a path, bytes or a binary file object, not "
            f"{type(source).__name__}"
        )
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(
            name, f"the file has more than {limits.max_bytes:,} bytes (the limit)"
        )
    return name, data


def sniff(data: bytes, name: str = "<bytes>") -> str:
    """The kind of a file from its first bytes: ``pdf``, ``docx``, ``html`` or ``text``.

    Formats that are recognised but not read raise :class:`UnsupportedFormatError` (or
    :class:`EncryptedDocumentError` for an encrypted Office file).
    """
    head = data[:4096]
    ext = Path(name).suffix.lower() if name and not name.startswith("<") else ""
    if not data:
        raise CorruptDocumentError(name, "the file is empty")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, name)
    if head.startswith(_OLE):
        raise _ole_error(data, name, ext)
    for magic, label in _IMAGES:
        if head.startswith(magic):
            raise UnsupportedFormatError(
                name,
                f"a {label} image, not a document: recognise its text with OCR first, or find "
                "the report as a web page, PDF or DOCX",
                kind=label.lower(),
            )
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise UnsupportedFormatError(name, "a WebP image, not a document (OCR it first)")
    for magic, label in _ARCHIVES:
        if head.startswith(magic):
            raise UnsupportedFormatError(name, f"{label}: unpack it and parse the files inside")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise UnsupportedFormatError(
            name, "an RTF file: open it in an office suite and save it as DOCX or PDF", kind="rtf"
        )
    if codec := _utf16_bom(head):
        body = head[2 : len(head) - (len(head) % 2)]
        probe = body.decode(codec, errors="replace").encode("utf-8")
        return "html" if _HTML_START.match(probe) else "text"
    if _HTML_START.match(head) or (ext in (".html", ".htm") and _HTML_ANYWHERE.search(head)):
        return "html"
    return "text"


def _utf16_bom(data: bytes) -> str | None:
    """The UTF-16 codec a byte-order mark names, or None."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if data.startswith(b"\xfe\xff"):
        return "utf-16-be"
    return None


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist()[:10_000])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise CorruptDocumentError(name, f"a damaged ZIP/DOCX file ({err})", kind="docx") from err
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedFormatError(
            name, "an Excel workbook (XLSX), not a report document", kind="xlsx"
        )
    if any(n.startswith("ppt/") for n in names):
        raise UnsupportedFormatError(name, "a PowerPoint file (PPTX), not a report", kind="pptx")
    if "OFD.xml" in names:
        raise UnsupportedFormatError(
            name, "an OFD document: export it to PDF (for example in 数科阅读器) first", kind="ofd"
        )
    if "content.xml" in names and "mimetype" in names:
        raise UnsupportedFormatError(
            name, "an OpenDocument file (ODT): save it as DOCX or PDF first", kind="odt"
        )
    raise UnsupportedFormatError(
        name, "a ZIP archive, not a DOCX: unpack it and parse the files inside", kind="zip"
    )


def _ole_error(data: bytes, name: str, ext: str) -> UnreadableDocument:
    """An OLE compound file: old Word (.doc), WPS (.wps), or an encrypted DOCX."""
    if "EncryptionInfo".encode("utf-16-le") in data:
        return EncryptedDocumentError(
            name,
            "an encrypted (password-protected) Office document: remove the password and save "
            "it again",
            kind="docx",
        )
    if ext == ".wps" or "WpsCustomData".encode("utf-16-le") in data:
        label, kind = "a WPS Office document (.wps)", "wps"
    elif "WordDocument".encode("utf-16-le") in data or ext == ".doc":
        label, kind = "an old Word document (.doc)", "doc"
    else:
        label, kind = "an old Office file (OLE compound document)", "ole"
    return UnsupportedFormatError(
        name,
        f"{label} is not read: open it in Word, WPS or LibreOffice and save it as DOCX or PDF "
        "(for example `soffice --headless --convert-to docx FILE`)",
        kind=kind,
    )


# --- text files ----------------------------------------------------------------------------


def decode_text(data: bytes, name: str = "<bytes>", limits: Limits | None = None) -> DecodedText:
    """Decode a text or markdown file: BOM, then UTF-8, UTF-16 without BOM, GB18030.

    Binary data is refused (``CorruptDocumentError``) rather than decoded into noise.
    """
    limits = limits or DEFAULT_LIMITS
    text: str | None = None
    encoding = ""
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif codec := _utf16_bom(data):
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


# --- dispatch ------------------------------------------------------------------------------


def _read_text(data: bytes, name: str, limits: Limits) -> DecodedText:
    return decode_text(data, name, limits)


def _read_pdf(data: bytes, name: str, limits: Limits) -> Document:
    from .pdf import read_pdf

    return read_pdf(data, name=name, limits=limits)


def _read_docx(data: bytes, name: str, limits: Limits) -> Document:
    from .docx import read_docx

    return read_docx(data, name=name, limits=limits)


def _read_html(data: bytes, name: str, limits: Limits) -> Document:
    from .html import read_html

    return read_html(data, name=name, limits=limits)


_READERS: dict[str, Callable[[bytes, str, Limits], Document | DecodedText]] = {
    "pdf": _read_pdf,
    "docx": _read_docx,
    "html": _read_html,
    "text": _read_text,
}
