"""Label runs: which template rows, groups and columns a run of label cells names.

A label may be broken over up to four cells (``1.属于国家`` | ``秘密``), so a run is rejoined
greedily before each cell is matched alone.  Runs recur in every report: their matches are
cached per table vocabulary, and the vocabulary per (hashable, frozen) table spec.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

from ..common.labels import Entry, EntryKind, Vocabulary, core
from ..common.lines import Cell
from ..model import SourceLabel
from ..model.cells import new_span
from ..model.report import new_source_label
from ..templates import TableSpec


@functools.lru_cache(maxsize=32)
def vocabulary(spec: TableSpec) -> Vocabulary:
    """The indexed labels of a table spec, built once per distinct spec."""
    return Vocabulary(spec)


class Match(NamedTuple):
    """Entries named by one label (possibly broken over several cells)."""

    entries: tuple[Entry, ...]
    cell: Cell
    """The label's last cell: the values follow it."""
    first: Cell
    text: str
    kinds: frozenset[EntryKind]
    """The kinds of ``entries``."""
    row: str | None
    """The key of the first row entry, if any."""
    group: str | None
    """The key of the first group entry, if any."""


class Named(NamedTuple):
    """What one label of a run names, from the cells' texts alone (so that it can be cached):
    a :class:`Match` but for the cells, given as indexes into the run."""

    entries: tuple[Entry, ...]
    first: int
    end: int
    """One past the index of the label's last cell."""
    text: str
    kinds: frozenset[EntryKind]
    row: str | None
    group: str | None


def _named(entries: tuple[Entry, ...], first: int, end: int, text: str) -> Named:
    return Named(
        entries,
        first,
        end,
        text,
        frozenset(e.kind for e in entries),
        next((e.key for e in entries if e.kind == "row"), None),
        next((e.key for e in entries if e.kind == "group"), None),
    )


def match_run(vocab: Vocabulary, labels: Sequence[Cell]) -> list[Match]:
    """The entries a label run names, left to right; a label broken over cells is rejoined."""
    texts = tuple(c.text for c in labels)
    if sum(map(len, texts)) <= _MAX_PLANNED:
        plan = _planned(vocab.table, texts)
    else:
        plan = _run_plan(vocab, texts)
    return [
        Match(n.entries, labels[n.end - 1], labels[n.first], n.text, n.kinds, n.row, n.group)
        for n in plan
    ]


_MAX_PLANNED = 400
"""Label runs up to this many characters are matched once per wording (they recur in every
report); longer ones are matched afresh each time, so that the cache stays small."""


def _run_plan(vocab: Vocabulary, texts: tuple[str, ...]) -> tuple[Named, ...]:
    """:func:`match_run` on the cells' texts alone (its result depends on nothing else)."""
    out: list[Named] = []
    i = 0
    n = len(texts)
    while i < n:
        hit = False
        for j in range(min(n, i + 4), i + 1, -1):
            raw = "".join(texts[i:j])
            entries = vocab.exact(core(raw))
            if entries:
                out.append(_named(entries, i, j, raw))
                i = j
                hit = True
                break
        if hit:
            continue
        entries = vocab.match(core(texts[i]))
        if entries:
            out.append(_named(entries, i, i + 1, texts[i]))
        i += 1
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _planned(spec: TableSpec, texts: tuple[str, ...]) -> tuple[Named, ...]:
    """:func:`_run_plan` remembered per table spec (by value) and wording."""
    return _run_plan(vocabulary(spec), texts)


def source_label(vocab: Vocabulary, kind: EntryKind, key: str, m: Match) -> SourceLabel:
    first, last = m.first, m.cell
    return new_source_label(
        vocab.table.key,
        kind,
        key,
        m.text.replace("\n", ""),
        vocab.official.get((kind, key), key),
        new_span(first.start, last.end, first.line, first.column, first.origin),
    )
