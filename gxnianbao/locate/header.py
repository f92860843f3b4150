"""What a page says about itself above (and below) the report: crawler headers and dates.

Crawler dumps put ``标题: …``, ``发布时间: …``, ``发布机构: …``, ``来源: …``, ``原文链接: …`` and
``==== 正文 ====`` above the body; sites print ``日期:2024-03-28`` under the title; the report
ends with a signature date.  These lines are not the title and must not leak into the issuer,
and a crawl date (``抓取时间``, ``crawled_at``) is not the publication date.
"""

from __future__ import annotations

import datetime
from typing import Literal

import attrs
import regex

Role = Literal["title", "issuer", "published", "crawled", "body", "other"]

_LABELS: tuple[tuple[Role, str], ...] = (
    # Crawl dates, and the statistics period, are not when the page was published.
    (
        "crawled",
        "抓取时间 抓取日期 采集时间 采集日期 爬取时间 爬取日期 入库时间 下载时间 获取时间 统计时间"
        " 统计期限 crawled_at crawl_time crawl_date crawled fetched_at fetch_time scraped_at"
        " scrape_time retrieved_at collected_at",
    ),
    ("title", "文章标题 标题 题目 title"),
    ("body", "正文 正文内容 content body"),
    ("issuer", "发布机构 发布单位 发布部门 发文机关 发文单位 公开主体 publisher"),
    (
        "published",
        "发布时间 发布日期 发文日期 成文日期 印发日期 公开日期 公开时间 更新时间 日期 时间"
        " published_at publish_time publish_date pub_date pubdate published date",
    ),
    (
        "other",
        "原文链接 原文地址 来源网址 信息来源 来源 链接 网址 索引号 文号 主题分类 分类 关键词"
        " 浏览次数 字号 url link source",
    ),
)
"""Header labels by what their value gives; at one position the longest label wins
(抓取时间 before 时间)."""
_ROLE = {label.lower(): role for role, labels in _LABELS for label in labels.split()}
_LABEL_ALTERNATION = "|".join(regex.escape(label) for label in sorted(_ROLE, key=len, reverse=True))
_HEADER_SCAN = 2000
"""How far into a line its headers may reach (a flattened page holds its body on the line)."""
_HEADER_START = regex.compile(
    rf"^[\s*#>\-]*(?:{_LABEL_ALTERNATION})(?![A-Za-z_])\s*[:：]", regex.IGNORECASE
)
_INLINE_LABEL = regex.compile(
    rf"(?<![A-Za-z_])(?P<label>{_LABEL_ALTERNATION})(?![A-Za-z_])\s*[:：]\s*", regex.IGNORECASE
)
_INLINE_MARK = regex.compile(
    r"[=＝\-—*#]{2,}\s*(?:正文|正文内容|全文)\s*[=＝\-—*#]{2,}|(?<=\s)(?:正文|全文)(?=\s|$)"
)
"""A body mark inside a line: ``==== 正文 ====``, or ``正文`` between spaces or at the line's end
(a flattened page cut at its first heading leaves ``标题:… 正文`` on a line of its own)."""
_LEADING_MARK = regex.compile(rf"\s*(?:{_INLINE_MARK.pattern}\s*|(?:正文|全文)\s+)+")
BODY_MARK = regex.compile(r"[=＝\-—*#]{0,40}\s*(?:正文|正文内容|全文)\s*[:：]?\s*[=＝\-—*#]{0,40}")
"""``正文`` or ``==== 正文 ====``: the body starts after it."""
_BODY_MARK_LINE = regex.compile(rf"^\s*{BODY_MARK.pattern}\s*$")

_DATE = r"((?:19|20)\d\d)\s{0,2}[-/.年]\s{0,2}(\d{1,2})\s{0,2}[-/.月]\s{0,2}(\d{1,2})(?!\d)"
_DATE_ANYWHERE = regex.compile(_DATE)
_LABEL_BEFORE = regex.compile(
    rf"(?<![A-Za-z_])(?P<label>{_LABEL_ALTERNATION})[^\S\n]{{0,3}}[:：]?[^\S\n]{{0,3}}$",
    regex.IGNORECASE,
)
"""The label a date follows (searched in the few characters before the date: most lines hold
no date, and a date is cheaper to find than any of the labels)."""
_LABEL_REACH = 24
_CN = "〇零○Ｏ一二三四五六七八九十"
_DATE_LINE = regex.compile(
    rf"^[\s*]*(?:[\p{{Han}}（）()]{{0,40}}\s*)?"
    rf"(?:{_DATE}|([{_CN}]{{4}})\s{{0,2}}年\s{{0,2}}([{_CN}]{{1,3}})\s{{0,2}}月\s{{0,2}}"
    rf"([{_CN}]{{1,3}}))\s*日?[\s*]*$"
)
"""A line that is a date, alone or after the signing body (``某某局 2024年1月20日``)."""
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}


