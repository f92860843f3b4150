"""Part finding, table-driven: a heading as written and the part it heads (None: no heading).

A one-line change to the parts' vocabulary (``SectionSpec`` in ``gxnianbao/templates``) gets a
one-line row here.
"""

from __future__ import annotations

import pytest

from gxnianbao.common.lines import split_lines
from gxnianbao.locate.parts import find_parts, heading_number
from gxnianbao.templates import LATEST, TEMPLATES

SECTIONS = LATEST.sections

HEADINGS: list[tuple[str, int | None]] = [
    # the official headings
    ("一、总体情况", 1),
    ("二、主动公开政府信息情况", 2),
    ("三、收到和处理政府信息公开申请情况", 3),
    ("四、政府信息公开行政复议、行政诉讼情况", 4),
    ("五、存在的主要问题及改进情况", 5),
    ("六、其他需要报告的事项", 6),
    # arabic numerals and other delimiters
    ("1、总体情况", 1),
    ("2.主动公开政府信息情况", 2),
    ("3．收到和处理政府信息公开申请情况", 3),
    ("4，政府信息公开行政复议、行政诉讼情况", 4),
    ("二 、 主动公开 政府信息情况", 2),
    # markdown, bold, BOM, indents, 第…部分
    ("## 二、主动公开政府信息情况", 2),
    ("**一、总体情况**", 1),
    ("\ufeff一、总体情况", 1),
    ("\u3000\u3000三、收到和处理政府信息公开申请情况", 3),
    ("# 第一部分 总体情况", 1),
    ("第二部分 主动公开政府信息情况", 2),
    # Word bookmarks: after the heading's words they are dropped
    ("一、总体情况[bookmark: _Toc1]", 1),
    ("[bookmark: _GoBack]一、总体情况", None),
    # headings written without their numeral
    ("总体情况", 1),
    ("## 总体情况", 1),
    ("主动公开政府信息情况", 2),
    ("存在的主要问题及改进情况", 5),
    ("其他需要报告的事项", 6),
    ("政府信息公开行政复议、行政诉讼情况", None),  # its 、 reads as a numeral's delimiter
    ("主动公开情况", None),
    # reworded headings the keywords accept
    ("一、基本情况", 1),
    ("一、概述", 1),
    ("三、依申请公开情况", 3),
    ("三、收到、处理政府信息公开申请情况", 3),
    ("五、存在的问题及下一步打算", 5),
    ("五、主要问题和改进措施", 5),
    ("六、其他事项", 6),
    ("六、其他需要报告的事项。无。", 6),
    ("一、总体情况。2023年，我局认真贯彻", 1),
    # not supported: full-width digits, traditional characters, 壹
    ("２、主动公开政府信息情况", None),
    ("一、總體情況", None),
    ("二、主動公開政府信息情況", None),
    ("壹、总体情况", None),
    # false positives: look-alikes, table labels, sub-heads, wrong numeral
    ("二、主动公开政务信息情况", None),
    ("三、总体情况", None),
    ("七、其他需要报告的事项", None),
    ("1.属于国家秘密", None),
    ("三、本年度办理结果", None),
    ("四、结转下年度继续办理", None),
    ("二是加强主动公开", None),
    ("（一）主动公开情况", None),
    ("2023年政府信息公开工作年度报告", None),
    ("第二十条第（一）项", None),
    ("一、", None),
    ("五、问题", None),
    ("六、其他需要报告的事项" + "很" * 200, None),
]


@pytest.mark.parametrize(("line", "expected"), HEADINGS, ids=[h for h, _ in HEADINGS])
def test_heading_number(line: str, expected: int | None) -> None:
    assert heading_number(line, SECTIONS) == expected


def test_the_stock_templates_share_their_parts() -> None:
    """Parts are found before the template is known, so the templates must agree on them."""
    assert len({spec.sections for spec in TEMPLATES.values()}) == 1


def _heading_lines(text: str) -> dict[int, int | None]:
    lines = split_lines(text)
    return {n: p.heading_line for n, p in find_parts(lines, SECTIONS, text).items()}


PARTS: list[tuple[str, dict[int, int | None]]] = [
    # each heading on its line
    ("一、总体情况\n正文\n二、主动公开政府信息情况\n第二十条第（一）项\n", {1: 0, 2: 2}),
    # a look-alike heading inside part 一: the last candidate before the table's first words
    (
        "一、总体情况\n二、主动公开政府信息情况\n正文\n二、主动公开政府信息情况\n信息内容\n",
        {1: 0, 2: 3},
    ),
    # no heading, but the table's first words: the part starts there
    ("一、总体情况\n正文\n申请人情况\n", {1: 0, 3: None}),
    # parts come in order: a heading before an earlier part's is not taken
    ("二、主动公开政府信息情况\n一、总体情况\n", {1: 1}),
]


@pytest.mark.parametrize(("text", "expected"), PARTS, ids=range(len(PARTS)))
def test_find_parts(text: str, expected: dict[int, int | None]) -> None:
    assert _heading_lines(text) == expected
