"""Issuer, year, title and publication date from the shapes real pages give them.

Titles split before 年度报告, opening with the year, after a ``正文`` line, below crawler headers
(``标题: …``, ``发布时间: …``, ``抓取时间: …``), sharing a flattened line with the body, or only
in the body (``2023年，我局…``).  The date is the page's own (a 发布时间 header, the date line
under the title, the signature), never a crawl date.
"""

from __future__ import annotations

import datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportgen import issuers

import gxnianbao
from gxnianbao.common.lines import split_lines
from gxnianbao.locate.header import date_line, labelled_date
from gxnianbao.locate.title import read_title, year_from_text
from gxnianbao.templates import TEMPLATE_2021, TitleWords

NAME = "政府信息公开工作年度报告"

TITLE_SHAPES = (
    "one",
    "issuer_above",
    "year_split",
    "year_first",
    "split_before_end",
    "year_first_split",
    "body_only",
)


@attrs.frozen
class Page:
    text: str
    issuer: str | None
    year: int
    title: str | None
    published: datetime.date | None


def _title_lines(shape: str, issuer: str, year: int, gap: str) -> list[str]:
    return {
        "one": [f"{issuer}{year}{gap}年{NAME}"],
        "issuer_above": [issuer, f"{year}{gap}年度{NAME}"],
        "year_split": [f"{issuer}{year}{gap}年", NAME],
        "year_first": [f"{year}{gap}年{issuer}{NAME}"],
        "split_before_end": [f"{issuer}{year}{gap}年政府信息公开工作", "年度报告"],
        "year_first_split": [f"{year}{gap}年{issuer}政府信息公开工作", "年度报告"],
        "body_only": [],
    }[shape]


def _date_text(date: datetime.date, form: str) -> str:
    if form == "iso":
        return date.isoformat()
    if form == "slash":
        return f"{date.year}/{date.month}/{date.day}"
    return f"{date.year}年{date.month}月{date.day}日"


