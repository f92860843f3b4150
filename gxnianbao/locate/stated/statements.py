"""Reading the counts the overview states: matches resolved into :class:`Statement` s.

It never guesses.  A count is read only where a label and its number stand together in one of
the declared patterns; a count that can be read more than one way (two different numbers for
the same quantity, two labels sharing one number, a breakdown that could belong to two rows, an
approximate number) is kept with the reason it cannot be checked.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

import attrs

from ...common.text import fold_digits
from ...templates.quantities import BASE_QUANTITIES, QUANTITIES
from .patterns import (
    ALL_APPLICANTS,
    APPLICANT_WORDS,
    BREAK,
    BREAKDOWN_LINK,
    CN_NUM,
    CORES,
    DOC_COL_WORDS,
    DOC_KIND_CORES,
    INCLUDES_CARRIED,
    LIST,
    LIST_JOIN,
    LIST_NUMBER,
    LIST_QUANTITIES,
    LITIGATION_WORD,
    OTHER_TIME,
    OUTCOME_WORDS,
    PATTERNS,
    REVIEW_WORD,
    VETOES,
    Pattern,
    Target,
    rx,
)
from .text import REACH, Text, number

__all__ = ["Statement", "statements"]

# --- reading the statements ---------------------------------------------------------------------


@attrs.frozen(slots=True)
class Statement:
    """One count the narrative states, as read."""

    quantity: str
    """A key of :data:`QUANTITIES`; the rule id is ``narrative-<quantity>``."""
    value: int | None
    """The stated count; None when it cannot be read as one exact number."""
    fragment: str
    """The words stating it, as written (quoted in messages)."""
    start: int
    """Offset of the fragment in the text read (``Overview.text``)."""
    end: int
    pattern: str
    """The id of the pattern (or ``list``) that read it."""
    number: tuple[int, int] | None = None
    """Offsets of the number in the text; None for a "none" statement (``未收到…``) and for
    one read from a list (``分别为17件、9件``)."""
    reason: str | None = None
    """Why it cannot be checked (approximate, more than one reading); None when it can."""

    @property
    def rule(self) -> str:
        return f"narrative-{self.quantity}"


@attrs.define(slots=True)
class _Raw:
    """A match before its context is resolved."""

    pattern: Pattern
    target: Target
    key: str | None
    value: int | None
    label_start: int
    num_start: int
    num_end: int
    end: int
    window_start: int
    group: str = ""
    """``who`` / ``what`` / ``col`` as matched."""
    kind: str | None = None
    reason: str | None = None


def _core_hits(window: str) -> dict[str, list[tuple[int, int]]]:
    """Labels of top-level quantities (and document kinds) found in a piece of text."""
    hits: dict[str, list[tuple[int, int]]] = {}
    for key in LIST_QUANTITIES:
        veto = VETOES.get(key)
        for m in rx(CORES[key]).finditer(window):
            if veto and re.search(veto, rx(ALL_APPLICANTS).sub("", m.group(0))):
                continue
            hits.setdefault(key, []).append(m.span())
    for kind, core in DOC_KIND_CORES.items():
        for m in re.finditer(core, window):
            hits.setdefault(f"kind:{kind}", []).append(m.span())
    return hits


def _match(pattern: Pattern, m: re.Match[str], t: Text) -> _Raw | None:
    """A raw statement from one match, or None when the match is not what it seems."""
    text = t.text
    label_start = m.start("label")
    if pattern.zero:
        num_start = num_end = m.end("label")
        value: int | None = 0
        reason = None
    else:
        num_start, num_end = m.span("n")
        value = number(m.group("n"))
        if value is None:
            return None
        if m.group("n")[0] in CN_NUM and m.group("unit") == "起":
            following = text[m.end() : m.end() + 1]
            if following and following not in BREAK + "、）)案":
                return None  # 一起 = "together"
        reason = None
        if m.group("approx") or text.startswith("左右", m.end()):
            reason = "所述为约数"
        elif "about" in m.re.groupindex and m.group("about"):
            reason = "所述为约数"
        elif pattern.quantity == "received" and rx(INCLUDES_CARRIED).match(text, m.end()):
            reason = "所述数字含上年结转的申请"
    label = text[label_start:num_start]
    if pattern.veto and re.search(pattern.veto, rx(ALL_APPLICANTS).sub("", label)):
        return None
    window_start = min(t.window_start(label_start), label_start)
    key = pattern.quantity if pattern.target == "quantity" else None
    group = ""
    kind = None
    if pattern.target == "applicant":
        group = m.group("who")
        if m.group("req"):
            group += "+申请"
    elif pattern.target == "outcome":
        group = m.group("what")
    elif pattern.target == "docs":
        group = m.group("col")
        kind = m.groupdict().get("kind")
    return _Raw(
        pattern, pattern.target, key, value, label_start, num_start, num_end, m.end(),
        window_start, group, kind, reason,
    )  # fmt: skip


def _fragment(t: Text, start: int, end: int) -> str:
    """The words to quote: the phrase, with a short tail up to the clause's end."""
    stop = t.clause_end(end)
    if stop - end <= 6:
        end = stop
    frag = t.text[start:end].strip().lstrip("、和及与")
    if len(frag) > 48:
        frag = "…" + frag[-47:]
    return frag


