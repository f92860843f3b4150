"""What the lines before part 一 say: the title, the issuing body, the year, the date.

Titles are split over lines (issuer on one, 2023年度政府信息公开工作年度报告 on the next, or
``…政府信息公开工作`` / ``年度报告``), start with the year (2023年某某局…), sit below breadcrumbs
(首页 > 信息公开 > …) or crawler headers (标题: …, ==== 正文 ====), share their line with the
body on a flattened page, and sometimes name no body at all (本局); the year may only be stated
in the body (统计期限 sentence, ``2023年，我局…``).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence

import attrs
import regex

from ..common.lines import Line
from ..model import Diagnostic, Span
from ..templates import LATEST, TitleWords
from .header import (
    after_body_mark,
    date_line,
    headers,
    is_body_mark,
    labelled_date,
    may_hold_date,
)
from .text import clean, span_of

_YEAR = regex.compile(r"((?:19|20)\d\d)\s{0,3}年")
_SENTENCE_PUNCT = regex.compile(r"[。，,;；:：|>《》]")
_CLAUSE = regex.compile(r"[。，,;；]")
_CRUMB = regex.compile(r"[>|｜》]|位置|首页")
_PLACE = regex.compile(r"[省市区县旗州盟镇乡村]|街道|自治|国家|国务院|中国|中华|全国|中央")
_GENERIC = regex.compile(
    r"^(?:本|我)?[\p{Han}]{0,4}(?:局|委|委员会|办|办公室|厅|中心|所|站|院|部门|单位)$"
)
_BODY_GOES_ON = regex.compile(
    r"\s*(?:[一二三四五六七八九十]{1,2}\s*[、.．]|[（(]\s*[一二三四五六七八九十]|根据|依据|按照|本报告"
    r"|(?:19|20)\d\d\s*年)"
)
"""What follows a title on a flattened page: a part heading or the report's first sentence."""
_HEADING = regex.compile(r"\s*[一二三四五六七八九十]{1,2}\s*[、.．]")
"""A part heading opens the line: the words after it are the part's, not a title."""
_MAX_TITLE = 80
_MAX_HEADER_VALUE = 200
"""A 标题 header's value beyond this is the body of a flattened page, not the title."""
_SCAN = 120
"""How far into a long line its title may end (a flattened page's title opens its line)."""
_DATE_SCAN = 2000
"""How far into a line before part 一 a labelled date (发布时间：…) is looked for."""
_SCAN_HEADING = 400
"""… and into part 一's own line, which on a flattened page holds the whole body."""
_SIGNATURE_LINES = 15
"""How many non-empty lines at the end of a report may hold its signature date …"""
_SIGNATURE_REACH = 60
"""… among how many lines at its end."""
_DATE_LINE_MAX = 60
"""The longest line that can be a date line (a signing body's name and the date)."""


@attrs.frozen(slots=True)
class _Vocab:
    """A template's title words and the patterns made of them, compiled once."""

    subject: str
    ends: tuple[str, ...]
    end: regex.Pattern[str]
    """Any of the title's end words."""
    continued: regex.Pattern[str]
    """How the line after ``…政府信息公开工作`` goes on: ``年度报告``, ``工作年度报告`` …"""
    report_year: regex.Pattern[str]
    """The report naming itself in the body (现公布…2023年度政府信息公开工作年度报告)."""


@functools.lru_cache(maxsize=8)
def _vocab(words: TitleWords) -> _Vocab:
    ends = "|".join(regex.escape(w) for w in words.ends)
    subject = regex.escape(words.subject)
    return _Vocab(
        words.subject,
        words.ends,
        regex.compile(ends),
        regex.compile(rf"(?:工作)?(?:{ends})"),
        regex.compile(rf"((?:19|20)\d\d)\s{{0,3}}年度?{subject}(?:工作)?(?:{ends})"),
    )


@attrs.frozen(slots=True)
class Title:
    text: str | None
    issuer: str | None
    year: int | None
    published: datetime.date | None
    span: Span | None


@attrs.frozen(slots=True)
class _Found:
    """A title: its words, the lines it spans and how much of the last line it takes."""

    text: str
    first: int
    last: int
    cut: int | None
    """Characters of the last line's cleaned text the title takes (None: all of it)."""


def _org_like(text: str) -> bool:
    return 2 <= len(text) <= 40 and not _SENTENCE_PUNCT.search(text) and not _YEAR.search(text)


def _title_in(text: str, words: tuple[str, ...], vocab: _Vocab) -> int | None:
    """How much of ``text`` is a title ending in one of ``words``: all of a short title line,
    only its opening words when the body runs on on the same line; None: no title."""
    if _HEADING.match(text):
        return None
    if len(text) <= _MAX_TITLE:
        if any(w in text for w in words) and vocab.subject in text and not _CRUMB.search(text):
            cut = _cut(text, words, vocab)
            return cut if cut is not None and _BODY_GOES_ON.match(text, cut) else len(text)
        return None
    cut = _cut(text, words, vocab)
    if cut is None or _CLAUSE.search(text, 0, cut) or _CRUMB.search(text, 0, cut):
        return None
    return cut


