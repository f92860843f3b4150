"""Which template entry a label names: a table of labels as written and what they match.

Why a table: labels in the wild are letter-spaced, numbered ``（一）`` or ``1.``, written with
half- or full-width forms, shortened or mistyped, and each new variant met in a real report
should be one new row here (and, where needed, one new alias in the template's vocabulary).
The matching goes through the public vocabulary of :mod:`gxnianbao.common.labels`.
"""

from __future__ import annotations

import functools

import pytest

from gxnianbao.common.labels import Vocabulary, core
from gxnianbao.templates import TEMPLATES


@functools.cache
def _vocabulary(template: str, table: str) -> Vocabulary:
    return Vocabulary(TEMPLATES[template].table(table))


def matched(template: str, table: str, label: str) -> str | None:
    """What ``label`` names in the table, as ``kind:key`` (several joined by ``|``), or None."""
    entries = _vocabulary(template, table).match(core(label))
    return "|".join(sorted({f"{e.kind}:{e.key}" for e in entries})) or None


A21 = ("2021", "applications")
D21 = ("2021", "active_disclosure")
R21 = ("2021", "review_litigation")
A19 = ("2019", "applications")
D19 = ("2019", "active_disclosure")

# (template, table), label as written -> what it names (None: nothing)
LABELS: list[tuple[tuple[str, str], str, str | None]] = [
    # official labels
    (A21, "一、本年新收政府信息公开申请数量", "row:received"),
    (A21, "二、上年结转政府信息公开申请数量", "row:carried_over"),
    (A21, "（一）予以公开", "row:granted"),
    (A21, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "row:partially_granted"),
    (A21, "1.属于国家秘密", "row:withheld.state_secret"),
    (A21, "2.其他法律行政法规禁止公开", "row:withheld.prohibited_by_law"),
    (A21, "3.危及“三安全一稳定”", "row:withheld.security_stability"),
    (A21, "1.本机关不掌握相关政府信息", "row:unavailable.not_held"),
    (A21, "2.没有现成信息需要另行制作", "row:unavailable.needs_creation"),
    (A21, "1.信访举报投诉类申请", "row:not_processed.petition_complaint"),
    (A21, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     "row:other.overdue_correction"),
    (A21, "1.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
     "row:other.unpaid_fee"),
    (A21, "四、结转下年度继续办理", "row:carried_forward"),
    (D21, "规章", "row:regulations"),
    (D21, "行政规范性文件", "row:normative_documents"),
    (D21, "行政处罚", "row:punishment"),
    (D21, "行政事业性收费", "row:fees"),
    (R21, "行政复议", "row:review"),
    (R21, "未经复议直接起诉", "row:litigation_direct"),
    (R21, "复议后起诉", "row:litigation_after_review"),
    (D19, "其他对外管理服务事项", "row:other_services"),
    (D19, "政府集中采购", "row:procurement"),
    # groups (merged label cells over several rows)
    (A21, "三、本年度办理结果", "group:results"),
    (A21, "（三）不予公开", "group:withheld"),
    (A21, "（四）无法提供", "group:unavailable"),
    (A21, "（五）不予处理", "group:not_processed"),
    (A21, "（六）其他处理", "group:other"),
    (A19, "（五）不予处理", "group:not_processed"),
    (A19, "（六）其他处理", "row:other"),  # one row in 2019, a group of three in 2021
    # columns and header words
    (A21, "自然人", "column:natural_person"),
    (A21, "科研机构", "column:research"),
    (A21, "法律服务机构", "column:legal_service"),
    (A21, "申请人情况", "header:申请人情况"),
    (D21, "本年制发件数", "column:issued"),
    (D21, "本年废止件数", "column:repealed"),
    (D21, "现行有效件数", "column:in_force"),
    (D21, "本年收费金额（单位：万元）", "column:amount_wan_yuan"),
    (D21, "第二十条第（一）项", "header:第二十条第一项"),
    (D21, "信息内容", "header:信息内容"),
    (R21, "结果维持", "column:upheld"),
    (R21, "尚未审结", "column:pending"),
    (R21, "其他结果", "column:other"),
    (R21, "行政诉讼", "header:行政诉讼"),
    (R21, "其他", "header:其他"),
    (D19, "本年新制作数量", "column:made"),
    (D19, "本年增/减", "column:change"),
    (D19, "采购总金额", "column:amount"),
    # the same word names a column and a row: the binder decides by position
    (A21, "总计", "column:total|row:total"),
    (A21, "合计", "column:total|row:total"),
    (A21, "（七）总计", "column:total|row:total"),
    (A21, "其他", "column:other_org|row:other.other"),
    (A21, "3.其他", "column:other_org|row:other.other"),
    # known aliases
    (A21, "本年新收", "row:received"),
    (A21, "上年结转", "row:carried_over"),
    (A21, "（二）部分公开", "row:partially_granted"),
    (A21, "2.其他法律法规禁止公开", "row:withheld.prohibited_by_law"),
    (A21, "国家秘密", "row:withheld.state_secret"),
    (A21, "办理结果", "group:results"),
    (A21, "社会组织", "column:social_welfare"),
    (A21, "公益组织", "column:social_welfare"),
    (D21, "规范性文件", "row:normative_documents"),
    (D21, "事业性收费", "row:fees"),
    (D21, "收费金额", "column:amount_wan_yuan"),
    (D19, "规范性文件", "row:normative_documents"),
    # numbering prefixes: dropped whatever their form
    (A21, "本年新收政府信息公开申请数量", "row:received"),
    (A21, "一．本年新收政府信息公开申请数量", "row:received"),
    (A21, "予以公开", "row:granted"),
    (A21, "(一)予以公开", "row:granted"),
    (A21, "（一） 予以公开", "row:granted"),
    (A21, "属于国家秘密", "row:withheld.state_secret"),
    (A21, "1．属于国家秘密", "row:withheld.state_secret"),
    (A21, "1、属于国家秘密", "row:withheld.state_secret"),
    (A21, "(1)属于国家秘密", "row:withheld.state_secret"),
    (A21, "(三)不予公开", "group:withheld"),
    # letter-spaced and broken over lines
    (A21, "一 、本 年 新 收 政 府 信 息 公 开 申 请 数 量", "row:received"),
    (A21, "予 以 公 开", "row:granted"),
    (A21, "自 然 人", "column:natural_person"),
    (A21, "合\u3000计", "column:total|row:total"),
    (A21, "商业\n企业", "column:commercial"),
    (D21, "行 政 许 可", "row:licensing"),
    (R21, "结果\n维持", "column:upheld"),
    # NFKC variants: full-width digits and punctuation, enclosed numbers, straight quotes
    (A21, "１．属于国家秘密", "row:withheld.state_secret"),
    (A21, "⑴予以公开", "row:granted"),
    (A21, "予以公开\u3000", "row:granted"),
    (A21, '3.危及"三安全一稳定"', "row:withheld.security_stability"),
    (A21, "危及三安全一稳定", "row:withheld.security_stability"),
    (D21, "本年收费金额(单位:万元)", "column:amount_wan_yuan"),
    (D19, "本年增／减", "column:change"),
    # converter artefacts
    (A21, "本年新收政府信息公开申请数量[bookmark: _GoBack]", "row:received"),
    (A21, "（一）予以公开[bookmark: a]", "row:granted"),
    # typos, matched by similarity
    (A21, "本年新收政府信息公开申情数量", "row:received"),
    # near misses that must NOT match
    (A21, "予以公幵", None),  # a typo in a label too short to tell
    (A21, "公开", None),
    (A21, "申请", None),
    (A21, "本年度", None),
    (A21, "合同金额", None),
    (A21, "收费情况", None),
    (A21, "行政复议", None),  # a row of another table
    (A21, "政府信息公开工作年度报告", None),
    (A21, "1", None),
    (A21, "", None),
    (A21, "   ", None),
    (D21, "政府集中采购", None),  # a 2019 row, gone from 2021
    (D19, "本年制发件数", None),  # a 2021 column, not in 2019
]


@pytest.mark.parametrize(("where", "label", "expected"), LABELS)
def test_label_names(where: tuple[str, str], label: str, expected: str | None) -> None:
    assert matched(*where, label) == expected


def test_the_table_has_each_label_once() -> None:
    keys = [(where, label) for where, label, _ in LABELS]
    assert len(keys) == len(set(keys))


def test_every_official_label_names_its_entry() -> None:
    """Whatever the template declares, its own wording of a row, group or column matches it."""
    for name, template in TEMPLATES.items():
        for table in template.tables:
            entries = [("row", row.key, row.label) for row in table.rows]
            entries += [("group", group.key, group.label) for group in table.groups]
            entries += [("column", c.key, c.label) for row in table.rows for c in row.columns]
            for kind, key, label in entries:
                found = matched(name, table.key, label) or ""
                assert f"{kind}:{key}" in found.split("|"), (name, table.key, label, found)
