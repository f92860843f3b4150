"""Fee sentences of part 六 as reports write them: the zero forms without the fee's name
(未发生收费, 未收取任何费用 …) give 0 with their span; rule quotes (不收取费用) give nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportgen import render, seeded_report

import gxnianbao
from gxnianbao.locate.fee import processing_fee

ZERO_WORDS = (
    "未发生收费",
    "未收取任何费用",
    "没有收取费用",
    "均未收费",
    "不存在收费情况",
    "未产生信息处理费",
    "未收取信息处理费",
    "无收取政府信息公开信息处理费情况",
    "没有发生收取信息处理费的情况",
    "信息处理费为零",
    "未收取政府信息公开相关费用",
    "收取费用0元",
)
"""Words that say no fee was charged in the year; each must be read as 0."""

SUBJECTS = ("", "本年度", "2023年，", "本年度，我局", "全年", "本机关依申请公开政府信息")
RULE_QUOTES = (
    "根据《中华人民共和国政府信息公开条例》第四十二条规定，行政机关依申请提供政府信息，不收取费用",
    "但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费",
    "按照《政府信息公开信息处理费管理办法》规定，行政机关不得违规收费",
)
"""Sentences about fees in general: they state no amount for the year."""
OTHER = (
    "本年度无其他需要报告的事项",
    "我局将继续做好政务公开各项工作",
    "全年共收到政府信息公开申请3件",
)
ENDS = ("。", "；", "\n")


@st.composite
def zero_statements(draw: st.DrawFn) -> tuple[str, str]:
    """A part 六 text with one sentence that states a zero fee, and its zero words."""
    words = draw(st.sampled_from(ZERO_WORDS))
    before = draw(st.lists(st.sampled_from(RULE_QUOTES + OTHER), max_size=3))
    after = draw(st.lists(st.sampled_from(OTHER), max_size=2))
    sentence = draw(st.sampled_from(SUBJECTS)) + words
    parts = [*before, sentence, *after]
    text = "".join(p + draw(st.sampled_from(ENDS)) for p in parts)
    return text, words


@given(zero_statements())
def test_zero_forms_give_zero_with_their_span(case: tuple[str, str]) -> None:
    text, words = case
    fee = processing_fee(text)
    assert fee.amount == Decimal(0), text
    assert fee.span is not None
    start, end = fee.span
    at = text.index(words)
    assert at <= start < end <= at + len(words), (text, text[start:end])


@given(
    st.lists(st.sampled_from(RULE_QUOTES + OTHER), min_size=1, max_size=4),
    st.sampled_from(ENDS),
)
def test_rules_and_other_sentences_state_no_amount(sentences: list[str], end: str) -> None:
    text = end.join(sentences) + end
    assert processing_fee(text).amount is None, text


@given(
    st.integers(1, 99_999),
    st.sampled_from(["元", " 元", "万元"]),
    st.sampled_from(
        [
            "本年度共收取信息处理费{}。",
            "收取信息处理费{}，未发生其他收费。",
            "按照《政府信息公开信息处理费管理办法》，本年度收取费用{}。",
        ]
    ),
    st.lists(st.sampled_from(RULE_QUOTES), max_size=2),
)
def test_amounts_still_read(amount: int, unit: str, form: str, before: list[str]) -> None:
    sentence = form.format(f"{amount}{unit}")
    text = "".join(b + "。" for b in before) + sentence
    fee = processing_fee(text)
    worth = Decimal(amount) * (10000 if unit == "万元" else 1)
    assert fee.amount == worth
    assert fee.span is not None and text[fee.span[0] : fee.span[1]].startswith(str(amount))


@pytest.mark.parametrize(
    "text",
    [
        "行政机关依申请提供政府信息，不收取费用。",
        "本年度未发现违规收费问题。",
        "本年度行政事业性收费未发生变化。",
        "按照规定，行政机关不得收取费用。",
    ],
)
def test_not_the_years_fee(text: str) -> None:
    assert processing_fee(text).amount is None


@given(st.integers(0, 40), st.sampled_from(ZERO_WORDS), st.sampled_from(SUBJECTS))
def test_zero_form_in_a_whole_report(seed: int, words: str, subject: str) -> None:
    """Part 六 of a generated report rewritten with a zero form: the report's fee is 0 and no
    fee finding remains."""
    r = seeded_report(seed, "西湖区民政局")
    text = render("tab_rows", r)
    report = gxnianbao.parse_report(text)
    part6 = next(s for s in report.sections if s.number == 6)
    text = text[: part6.span.start] + f"六、其他需要报告的事项\n{subject}{words}。\n"
    report = gxnianbao.parse_report(text)
    assert report.processing_fee == Decimal(0)
    codes = {f.rule for f in gxnianbao.validate(report) if f.status == "fail"}
    assert not codes & {"fee-not-reported", "fee-unreadable"}


@pytest.mark.parametrize(
    ("text", "fee", "words"),
    [
        ("按照《政府信息公开信息处理费管理办法》，2021年度我局未收取信息处\n理费。", 0, "未收取"),
        ("本年度收取信息处理\n费300元。", 300, "300元"),
        ("（一）信息处理费收取情况\n无\n（二）其他需要报告的事项\n无。", 0, "无"),
        ("（一）信息处理费收取情况：\n\n0\n", 0, "0"),
        # A line without a full stop ends its sentence: the 5万元 of the next is not the fee.
        ("我局未收取信息处理费\n按照要求，本年度投入经费5万元建设平台", 0, "未收取"),
        ("（一）其他需要报告的事项\n无", None, ""),
    ],
)
def test_lines_and_sub_heads(text: str, fee: int | None, words: str) -> None:
    found = processing_fee(text)
    assert found.amount == (None if fee is None else Decimal(fee))
    if words:
        assert found.span is not None and text[found.span[0] : found.span[1]] == words
