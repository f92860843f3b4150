"""The input formats, declared once: how each is recognised and which reader reads it.

Why one list: a format's knowledge (its file suffixes, its magic bytes, its reader, the names
``kind=`` accepts for it) used to be spread over the dispatcher, the sniffer and the batch
scanner.  Here each format is one :class:`Format`; :func:`~gxnianbao.read.files.sniff` and
:func:`~gxnianbao.read.files.read_document` walk :data:`FORMATS` in order, and the batch scanner
collects the files :func:`collected_suffixes` names.  Formats that are recognised but not read
(old Word and WPS files, other Office files, images without the OCR extra, archives, RTF) are
declared here too, with the error that says what to do with them.

Why sniff the content: downloaded reports often carry the wrong extension (a PDF saved as
``.html``, a DOCX named ``.doc``).  The extension only breaks the tie between text and HTML.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs
import regex

from ..errors import (
    CorruptDocumentError,
    EncryptedDocumentError,
    NeedsOCRError,
    UnreadableDocument,
    UnsupportedFormatError,
)
from ..limits import Limits
from .document import Document
from .engines import DEFAULT_PDF_ENGINE
from .textfile import DecodedText, decode_text, utf16_bom


@attrs.frozen(slots=True)
class Probe:
    """What a sniffer looks at: the file's bytes, its first 4 KB, its name and suffix."""

    data: bytes
    name: str
    head: bytes
    ext: str
    """The name's suffix in lower case (``".html"``); ``""`` for bytes and streams."""

    @classmethod
    def of(cls, data: bytes, name: str = "<bytes>") -> Probe:
        ext = Path(name).suffix.lower() if name and not name.startswith("<") else ""
        return cls(data, name, data[:4096], ext)


Sniffer = Callable[[Probe], bool]
"""Does the probe hold this format?  May raise an :class:`~gxnianbao.UnreadableDocument`
subclass when it recognises the bytes but they cannot be read (a refused or damaged file)."""
Reader = Callable[[bytes, str, Limits], Document | DecodedText]
"""``(data, name, limits)`` -> the document (text files: their decoded text)."""
EngineReader = Callable[[bytes, str, Limits, str], Document]
"""``(data, name, limits, engine)`` -> the document, read with the engine named."""


@attrs.frozen(slots=True)
class Format:
    """One input format: its name, the suffixes of its files, its sniffer and its reader."""

    name: str
    """The name ``kind=`` accepts and :func:`~gxnianbao.read.files.sniff` returns."""
    suffixes: tuple[str, ...]
    """Suffixes a folder scan collects as this format (a refused format lists them when its
    files should be reported as unreadable rather than skipped)."""
    sniff: Sniffer
    read: Reader | None
    """None: the format is recognised but not read (its sniffer raises the error)."""
    aliases: tuple[str, ...] = ()
    """Other names ``kind=`` accepts (``"txt"`` for ``"text"``)."""
    read_with: EngineReader | None = None
    """The reader that takes an engine's name, for a format read by more than one (PDF:
    ``read/engines.py``); ``read`` reads with the default engine."""


# --- the readers: imported on first use (pdfminer and lxml are slow to import) -------------


def _read_pdf(data: bytes, name: str, limits: Limits) -> Document:
    return _read_pdf_with(data, name, limits, DEFAULT_PDF_ENGINE)


def _read_scan(data: bytes, name: str, limits: Limits, err: NeedsOCRError) -> Document:
    """A PDF without a usable text layer, recognised by OCR when the extra is installed."""
    from .ocr.available import EXTRA_ADVICE, ocr_available

    if not ocr_available():
        raise NeedsOCRError(name, f"{err.reason}; {EXTRA_ADVICE}", kind=err.kind) from None
    from .ocr.reader import read_scanned_pdf

    return read_scanned_pdf(data, name=name, limits=limits)


def _read_image(data: bytes, name: str, limits: Limits) -> Document:
    from .ocr.available import EXTRA_ADVICE, ocr_available

    if not ocr_available():
        raise UnsupportedFormatError(name, f"an image is read by OCR: {EXTRA_ADVICE}", kind="image")
    from .ocr.reader import read_image

    return read_image(data, name=name, limits=limits)