def _kind_of(name: str | None) -> str | None:
    if name is None:
        return None
    return "regulations" if name.startswith("规章") else "normative"


def statements(text: str, *, year: int | None = None) -> tuple[Statement, ...]:
    """Every count stated in ``text`` (part 一), resolved, in the order of the text.

    ``year`` is the year reported on: a count in a sentence that names another year (``2020年
    收到申请3件`` in a report on 2022) is about that year and is left out.
    """
    t = Text(fold_digits(text))
    # Patterns are tried only where they can match: near a count (件, 起, 个…) or, for "none"
    # statements, near 申请 / 复议 / 诉讼.  The regions end after a clause break, so a match
    # found in one is the match the whole text gives.
    count_regions = t.regions(t.counts, REACH, 24)
    zero_regions = t.regions(t.zero_anchors(), 48, 24)
    raws: list[_Raw] = []
    for pattern in PATTERNS:
        for start, end in zero_regions if pattern.zero else count_regions:
            for m in pattern.compiled.finditer(t.text, start, end):
                raw = _match(pattern, m, t)
                if raw is not None and not _other_time(t, raw, year):
                    raws.append(raw)
    raws.sort(key=lambda r: (r.num_start, r.label_start))
    out: list[Statement] = []
    top = [r for r in raws if r.target == "quantity"]
    out.extend(_quantity_statements(t, top))
    out.extend(_doc_statements(t, [r for r in raws if r.target == "docs"]))
    anchors = _Anchors.of(out)
    for raw in raws:
        if raw.target == "applicant":
            out.extend(_applicant_statements(t, raw, anchors))
        elif raw.target == "outcome":
            out.extend(_outcome_statements(t, raw, anchors))
    out.extend(_list_statements(t, year))
    return tuple(sorted(_collisions(out), key=lambda s: (s.start, s.end, s.quantity)))


def _other_time(t: Text, raw: _Raw, year: int | None) -> bool:
    """The count is about another year (``2020年…``, ``上年…``, ``同比…``)."""
    window = t.text[raw.window_start : raw.num_start]
    if rx(OTHER_TIME).search(window):
        return True
    if year is None:
        return False
    named = t.year_before(raw.label_start)
    return named is not None and named != year


def _statement(t: Text, raw: _Raw, key: str, reason: str | None = None) -> Statement:
    start = min(raw.window_start, raw.label_start)
    return Statement(
        key,
        None if (reason or raw.reason) else raw.value,
        _fragment(t, start, raw.end),
        start,
        raw.end,
        raw.pattern.id,
        None if raw.pattern.zero else (raw.num_start, raw.num_end),
        reason or raw.reason,
    )


def _quantity_statements(t: Text, raws: list[_Raw]) -> Iterator[Statement]:
    """Top-level counts; a number whose phrase also holds another quantity's label (``予以公开
    和部分公开26件``) is a joint count and gives every quantity named a not-assessable statement."""
    for raw in raws:
        assert raw.key is not None
        # Labels inside the own label are part of it; only the words before it can name another.
        prefix = t.text[raw.window_start : raw.label_start]
        others: list[str] = []
        if len(prefix) >= 2 and not raw.pattern.zero:
            hits = _core_hits(prefix)
            others = sorted(
                (k for k in hits if not k.startswith("kind:") and k != raw.key),
                key=LIST_QUANTITIES.index,
            )
        if not others:
            yield _statement(t, raw, raw.key)
            continue
        reason = (
            "一个数字同时跟在几项之后（"
            + "、".join(QUANTITIES[k].name for k in [raw.key, *others])
            + "），可能是合计"
        )
        for key in [raw.key, *others]:
            yield _statement(t, raw, key, reason)