def _cut(text: str, words: tuple[str, ...], vocab: _Vocab) -> int | None:
    """The end of the first title words in the opening of ``text`` that follow the subject."""
    for m in vocab.end.finditer(text, 0, _SCAN):
        if m[0] in words and vocab.subject in text[: m.start()]:
            return m.end()
    return None


def _split_title(texts: Sequence[str | None], i: int, vocab: _Vocab) -> _Found | None:
    """``…政府信息公开工作`` on line ``i`` and ``年度报告`` opening one of the next lines."""
    text = texts[i]
    if text is None or len(text) > 60 or vocab.subject not in text:
        return None
    if _SENTENCE_PUNCT.search(text):
        return None
    for j in range(i + 1, min(i + 3, len(texts))):
        nxt = texts[j]
        if nxt is None:
            return None
        if not nxt:
            continue
        m = vocab.continued.match(nxt)
        if m is None:
            return None
        cut = m.end() if len(nxt) > 20 else None
        return _Found(text + (nxt if cut is None else nxt[:cut]), i, j, cut)
    return None


def _find(texts: Sequence[str | None], vocab: _Vocab) -> _Found | None:
    for words in (vocab.ends[:1], vocab.ends):
        for i, text in enumerate(texts):
            if not text:
                continue
            cut = _title_in(text, words, vocab)
            if cut is not None:
                return _Found(text[:cut], i, i, cut if cut < len(text) else None)
            found = _split_title(texts, i, vocab)
            if found is not None:
                return found
    return None


def _span(
    lines: Sequence[Line], found: _Found, texts: Sequence[str | None], mid_line: dict[int, int]
) -> Span:
    """Where the title is: whole lines, but from where the body starts on a line that opens
    with crawler headers, and up to the title's end on a line the body runs on in."""
    whole = span_of(lines, found.first, found.last)
    if found.first in mid_line:
        at = mid_line[found.first]
        first = lines[found.first]
        whole = attrs.evolve(whole, start=first.start + at, column=at + 1)
    if found.cut is None:
        return whole
    last, cleaned = lines[found.last], texts[found.last] or ""
    offset = mid_line.get(found.last)
    if offset is None:
        offset = max(last.text.find(cleaned[: min(8, found.cut)]), 0)
    return attrs.evolve(whole, end=last.start + offset + found.cut)


def read_title(
    lines: Sequence[Line],
    limit: int,
    out: list[Diagnostic],
    words: TitleWords = LATEST.title_words,
) -> Title:
    """Title, issuer, year and publication date from the lines before part 一 (and from the
    opening of part 一's heading line: a flattened page's title shares it)."""
    vocab = _vocab(words)
    stop = min(limit + 1, len(lines), 61)
    texts: list[str | None] = []
    """Each line's words; None for crawler headers and body marks (never title or issuer)."""
    header_title: tuple[str, Span] | None = None
    header_issuer: str | None = None
    mid_line: dict[int, int] = {}
    """Lines whose words start after crawler headers or a body mark: where they start."""
    for i in range(stop):
        line = lines[i]
        text = clean(line.text)
        parsed = headers(text)
        if parsed is not None:
            for found_header in parsed.headers:
                value = found_header.value[:_MAX_HEADER_VALUE]
                if not value:
                    continue
                if found_header.role == "title" and header_title is None:
                    at = max(line.text.find(value), 0)
                    span = Span(line.start + at, line.start + len(line.text), line.number, at + 1)
                    header_title = (value, span)
                elif found_header.role == "issuer" and header_issuer is None:
                    header_issuer = value.split()[0]
            texts.append(parsed.body)
            if parsed.body:
                mid_line[i] = max(line.text.find(text[:8]), 0) + parsed.body_at
        elif is_body_mark(text):
            texts.append(None)
        else:
            words_of_line = after_body_mark(text)
            texts.append(words_of_line)
            if words_of_line is not text:
                mid_line[i] = max(line.text.find(words_of_line[:8]), 0)
    # One search over the lines before part 一 (and the opening of its heading line).
    published = labelled_date(
        "\n".join(lines[i].text[: _DATE_SCAN if i < limit else _SCAN_HEADING] for i in range(stop))
    )

    found = _find(texts, vocab)
    if found is None and header_title is not None:
        value, span = header_title
        cut = _title_in(value, vocab.ends, vocab)
        if cut is not None:
            span = attrs.evolve(span, end=span.start + cut)
            title = _read(value[:cut], "", None, out, span, vocab)
            return _finish(title, header_issuer, published, lines, stop)
    if found is None:
        return _finish(
            Title(None, None, None, published, None), header_issuer, published, lines, stop
        )
    prev = found.first - 1
    while prev >= 0 and texts[prev] == "":
        prev -= 1
    prev_text = texts[prev] if prev >= 0 and found.first - prev <= 3 else None
    span = _span(lines, found, texts, mid_line)
    title = _read(found.text, prev_text or "", lines[prev] if prev_text else None, out, span, vocab)
    return _finish(title, header_issuer, published, lines, stop)


