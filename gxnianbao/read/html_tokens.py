"""HTML text -> text runs, start tags (with attributes) and end tags, in one linear pass.

Why a tokenizer of its own rather than :mod:`html.parser`: CPython's parser before the fixes for
CVE-2025-6069 (3.13.4, 3.12.11, …) takes quadratic time on unclosed constructs – ``"<a" * 50_000``
(100 KB) takes 40 s, ``"<!--" * 50_000`` two minutes on 3.11 – and pages come from anywhere.  This
one follows the browser rule that a construct either ends or runs to the end of the input, so
each character is looked at a bounded number of times; there is no recursion.  Comments,
doctypes, processing instructions and the content of raw-text elements (``<script>``,
``<style>``, ``<title>`` …) are skipped here; the tree builder sees only the tags it asks for.
Start tags and the attributes read are counted against ``limits.max_elements`` and
``limits.max_attributes``, so a page of a million tags or one tag of a million attributes
stops early, in bounded memory.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import Protocol

import regex

from ..errors import DocumentTooLargeError
from ..limits import DEFAULT_LIMITS, Limits

__all__ = ["RAW_TEXT", "TokenHandler", "scan_tag", "skip_raw", "tokenize"]

_TAG_NAME = regex.compile(r"[A-Za-z][^\t\n\f\r />]*")
_ATTR_GAP = regex.compile(r"[\t\n\f\r /]*")
_ATTR_NAME = regex.compile(r"[^\t\n\f\r />][^\t\n\f\r /=>]*")
_EQUALS = re.compile(r"[\t\n\f\r ]*=[\t\n\f\r ]*")
"""(``re``, not ``regex``: ``regex`` first looks for the ``=`` in the rest of the text, so a tag
of many attributes without values took quadratic time.)"""
_UNQUOTED = regex.compile(r"[^\t\n\f\r >]*")
_FAST_TAG = regex.compile(
    r"""<([A-Za-z][^\t\n\f\r />]*+)((?:[\t\n\f\r /]*+[^\t\n\f\r />"'=<`][^\t\n\f\r />"'=<`]*+"""
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >"'=<`]++))?)*+)"""
    r"""[\t\n\f\r /]*+>"""
).match
"""A well-formed start tag in one match (possessive: no backtracking).  What it refuses goes to
:func:`scan_tag`, which reads any start tag as browsers do."""
_FAST_TAG_CHARS = 4096
"""Longer tags go to :func:`scan_tag` (which counts their attributes): the one-match pattern
would hold a million attributes' repeats in memory at once."""
_NO_ATTRS: dict[str, str] = {}
RAW_TEXT = frozenset(
    "script style noscript template title textarea xmp iframe noembed noframes".split()
)
"""Raw-text elements whose content is dropped unread (up to their end tag)."""


@functools.cache
def _raw_end(name: str) -> regex.Pattern[str]:
    """The end tag of a raw-text element (compiled on first use)."""
    return regex.compile(rf"</{name}(?=[\t\n\f\r />]|$)", regex.IGNORECASE)


class TokenHandler(Protocol):
    """What the tokenizer hands its tokens to (the tree builder)."""

    def add_text(self, pos: int, chunk: str) -> None: ...

    def start(self, name: str, attrs_: dict[str, str], pos: int) -> None: ...

    def end(self, name: str) -> None: ...

    def too_large(self, reason: str) -> DocumentTooLargeError: ...


class _TooManyAttributes(Exception):
    """Raised by :func:`scan_tag` past its allowance of attributes."""


def tokenize(
    text: str,
    handler: TokenHandler,
    structural: frozenset[str],
    attributed: frozenset[str],
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Hand ``text``'s tokens to ``handler``: text runs, and the start and end tags named in
    ``structural`` (lower case); a start tag's attributes are read only for the names in
    ``attributed`` (reading attributes is the costly part, and few tags need them).

    Raises ``handler.too_large(reason)`` past ``limits.max_elements`` start tags or
    ``limits.max_attributes`` attributes read."""
    try:
        _tokenize(text, handler, structural, attributed, limits)
    except _TooManyAttributes:
        raise handler.too_large(
            f"more than {limits.max_attributes:,} attributes (limits.max_attributes)"
        ) from None


def _tokenize(
    text: str,
    handler: TokenHandler,
    structural: frozenset[str],
    attributed: frozenset[str],
    limits: Limits,
) -> None:
    add_text, start, end = handler.add_text, handler.start, handler.end
    n = len(text)
    pos = 0
    find = text.find
    elements_left = limits.max_elements
    attributes_left = limits.max_attributes
    while pos < n:
        lt = find("<", pos)
        if lt < 0:
            add_text(pos, text[pos:])
            return
        if lt > pos:
            add_text(pos, text[pos:lt])
        nxt = text[lt + 1 : lt + 2]
        if nxt.isascii() and nxt.isalpha():
            elements_left -= 1
            if elements_left < 0:
                raise handler.too_large(
                    f"more than {limits.max_elements:,} elements (limits.max_elements)"
                )
            close = find(">", lt, lt + _FAST_TAG_CHARS)
            m = _FAST_TAG(text, lt) if close >= 0 else None
            if m is not None:
                name = m[1].lower()
                pos = m.end()
                attrs_ = _NO_ATTRS
                if name in attributed and m[2]:
                    tag = scan_tag(text, lt + 1, attributes_left)
                    assert tag is not None
                    attrs_ = tag[1]
                    attributes_left -= tag[3]
            else:
                tag = scan_tag(text, lt + 1, attributes_left)
                if tag is None:
                    return  # end of input inside a tag: browsers drop it
                name, attrs_, pos, read = tag
                attributes_left -= read
            if name in structural:
                start(name, attrs_, lt)
            elif name in RAW_TEXT:
                pos = skip_raw(text, name, pos)
        elif nxt == "/":
            after = text[lt + 2 : lt + 3]
            if after.isascii() and after.isalpha():
                close = find(">", lt + 2)
                if close < 0:
                    return
                raw = text[lt + 2 : close].split("/", 1)[0].split(None, 1)[0].lower()
                if raw in structural:
                    end(raw)
                pos = close + 1
            elif after == ">":
                pos = lt + 3
            elif not after:
                add_text(lt, "</")
                return
            else:
                close = find(">", lt + 2)
                if close < 0:
                    return
                pos = close + 1
        elif nxt == "!":
            if text.startswith("<!--", lt):
                if text.startswith(">", lt + 4):
                    pos = lt + 5
                elif text.startswith("->", lt + 4):
                    pos = lt + 6
                else:
                    close = find("-->", lt + 4)
                    if close < 0:
                        return  # a comment running to the end of the input
                    pos = close + 3
            else:
                close = find(">", lt + 2)
                if close < 0:
                    return
                pos = close + 1
        elif nxt == "?":
            close = find(">", lt + 2)
            if close < 0:
                return
            pos = close + 1
        else:
            add_text(lt, "<")
            pos = lt + 1


def scan_tag(
    text: str, i: int, most: int = sys.maxsize
) -> tuple[str, dict[str, str], int, int] | None:
    """A start tag from its name at ``i``: name, attributes, the offset after ``>`` and the
    number of attributes read (raises ``_TooManyAttributes`` past ``most``)."""
    n = len(text)
    m = _TAG_NAME.match(text, i)
    assert m is not None
    name = m[0].lower()
    j = m.end()
    attrs_: dict[str, str] = {}
    read = 0
    while True:
        j = _ATTR_GAP.match(text, j).end()  # type: ignore[union-attr]
        if j >= n:
            return None
        if text[j] == ">":
            return name, attrs_, j + 1, read
        read += 1
        if read > most:
            raise _TooManyAttributes
        m = _ATTR_NAME.match(text, j)
        assert m is not None
        key = m[0].lower()
        j = m.end()
        value = ""
        eq = _EQUALS.match(text, j)
        if eq is not None:
            j = eq.end()
            if j >= n:
                return None
            quote = text[j]
            if quote in "\"'":
                close = text.find(quote, j + 1)
                if close < 0:
                    return None
                value = text[j + 1 : close]
                j = close + 1
            else:
                u = _UNQUOTED.match(text, j)
                assert u is not None
                value = u[0]
                j = u.end()
        attrs_.setdefault(key, value)


def skip_raw(text: str, name: str, pos: int) -> int:
    """Past the end tag of a raw-text element (or to the end of the input)."""
    end = _raw_end(name).search(text, pos)
    if end is None:
        return len(text)
    close = text.find(">", end.end())
    return len(text) if close < 0 else close + 1
