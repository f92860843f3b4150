"""Where the six parts are, what the title says, and what the narrative parts say.

Headings vary (``二、`` ``2、`` ``## 二、``, reworded titles) and reports put look-alike headings
inside part 一 (``### 二、主动公开政务信息情况``), so a part's heading is chosen by keywords
*and* by where its table starts: the last candidate heading before the table's first header words.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import attrs
import regex

from ..common.labels import flat
from ..common.lines import Line
from ..model import Diagnostic, Span, Subsection
from ..templates import SectionSpec

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_HEADING = regex.compile(
    r"^\ufeff?\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:第)?(?P<num>[一二三四五六1-6])\s*(?:[、.．,，]|部分)\s*(?P<rest>.*)$"
)
_HEAD_DELIM = regex.compile(r"[、.．,，]|部分")
_PLAIN_WORDS = regex.compile(r"情况|事项|问题")
_CLAUSE_END = regex.compile(r"[。：:]")
_MD_PREFIX = regex.compile(r"^\s*#{1,6}\s*")
_ARTEFACT = regex.compile(r"\[bookmark:[^\]]{0,80}\]")

# First header words of each table: a part's heading is the last candidate before them.
_ANCHORS = {
    2: ("第二十条", "信息内容"),
    3: ("本列数据的勾稽关系", "申请人情况", "本年新收政府信息公开申请"),
}


# The two whole-text scans below use the standard library's ``re``, several times faster than
# ``regex`` at trying every line start (``^`` with MULTILINE: after each ``\n`` only, in both).
# Their classes are spelled out, so that both engines would read them alike.
_ANCHOR_LINE = re.compile(
    r"^[ \t\u3000\ufeff|(（]*(?:"
    + "|".join(f"(?P<p{part}>{'|'.join(words)})" for part, words in _ANCHORS.items())
    + ")",
    re.MULTILINE,
)
_HSPACE = "[\t\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
"""``regex``'s ``[^\\S\\n]`` (white space but the line break) as ``re`` must be told it: ``re``'s
``\\s`` also takes U+001C–U+001F."""
_MAYBE_HEADING = re.compile(
    # ^ BOM? space* (#{1,6} space*)? (** space*)? 第? numeral space* delimiter: no two runs of
    # spaces can take the same characters, so a line that is no heading fails fast.
    rf"^\ufeff?{_HSPACE}*(?:#{{1,6}}{_HSPACE}*)?(?:\*\*{_HSPACE}*)?第?[一二三四五六1-6]"
    rf"{_HSPACE}*(?:[、.．,，]|部分)",
    re.MULTILINE,
)


@attrs.frozen(slots=True)
class Part:
    """One located part: heading line index (into the line list) and the lines it spans."""

    number: int
    heading: str
    first: int
    """Index of the first line after the heading."""
    end: int
    """Index one past the part's last line."""
    heading_line: int | None
    """Index of the heading line, None when the part was located by its table alone."""


def _clean(text: str) -> str:
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if "[" in text:
        text = _ARTEFACT.sub("", text)
    if "#" in text:
        text = _MD_PREFIX.sub("", text)
    return text.strip().strip("*").strip()


@functools.lru_cache(maxsize=8)
def _plain_headings(sections: tuple[SectionSpec, ...]) -> dict[str, int]:
    """Headings written without their numeral: 总体情况, 主动公开政府信息情况 …"""
    return {flat(spec.heading.split("、", 1)[-1]): spec.number for spec in sections}


@functools.lru_cache(maxsize=8)
def _heading_memo(sections: tuple[SectionSpec, ...]) -> dict[str, int | None]:
    """Per template, the part each candidate line heads, by its text: headings and table
    labels such as ``1.属于国家秘密`` recur in every report.  Bounded by ``_MEMO_SIZE``."""
    return {}


_MEMO_SIZE = 4096


def _heading_number(
    line: str, sections: Sequence[SectionSpec], plain: dict[str, int]
) -> int | None:
    """The part a line heads, or None.  Keywords must match the numeral's part."""
    if len(line) > 200:
        return None
    if _HEAD_DELIM.search(line, 0, 16) is None:
        if len(line) > 40 or _PLAIN_WORDS.search(line) is None:
            return None
        return plain.get(flat(_clean(line)))
    m = _HEADING.match(line)
    if m is None:
        return None
    num = m.group("num")
    number = _NUMERALS.get(num) or int(num)
    rest = m.group("rest")
    head = _CLAUSE_END.split(rest, maxsplit=1)[0]
    if len(head) > 40:
        return None
    text = flat(head)
    spec = sections[number - 1]
    for words in spec.keywords:
        if all(w in text for w in words):
            return number
    return None