def _read_pdf_with(data: bytes, name: str, limits: Limits, engine: str) -> Document:
    from .pdf import read_pdf

    try:
        return read_pdf(data, name=name, limits=limits, engine=engine)
    except NeedsOCRError as err:
        return _read_scan(data, name, limits, err)


def _read_docx(data: bytes, name: str, limits: Limits) -> Document:
    from .docx import read_docx

    return read_docx(data, name=name, limits=limits)


def _read_html(data: bytes, name: str, limits: Limits) -> Document:
    from .html import read_html

    return read_html(data, name=name, limits=limits)


def _read_text(data: bytes, name: str, limits: Limits) -> DecodedText:
    return decode_text(data, name, limits)


# --- the sniffers --------------------------------------------------------------------------

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_SCANS = ("PNG", "JPEG", "TIFF")
"""The image formats the OCR reader takes."""
_ARCHIVES = (
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
)
_HTML_SUFFIXES = (".html", ".htm")


@functools.cache
def _html_start() -> regex.Pattern[bytes]:
    return regex.compile(
        rb"\A(?:\xef\xbb\xbf)?\s{0,200}(?:<!--.{0,2000}?-->\s{0,200})?"
        rb"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|span|style|script)\b",
        regex.IGNORECASE | regex.DOTALL,
    )


@functools.cache
def _html_anywhere() -> regex.Pattern[bytes]:
    return regex.compile(rb"<(?:html|body|table|td)\b", regex.IGNORECASE)


def _is_pdf(probe: Probe) -> bool:
    return b"%PDF-" in probe.data[:1024]


def _zip_names(probe: Probe) -> set[str] | None:
    """The member names of a ZIP file (None: not a ZIP); a damaged one is an error."""
    if not probe.head.startswith(_ZIP):
        return None
    import zipfile  # only for ZIP files: not paid by ``import gxnianbao``

    try:
        with zipfile.ZipFile(io.BytesIO(probe.data)) as z:
            return set(z.namelist()[:10_000])
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        # NotImplementedError: zipfile's answer to a member that asks for a newer ZIP version
        raise CorruptDocumentError(
            probe.name, f"a damaged ZIP/DOCX file ({err})", kind="docx"
        ) from err


def _is_docx(probe: Probe) -> bool:
    names = _zip_names(probe)
    return names is not None and (
        "word/document.xml" in names or any(n.startswith("word/") for n in names)
    )


def _other_zip(probe: Probe) -> bool:
    """Refuses every other ZIP file: other Office formats, OFD, ODT, plain archives."""
    names = _zip_names(probe)
    if names is None:
        return False
    name = probe.name
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


def _ole(probe: Probe) -> bool:
    """Refuses an OLE compound file: old Word (.doc), WPS (.wps), or an encrypted DOCX."""
    if not probe.head.startswith(_OLE):
        return False
    data, name = probe.data, probe.name
    if "EncryptionInfo".encode("utf-16-le") in data:
        raise EncryptedDocumentError(
            name,
            "an encrypted (password-protected) Office document: remove the password and save "
            "it again",
            kind="docx",
        )
    if probe.ext == ".wps" or "WpsCustomData".encode("utf-16-le") in data:
        label, kind = "a WPS Office document (.wps)", "wps"
    elif "WordDocument".encode("utf-16-le") in data or probe.ext == ".doc":
        label, kind = "an old Word document (.doc)", "doc"
    else:
        label, kind = "an old Office file (OLE compound document)", "ole"
    raise UnsupportedFormatError(
        name,
        f"{label} is not read: open it in Word, WPS or LibreOffice and save it as DOCX or PDF "
        "(for example `soffice --headless --convert-to docx FILE`)",
        kind=kind,
    )


def _is_scan(probe: Probe) -> bool:
    """A PNG, JPEG or TIFF image (a scan), read by OCR when the extra is installed."""
    head = probe.head
    if not any(head.startswith(magic) for magic, label in _IMAGES if label in _SCANS):
        return False  # (before the OCR package is imported: it pulls in the PDF reader)
    from .ocr.available import ocr_available

    return ocr_available()


