"""How the overview states a count: the declared phrasings, as regular expressions.

Every pattern has bounded quantifiers only (no nested unbounded repetition), so reading is linear
in the length of the text.  A new phrasing is one :class:`Pattern` in :data:`PATTERNS` (with the
example sentence it reads, which the documentation shows and a test reads).  Nothing is compiled
at import: :func:`rx` compiles an expression on its first use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Literal

import attrs

__all__ = ["CORES", "PATTERNS", "Pattern", "rx"]


@functools.cache
def rx(source: str) -> re.Pattern[str]:
    """``source`` compiled, once per process, on first use."""
    return re.compile(source)


Target = Literal["quantity", "applicant", "outcome", "docs"]

BREAK = "，,。；;：:！？!?\n"
"""Characters that end a clause: a label and its number never lie on both sides of one."""
_NOBREAK = f"[^{BREAK}0-9]"
CN_NUM = "零〇一二两三四五六七八九十百千"

# A count: the number (ASCII digits after full-width ones are mapped, thousands separators, or a
# small number in Chinese numerals), an optional 余/多 (approximate), and its measure word.
# Numbers followed by 条 次 人 年 号 … are other things and never match.
_NUM = (
    rf"(?<![0-9.,第{CN_NUM}])"
    rf"(?P<n>[0-9]{{1,3}}(?:,[0-9]{{3}}){{1,3}}|[0-9]{{1,7}}|[{CN_NUM}]{{1,6}})"
    r"\s{0,2}(?P<approx>余|多)?\s{0,2}"
    r"(?P<unit>件|起(?!诉)|宗|个(?!人|工作日|月)|份|例)"
)
# What may stand between a label and its number: a noun, a measure, a copula, an "about".
_GAP = (
    r"(?:的)?(?:政府信息公开|信息公开|依申请公开)?(?:申请|案件|事项|文件)?"
    r"(?:数量|总数|总量|件数|数)?\s{0,2}[:：]?\s{0,2}"
    r"(?:为|是|达到|达|有|共有|共计|共|合计|总计|计|累计)?\s{0,2}"
    r"(?P<about>约|近|逾|超过|大约|将近)?\s{0,2}"
)
# After a "none" statement the clause must end (or name only what kind of thing there was none of).
_ZERO_TAIL = rf"(?:事项|案件|件)?(?:的?(?:情况|情形|事件|现象))?(?=[{BREAK}]|$)"
_NOUN = r"(?:政府信息公开申请|依申请公开申请|依申请公开|信息公开申请|公开申请|申请)"

_RECEIVED_VETO = (
    r"复议|诉讼|结转|留言|来信|来电|咨询|举报|投诉|信访|办结|答复|转办|转交|办理|"
    r"自然人|企业|法人|组织|机构|公民"
)

CORES: Mapping[str, str] = {
    "received": (
        rf"(?:收到|受理|新收|接收|接到|登记)了?{_NOBREAK}{{0,24}}?(?:依申请公开|申请)"
        r"|(?:本年度?|全年|年内)新收"
    ),
    "carried-over": (
        r"上一?年度?结转(?:至本年度?|到本年度?)?(?:继续办理)?|上一?年度?转入(?:本年度?)?"
    ),
    # Lookbehinds sit after a first literal character: a pattern that starts with a literal is
    # scanned for fast, one that starts with a lookbehind is tried at every position.
    "granted": (
        r"予(?<!不予)(?<!部分予)以公开|同(?<!不同)(?<!部分同)意公开|准(?<!不准)(?<!部分准)予公开"
        r"|全(?<!部分全)(?<!不全)部公开"
    ),
    "partially-granted": r"部分(?:予以|同意)?公开",
    "withheld": r"不予以?公开|不同意公开",
    "unavailable": r"无法(?:予以)?提供",
    "not-processed": r"不予(?:以)?处理",
    "other-handling": r"其他处理",
    "total": r"办(?<!未办)结|办(?<!未办)理完毕|处(?<!未处)理完毕",
    "carried-forward": (
        r"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?|转入下一?年度?(?:继续)?(?:办理)?"
    ),
    "review-total": r"行政复议(?!后)",
    "litigation-total": r"行政诉讼",
    "licensing": r"行政许可(?:处理)?决定",
    "punishment": r"行政处罚(?:处理)?决定",
    "coercion": r"行政强制(?:处理)?决定",
}
"""Each quantity's label, without a number: what a pattern starts from, and what, found next to
another quantity's label before one number, makes that number ambiguous
(``予以公开和部分公开26件``)."""

VETOES: Mapping[str, str] = {"received": _RECEIVED_VETO}
"""A core whose text matches its veto is not that label (``收到行政复议申请`` is no application)."""

DOC_KIND_CORES = {"normative": r"规范性文件", "regulations": r"规章(?!制度)"}

APPLICANT_WORDS: Mapping[str, str] = {
    "法人或其他组织": "organisations", "法人或者其他组织": "organisations",
    "法人和其他组织": "organisations", "法人及其他组织": "organisations",
    "法人、其他组织": "organisations", "法人": "organisations",
    "自然人": "natural-person", "公民": "natural-person",
    "商业企业": "commercial", "企业": "commercial",
    "科研机构": "research",
    "社会公益组织": "social-welfare", "公益组织": "social-welfare", "社会组织": "social-welfare",
    "法律服务机构": "legal-service",
    "其他组织": "other-org",
}  # fmt: skip
_APPLICANT = (
    # 法人 after 公民、/自然人、 is part of "all applicants", not a kind of them.
    r"(?P<who>法(?<!公民、法)(?<!公民和法)(?<!公民法)(?<!自然人、法)(?<!自然人和法)(?<!自然人法)"
    r"人(?:或者?其他组织|和其他组织|及其他组织|、其他组织|(?![或和及、与]))|"
    r"自然人|公民|商业企业|企(?<!商业企)业|科研机构|社会公益组织|公(?<!社会公)益组织|社会组织|"
    r"法律服务机构|其(?<!法人或其)(?<!法人和其)(?<!法人及其)(?<!法人、其)(?<!或者其)他组织)"
    r"(?P<req>(?:提出|提交)?的?(?:政府信息公开)?申请)?"
)
OUTCOME_WORDS: Mapping[str, str] = {
    "结果维持": "upheld", "维持": "upheld", "维持原决定": "upheld", "维持原行政行为": "upheld",
    "维持原答复": "upheld", "维持原复议决定": "upheld",
    "结果纠正": "corrected", "纠正": "corrected", "被纠正": "corrected", "纠错": "corrected",
    "被纠错": "corrected", "撤销": "corrected", "被撤销": "corrected",
    "其他结果": "other",
    "尚未审结": "pending", "未审结": "pending", "正在审理": "pending", "正在审理中": "pending",
    "审理中": "pending", "尚在审理": "pending", "尚在审理中": "pending",
}  # fmt: skip
_OUTCOME = (
    r"(?P<what>结果维持|维持原(?:行政行为|复议决定|决定|答复)|维持|结果纠正|纠正|被纠正|纠错|被纠错|"
    r"撤销|被撤销|"
    r"其他结果|尚未审结|未审结|正在审理中?|尚在审理中?|审理中)"
)
DOC_COL_WORDS: Mapping[str, str] = {
    "制发": "issued", "新制发": "issued", "制定": "issued", "新制定": "issued", "出台": "issued",
    "新出台": "issued", "印发": "issued", "发布": "issued",
    "废止": "repealed", "宣布废止": "repealed", "宣布失效": "repealed",
    "现行有效": "in-force",
}  # fmt: skip
_DOC_COL = r"(?P<col>新制发|制发|新制定|制定|新出台|出台|印发|发布|宣布废止|宣布失效|废止|现行有效)"
_DOC_COL_BARE = r"(?P<col>新制发|制发|宣布废止|宣布失效|废止|现行有效)"
_DOC_KIND = r"(?P<kind>行政规范性文件|规范性文件|规章(?!制度))"
_DOC_VETO = r"清理|审查|备案|解读|征求|评估|起草|合法性"


@attrs.frozen(slots=True)
class Pattern:
    """One way a count is stated: a regular expression with a number (or a "none")."""

    id: str
    target: Target
    quantity: str
    """For ``target="quantity"``: the quantity key; otherwise the key is found from the match
    (``who`` / ``what`` / ``col`` and ``kind`` groups) and its context."""
    regex: str
    example: str
    """A sentence the pattern reads (the documentation lists it; a test checks it)."""
    zero: bool = False
    """A "none" statement (``未收到政府信息公开申请``): the count is 0, no number is written."""
    veto: str | None = None
    """A label whose text (up to the number) matches this is not the quantity's."""

    @property
    def compiled(self) -> re.Pattern[str]:
        """The expression compiled (on first use: importing compiles no pattern)."""
        return rx(self.regex)