def _line_indexes(
    text: str, pattern: re.Pattern[str] | regex.Pattern[str], starts: list[int]
) -> list[int]:
    """Indexes of the lines where ``pattern`` matches (each line once, in order)."""
    out: list[int] = []
    for m in pattern.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if not out or out[-1] != i:
            out.append(i)
    return out


def locate(lines: Sequence[Line], sections: Sequence[SectionSpec], text: str) -> dict[int, Part]:
    """Find the six parts.  A part whose heading is absent but whose table is found still gets
    a region, starting at the table's first header words.

    Candidate lines are found by scanning the whole text once, so that the many lines that
    cannot be headings cost nothing in Python."""
    key = tuple(sections)
    plain = _plain_headings(key)
    memo = _heading_memo(key)
    offsets = [line.start for line in lines]
    candidates: dict[int, list[int]] = {n: [] for n in range(1, 7)}
    maybe = sorted(
        set(_line_indexes(text, _MAYBE_HEADING, offsets))
        | set(_line_indexes(text, _PLAIN_WORDS, offsets))
    )
    for i in maybe:
        line = lines[i].text
        if line in memo:
            number = memo[line]
        else:
            number = _heading_number(line, sections, plain)
            if len(line) <= 200:  # longer lines are never headings, and cost nothing
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[line] = number
        if number is not None:
            candidates[number].append(i)
    anchors: dict[int, int] = {}
    for m in _ANCHOR_LINE.finditer(text):
        part = int(m.lastgroup[1:]) if m.lastgroup else 0
        if part not in anchors:
            i = bisect.bisect_right(offsets, m.start()) - 1
            if len(lines[i].text) < 120 and i not in candidates[part]:
                anchors[part] = i
        if len(anchors) == len(_ANCHORS):
            break
    chosen: dict[int, int] = {}
    after = -1
    for number in range(1, 7):
        pool = [i for i in candidates[number] if i > after]
        anchor = anchors.get(number)
        if anchor is not None:
            before = [i for i in pool if i < anchor]
            if before:
                chosen[number] = before[-1]
            elif anchor > after:
                chosen[number] = -1 - anchor  # located by the table only
        elif pool:
            chosen[number] = pool[0]
        if number in chosen:
            pick = chosen[number]
            after = pick if pick >= 0 else -1 - pick
    starts = sorted((abs_index(v), n) for n, v in chosen.items())
    parts: dict[int, Part] = {}
    for idx, (start, number) in enumerate(starts):
        end = starts[idx + 1][0] if idx + 1 < len(starts) else len(lines)
        raw = chosen[number]
        if raw >= 0:
            parts[number] = Part(number, _clean(lines[raw].text), raw + 1, end, raw)
        else:
            parts[number] = Part(number, "", start, end, None)
    return parts


def abs_index(value: int) -> int:
    return value if value >= 0 else -1 - value


# --- title and metadata --------------------------------------------------------------------

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


def _span_of(lines: Sequence[Line], first: int, last: int) -> Span:
    a, b = lines[first], lines[last]
    return Span(a.start, b.start + len(b.text), a.number, 1)


def _org_like(text: str) -> bool:
    return 2 <= len(text) <= 40 and not _SENTENCE_PUNCT.search(text) and not _YEAR.search(text)


def read_title(lines: Sequence[Line], limit: int, out: list[Diagnostic]) -> Title:
    """Title, issuer, year and publication date from the lines before part 一."""
    limit = min(limit, len(lines), 60)
    title_idx = None
    for words in (("年度报告",), _TITLE_WORDS):
        for i in range(limit):
            text = _clean(lines[i].text)
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
    text = _clean(lines[title_idx].text)
    first = title_idx
    prev = title_idx - 1
    while prev >= 0 and not lines[prev].text.strip():
        prev -= 1
    prev_text = _clean(lines[prev].text) if prev >= 0 and title_idx - prev <= 3 else ""
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
                    _span_of(lines, first, title_idx),
                )
            )
            issuer = None
        elif not issuer:
            issuer = None
    return Title(text, issuer, year, published, _span_of(lines, first, title_idx))


_WHITESPACE = regex.compile(r"\s+")
_PERIOD_YEAR = regex.compile(r"统计期限[^。]{0,10}?((?:19|20)\d\d)\s*年")


def year_from_text(text: str) -> int | None:
    """The reporting year from a 统计期限 sentence when the title has none."""
    m = _PERIOD_YEAR.search(text)
    return int(m[1]) if m else None