def _doc_statements(t: Text, raws: list[_Raw]) -> Iterator[Statement]:
    for raw in raws:
        col = DOC_COL_WORDS[raw.group]
        kind = _kind_of(raw.kind)
        window = t.text[raw.window_start : raw.num_start]
        if kind is not None:
            other = "regulations" if kind == "normative" else "normative"
            if re.search(DOC_KIND_CORES[other], window):
                reason = "一个数字同时跟在规章和行政规范性文件之后，可能是合计"
                for k in ("normative", "regulations"):
                    yield _statement(t, raw, f"{k}-{col}", reason)
                continue
            yield _statement(t, raw, f"{kind}-{col}")
            continue
        s_start = t.sentence_start(raw.label_start)
        before = t.text[s_start : raw.label_start]
        kinds = [k for k, core in DOC_KIND_CORES.items() if re.search(core, before)]
        if len(kinds) == 1:
            yield _statement(t, raw, f"{kinds[0]}-{col}")
        elif len(kinds) == 2:
            reason = "句中既有规章也有行政规范性文件，不能确定所指"
            for k in ("normative", "regulations"):
                yield _statement(t, raw, f"{k}-{col}", reason)
        # No kind named in the sentence: not a statement about table 2.


@attrs.frozen(slots=True)
class _Anchors:
    """Statements a breakdown can belong to, ordered by where they end."""

    items: tuple[Statement, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, found: Sequence[Statement]) -> _Anchors:
        items = tuple(sorted(found, key=lambda s: s.end))
        return cls(items, tuple(s.end for s in items))

    def last_before(self, pos: int) -> Statement | None:
        i = bisect.bisect_right(self.ends, pos) - 1
        return self.items[i] if i >= 0 else None


def _anchor(t: Text, raw: _Raw, anchors: _Anchors) -> tuple[Statement | None, str]:
    """The statement a breakdown (``其中自然人…件``, ``其中维持…件``) belongs to.

    It is the nearest earlier statement of the same sentence, or – when the sentence starts with
    其中 / 包括 – the last statement of the sentence before.  Returns the statement and the text
    between it and the breakdown.
    """
    s_start = t.sentence_start(raw.label_start)
    a = anchors.last_before(raw.window_start)
    if a is None:
        return None, ""
    if a.end > s_start:
        return a, t.text[a.end : raw.label_start]
    head = t.text[s_start : raw.label_start].lstrip()
    if rx(BREAKDOWN_LINK).match(head) and a.end > t.sentence_start(max(s_start - 1, 0)):
        return a, head
    return None, ""


def _joined_to_previous(t: Text, a: Statement, anchors: _Anchors, ok: set[str]) -> Statement | None:
    """``A 2件、B 1件，其中…``: the breakdown could belong to A, B or both; returns A."""
    p = anchors.last_before(a.start)
    if p is None or p.quantity not in ok or p.quantity == a.quantity:
        return None
    if p.end <= t.sentence_start(a.start) or not rx(LIST_JOIN).match(t.text[p.end : a.start]):
        return None
    return p


def _applicant_statements(t: Text, raw: _Raw, anchors: _Anchors) -> Iterator[Statement]:
    who, _, req = raw.group.partition("+")
    col = APPLICANT_WORDS[who]
    breakdown = {q.key for q in BASE_QUANTITIES if q.breakdown}
    a, between = _anchor(t, raw, anchors)
    if a is None or a.quantity not in breakdown:
        if a is None and req:
            yield _statement(t, raw, f"received-{col}")
        return
    key = f"{a.quantity}-{col}"
    joined = _joined_to_previous(t, a, anchors, breakdown)
    if a.reason is not None:
        yield _statement(t, raw, key, f"所属的“{a.fragment}”本身无法核对")
    elif joined is not None:
        reason = f"前面并列了“{joined.fragment}”和“{a.fragment}”，不能确定是哪一项的构成"
        yield _statement(t, raw, f"{joined.quantity}-{col}", reason)
        yield _statement(t, raw, key, reason)
    elif a.quantity == "received" or rx(BREAKDOWN_LINK).search(between) or not req:
        yield _statement(t, raw, key)
    else:
        reason = f"可读作“{a.fragment}”的构成，也可读作本年新收申请的构成"
        yield _statement(t, raw, key, reason)
        yield _statement(t, raw, f"received-{col}", reason)


