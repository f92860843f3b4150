"""Files as they are published -> a Document: the format from the bytes, then its reader.

The formats themselves (how each is recognised, which reader reads it, which are refused with
what advice) are declared in :mod:`gxnianbao.read.formats`; this module loads the bytes under
the limits and walks that list.  ``formats=`` takes another list, so that a new format is one
declaration.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import attrs

from ..errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    UnreadableDocument,
    UnsupportedFormatError,
)
from ..limits import DEFAULT_LIMITS, Limits
from .document import Document
from .engines import check_pdf_engine
from .fetch import Download, HeaderCharset, download, header_decoded, is_url
from .formats import FORMATS, Format, Probe, find, readable, refusal
from .textfile import DecodedText, decode_text

__all__ = [
    "KINDS",
    "DecodedText",
    "Download",
    "Source",
    "decode_text",
    "download",
    "read_document",
    "sniff",
]

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | Download
"""A path or an ``http(s)://`` URL, the bytes, a binary file object, or a :class:`Download`."""
_TEXTUAL = ("html", "text")
"""Formats whose bytes a charset named by a server's ``Content-Type`` may decode."""

KINDS: tuple[str, ...] = tuple(f.name for f in readable(FORMATS))
"""The names ``kind=`` accepts (besides their aliases): ``pdf``, ``docx``, ``html``, ``text``."""


def read_document(
    source: Source,
    *,
    kind: str | None = None,
    limits: Limits | None = None,
    formats: Sequence[Format] = FORMATS,
    engine: str | None = None,
) -> Document | DecodedText:
    """Read a file into the readers' common form (text files: their decoded text).

    The format is sniffed from the content, trying ``formats`` in order; ``kind=`` names one
    of them (or an alias) and skips the sniffing.  An ``http://`` or ``https://`` URL is
    downloaded first (see :mod:`gxnianbao.read.fetch`).  ``engine`` chooses the PDF engine
    (``"pdfium"``, the default, or ``"pdfminer"``); other formats have one reader each.
    """
    if engine is not None:
        check_pdf_engine(engine)
    limits = limits or DEFAULT_LIMITS
    fmt: Format | None = None
    if kind is not None:
        fmt = find(kind, formats)
        if fmt is None:
            names = [f.name for f in readable(formats)]
            raise ValueError(f"kind must be one of {names} or None, not {kind!r}")
    if is_url(source):
        assert isinstance(source, str)
        source = download(source, limits)
    name, data = _load(source, limits)
    if fmt is None:
        fmt = _sniffed(data, name, formats)
    assert fmt.read is not None
    if engine is not None and fmt.read_with is not None:
        return fmt.read_with(data, name, limits, engine)
    charset = source.charset if isinstance(source, Download) else None
    decided = header_decoded(data, charset) if charset and fmt.name in _TEXTUAL else None
    if decided is None:
        return fmt.read(data, name, limits)
    return _noted(fmt.read(decided.data, name, limits), decided)


def _noted(read: Document | DecodedText, decided: HeaderCharset) -> Document | DecodedText:
    """What was read from bytes whose charset a server named, saying what decided."""
    kept = tuple(d for d in read.diagnostics if d.code != decided.note.code)
    if isinstance(read, DecodedText) and decided.encoding is not None:
        return attrs.evolve(read, encoding=decided.encoding, diagnostics=(decided.note, *kept))
    return attrs.evolve(read, diagnostics=(decided.note, *kept))


def _load(source: Source, limits: Limits) -> tuple[str, bytes]:
    """The file's name and bytes, refusing more than ``limits.max_bytes``."""
    if isinstance(source, Download):
        data = source.data
        name = source.url
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = "<bytes>"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(path)
        try:
            info = os.stat(path)
            _regular(name, info.st_mode)
            size = info.st_size
            if size > limits.max_bytes:
                raise DocumentTooLargeError(
                    name,
                    f"the file has {size:,} bytes; the limit is {limits.max_bytes:,} "
                    "(limits.max_bytes)",
                )
            # O_NONBLOCK: a FIFO swapped in after the check must not block the open either.
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as f:
                _regular(name, os.fstat(fd).st_mode)
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
            "parse_file() expects a path, a URL, bytes or a binary file object, not "
            f"{type(source).__name__}"
        )
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(
            name, f"the file has more than {limits.max_bytes:,} bytes (limits.max_bytes)"
        )
    return name, data


def _regular(name: str, mode: int) -> None:
    """Refuse a FIFO, device or socket before reading it: reading one can block for ever
    (a FIFO with no writer) or never end (``/dev/zero``)."""
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a directory: open() says so
        what = (
            "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a special file"
        )  # fmt: skip
        raise UnsupportedFormatError(name, f"not a regular file but {what}: it is not read")


def sniff(data: bytes, name: str = "<bytes>", formats: Sequence[Format] = FORMATS) -> str:
    """The name of a file's format from its first bytes: ``pdf``, ``docx``, ``html`` or ``text``.

    Formats that are recognised but not read raise :class:`UnsupportedFormatError` (or
    :class:`EncryptedDocumentError` for an encrypted Office file).
    """
    return _sniffed(data, name, formats).name


def _sniffed(data: bytes, name: str, formats: Sequence[Format]) -> Format:
    """The first readable format in ``formats`` that claims the bytes."""
    if not data:
        raise CorruptDocumentError(name, "the file is empty")
    probe = Probe.of(data, name)
    for fmt in formats:
        if fmt.sniff(probe):
            if fmt.read is None:
                raise refusal(fmt, probe)
            return fmt
    raise UnreadableDocument(name, "no input format recognises the file")