_NUM_CASES = _NUM.replace("|份|例)", "|份|例|次)")
"""For 行政复议 / 行政诉讼 cases ``次`` is a count too (``被申请行政复议1次``)."""


def _direct(key: str, example: str, num: str = _NUM) -> Pattern:
    return Pattern(
        key,
        "quantity",
        key,
        rf"(?P<label>{CORES[key]}){_GAP}{num}",
        example,
        veto=VETOES.get(key),
    )


PATTERNS: tuple[Pattern, ...] = (
    _direct("received", "全年共收到政府信息公开申请57件"),
    Pattern(
        "received-count-first",
        "quantity",
        "received",
        rf"(?P<label>(?:有|收到|受理|新收|接收|接到)了?(?:共|共计|合计|总计)?){_NUM}"
        rf"(?:的)?{_NOUN}(?!人|者|书|表)",
        "2023年我局有2个依申请公开的案件",
        veto=_RECEIVED_VETO,
    ),
    Pattern(
        "received-number-of",
        "quantity",
        "received",
        r"(?P<label>(?:政府信息公开申请|依申请公开申请|依申请公开|信息公开申请)(?:的)?"
        rf"(?=数量|总数|总量|件数)){_GAP}{_NUM}",
        "全年政府信息公开申请数量为5件",
        veto=_RECEIVED_VETO,
    ),
    Pattern(
        "received-none",
        "quantity",
        "received",
        rf"(?P<label>(?:未|没有|尚未|并未|均未)(?:收到|受理|接到|接收|发生|产生|新收|有)(?:过|任何)?"
        rf"{_NOBREAK}{{0,16}}?{_NOUN}){_ZERO_TAIL}",
        "2022年未收到政府信息公开申请",
        zero=True,
        veto=_RECEIVED_VETO,
    ),
    Pattern(
        "received-none-short",
        "quantity",
        "received",
        r"(?P<label>(?:无(?<![未并]无)|没(?<![未并]没)有)(?:任何)?"
        rf"(?:政府信息公开申请|依申请公开申请|依申请公开)){_ZERO_TAIL}",
        "本年度无依申请公开事项",
        zero=True,
    ),
    _direct("carried-over", "上年结转政府信息公开申请3件"),
    _direct("granted", "其中予以公开17件"),
    _direct("partially-granted", "部分公开9件"),
    _direct("withheld", "不予公开3件"),
    _direct("unavailable", "无法提供9件"),
    _direct("not-processed", "不予处理2件"),
    _direct("other-handling", "其他处理1件"),
    _direct("total", "共办结59件"),
    _direct("carried-forward", "结转下年度继续办理2件"),
    _direct("review-total", "全年因政府信息公开被申请行政复议3件", _NUM_CASES),
    Pattern(
        "review-count-first",
        "quantity",
        "review-total",
        rf"(?P<label>(?:发生|收到|受理|被申请|提起|被提起|有)了?(?:共|共计)?){_NUM}"
        r"(?:的)?(?:政府信息公开)?行政复议(?!后)",
        "发生2起行政复议案件",
    ),
    Pattern(
        "review-none",
        "quantity",
        "review-total",
        r"(?P<label>(?:未|没有|尚未|并未|均未|无)(?:发生|收到|产生|出现|有|被提起|被申请|提起|接到)?"
        rf"(?:过|任何)?{_NOBREAK}{{0,24}}?行政复议(?!后)"
        r"(?:(?:[和、及与或]|以及|或者)(?:被提起|提起|被申请|申请)?行政诉讼)?"
        rf"(?:申请)?){_ZERO_TAIL}",
        "未发生政府信息公开行政复议、行政诉讼案件",
        zero=True,
        veto=r"纠错|纠正|败诉|撤销",
    ),
    _direct("litigation-total", "被提起行政诉讼2件", _NUM_CASES),
    Pattern(
        "litigation-count-first",
        "quantity",
        "litigation-total",
        rf"(?P<label>(?:发生|收到|被提起|提起|有)了?(?:共|共计)?){_NUM}(?:的)?(?:政府信息公开)?行政诉讼",
        "被提起1起行政诉讼",
    ),
    Pattern(
        "litigation-none",
        "quantity",
        "litigation-total",
        r"(?P<label>(?:未|没有|尚未|并未|均未|无)(?:发生|收到|产生|出现|有|被提起|被申请|提起|接到)?"
        rf"(?:过|任何)?{_NOBREAK}{{0,24}}?行政诉讼){_ZERO_TAIL}",
        "未发生因政府信息公开被申请行政复议或提起行政诉讼的情况",
        zero=True,
        veto=r"纠错|纠正|败诉|撤销",
    ),
    Pattern(
        "applicant",
        "applicant",
        "",
        rf"(?P<label>{_APPLICANT}){_GAP}{_NUM}",
        "包括自然人申请36件、商业企业申请2件",
    ),
    Pattern(
        "outcome",
        "outcome",
        "",
        rf"(?P<label>{_OUTCOME}){_GAP}{_NUM}",
        "被申请行政复议2件，其中维持1件",
    ),
    Pattern(
        "documents",
        "docs",
        "",
        rf"(?P<label>{_DOC_COL}了?的?{_NOBREAK}{{0,10}}?{_DOC_KIND}){_GAP}{_NUM}",
        "累计公开现行有效行政规范性文件199件",
        veto=_DOC_VETO,
    ),
    Pattern(
        "documents-kind-first",
        "docs",
        "",
        rf"(?P<label>{_DOC_KIND}的?(?:本年度?|全年|年内)?{_DOC_COL}){_GAP}{_NUM}",
        "行政规范性文件本年废止3件",
    ),
    Pattern(
        "documents-in-context",
        "docs",
        "",
        rf"(?P<label>{_DOC_COL_BARE}的?){_GAP}{_NUM}",
        "全年制发行政规范性文件4件，废止2件",
    ),
    _direct("licensing", "作出行政许可决定1386件"),
    _direct("punishment", "行政处罚决定27件"),
    _direct("coercion", "行政强制决定3件"),
)
"""Every phrasing read, in order.  ``documents-in-context`` takes its kind (规章 or 行政规范性
文件) from the sentence; ``applicant`` and ``outcome`` statements belong to the statement they
break down (see :func:`statements`)."""