def _outcome_statements(t: Text, raw: _Raw, anchors: _Anchors) -> Iterator[Statement]:
    col = OUTCOME_WORDS[raw.group]
    cases = {"review-total", "litigation-total"}
    a, _ = _anchor(t, raw, anchors)
    if a is not None:
        if a.quantity not in cases:
            return  # 维持 / 纠正 after some other count: not about table 4
        key = f"{a.quantity.removesuffix('-total')}-{col}"
        if a.reason is not None:
            yield _statement(t, raw, key, f"所属的“{a.fragment}”本身无法核对")
        elif _joined_to_previous(t, a, anchors, cases) is not None:
            reason = "前面并列了行政复议和行政诉讼，不能确定是哪一项的结果"
            yield _statement(t, raw, f"review-{col}", reason)
            yield _statement(t, raw, f"litigation-{col}", reason)
        else:
            yield _statement(t, raw, key)
        return
    seg = t.text[t.segment_start(raw.label_start) : raw.label_start]
    review, litigation = bool(rx(REVIEW_WORD).search(seg)), bool(rx(LITIGATION_WORD).search(seg))
    if review and litigation:
        reason = "句中既有行政复议也有行政诉讼，不能确定是哪一项的结果"
        yield _statement(t, raw, f"review-{col}", reason)
        yield _statement(t, raw, f"litigation-{col}", reason)
    elif review or litigation:
        yield _statement(t, raw, f"{'review' if review else 'litigation'}-{col}")
    # Neither named: 纠正 / 维持 of something else (整改纠正问题12个).


def _list_statements(t: Text, year: int | None) -> Iterator[Statement]:
    """``予以公开、部分公开分别为17件、9件``, ``行政复议、行政诉讼各1件``, ``…均为0件``."""
    text = t.text
    list_number = rx(LIST_NUMBER)
    for m in rx(LIST).finditer(text):
        numbers = list(list_number.finditer(m.group("nums")))
        values = [number(n.group(1)) for n in numbers]
        if not numbers or any(v is None for v in values):
            continue
        all_zero = all(v == 0 for v in values)
        if numbers[-1].group(2) is None and not all_zero:
            continue  # 都是2022年…: a list of counts ends with its measure word
        if m.group("kw") != "分别" and len(numbers) != 1:
            continue
        kw_start = m.start("kw")
        start = t.window_start(kw_start)
        window = text[start:kw_start]
        hits = _core_hits(window)
        keys = sorted((k for k in hits if not k.startswith("kind:")), key=lambda k: hits[k][0][0])
        if not keys:
            continue
        if rx(OTHER_TIME).search(window):
            continue
        if year is not None and t.year_before(start) not in (None, year):
            continue
        frag = _fragment(t, start, m.end())
        vals: list[int | None]
        reason = None
        if m.group("kw") == "分别":
            if len(values) == len(keys):
                vals = list(values)
            else:
                vals = [None] * len(keys)
                reason = f"列了{len(keys)}项却有{len(values)}个数字"
        else:
            vals = [values[0]] * len(keys)
        for key, value in zip(keys, vals, strict=True):
            yield Statement(key, value, frag, start, m.end(), "list", None, reason)


def _collisions(found: list[Statement]) -> list[Statement]:
    """One number read as two different quantities by two patterns: neither reading is taken.

    The same quantity read twice from one number (by two patterns) is kept once.
    """
    by_number: dict[tuple[int, int], set[str]] = {}
    for s in found:
        if s.number is not None and s.reason is None and s.pattern != "list":
            by_number.setdefault(s.number, set()).add(s.quantity)
    out: list[Statement] = []
    seen: set[tuple[str, object, int | None, str | None]] = set()
    for s in found:
        keys = by_number.get(s.number, set()) if s.number is not None else set()
        if len(keys) > 1 and s.reason is None and s.pattern != "list":
            names = "、".join(QUANTITIES[k].name for k in sorted(keys))
            s = attrs.evolve(s, value=None, reason=f"同一个数字可读作不同的项（{names}）")
        ident = (s.quantity, s.number or s.end, s.value, s.reason)
        if ident not in seen:
            seen.add(ident)
            out.append(s)
    return out
