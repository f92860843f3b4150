"""Matching label text against a template's vocabulary.

Labels in the wild are letter-spaced, broken over lines, written with half- or full-width
brackets, numbered ``1.`` or ``1、``, worded a little differently, or mistyped.  Matching works on a
*core*: the text with whitespace, punctuation and leading numbering removed, so that all of these
compare equal.  A label matches an entry exactly, by containing one of its aliases (the longest
wins), or, failing both, by character-bigram similarity for typos.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from typing import Literal

import attrs

from ..templates import TableSpec
from .text import BOOKMARK, lazy_pattern

EntryKind = Literal["row", "group", "column", "header"]

_NOT_WORD = lazy_pattern(r"[^\p{Han}\p{L}\p{N}]+")
_NUMBERING = lazy_pattern(
    r"^(?:[(（][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十0-9]{1,3}[、.．])"
)


def flat(text: str) -> str:
    """Text with compatibility forms folded and everything but letters and digits removed."""
    text = unicodedata.normalize("NFKC", text)
    if "[bookmark" in text:
        text = BOOKMARK.sub("", text)
    return _NOT_WORD().sub("", text)


def strip_numbering(text: str) -> str:
    """``（一）予以公开`` -> ``予以公开``; ``1.属于国家秘密`` -> ``属于国家秘密`` (on NFKC text)."""
    return _NUMBERING().sub("", text, count=1)


def core(text: str) -> str:
    """The comparable core of a label (short labels are cached: they recur in every report)."""
    if len(text) > 240:
        return _core(text)
    return _core_cached(text)


def _core(text: str) -> str:
    return flat(strip_numbering(unicodedata.normalize("NFKC", text).lstrip()))


_core_cached = functools.lru_cache(maxsize=16384)(_core)


@attrs.frozen(slots=True)
class Entry:
    """Something a label can name: a row, a group, a column or another header word."""

    kind: EntryKind
    key: str


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


class Vocabulary:
    """The labels of one table, indexed for fast matching."""

    def __init__(self, table: TableSpec) -> None:
        self.table = table
        self.cell_keys = tuple((row.key, col.key) for row in table.rows for col in row.columns)
        self.rows = {row.key: row for row in table.rows}
        self.official: dict[tuple[EntryKind, str], str] = {}
        for row in table.rows:
            self.official[("row", row.key)] = row.label
            for col in row.columns:
                self.official.setdefault(("column", col.key), col.label)
        for group in table.groups:
            self.official[("group", group.key)] = group.label
        self.row_cells = {
            row.key: (
                tuple((row.key, col.key) for col in row.columns),
                tuple((col, col.kind or row.kind) for col in row.columns),
            )
            for row in table.rows
        }
        exact: dict[str, list[Entry]] = {}
        aliases: dict[str, list[Entry]] = {}

        def add(kind: EntryKind, key: str, label: str, more: Iterable[str]) -> None:
            entry = Entry(kind, key)
            full = core(label)
            exact.setdefault(full, []).append(entry)
            for alias in (label, *more):
                c = core(alias)
                if c and entry not in aliases.setdefault(c, []):
                    aliases[c].append(entry)
                if c and entry not in exact.setdefault(c, []):
                    exact[c].append(entry)

        for row in table.rows:
            add("row", row.key, row.label, row.aliases)
            for col in row.columns:
                add("column", col.key, col.label, col.aliases)
        for group in table.groups:
            add("group", group.key, group.label, group.aliases)
        for header in table.header_labels:
            c = core(header)
            if c not in exact:
                add("header", c, header, ())
        self._exact = {k: tuple(v) for k, v in exact.items()}
        # Longest aliases first, so that 其他法律行政法规禁止公开 wins over 其他.
        self._aliases = sorted(
            ((k, tuple(v)) for k, v in aliases.items() if len(k) >= 2),
            key=lambda kv: -len(kv[0]),
        )
        self._fuzzy = [(k, _bigrams(k), v) for k, v in self._exact.items() if len(k) >= 4]

    def exact(self, label_core: str) -> tuple[Entry, ...]:
        return self._exact.get(label_core, ())

    def match(self, label_core: str) -> tuple[Entry, ...]:
        """Entries a single cell's label names: exact, then by alias, then by similarity."""
        if not label_core:
            return ()
        found = self._exact.get(label_core)
        if found:
            return found
        for alias, entries in self._aliases:
            if alias in label_core:
                return entries
        if len(label_core) < 4 or len(label_core) > 80:
            return ()
        grams = _bigrams(label_core)
        best: tuple[Entry, ...] = ()
        best_score = 0.0
        for _, other, entries in self._fuzzy:
            score = 2 * len(grams & other) / (len(grams) + len(other))
            if score > best_score:
                best, best_score = entries, score
        return best if best_score >= 0.72 else ()