# "A、B分别为x件、y件" / "A、B各x件" / "A、B均为0件": several labels, numbers after them.
LIST = (
    r"(?P<kw>分别|各|均|都)(?:为|是|有|达)?\s{0,2}"
    rf"(?P<nums>(?:[0-9]{{1,7}}|[{CN_NUM}]{{1,6}})\s{{0,2}}(?:件|起|宗|个|份|例)?"
    rf"(?:\s{{0,2}}[、，,和及与]\s{{0,2}}(?:[0-9]{{1,7}}|[{CN_NUM}]{{1,6}})\s{{0,2}}"
    r"(?:件|起|宗|个|份|例)?){0,9})"
)
LIST_NUMBER = rf"([0-9]{{1,7}}|[{CN_NUM}]{{1,6}})\s{{0,2}}(件|起|宗|个|份|例)?"
LIST_QUANTITIES = (
    "received", "carried-over", "granted", "partially-granted", "withheld", "unavailable",
    "not-processed", "other-handling", "total", "carried-forward", "review-total",
    "litigation-total",
)  # fmt: skip

SUBHEAD = rf"[（(][一二三四五六七八九十][)）][^{BREAK}0-9]{{0,16}}?(?:情况|方面)"
"""A sub-head run into its text (``(二)依申请公开情况全区…``) ends a clause like a comma."""
OTHER_TIME = r"上一?年(?!度?结转|度?转入)|去年|前年|同比|同期|比上|较上"
YEAR = r"(?<![0-9〔\[（(])((?:19|20)[0-9]{2})\s{0,2}年"
INCLUDES_CARRIED = r"\s{0,2}[（(][^）)\n]{0,12}?(?:含|包括|其中)[^）)\n]{0,8}?结转"
"""``收到申请15件（含上年结转2件）``: not this year's new applications alone."""
BREAKDOWN_LINK = r"其中|包括|含|来自"
LIST_JOIN = r"^[\s、和及与]*(?:以及)?[\s]*$"
REVIEW_WORD = r"复议(?!后)"
LITIGATION_WORD = r"诉讼|起诉"
ALL_APPLICANTS = r"(?:公民|自然人)[、和]?法人(?:和|或者?|及)其他组织"
"""Every kind of applicant at once: not a breakdown."""
