"""Part 六 states the 信息处理费 charged in the year (国办函〔2020〕109号), also when it is zero.

Only templates with ``fee_statement`` ask for the sentence.
"""

from __future__ import annotations

import functools
import re

from ..locate.fee import Fee, processing_fee
from .context import Context
from .findings import Finding
from .registry import RuleDef
from .words import number

__all__ = ["FEE_NOT_REPORTED", "FEE_UNREADABLE"]


@functools.lru_cache(maxsize=1)
def _sentence() -> re.Pattern[str]:
    return re.compile(r"[^。；;\n]*信息处理费[^。；;\n]*")


def _fee(ctx: Context, include_passed: bool) -> list[Finding]:
    report = ctx.report
    if not ctx.spec.fee_statement:
        return []
    not_reported, unreadable = FEE_NOT_REPORTED, FEE_UNREADABLE
    other = report.other_matters
    fee = processing_fee(other, ctx.spec.title_words.fee) if other else Fee(None, False)
    amount = report.processing_fee if report.processing_fee is not None else fee.amount
    part6 = next((s.span for s in report.sections if s.number == 6), None)
    out: list[Finding] = []
    if amount is not None:
        if include_passed:
            said = f"第六部分说明了信息处理费：{number(amount)}元。"
            for rule in (not_reported, unreadable):
                out.append(rule.finding("pass", said, identify=(amount,)))
        return out
    if fee.stated:
        m = _sentence().search(other or "")
        sentence = m.group(0).strip() if m else "信息处理费"
        out.append(
            unreadable.finding(
                "fail",
                f'第六部分提到信息处理费，但未能读出金额："{sentence}"。'
                '请写明收取的金额（元），未收取的写明"未收取信息处理费"。',
                identify=(sentence,),
                span=part6,
            )
        )
        if include_passed:
            out.append(not_reported.finding("pass", "第六部分提到了信息处理费。"))
        return out
    part = '第六部分"其他需要报告的事项"'
    where = f"未找到{part}，" if other is None else part
    out.append(
        not_reported.finding(
            "fail",
            f"{where}未说明本年度信息处理费收取情况。按照{ctx.spec.name}年版格式，收取或未收取"
            '信息处理费都应在第六部分说明（如"本年度未收取信息处理费"）。',
            identify=(other is None,),
            span=part6,
        )
    )
    return out


FEE_NOT_REPORTED = RuleDef(
    "fee-not-reported",
    "warning",
    "fee",
    "六、其他需要报告的事项：报告本年度信息处理费收取情况（未收取的也应说明）",
    check=_fee,
    doc="part 六 reads only `无。` (seeds 000 and 002), or part 六 is missing",
)
FEE_UNREADABLE = RuleDef(
    "fee-unreadable",
    "warning",
    "fee",
    '六、其他需要报告的事项：信息处理费写明金额（如"收取信息处理费3940元"）',
    check=_fee,
    doc="`本年度收取信息处理费叁佰元。`: the fee is mentioned, but no amount and no 未收取 can be"
    " read. The message quotes the sentence",
)
