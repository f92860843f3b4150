"""HTML pages -> paragraphs and ``<table>`` grids with their spans, from the page's bytes.

The page is read in three steps, each in a module of its own: its bytes are decoded
(:mod:`.html_charset`), the text is parsed by ``lxml.html`` and its tree walked
(:mod:`.html_lxml`), and the walk builds paragraphs and grids (:mod:`.html_tree`).  A page
libxml2 cannot read completely (nested deeper than 256, a flood of ``<!--`` …, see
:mod:`.html_lxml`) is split into tokens by the hand-written tokenizer instead
(:mod:`.html_tokens`, linear in the input whatever it holds), whose tokens build the same
paragraphs and grids.

What becomes what:

- text outside tables: block elements (``p``, ``div``, ``h1``–``h6``, ``li``, ``br`` …) end a
  paragraph; whitespace runs collapse to one space; ``&nbsp;`` is a space.
- ``<script>``, ``<style>``, ``<noscript>``, ``<template>``, ``<title>``, ``<select>``,
  ``<textarea>``, ``<nav>`` and comments are dropped.  ``<header>`` and ``<footer>`` are kept:
  some sites put the report's title in ``<header>``; their menus and 版权所有 lines become
  paragraphs the sections locator already skips.
- a ``<table>`` is one :class:`Grid` (``rowspan``/``colspan`` placed by :func:`grid_from_rows`;
  a row span is clipped at the table's last row, ``rowspan="0"`` runs to it); a cell's text keeps
  ``<br>`` and block boundaries inside it as ``"\\n"``; empty and ``&nbsp;``-only cells are ``""``.
- a table holding another table is a layout table: its own cells' text becomes paragraphs, in
  order, and the tables inside it are read by the same rules (grids, or layout tables again).
"""

from __future__ import annotations

import re
from typing import Literal

import regex

from ..errors import CorruptDocumentError, DocumentTooLargeError, UnreadableDocument
from ..limits import DEFAULT_LIMITS, Limits
from .document import Document
from .html_charset import decode_html
from .html_lxml import LineTreeBuilder, NotReadHere, walk_page
from .html_tokens import tokenize
from .html_tree import CELLS, KIND, STRUCTURAL, TreeBuilder, to_blocks

__all__ = ["decode_html", "read_html"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_C0 = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]+")
_MARKUP = regex.compile(r"<[A-Za-z!/?]")


def _normalized(text: str, controls: bool) -> str:
    """The page's text as both engines read it alike: control characters other than white space
    removed (never content: libxml2 reads NUL as U+FFFD, browsers show none of them), carriage
    returns as line feeds or spaces (libxml2 reads a lone CR as a line feed but does not count it
    as a line: lines are counted by line feeds alone, as before)."""
    if controls:
        text = _C0.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", " ")
    return text


def _check_textual(text: str, name: str) -> bool:
    """Binary junk is refused: control characters or undecodable bytes over 1 % of the text.
    Whether the text holds control characters or U+FFFD at all."""
    if _CONTROL.search(text) is None:  # (one pass, the usual case)
        if _MARKUP.search(text) is None:
            raise CorruptDocumentError(name, "not HTML: no markup found", kind=KIND)
        return False
    sample = text[:65536]
    bad = len(_CONTROL.findall(sample))
    if bad > max(8, len(sample) // 100):
        raise CorruptDocumentError(
            name,
            f"not HTML: {bad} control or undecodable characters in its first {len(sample)}",
            kind=KIND,
        )
    if _MARKUP.search(text) is None:
        raise CorruptDocumentError(name, "not HTML: no markup found", kind=KIND)
    return True


def read_html(
    data: bytes,
    *,
    name: str = "<bytes>",
    limits: Limits = DEFAULT_LIMITS,
    engine: Literal["lxml", "tokens"] = "lxml",
) -> Document:
    """Read an HTML page (the bytes as served) into paragraphs and table grids.

    ``engine="lxml"`` (the default) parses the page with ``lxml.html`` and hands a page lxml
    cannot read completely to the hand-written tokenizer; ``engine="tokens"`` uses the tokenizer
    only.  Both give the same document for any page lxml reads.

    Raises :class:`~gxnianbao.errors.DocumentTooLargeError` past ``limits`` (bytes, decoded
    characters, nesting depth, table cells) and :class:`~gxnianbao.errors.CorruptDocumentError`
    for anything that is not an HTML page; never another exception.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_html() expects bytes, not {type(data).__name__}")
    if engine not in ("lxml", "tokens"):
        raise ValueError(f"read_html() engine must be 'lxml' or 'tokens', not {engine!r}")
    try:
        return _read(bytes(data), name, limits, engine == "lxml")
    except UnreadableDocument:
        raise
    except Exception as err:  # a bug here must still not escape as a traceback
        raise CorruptDocumentError(
            name, f"cannot be read as HTML ({type(err).__name__}: {err})", kind=KIND
        ) from err


def _read(data: bytes, name: str, limits: Limits, use_lxml: bool) -> Document:
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(
            name, f"{len(data)} bytes, over limits.max_bytes ({limits.max_bytes})", kind=KIND
        )
    text, notes = decode_html(data)
    if len(text) > limits.max_text_chars:
        raise DocumentTooLargeError(
            name,
            f"{len(text)} characters, over limits.max_text_chars ({limits.max_text_chars})",
            kind=KIND,
        )
    text = _normalized(text, _check_textual(text, name))
    builder = _walked(text, name, limits) if use_lxml else None
    if builder is None:
        builder = TreeBuilder(text, name, limits)
        tokenize(text, builder, STRUCTURAL, CELLS, limits)
    blocks = to_blocks(builder.finish())
    return Document(KIND, blocks, name, None, tuple(notes))


def _walked(text: str, name: str, limits: Limits) -> TreeBuilder | None:
    """The page read by lxml, or None when lxml cannot read it completely."""
    builder = LineTreeBuilder(text, name, limits)
    try:
        walk_page(text, builder, limits)
    except NotReadHere:
        return None
    return builder