def _read(
    text: str, prev_text: str, prev: Line | None, out: list[Diagnostic], span: Span, vocab: _Vocab
) -> Title:
    """Issuer and year from a title's words (and the line above it, which may name the body)."""
    year_match = _YEAR.search(text)
    issuer: str | None = None
    if (
        year_match is None
        and prev_text
        and len(prev_text) <= 40
        and _YEAR.search(prev_text)
        and not _SENTENCE_PUNCT.search(prev_text)
    ):
        text = prev_text + text
        span = _widen(span, prev)
        year_match = _YEAR.search(text)
    if year_match is not None and year_match.start() > 0:
        issuer = text[: year_match.start()].strip()
    elif year_match is not None:
        # 2023年某某局政府信息公开工作年度报告: the body sits between the year and the subject.
        subject = text.find(vocab.subject, year_match.end())
        inner = text[year_match.end() : subject if subject >= 0 else year_match.end()]
        issuer = inner.lstrip("度").strip() or None
    if issuer is None and prev_text and _org_like(prev_text):
        issuer = prev_text
        text = prev_text + text
        span = _widen(span, prev)
    year = int(year_match[1]) if year_match else None
    if issuer is not None:
        issuer = _WHITESPACE.sub("", issuer)
        if not _PLACE.search(issuer) and _GENERIC.match(issuer):
            out.append(
                Diagnostic(
                    "issuer-not-named",
                    "info",
                    f"the title names no issuing body ({issuer!r} alone is not a name)",
                    span,
                )
            )
            issuer = None
        elif not issuer:
            issuer = None
    return Title(text, issuer, year, None, span)


def _widen(span: Span, prev: Line | None) -> Span:
    if prev is None:
        return span
    return Span(prev.start, span.end, prev.number, 1, span.origin)


def _finish(
    title: Title,
    header_issuer: str | None,
    published: datetime.date | None,
    lines: Sequence[Line],
    stop: int,
) -> Title:
    """The crawler header's issuer where the title names none; the page's own date."""
    issuer = title.issuer
    if issuer is None and header_issuer is not None and _org_like(header_issuer):
        if _PLACE.search(header_issuer) or not _GENERIC.match(header_issuer):
            issuer = header_issuer
    if published is None:
        published = _page_date(lines, stop, title.year)
    return attrs.evolve(title, issuer=issuer, published=published)


def _page_date(lines: Sequence[Line], stop: int, year: int | None) -> datetime.date | None:
    """A date line under the title, else the page's date at its end: a labelled one
    (发布日期：…) or the signature, a date alone on its line.  Only a date no earlier than the
    year reported on and at most two years after it."""

    def fits(date: datetime.date | None) -> bool:
        return date is not None and (year is None or year <= date.year <= year + 2)

    # The last lines that are not blank (walked from the end: most of a report is not read).
    end: list[str] = []
    for line in reversed(lines[max(stop, len(lines) - _SIGNATURE_REACH) :]):
        if line.text.strip():
            end.append(line.text)
            if len(end) == _SIGNATURE_LINES:
                break
    end.reverse()
    for group in ([line.text for line in lines[:stop]], end):
        if group is end:
            date = labelled_date("\n".join(text[:_DATE_SCAN] for text in end))
            if fits(date):
                return date
        for text in group:
            if len(text) <= _DATE_LINE_MAX and may_hold_date(text):
                date = date_line(text)
                if fits(date):
                    return date
    return None


_WHITESPACE = regex.compile(r"\s+")
_PERIOD_YEAR = regex.compile(r"统计(?:期限|时间|区间)[^。]{0,10}?((?:19|20)\d\d)\s*年")
_OPENING_YEAR = regex.compile(r"(?:^|[。\n：:）)]|情况)\s*((?:19|20)\d\d)\s{0,3}年度?[，,]")
_YEAR_SCAN_LINES = 80
_YEAR_SCAN_CHARS = 30_000


def year_from_text(
    text: str, lines: Sequence[Line] = (), words: TitleWords = LATEST.title_words
) -> int | None:
    """The reporting year from the opening of the report when the title has none: its
    统计期限 sentence, a mention of the report itself (现公布…2023年度政府信息公开工作年度报告)
    or a first sentence that opens with the year (2023年，我局…)."""
    if len(lines) > _YEAR_SCAN_LINES:
        text = text[: lines[_YEAR_SCAN_LINES].start]
    text = text[:_YEAR_SCAN_CHARS]
    for pattern in (_PERIOD_YEAR, _vocab(words).report_year, _OPENING_YEAR):
        m = pattern.search(text)
        if m:
            return int(m[1])
    return None