def _image(probe: Probe) -> bool:
    """Refuses images: a scan's text must be recognised (OCR) first."""
    head = probe.head
    for magic, label in _IMAGES:
        if head.startswith(magic):
            from .ocr.available import EXTRA_ADVICE

            advice = EXTRA_ADVICE if label in _SCANS else "recognise its text with OCR first"
            raise UnsupportedFormatError(
                probe.name,
                f"a {label} image, not a document: {advice}, or find the report as a web "
                "page, PDF or DOCX",
                kind=label.lower(),
            )
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise UnsupportedFormatError(probe.name, "a WebP image, not a document (OCR it first)")
    return False


def _archive(probe: Probe) -> bool:
    """Refuses compressed archives other than ZIP."""
    for magic, label in _ARCHIVES:
        if probe.head.startswith(magic):
            raise UnsupportedFormatError(
                probe.name, f"{label}: unpack it and parse the files inside"
            )
    return False


def _rtf(probe: Probe) -> bool:
    if probe.head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise UnsupportedFormatError(
            probe.name,
            "an RTF file: open it in an office suite and save it as DOCX or PDF",
            kind="rtf",
        )
    return False


def _is_html(probe: Probe) -> bool:
    """Markup at the start (after a BOM, blanks, a comment), or anywhere in a ``.html`` file."""
    head = probe.head
    if codec := utf16_bom(head):
        body = head[2 : len(head) - (len(head) % 2)]
        probe_text = body.decode(codec, errors="replace").encode("utf-8")
        return _html_start().match(probe_text) is not None
    return _html_start().match(head) is not None or (
        probe.ext in _HTML_SUFFIXES and _html_anywhere().search(head) is not None
    )


def _anything(probe: Probe) -> bool:
    return True


# --- the list --------------------------------------------------------------------------------

PDF = Format("pdf", (".pdf",), _is_pdf, _read_pdf, read_with=_read_pdf_with)
DOCX = Format("docx", (".docx",), _is_docx, _read_docx)
OTHER_ZIP = Format("zip", (), _other_zip, None)
OLE = Format("doc", (".doc", ".wps"), _ole, None)
SCAN = Format("image", (), _is_scan, _read_image, aliases=("png", "jpeg", "jpg", "tiff", "scan"))
"""A scanned page as an image file: read by OCR (the ``ocr`` extra); refused without it.  A
folder scan does not collect images (a folder of downloaded pages holds logos and photos):
name the files."""
IMAGE = Format("image", (), _image, None)
ARCHIVE = Format("archive", (), _archive, None)
RTF = Format("rtf", (), _rtf, None)
HTML = Format("html", _HTML_SUFFIXES, _is_html, _read_html, aliases=("htm",))
TEXT = Format("text", (".txt", ".md"), _anything, _read_text, aliases=("txt", "md", "markdown"))
"""Whatever no earlier format claims is read as text (decoding refuses binary data)."""

FORMATS: tuple[Format, ...] = (
    PDF,
    DOCX,
    OTHER_ZIP,
    OLE,
    SCAN,
    IMAGE,
    ARCHIVE,
    RTF,
    HTML,
    TEXT,
)
"""Every format, in the order the sniffer tries them: magic bytes first, text last.  To read
another format, pass ``(MY_FORMAT, *FORMATS)`` (before :data:`TEXT`, which takes anything)."""


def readable(formats: Iterable[Format] = FORMATS) -> tuple[Format, ...]:
    """The formats that have a reader, in order."""
    return tuple(f for f in formats if f.read is not None)


def find(kind: str, formats: Iterable[Format] = FORMATS) -> Format | None:
    """The readable format a ``kind=`` names (by name or alias), or None."""
    for f in readable(formats):
        if kind == f.name or kind in f.aliases:
            return f
    return None


def collected_suffixes(formats: Iterable[Format] = FORMATS) -> tuple[str, ...]:
    """The file suffixes a folder scan collects: every format's, in order."""
    return tuple(s for f in formats for s in f.suffixes)


def refusal(fmt: Format, probe: Probe) -> UnreadableDocument:
    """The error for a refused format whose sniffer said yes without raising one itself."""
    return UnsupportedFormatError(probe.name, f"a {fmt.name} file is not read", kind=fmt.name)
