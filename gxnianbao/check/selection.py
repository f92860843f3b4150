"""Which rules to run: ``select`` and ``ignore`` as a linter takes them.

A selector is a rule id (``t3-balance/natural_person``), an id's part before ``/``
(``t3-balance``: every column), a pattern with ``*`` or ``?`` (``t3-*/total``) or a family name
(``identities``, ``narrative``, …).  A selector that names no rule is refused, with the closest
ids, so that a misspelt id does not silently select nothing (or ignore nothing).
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Iterable

import attrs

__all__ = ["Selection", "UnknownRuleError", "closest", "selectors"]

_MAX_SELECTOR = 200
"""Longer selectors are refused: no rule id is that long, and a pattern's cost grows with it."""


class UnknownRuleError(ValueError):
    """A selector names no rule, prefix, pattern or family; carries the closest ids."""

    def __init__(self, selector: str, close: tuple[str, ...]) -> None:
        self.selector = selector
        self.close = close
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(
            f"no rule, rule prefix, pattern or family is called {selector!r}{hint} (see"
            " gxnianbao.check.rules.rules() and gxnianbao.check.rules.FAMILIES)"
        )


def selectors(items: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """The selectors of ``items``: an iterable of them, or one string of comma-separated ones."""
    if items is None:
        return None
    if isinstance(items, str):
        items = [items]
    out = [part.strip() for item in items for part in item.split(",")]
    return tuple(part for part in out if part)


def closest(name: str, known: Iterable[str], n: int = 3) -> tuple[str, ...]:
    """The known ids (and families) most like ``name``: near spellings first, then ids that
    start with it."""
    pool = sorted(set(known))
    found = difflib.get_close_matches(name, pool, n=n, cutoff=0.6)
    if len(found) < n:
        found += [k for k in pool if k.startswith(name) and k not in found][: n - len(found)]
    return tuple(found)


@attrs.frozen(slots=True)
class Selection:
    """A set of selectors, sorted into what they name."""

    families: frozenset[str]
    ids: frozenset[str]
    prefixes: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, items: Iterable[str], catalogue: Iterable[tuple[str, str]]) -> Selection:
        """The selectors ``items`` against the rules of ``catalogue``, as (id, family) pairs.

        Raises :class:`UnknownRuleError` for a selector that names none of them.
        """
        rules = tuple(catalogue)
        known = {rule for rule, _ in rules}
        family_names = {family for _, family in rules}
        prefixes_known = {i.split("/", 1)[0] for i in known if "/" in i}
        families: set[str] = set()
        ids: set[str] = set()
        prefixes: set[str] = set()
        patterns: list[re.Pattern[str]] = []
        for item in items:
            if len(item) > _MAX_SELECTOR:
                raise UnknownRuleError(item[:_MAX_SELECTOR] + "…", ())
            if item in family_names:
                families.add(item)
            elif item in known:
                ids.add(item)
            elif item in prefixes_known:
                prefixes.add(item)
            elif any(ch in item for ch in "*?["):
                pattern = _pattern(item)
                if not any(pattern.fullmatch(i) for i in known):
                    raise UnknownRuleError(item, ())
                patterns.append(pattern)
            else:
                raise UnknownRuleError(item, closest(item, known | family_names))
        return cls(frozenset(families), frozenset(ids), frozenset(prefixes), tuple(patterns))

    @property
    def names_rules(self) -> bool:
        """Whether it names rules one by one (and not only whole families)."""
        return bool(self.ids or self.prefixes or self.patterns)

    def matches(self, rule: str, family: str) -> bool:
        """Whether the rule ``rule`` of ``family`` is selected."""
        return (
            family in self.families
            or rule in self.ids
            or rule.split("/", 1)[0] in self.prefixes
            or any(p.fullmatch(rule) for p in self.patterns)
        )


def _pattern(item: str) -> re.Pattern[str]:
    """A shell pattern as a regex; ids are short and patterns bounded, so its cost is too."""
    return re.compile(fnmatch.translate(item))
