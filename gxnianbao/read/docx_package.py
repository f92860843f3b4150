"""A DOCX package opened safely: the zip bomb checks, the main part, a capped XML stream.

Why apart from the body reader: everything here happens before a byte of the document's XML is
parsed, and bounds what a hostile file can cost (members, inflated sizes and ratios are read
from the zip headers; the XML parser resolves no entities, loads no DTD and reaches no network).
"""

from __future__ import annotations

import posixpath
import zipfile
from typing import IO

from lxml import etree  # type: ignore[import-untyped]

from ..errors import CorruptDocumentError, DocumentTooLargeError
from ..limits import Limits

__all__ = ["MAIN_PART", "CappedStream", "check_package", "xml_parser"]

_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "/officeDocument"
"""Suffix of the main-document relationship type (transitional and strict namespaces)."""
MAIN_PART = "word/document.xml"


def check_package(archive: zipfile.ZipFile, name: str, limits: Limits) -> str:
    """The main document part's name, after the zip bomb checks (sizes from the zip headers;
    zipfile never inflates a member past the size its header gives)."""
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise DocumentTooLargeError(
            name, f"the DOCX has {len(infos):,} zip members; the limit is "
            f"{limits.max_zip_members:,} (limits.max_zip_members)", kind="docx",
        )  # fmt: skip
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > (
            1 << 20
        ):
            raise DocumentTooLargeError(
                name, f"zip member {info.filename!r} inflates {info.compress_size:,} bytes to "
                f"{info.file_size:,} (more than {limits.max_ratio}×, limits.max_ratio): "
                "a zip bomb?",
                kind="docx",
            )  # fmt: skip
    if total > limits.max_decompressed:
        raise DocumentTooLargeError(
            name, f"the DOCX inflates to {total:,} bytes; the limit is "
            f"{limits.max_decompressed:,} (limits.max_decompressed)", kind="docx",
        )  # fmt: skip
    names = {info.filename for info in infos}
    part = _main_part(archive, names, limits)
    if part is None or part not in names:
        raise CorruptDocumentError(name, f"not a DOCX (no {MAIN_PART})", kind="docx")
    return part


def _main_part(archive: zipfile.ZipFile, names: set[str], limits: Limits) -> str | None:
    """The part ``_rels/.rels`` names as the office document (``word/document.xml`` in
    practice; some generators use another name), else ``word/document.xml``."""
    if "_rels/.rels" not in names:
        return MAIN_PART if MAIN_PART in names else None
    try:
        with archive.open("_rels/.rels") as f:
            raw = f.read(min(limits.max_decompressed, 1 << 20) + 1)
        root = etree.fromstring(raw, xml_parser())
    except Exception:  # a damaged .rels: fall back to the usual name
        return MAIN_PART if MAIN_PART in names else None
    for rel in root.iter(f"{{{_REL}}}Relationship"):
        if str(rel.get("Type", "")).endswith(_OFFICE_DOC) and rel.get("TargetMode") != "External":
            target = str(rel.get("Target", "")).lstrip("/")
            target = posixpath.normpath(target) if target else ""
            if target in names:
                return target
    return MAIN_PART if MAIN_PART in names else None


def xml_parser() -> etree.XMLParser:
    """An XML parser that resolves no entities, loads no DTD, reaches no network and keeps
    libxml2's limits on depth and text size (``huge_tree`` off)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


_DTD_MARKS = tuple(
    mark.encode(codec)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


class CappedStream:
    """A zip member stream for the XML parser: stops with :class:`DocumentTooLargeError` past
    ``cap`` bytes, and refuses a DTD (entity declarations: the XML bomb) before the parser sees
    it.  ``<!`` cannot occur in XML text unescaped, so the scan cannot misfire on content."""

    def __init__(self, stream: IO[bytes], part: str, name: str, cap: int) -> None:
        self._stream = stream
        self._part = part
        self._name = name
        self._cap = cap
        self._seen = 0
        self._tail = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size if size is not None and size >= 0 else 1 << 16)
        self._seen += len(chunk)
        if self._seen > self._cap:
            raise DocumentTooLargeError(
                self._name, f"{self._part} inflates to more than {self._cap:,} bytes "
                "(limits.max_decompressed)",
                kind="docx",
            )  # fmt: skip
        window = self._tail + chunk
        if b"<" in window and any(mark in window for mark in _DTD_MARKS):
            raise CorruptDocumentError(
                self._name, f"{self._part} declares a DTD or entities, which DOCX files never "
                "do (an XML bomb?)", kind="docx",
            )  # fmt: skip
        self._tail = window[-20:]
        return chunk