@st.composite
def pages(draw: st.DrawFn, *, flattened: bool = False) -> Page:
    """A page head in one of the title shapes, with crawler headers and dates around it, and a
    short body; and what it must give."""
    issuer = draw(issuers())
    year = draw(st.integers(2019, 2025))
    shape = draw(st.sampled_from(TITLE_SHAPES))
    gap = draw(st.sampled_from(["", "", " "]))
    published = datetime.date(year + 1, 1, 1) + datetime.timedelta(days=draw(st.integers(4, 89)))
    crawled = datetime.date(year + 3, 6, 1) + datetime.timedelta(days=draw(st.integers(0, 200)))
    colon = draw(st.sampled_from([":", "：", ": ", "： "]))
    date_form = draw(st.sampled_from(["iso", "slash", "cn"]))
    header_kinds = draw(
        st.lists(
            st.sampled_from(["title", "published", "issuer", "source", "link", "crawled"]),
            unique=True,
            max_size=6,
        )
    )
    titles = _title_lines(shape, issuer, year, gap)
    one_line_title = f"{issuer}{year}年{NAME}"
    head: list[str] = []
    for kind in header_kinds:
        label, value = {
            "title": ("标题", one_line_title),
            "published": (
                draw(st.sampled_from(["发布时间", "发布日期"])),
                _date_text(published, date_form),
            ),
            "issuer": ("发布机构", issuer),
            "source": ("来源", draw(st.sampled_from(["本网", issuer]))),
            "link": ("原文链接", "http://www.example.gov.cn/art/2024/1/20/art_1_1.html"),
            "crawled": (
                draw(st.sampled_from(["抓取时间", "采集时间", "crawled_at"])),
                _date_text(crawled, date_form) + " 08:30:00",
            ),
        }[kind]
        head.append(f"{label}{colon}{value}")
    mark = draw(st.sampled_from(["", "正文", "==== 正文 ====", "=====正文====="]))
    if mark and (head or mark == "正文"):
        head.append(mark)
    undated = "published" not in header_kinds
    date_under_title = undated and not flattened and bool(titles) and draw(st.booleans())
    signature = undated and not flattened and not date_under_title and draw(st.booleans())
    body = [
        "一、总体情况",
        f"{year}年，我局坚持以公开为常态、不公开为例外，与{year - 1}年相比，公开质量进一步提升。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    if signature:
        body += ["", issuer, _date_text(published, date_form)]
    sep = draw(st.sampled_from(["", " "])) if flattened else ""
    if flattened and head and draw(st.booleans()):
        # The crawler's headers on the body's line too; a body mark then says where it starts.
        if not mark:
            head.append("==== 正文 ====")
        lines = [" ".join([*head, sep.join([*titles, *body])])]
    elif flattened:
        lines = [*head, sep.join([*titles, *body])]
    else:
        under = [f"日期：{_date_text(published, date_form)}"] if date_under_title else []
        lines = [*head, *titles, *under, *body]
    if titles:
        title: str | None = sep.join(titles)
        expected_issuer: str | None = issuer
    elif "title" in header_kinds:
        title, expected_issuer = one_line_title, issuer
    else:
        title = None
        expected_issuer = issuer if "issuer" in header_kinds else None
    dated = "published" in header_kinds or date_under_title or signature
    return Page("\n".join(lines) + "\n", expected_issuer, year, title, published if dated else None)


def _check(page: Page) -> None:
    meta = gxnianbao.parse_report(page.text).meta
    got = (meta.issuer, meta.year, meta.title, meta.published)
    assert got == (page.issuer, page.year, page.title, page.published), page.text
    # The title's span holds the title (and the line breaks between its lines), nothing else.
    lines = split_lines(page.text)
    limit = next(i for i, line in enumerate(lines) if "一、总体情况" in line.text)
    title = read_title(lines, limit, [])
    if title.text is not None:
        assert title.span is not None
        spanned = page.text[title.span.start : title.span.end]
        assert "".join(spanned.split()) == "".join(title.text.split()), spanned


@given(pages())
def test_title_shapes_headers_and_dates(page: Page) -> None:
    _check(page)


@given(pages(flattened=True))
def test_flattened_page_title(page: Page) -> None:
    """The title followed by the body on the same line: 2023年某某局…年度报告一、总体情况…"""
    _check(page)


@pytest.mark.parametrize(
    ("text", "issuer", "year", "title"),
    [
        (
            "2024 年綦江区民政局政府信息公开工作\n年度报告\n一、总体情况\n",
            "綦江区民政局",
            2024,
            "2024 年綦江区民政局政府信息公开工作年度报告",
        ),
        (
            "正文\n2023年武侯区司法局政府信息公开工作年度报告\n一、总体情况\n",
            "武侯区司法局",
            2023,
            "2023年武侯区司法局政府信息公开工作年度报告",
        ),
        (
            "标题:涟水县2022年政府信息公开工作年度报告\n发布机构:涟水县人民政府\n"
            "==== 正文 ====\n涟水县2022年政府信息公开工作年度报告\n一、总体情况\n",
            "涟水县",
            2022,
            "涟水县2022年政府信息公开工作年度报告",
        ),
        (
            "标题: 孝感市财政局2021年政府信息公开工作年度报告 发布时间: 2022-01-20 "
            "==== 正文 ==== 孝感市财政局2021年政府信息公开工作年度报告一、总体情况2021年，我局…",
            "孝感市财政局",
            2021,
            "孝感市财政局2021年政府信息公开工作年度报告",
        ),
        ("一、总体情况\n2023年，我局认真贯彻《条例》。\n", None, 2023, None),
        (
            "发布机构：淳安县教育局\n正文\n一、总体情况\n2020年，我局认真贯彻。\n",
            "淳安县教育局",
            2020,
            None,
        ),
    ],
)
def test_title_examples(text: str, issuer: str | None, year: int, title: str | None) -> None:
    meta = gxnianbao.parse_report(text).meta
    assert (meta.issuer, meta.year, meta.title) == (issuer, year, title)


def test_header_title_is_not_the_issuer() -> None:
    """``标题:某某区`` was the issuer: the header's label is not part of the title."""
    text = "标题：西湖区2023年政府信息公开工作年度报告\n来源：西湖区\n正文\n一、总体情况\n"
    lines = split_lines(text)
    title = read_title(lines, 3, [])
    assert (title.issuer, title.text) == ("西湖区", "西湖区2023年政府信息公开工作年度报告")
    assert title.span is not None
    assert text[title.span.start : title.span.end] == title.text


def test_flattened_title_span_is_the_title_only() -> None:
    text = "2023年西湖区民政局政府信息公开工作年度报告一、总体情况2023年，我局认真…"
    title = read_title(split_lines(text), 1, [])
    assert title.span is not None and title.text is not None
    assert text[title.span.start : title.span.end] == title.text
    assert title.issuer == "西湖区民政局"


def test_a_part_heading_line_is_not_a_title() -> None:
    text = "一、总体情况 西湖区政府信息公开工作年度报告的编制工作如下"
    assert read_title(split_lines(text), 0, []).text is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("发布时间：2024-01-20 来源：本网", datetime.date(2024, 1, 20)),
        ("抓取时间：2025-06-01 发布时间：2024-01-20", datetime.date(2024, 1, 20)),
        ("crawled_at: 2025-06-01T08:00:00", None),
        ("采集日期:2025/6/1", None),
        ("统计时间：2023年1月1日至2023年12月31日", None),
        ("日期:2024-03-28", datetime.date(2024, 3, 28)),
        ("发布日期：2024-02-30", None),
    ],
)
def test_labelled_dates(text: str, date: datetime.date | None) -> None:
    assert labelled_date(text) == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024年1月20日", datetime.date(2024, 1, 20)),
        ("西湖区民政局  2024年3月5日", datetime.date(2024, 3, 5)),
        ("二〇二四年一月二十日", datetime.date(2024, 1, 20)),
        ("二〇二三年十二月三十一日", datetime.date(2023, 12, 31)),
        ("统计期限自2023年1月1日起至2023年12月31日止", None),
        ("本年度收取信息处理费2024元", None),
    ],
)
def test_date_lines(text: str, date: datetime.date | None) -> None:
    assert date_line(text) == date