@attrs.frozen(slots=True)
class Header:
    """One crawler header: what it gives (``role``), its value and where the value is."""

    role: Role
    value: str
    start: int
    """Offset of the value in its line."""


@attrs.frozen(slots=True)
class Headed:
    """A line that opens with crawler headers: the headers, and the body after them."""

    headers: list[Header]
    body: str | None
    """What follows a body mark (``==== 正文 ====``, ``正文：``) on the same line."""
    body_at: int
    """Where ``body`` starts in the line."""


def headers(text: str) -> Headed | None:
    """The crawler headers a line opens with (``标题: … 发布时间: …``), and the body that follows
    them on the same line after a body mark; None when the line does not open with a header."""
    if (":" not in text and "：" not in text) or _HEADER_START.match(text) is None:
        return None
    mark = _INLINE_MARK.search(text, 0, _HEADER_SCAN)
    end = mark.start() if mark else len(text)
    found: list[Header] = []
    labels = list(_INLINE_LABEL.finditer(text, 0, min(end, _HEADER_SCAN)))
    body_at = mark.end() if mark else len(text)
    for k, m in enumerate(labels):
        value_end = labels[k + 1].start() if k + 1 < len(labels) else end
        role = _ROLE[m["label"].lower()]
        if role == "body":
            # The body runs on to the end of the line, whatever labels its sentences hold.
            body_at = m.end()
            break
        found.append(Header(role, text[m.end() : value_end].strip(), m.end()))
    rest = text[body_at:]
    body = rest.strip() if mark or body_at < len(text) else None
    return Headed(found, body, body_at + len(rest) - len(rest.lstrip()))


def after_body_mark(text: str) -> str:
    """``text`` without a body mark it opens with (``==== 正文 ==== 南湖区…``)."""
    if "正文" not in text and "全文" not in text:
        return text
    m = _LEADING_MARK.match(text)
    return text[m.end() :] if m else text


def is_body_mark(text: str) -> bool:
    """``正文`` or ``==== 正文 ====`` alone on a line."""
    return (
        len(text) <= 90
        and ("正文" in text or "全文" in text)
        and _BODY_MARK_LINE.match(text) is not None
    )


def _date(year: str, month: str, day: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    """一 … 三十一 as an int (十 is 10, 二十一 is 21)."""
    if "十" not in text:
        return sum(_CN_DIGIT.get(c, 0) * 10**i for i, c in enumerate(reversed(text)))
    tens, _, units = text.partition("十")
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(units, 0) if units else 0)


def labelled_date(text: str) -> datetime.date | None:
    """The first publication date ``text`` states under a label (``发布时间：2024-01-20``);
    crawl dates (``抓取时间``, ``crawled_at``) and statistics periods are skipped."""
    for m in _DATE_ANYWHERE.finditer(text):
        label = _LABEL_BEFORE.search(text, max(0, m.start() - _LABEL_REACH), m.start())
        if label is None or _ROLE[label["label"].lower()] != "published":
            continue
        date = _date(m[1], m[2], m[3])
        if date is not None:
            return date
    return None


def may_hold_date(text: str) -> bool:
    """Whether ``text`` may hold a date: a cheap test before :func:`date_line` (``日`` or a
    separator; most short lines of a report have neither)."""
    return "日" in text or "-" in text or "/" in text or "." in text


def date_line(text: str) -> datetime.date | None:
    """The date a line consists of (``2024年1月20日``, ``二〇二四年一月二十日``, or after the
    signing body), None for any other line."""
    if len(text) > 60:
        return None
    m = _DATE_LINE.match(text)
    if m is None:
        return None
    if m[1]:
        return _date(m[1], m[2], m[3])
    year = "".join(str(_CN_DIGIT.get(c, 0)) for c in m[4])
    return _date(year, str(_cn_number(m[5])), str(_cn_number(m[6])))