# --- narrative -----------------------------------------------------------------------------

_CHROME = regex.compile(
    r"^(?:扫一扫|打印本页|关闭窗口|【打印】|【关闭】|分享到|相关链接|主办单位|版权所有|网站标识码|"
    r"智能问答|便民地图|政策问答|数据中心|新媒体矩阵|营商环境|微博\s)"
)


def narrative(lines: Sequence[Line], first: int, end: int, *, stop_at_chrome: bool = False) -> str:
    """The text of a part: non-blank lines, stripped, artefacts removed."""
    out: list[str] = []
    for line in lines[first:end]:
        text = _clean(line.text)
        if not text:
            continue
        if stop_at_chrome and _CHROME.match(text):
            break
        out.append(text)
    return "\n".join(out)


_SUBHEAD = regex.compile(
    r"^\s*(?:#{1,6}\s*)?[(（]\s*(?P<num>[一二三四五六七八九十])\s*[)）]\s*(?P<rest>.*)$"
)
_SUBHEAD_TITLE = regex.compile(r"^(?P<title>[^。，,：:；;]{0,16}?(?:情况|方面))")
_SUBHEAD_KEYS = tuple(
    (regex.compile(pattern), key)
    for pattern, key in (
        ("依申请|依申", "applications"),
        ("主动公开", "active_disclosure"),
        ("信息管理|管理情况", "information_management"),
        ("平台", "platforms"),
        ("监督|保障|考核", "oversight"),
    )
)


def _subhead_key(title: str) -> str | None:
    for pattern, key in _SUBHEAD_KEYS:
        if pattern.search(title):
            return key
    return None


def subsections(lines: Sequence[Line], first: int, end: int) -> tuple[Subsection, ...]:
    """Part 一's sub-heads （一）…（五）, each with its text, when the report has them."""
    heads: list[tuple[int, str, str, str]] = []
    for i in range(first, end):
        line = lines[i].text
        if "(" not in line and "（" not in line:
            continue  # a sub-head has its numeral in brackets (removing artefacts adds none)
        m = _SUBHEAD.match(_ARTEFACT.sub("", line))
        if m is None:
            continue
        rest = m.group("rest").strip()
        t = _SUBHEAD_TITLE.match(rest)
        title = t.group("title") if t else _CLAUSE_END.split(rest, maxsplit=1)[0][:24]
        body = rest[len(title) :].lstrip("。：:，, \t\u3000")
        heads.append((i, m.group("num"), title.strip(), body))
    expected = "一二三四五六七八九十"
    if not heads or heads[0][1] != "一":
        return ()
    out: list[Subsection] = []
    for n, (i, num, title, body) in enumerate(heads):
        if num != expected[n] if n < len(expected) else True:
            break
        stop = heads[n + 1][0] if n + 1 < len(heads) else end
        text = "\n".join(x for x in (body, narrative(lines, i + 1, stop)) if x)
        last = stop - 1
        while last > i and not lines[last].text.strip():
            last -= 1
        out.append(Subsection(num, _subhead_key(title), title, text, _span_of(lines, i, last)))
    return tuple(out)


# --- the information processing fee (part 六) ---------------------------------------------

_SENTENCE_END = regex.compile(r"[。；;\n]")
_FEE_NONE = regex.compile(
    r"(?:未|没有|无|不|免|均未|并未)[^。；;]{0,12}?(?:收取|收费|产生|发生)|未产生|为零|为0(?!\d)"
)
_FEE_AMOUNT = regex.compile(
    r"(?<![0-9０-９.．])(?P<num>[0-9０-９]{1,12}(?:[,，][0-9０-９]{3}){0,4}(?:[.．][0-9０-９]{1,4})?)"
    r"\s{0,3}(?P<unit>万元|元)"
)


@attrs.frozen(slots=True)
class Fee:
    amount: Decimal | None
    stated: bool
    """Part 六 mentions the fee at all (also when the amount could not be read)."""


def processing_fee(text: str) -> Fee:
    """The 信息处理费 stated in part 六, in yuan."""
    stated = False
    for sentence in _SENTENCE_END.split(text):
        if "信息处理费" not in sentence:
            continue
        stated = True
        amount = _FEE_AMOUNT.search(sentence)
        if amount is not None:
            raw = amount["num"].translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))
            try:
                value = Decimal(raw.replace(",", ""))
            except InvalidOperation:
                continue
            if amount["unit"] == "万元":
                value *= 10000
            return Fee(value, True)
        if _FEE_NONE.search(sentence):
            return Fee(Decimal(0), True)
    return Fee(None, stated)
