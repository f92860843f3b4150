"""What the lines before part 一 say: the title, the issuing body, the year, the date.

Titles are split over lines (issuer on one, 2023年度政府信息公开工作年度报告 on the next), sit
below breadcrumbs (首页 > 信息公开 > …), and sometimes name no body at all (本局); the year may
only be stated in part 一's 统计期限 sentence.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import attrs
import regex

from ..common.lines import Line
from ..model import Diagnostic, Span
from .text import clean, span_of

_YEAR = regex.compile(r"((?:19|20)\d\d)\s{0,3}年")
_TITLE_WORDS = ("年度报告", "年报", "工作报告")
_SENTENCE_PUNCT = regex.compile(r"[。，,;；:：|>《》]")
_CRUMB = regex.compile(r"[>|｜》]|位置|首页")
_PLACE = regex.compile(r"[省市区县旗州盟镇乡村]|街道|自治|国家|国务院|中国|中华|全国|中央")
_GENERIC = regex.compile(
    r"^(?:本|我)?[\p{Han}]{0,4}(?:局|委|委员会|办|办公室|厅|中心|所|站|院|部门|单位)$"
)
_PUBLISHED = regex.compile(
    r"(?:日期|发布时间|发布日期|发文日期|成文日期|时间)\s*[:：]?\s*"
    r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)


@attrs.frozen(slots=True)
class Title:
    text: str | None
    issuer: str | None
    year: int | None
    published: datetime.date | None
    span: Span | None


def _org_like(text: str) -> bool:
    return 2 <= len(text) <= 40 and not _SENTENCE_PUNCT.search(text) and not _YEAR.search(text)


def read_title(lines: Sequence[Line], limit: int, out: list[Diagnostic]) -> Title:
    """Title, issuer, year and publication date from the lines before part 一."""
    limit = min(limit, len(lines), 60)
    title_idx = None
    for words in (("年度报告",), _TITLE_WORDS):
        for i in range(limit):
            text = clean(lines[i].text)
            if (
                len(text) <= 80
                and any(w in text for w in words)
                and "政府信息公开" in text
                and not _CRUMB.search(text)
            ):
                title_idx = i
                break
        if title_idx is not None:
            break
    published = None
    for i in range(limit):
        m = _PUBLISHED.search(lines[i].text)
        if m:
            try:
                published = datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                published = None
            break
    if title_idx is None:
        return Title(None, None, None, published, None)
    text = clean(lines[title_idx].text)
    first = title_idx
    prev = title_idx - 1
    while prev >= 0 and not lines[prev].text.strip():
        prev -= 1
    prev_text = clean(lines[prev].text) if prev >= 0 and title_idx - prev <= 3 else ""
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
        first = prev
        year_match = _YEAR.search(text)
    if year_match is not None and year_match.start() > 0:
        issuer = text[: year_match.start()].strip()
    elif prev_text and _org_like(prev_text):
        issuer = prev_text
        text = prev_text + text
        first = prev
    year = int(year_match[1]) if year_match else None
    if issuer is not None:
        issuer = _WHITESPACE.sub("", issuer)
        if not _PLACE.search(issuer) and _GENERIC.match(issuer):
            out.append(
                Diagnostic(
                    "issuer-not-named",
                    "info",
                    f"the title names no issuing body ({issuer!r} alone is not a name)",
                    span_of(lines, first, title_idx),
                )
            )
            issuer = None
        elif not issuer:
            issuer = None
    return Title(text, issuer, year, published, span_of(lines, first, title_idx))


_WHITESPACE = regex.compile(r"\s+")
_PERIOD_YEAR = regex.compile(r"统计期限[^。]{0,10}?((?:19|20)\d\d)\s*年")


def year_from_text(text: str) -> int | None:
    """The reporting year from a 统计期限 sentence when the title has none."""
    m = _PERIOD_YEAR.search(text)
    return int(m[1]) if m else None