def test_signature_date_outside_the_reported_years_is_not_taken() -> None:
    text = "西湖区2023年政府信息公开工作年度报告\n一、总体情况\n无。\n\n2019年1月2日\n"
    assert gxnianbao.parse_report(text).meta.published is None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。", 2022),
        ("现公布西湖区2021年度政府信息公开工作年度报告。", 2021),
        ("一、总体情况2020年，我局认真贯彻。", 2020),
        ("（一）主动公开情况。2019年，全区主动公开信息。", 2019),
        ("与2022年相比，公开质量提升。", None),
    ],
)
def test_year_from_the_body(text: str, year: int | None) -> None:
    assert year_from_text(text, split_lines(text)) == year


def test_title_words_come_from_the_template() -> None:
    """A template of one's own may name its report otherwise (工作总结): titles follow it."""
    text = "西湖区2023年政府信息公开工作总结\n一、总体情况\n"
    assert gxnianbao.parse_report(text).meta.title is None
    words = TitleWords(ends=(*TEMPLATE_2021.title_words.ends, "工作总结"))
    spec = attrs.evolve(TEMPLATE_2021, title_words=words)
    meta = gxnianbao.parse_report(text, template=spec).meta
    assert (meta.title, meta.issuer, meta.year) == (
        "西湖区2023年政府信息公开工作总结",
        "西湖区",
        2023,
    )


@pytest.mark.parametrize(
    ("end", "date"),
    [
        ("发布日期：2024-02-03", datetime.date(2024, 2, 3)),
        ("西湖区民政局\n2024年2月3日", datetime.date(2024, 2, 3)),
        ("抓取时间：2024-02-03", None),
        ("发布日期：2031-02-03", None),
    ],
)
def test_date_at_the_end_of_the_page(end: str, date: datetime.date | None) -> None:
    text = (
        "采集时间：2026-05-01\n西湖区民政局2023年政府信息公开工作年度报告\n一、总体情况\n"
        f"2023年，我局认真贯彻。\n六、其他需要报告的事项\n无。\n{end}\n"
    )
    assert gxnianbao.parse_report(text).meta.published == date


def test_a_body_mark_left_at_the_end_of_a_cut_header_line() -> None:
    # Found by test_flattened_page_title: a flattened page cut at its first heading leaves
    # ``标题:… 正文`` on a line of its own; the mark is not part of the title.
    text = (
        "标题:重庆市綦江区司法局2019年政府信息公开工作年度报告 正文 一、总体情况2019年，我局坚持"
        "以公开为常态、不公开为例外。六、其他需要报告的事项本年度未收取信息处理费。\n"
    )
    meta = gxnianbao.parse_report(text).meta
    assert (meta.issuer, meta.year, meta.title) == (
        "重庆市綦江区司法局",
        2019,
        "重庆市綦江区司法局2019年政府信息公开工作年度报告",
    )
