"""HTML pages -> paragraphs and ``<table>`` grids with their spans, from the page's bytes.

The page is read in three steps, each in a module of its own: its bytes are decoded
(:mod:`.html_charset`), the text is split into tokens (:mod:`.html_tokens`, linear in the input
whatever it holds), and the tokens build paragraphs and grids (:mod:`.html_tree`).

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

import regex

from ..errors import CorruptDocumentError, DocumentTooLargeError, UnreadableDocument
from ..limits import DEFAULT_LIMITS, Limits
from .document import Document
from .html_charset import decode_html
from .html_tokens import tokenize
from .html_tree import CELLS, KIND, STRUCTURAL, TreeBuilder, to_blocks

__all__ = ["decode_html", "read_html"]

_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_MARKUP = regex.compile(r"<[A-Za-z!/?]")


def _check_textual(text: str, name: str) -> None:
    """Binary junk is refused: control characters or undecodable bytes over 1 % of the text."""
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


def read_html(data: bytes, *, name: str = "<bytes>", limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read an HTML page (the bytes as served) into paragraphs and table grids.

    Raises :class:`~gxnianbao.errors.DocumentTooLargeError` past ``limits`` (bytes, decoded
    characters, nesting depth, table cells) and :class:`~gxnianbao.errors.CorruptDocumentError`
    for anything that is not an HTML page; never another exception.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_html() expects bytes, not {type(data).__name__}")
    try:
        return _read(bytes(data), name, limits)
    except UnreadableDocument:
        raise
    except Exception as err:  # a bug here must still not escape as a traceback
        raise CorruptDocumentError(
            name, f"cannot be read as HTML ({type(err).__name__}: {err})", kind=KIND
        ) from err


def _read(data: bytes, name: str, limits: Limits) -> Document:
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
    _check_textual(text, name)
    builder = TreeBuilder(text, name, limits)
    tokenize(text, builder, STRUCTURAL, CELLS, limits)
    blocks = to_blocks(builder.finish())
    return Document(KIND, blocks, name, None, tuple(notes))
