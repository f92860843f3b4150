"""The text of the narrative parts, and part 一's numbered sub-heads.

A part's text is its non-blank lines without converter artefacts; part 六 of a page saved
from a website runs on into the site's footer (扫一扫, 版权所有 …), where it is cut.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from ..common.lines import Line
from ..common.text import BOOKMARK
from ..model import Subsection
from ..templates import SubsectionSpec
from .text import CLAUSE_END, clean, span_of

_CHROME = regex.compile(
    r"^(?:扫一扫|打印本页|关闭窗口|【打印】|【关闭】|分享到|相关链接|主办单位|版权所有|网站标识码|"
    r"智能问答|便民地图|政策问答|数据中心|新媒体矩阵|营商环境|微博\s)"
)


def narrative(lines: Sequence[Line], first: int, end: int, *, stop_at_chrome: bool = False) -> str:
    """The text of a part: non-blank lines, stripped, artefacts removed."""
    out: list[str] = []
    for line in lines[first:end]:
        text = clean(line.text)
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


def _subhead_key(title: str, heads: Sequence[SubsectionSpec]) -> str | None:
    for head in heads:
        if any(word in title for word in head.words):
            return head.key
    return None


def subsections(
    lines: Sequence[Line], first: int, end: int, heads: Sequence[SubsectionSpec]
) -> tuple[Subsection, ...]:
    """A part's sub-heads （一）…（五）, each with its text and the key of the first of
    ``heads`` its title names, when the report has them."""
    found: list[tuple[int, str, str, str]] = []
    for i in range(first, end):
        line = lines[i].text
        if "(" not in line and "（" not in line:
            continue  # a sub-head has its numeral in brackets (removing artefacts adds none)
        m = _SUBHEAD.match(BOOKMARK.sub("", line))
        if m is None:
            continue
        rest = m.group("rest").strip()
        t = _SUBHEAD_TITLE.match(rest)
        title = t.group("title") if t else CLAUSE_END.split(rest, maxsplit=1)[0][:24]
        body = rest[len(title) :].lstrip("。：:，, \t\u3000")
        found.append((i, m.group("num"), title.strip(), body))
    expected = "一二三四五六七八九十"
    if not found or found[0][1] != "一":
        return ()
    out: list[Subsection] = []
    for n, (i, num, title, body) in enumerate(found):
        if num != expected[n] if n < len(expected) else True:
            break
        stop = found[n + 1][0] if n + 1 < len(found) else end
        text = "\n".join(x for x in (body, narrative(lines, i + 1, stop)) if x)
        last = stop - 1
        while last > i and not lines[last].text.strip():
            last -= 1
        out.append(
            Subsection(num, _subhead_key(title, heads), title, text, span_of(lines, i, last))
        )
    return tuple(out)
