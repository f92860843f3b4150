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
from .fold import fold
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


def distance(a: str, b: str, limit: int) -> int:
    """The edit distance of ``a`` and ``b`` (insert, drop or replace one character), or
    ``limit + 1`` when it is larger: a band of ``2 * limit + 1`` diagonals, so O(len * limit)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    over = limit + 1
    previous = [j if j <= limit else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [i if i <= limit else over] + [over] * len(b)
        low, high = max(1, i - limit), min(len(b), i + limit)
        char = a[i - 1]
        for j in range(low, high + 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char != b[j - 1]),
                over,
            )
        if min(current[low - 1 : high + 1]) > limit:
            return over
        previous = current
    return previous[len(b)]


def occurs_within_one(word: str, text: str) -> bool:
    """Whether some stretch of ``text`` is at most one edit from ``word`` (Sellers' algorithm:
    edit distance where the stretch may start anywhere; O(len(text) * len(word)))."""
    if len(word) <= 1 or word in text:
        return True
    column = list(range(len(word) + 1))
    for char in text:
        row = [0]
        for i, w in enumerate(word, 1):
            row.append(min(column[i] + 1, row[i - 1] + 1, column[i - 1] + (w != char)))
        column = row
        if column[-1] <= 1:
            return True
    return False


_MATCH_MEMO = 4096
"""Inexact wordings a vocabulary remembers the match of (bounded: it lives as long as the
vocabulary, which is shared by every parse)."""

_MEMO_LENGTH = 200
"""Longer wordings are matched anew each time (they are rare, and would hold memory)."""


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
        self._matched: dict[str, tuple[Entry, ...]] = {}

    @property
    def cores(self) -> tuple[str, ...]:
        """Every label core the table knows: official wordings, variants and header words."""
        return tuple(self._exact)

    def exact(self, label_core: str) -> tuple[Entry, ...]:
        return self._exact.get(label_core, ())

    def match(self, label_core: str) -> tuple[Entry, ...]:
        """Entries a single cell's label names: exact (folded to simplified characters if need
        be), then one edit away, by alias, or by similarity; each of the last three only where
        no other entry comes close (a wrong row is a wrong number)."""
        if not label_core:
            return ()
        found = self._exact.get(label_core)
        if found:
            return found
        found = self._matched.get(label_core)
        if found is None:
            found = self._inexact(label_core)
            if len(self._matched) < _MATCH_MEMO and len(label_core) <= _MEMO_LENGTH:
                self._matched[label_core] = found
        return found

    def _inexact(self, label_core: str) -> tuple[Entry, ...]:
        """:meth:`match` past the exact wordings: remembered per wording (a page may repeat one
        mistyped label thousands of times), up to :data:`_MATCH_MEMO` wordings."""
        if has_traditional(label_core):
            folded = fold(label_core)
            if folded != label_core:
                return self.match(folded)
        if len(label_core) <= 80:
            near = self._one_edit(label_core)
            if near:
                return near
        weak: tuple[Entry, ...] = ()
        for alias, entries in self._aliases:
            if alias in label_core:
                if len(alias) > _WEAK_ALIAS or len(label_core) <= len(alias) + _WEAK_ALIAS:
                    return entries
                # 其他 in 其他法律行政止公开: a word of the label, not its name.
                weak = entries
                break
        if len(label_core) < 4 or len(label_core) > 80:
            return weak
        return self._similar(label_core) or weak

    def _one_edit(self, label_core: str) -> tuple[Entry, ...]:
        """The one entry whose core or alias (of 4 characters or more) is one edit from
        ``label_core``, when no other entry is also one edit away; else nothing.

        (A word two edits from another label, as 行政请制 is from 行政许可, is still taken for
        the one it is one edit from: two slips in one short label are far rarer than one.)"""
        near: dict[frozenset[Entry], tuple[Entry, ...]] = {}
        for key, _, entries in self._fuzzy:
            if distance(label_core, key, 1) <= 1:
                near[frozenset(entries)] = entries
        if len(near) != 1:
            return ()
        return next(iter(near.values()))

    def _similar(self, label_core: str) -> tuple[Entry, ...]:
        """The entry sharing most character bigrams with ``label_core`` (a Dice score of at
        least :data:`_SIMILAR`), when every other entry scores well below it."""
        grams = _bigrams(label_core)
        scores: dict[frozenset[Entry], float] = {}
        named: dict[frozenset[Entry], tuple[Entry, ...]] = {}
        for _, other, entries in self._fuzzy:
            score = 2 * len(grams & other) / (len(grams) + len(other))
            which = frozenset(entries)
            if score > scores.get(which, -1.0):
                scores[which] = score
                named[which] = entries
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < _SIMILAR:
            return ()
        if len(ranked) > 1 and (
            ranked[1][1] >= _SIMILAR or ranked[0][1] - ranked[1][1] < _SIMILAR_MARGIN
        ):
            return ()
        return named[ranked[0][0]]


_WEAK_ALIAS = 2
"""An alias this short (其他, 总计) names a label only when the label is not much longer: in a
long label it is one word among others."""
_SIMILAR = 0.72
"""The least bigram (Dice) similarity of a mistyped label to the entry it names."""
_SIMILAR_MARGIN = 0.15
"""How far the second-best entry must score below the best one."""


def has_traditional(label_core: str) -> bool:
    """Whether ``label_core`` holds a character outside GB2312 (maybe a traditional one): the
    cheap test before folding, so that simplified labels never load OpenCC."""
    if label_core.isascii():
        return False
    try:
        label_core.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False
