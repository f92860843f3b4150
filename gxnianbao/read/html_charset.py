"""An HTML page's bytes -> its text: byte-order mark, valid UTF-8, the declared charset, GB18030.

Why not trust the declaration: Chinese government CMSs often declare ``gb2312`` and serve UTF-8,
or declare a Western single-byte charset by default; the order here reads every page the way a
browser shows it, and says in a diagnostic whenever the page's own declaration did not decide.
"""

from __future__ import annotations

import codecs

import regex

from ..model import Diagnostic
from .textfile import utf16_order

__all__ = ["decode_html"]

_PRESCAN = 8192
"""Bytes searched for a ``<meta>`` charset (the HTML standard says 1024; Chinese sites often put
long inline scripts before it)."""
_META = regex.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", regex.IGNORECASE
)
_XML_DECL = regex.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""")
_GB = frozenset(
    "gb2312 gbk gb_2312-80 gb_2312 x-gbk cp936 ms936 windows-936 gb18030 euc-cn csgb2312 "
    "chinese iso-ir-58 x-euc-cn hz-gb-2312".split()
)
_HIGH = regex.compile(rb"[\x80-\xff]")
_WESTERN = ("ascii", "latin", "iso8859", "cp1252", "cp125", "windows-125")
"""Single-byte charsets that decode any bytes: a Chinese report declaring one is never in it
(CMS defaults), so GB18030 is tried first."""


def _declared(data: bytes) -> str | None:
    """The charset the page declares in its first bytes, as a Python codec name."""
    head = data[:_PRESCAN]
    m = _XML_DECL.match(head) or _META.search(head)
    if m is None:
        return None
    label = m[1].decode("ascii", "replace").lower()
    if label in _GB:
        return "gb18030"  # a superset: pages declaring gb2312 use GBK characters
    if label.startswith(("utf-16", "utf-32", "ucs")):
        return "utf-8"  # found by an ASCII scan, so the bytes are not UTF-16 (as browsers do)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _info(message: str, code: str = "charset-fallback") -> Diagnostic:
    return Diagnostic(code, "info", message)


def decode_html(data: bytes) -> tuple[str, list[Diagnostic]]:
    """The page as text: BOM, then valid UTF-8, then the declared charset, then GB18030.

    Bytes that are valid UTF-8 (with non-ASCII in them) are read as UTF-8 whatever the page
    declares: GBK text of any length is almost never valid UTF-8, while pages declaring gb2312
    and served as UTF-8 are common.  A diagnostic says so whenever the page's own declaration
    (or its absence) was not what decided.
    """
    notes: list[Diagnostic] = []
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _decode_or_replace(data[len(bom) :], codec, notes), notes
    utf16 = utf16_order(data)  # (weighed over the whole sample, as for text files)
    if utf16 is not None:
        notes.append(_info(f"no byte-order mark, but the bytes look like {utf16}; read as such"))
        return _decode_or_replace(data, utf16, notes), notes
    declared = _declared(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared not in (None, "utf-8") and _HIGH.search(data):
            notes.append(
                _info(f"the page declares {declared}, but its bytes are UTF-8; read as UTF-8")
            )
        return text, notes
    if declared not in (None, "utf-8") and not declared.startswith(_WESTERN):
        try:
            return data.decode(declared), notes
        except (UnicodeDecodeError, LookupError):
            pass
    said = f"declares {declared}" if declared else "declares no charset"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        notes.append(_info(f"the page {said} and is not UTF-8; read as GB18030"))
        return text, notes
    return _decode_or_replace(data, declared or "gb18030", notes), notes


def _decode_or_replace(data: bytes, codec: str, notes: list[Diagnostic]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        text = data.decode(codec, "replace")
        bad = text.count("\ufffd")
        notes.append(
            Diagnostic(
                "undecodable-bytes",
                "warning",
                f"{bad} byte sequence(s) are not valid {codec}; each was read as U+FFFD",
            )
        )
        return text
