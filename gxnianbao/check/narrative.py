"""Counts stated in part 一、总体情况 checked against tables 2–4.

Why: the narrative and the tables of a report are written separately and often disagree (a real
report says it had 2 applications while its table 3 says 0).  A clerk reading the tables alone
does not see it.  This module reads the counts the narrative states – applications received,
their results, carry-overs, 行政复议 / 行政诉讼 cases and outcomes, documents issued, repealed
and in force – and compares each with the table cells it must equal.

It never guesses.  A count is read only where a label and its number stand together in one of
the declared :data:`PATTERNS`; a count that can be read more than one way (two different numbers
for the same quantity, two labels sharing one number, a breakdown that could belong to two rows,
an approximate number) gives a ``not_assessable`` finding, as does a table cell whose value is
unknown.  The quantities and the patterns are data: a new phrasing is one declaration.

Every pattern is a regular expression with bounded quantifiers only (no nested unbounded
repetition), so reading is linear in the length of the text.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

import attrs

from ..model import CellRecord, Number, Report, Span, Status
from .findings import Finding, FindingStatus, fingerprint

__all__ = [
    "PATTERNS",
    "QUANTITIES",
    "Pattern",
    "Quantity",
    "Statement",
    "check_narrative",
    "narrative_rules",
    "statements",
]

CellRef = tuple[str, str, str]

_AD, _APP, _RL = "active_disclosure", "applications", "review_litigation"
_TABLE_WORDS = {_AD: "表二", _APP: "表三", _RL: "表四"}


# --- what can be stated: quantities and the cells they must equal -----------------------------


@attrs.frozen(slots=True)
class Quantity:
    """A count the overview may state, and the table cells whose sum it must equal."""

    key: str
    """The rule id is ``narrative-<key>``."""
    name: str
    """The quantity in words, for messages."""
    table: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    row_words: str
    """The row(s) in the template's words."""
    column_words: str
    breakdown: bool = False
    """A table 3 quantity: the narrative may break it down by applicant (``其中自然人…件``)."""
    other_templates: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Its rows in a template other than 2021 where they differ; ``()`` when that template has
    no such cells (2019's table 2 counts 新制作 / 新公开 documents, not 制发 / 废止 / 现行有效)."""

    @property
    def rule(self) -> str:
        return f"narrative-{self.key}"

    @property
    def cells(self) -> tuple[CellRef, ...]:
        """The cells in the 2021 template."""
        return tuple((self.table, r, c) for r in self.rows for c in self.columns)

    def cells_for(self, template: str | None) -> tuple[CellRef, ...]:
        """The cells in ``template`` (2021 when None); ``()`` when it has none for this count."""
        rows = self.other_templates.get(template or "2021", self.rows)
        return tuple((self.table, r, c) for r in rows for c in self.columns)

    @property
    def words(self) -> str:
        """The table side in the template's words: ``表三 一、本年新收…（总计）``."""
        return f"{_TABLE_WORDS[self.table]} {self.row_words}（{self.column_words}）"


_WITHHELD = (
    "state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
    "internal_affairs", "process_information", "enforcement_files", "inquiry_matters",
)  # fmt: skip
_UNAVAILABLE = ("not_held", "needs_creation", "unclear_after_correction")
_NOT_PROCESSED = (
    "petition_complaint", "duplicate", "publication", "mass_repetitive", "confirmation",
)  # fmt: skip
_OTHER = ("overdue_correction", "unpaid_fee", "other")
_LITIGATION = ("litigation_direct", "litigation_after_review")


def _t3(key: str, name: str, rows: tuple[str, ...], words: str) -> Quantity:
    return Quantity(key, name, _APP, rows, ("total",), words, "总计", breakdown=True)


_BASE_QUANTITIES: tuple[Quantity, ...] = (
    _t3("received", "本年新收申请数", ("received",), "一、本年新收政府信息公开申请数量"),
    _t3("carried-over", "上年结转申请数", ("carried_over",), "二、上年结转政府信息公开申请数量"),
    _t3("granted", "予以公开件数", ("granted",), "三、本年度办理结果（一）予以公开"),
    _t3(
        "partially-granted",
        "部分公开件数",
        ("partially_granted",),
        "三、本年度办理结果（二）部分公开",
    ),
    _t3(
        "withheld",
        "不予公开件数",
        tuple(f"withheld.{k}" for k in _WITHHELD),
        "三、本年度办理结果（三）不予公开 1–8 项之和",
    ),
    _t3(
        "unavailable",
        "无法提供件数",
        tuple(f"unavailable.{k}" for k in _UNAVAILABLE),
        "三、本年度办理结果（四）无法提供 1–3 项之和",
    ),
    _t3(
        "not-processed",
        "不予处理件数",
        tuple(f"not_processed.{k}" for k in _NOT_PROCESSED),
        "三、本年度办理结果（五）不予处理 1–5 项之和",
    ),
    attrs.evolve(
        _t3(
            "other-handling",
            "其他处理件数",
            tuple(f"other.{k}" for k in _OTHER),
            "三、本年度办理结果（六）其他处理 1–3 项之和",
        ),
        other_templates={"2019": ("other",)},
    ),
    _t3("total", "办结件数", ("total",), "三、本年度办理结果（七）总计"),
    _t3(
        "carried-forward", "结转下年度继续办理件数", ("carried_forward",), "四、结转下年度继续办理"
    ),
    Quantity("review-total", "行政复议案件数", _RL, ("review",), ("total",), "行政复议", "总计"),
    Quantity(
        "litigation-total",
        "行政诉讼案件数",
        _RL,
        _LITIGATION,
        ("total",),
        "行政诉讼 未经复议直接起诉 + 复议后起诉",
        "总计",
    ),
)

_OUTCOMES = (
    ("upheld", "结果维持", "维持"),
    ("corrected", "结果纠正", "纠正"),
    ("other", "其他结果", "其他结果"),
    ("pending", "尚未审结", "尚未审结"),
)
_DOC_KINDS = (
    ("normative", "normative_documents", "行政规范性文件"),
    ("regulations", "regulations", "规章"),
)
_DOC_COLUMNS = (
    ("issued", "issued", "本年制发件数", "制发"),
    ("repealed", "repealed", "本年废止件数", "废止"),
    ("in-force", "in_force", "现行有效件数", "现行有效"),
)
_DECISIONS = (("licensing", "行政许可"), ("punishment", "行政处罚"), ("coercion", "行政强制"))

_APPLICANTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("natural-person", ("natural_person",), "自然人"),
    ("commercial", ("commercial",), "商业企业"),
    ("research", ("research",), "科研机构"),
    ("social-welfare", ("social_welfare",), "社会公益组织"),
    ("legal-service", ("legal_service",), "法律服务机构"),
    ("other-org", ("other_org",), "其他"),
    (
        "organisations",
        ("commercial", "research", "social_welfare", "legal_service", "other_org"),
        "法人或其他组织：商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他",
    ),
)


def _all_quantities() -> dict[str, Quantity]:
    out: dict[str, Quantity] = {}
    for q in _BASE_QUANTITIES:
        out[q.key] = q
        if q.breakdown:
            for slug, cols, words in _APPLICANTS:
                key = f"{q.key}-{slug}"
                out[key] = attrs.evolve(
                    q, key=key, name=f"{q.name}（{words.split('：')[0]}）", columns=cols,
                    column_words=words, breakdown=False,
                )  # fmt: skip
    for col, col_words, short in _OUTCOMES:
        out[f"review-{col}"] = Quantity(
            f"review-{col}", f"行政复议{short}件数", _RL, ("review",), (col,), "行政复议", col_words
        )
        out[f"litigation-{col}"] = Quantity(
            f"litigation-{col}",
            f"行政诉讼{short}件数",
            _RL,
            _LITIGATION,
            (col,),
            "行政诉讼 未经复议直接起诉 + 复议后起诉",
            col_words,
        )
    for kind, row, row_words in _DOC_KINDS:
        for col, column, col_words, verb in _DOC_COLUMNS:
            key = f"{kind}-{col}"
            out[key] = Quantity(
                key, f"{verb}{row_words}件数", _AD, (row,), (column,), row_words, col_words,
                other_templates={"2019": ()},
            )  # fmt: skip
    for row, words in _DECISIONS:
        out[row] = Quantity(
            row, f"{words}决定数", _AD, (row,), ("decisions",), words, "本年处理决定数量"
        )
    return out


QUANTITIES: Mapping[str, Quantity] = _all_quantities()
"""Every quantity a narrative finding can be about, by key, in the order findings are given."""


def narrative_rules() -> tuple[tuple[str, str], ...]:
    """Every rule id this module can give, with the table side of its expression."""
    return tuple((q.rule, q.words) for q in QUANTITIES.values())


# --- how it can be stated: patterns ------------------------------------------------------------

Target = Literal["quantity", "applicant", "outcome", "docs"]

_BREAK = "，,。；;：:！？!?\n"
"""Characters that end a clause: a label and its number never lie on both sides of one."""
_NOBREAK = f"[^{_BREAK}0-9]"
_CN_NUM = "零〇一二两三四五六七八九十百千"

# A count: the number (ASCII digits after full-width ones are mapped, thousands separators, or a
# small number in Chinese numerals), an optional 余/多 (approximate), and its measure word.
# Numbers followed by 条 次 人 年 号 … are other things and never match.
_NUM = (
    rf"(?<![0-9.,第{_CN_NUM}])"
    rf"(?P<n>[0-9]{{1,3}}(?:,[0-9]{{3}}){{1,3}}|[0-9]{{1,7}}|[{_CN_NUM}]{{1,6}})"
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
_ZERO_TAIL = rf"(?:事项|案件|件)?(?:的?(?:情况|情形|事件|现象))?(?=[{_BREAK}]|$)"
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

_VETOES: Mapping[str, str] = {"received": _RECEIVED_VETO}
"""A core whose text matches its veto is not that label (``收到行政复议申请`` is no application)."""

_DOC_KIND_CORES = {"normative": r"规范性文件", "regulations": r"规章(?!制度)"}

_APPLICANT_WORDS: Mapping[str, str] = {
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
_OUTCOME_WORDS: Mapping[str, str] = {
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
_DOC_COL_WORDS: Mapping[str, str] = {
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
    compiled: re.Pattern[str] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: re.compile(self.regex), takes_self=True),
    )


_NUM_CASES = _NUM.replace("|份|例)", "|份|例|次)")
"""For 行政复议 / 行政诉讼 cases ``次`` is a count too (``被申请行政复议1次``)."""


def _direct(key: str, example: str, num: str = _NUM) -> Pattern:
    return Pattern(
        key,
        "quantity",
        key,
        rf"(?P<label>{CORES[key]}){_GAP}{num}",
        example,
        veto=_VETOES.get(key),
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
_LIST = re.compile(
    r"(?P<kw>分别|各|均|都)(?:为|是|有|达)?\s{0,2}"
    rf"(?P<nums>(?:[0-9]{{1,7}}|[{_CN_NUM}]{{1,6}})\s{{0,2}}(?:件|起|宗|个|份|例)?"
    rf"(?:\s{{0,2}}[、，,和及与]\s{{0,2}}(?:[0-9]{{1,7}}|[{_CN_NUM}]{{1,6}})\s{{0,2}}"
    r"(?:件|起|宗|个|份|例)?){0,9})"
)
_LIST_NUMBER = re.compile(rf"([0-9]{{1,7}}|[{_CN_NUM}]{{1,6}})\s{{0,2}}(件|起|宗|个|份|例)?")
_LIST_QUANTITIES = (
    "received", "carried-over", "granted", "partially-granted", "withheld", "unavailable",
    "not-processed", "other-handling", "total", "carried-forward", "review-total",
    "litigation-total",
)  # fmt: skip

_SUBHEAD = re.compile(rf"[（(][一二三四五六七八九十][)）][^{_BREAK}0-9]{{0,16}}?(?:情况|方面)")
"""A sub-head run into its text (``(二)依申请公开情况全区…``) ends a clause like a comma."""
_OTHER_TIME = re.compile(r"上一?年(?!度?结转|度?转入)|去年|前年|同比|同期|比上|较上")
_YEAR = re.compile(r"(?<![0-9〔\[（(])((?:19|20)[0-9]{2})\s{0,2}年")
_INCLUDES_CARRIED = re.compile(r"\s{0,2}[（(][^）)\n]{0,12}?(?:含|包括|其中)[^）)\n]{0,8}?结转")
"""``收到申请15件（含上年结转2件）``: not this year's new applications alone."""
_BREAKDOWN_LINK = re.compile(r"其中|包括|含|来自")
_LIST_JOIN = re.compile(r"^[\s、和及与]*(?:以及)?[\s]*$")
_REVIEW_WORD = re.compile(r"复议(?!后)")
_LITIGATION_WORD = re.compile(r"诉讼|起诉")
_ALL_APPLICANTS = re.compile(r"(?:公民|自然人)[、和]?法人(?:和|或者?|及)其他组织")
"""Every kind of applicant at once: not a breakdown."""

_FULL_WIDTH_DIGIT = re.compile("[０-９]")


def _ascii_digit(m: re.Match[str]) -> str:
    """One full-width digit as ASCII: offsets stay the same (str.translate is slow on CJK)."""
    return chr(ord(m.group()) - 0xFEE0)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_int(text: str) -> int | None:
    """A small number in Chinese numerals (``十二``, ``两``, ``一百零五``); None if malformed."""
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _CN_DIGITS:
            if digit not in (None, 0):
                return None  # 二二, 二〇二二: digits side by side are no count
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit >= last_unit or digit == 0:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def _number(text: str) -> int | None:
    if text[0].isdigit():
        return int(text.replace(",", ""))
    return _cn_int(text)


# --- reading the statements ---------------------------------------------------------------------


@attrs.frozen(slots=True)
class Statement:
    """One count the narrative states, as read."""

    quantity: str
    """A key of :data:`QUANTITIES`; the rule id is ``narrative-<quantity>``."""
    value: int | None
    """The stated count; None when it cannot be read as one exact number."""
    fragment: str
    """The words stating it, as written (quoted in messages)."""
    start: int
    """Offset of the fragment in the text read (``Overview.text``)."""
    end: int
    pattern: str
    """The id of the pattern (or ``list``) that read it."""
    number: tuple[int, int] | None = None
    """Offsets of the number in the text; None for a "none" statement (``未收到…``) and for
    one read from a list (``分别为17件、9件``)."""
    reason: str | None = None
    """Why it cannot be checked (approximate, more than one reading); None when it can."""

    @property
    def rule(self) -> str:
        return f"narrative-{self.quantity}"


@attrs.define(slots=True)
class _Raw:
    """A match before its context is resolved."""

    pattern: Pattern
    target: Target
    key: str | None
    value: int | None
    label_start: int
    num_start: int
    num_end: int
    end: int
    window_start: int
    group: str = ""
    """``who`` / ``what`` / ``col`` as matched."""
    kind: str | None = None
    reason: str | None = None


_LOOKBACK = 300
"""How far back (characters) a count's sentence context is read: keeps reading linear."""
_REACH = 96
"""No label is longer than this: patterns are tried only this far before a count's measure word."""

_SENTENCE_CHARS = "。！？!?\n"
_SEGMENT_CHARS = _SENTENCE_CHARS + "；;"
_COUNT_UNITS = "件起宗个份例次"
"""Measure words of the counts read (次 for 行政复议 / 行政诉讼 cases only)."""
_MEASURE_CHARS = _COUNT_UNITS + "条人名项家篇期场万%％"
_NUMBER_CHARS = frozenset("0123456789" + _CN_NUM)
_ZERO_ANCHORS = ("申请", "复议", "诉讼")
"""A "none" statement names one of these: zero patterns are tried only near them."""


def _find_all(text: str, chars: str) -> list[int]:
    """Sorted offsets of every occurrence of any of ``chars`` (str.find runs at C speed, where a
    character-class regex crawls over CJK text)."""
    out: list[int] = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            out.append(i)
            i = text.find(ch, i + 1)
    out.sort()
    return out


def _number_before(text: str, pos: int) -> bool:
    """A number ends just before the measure word at ``pos`` (spaces and 余/多 between)."""
    i = pos - 1
    while i >= 0 and pos - i <= 5 and text[i] in " \t\u3000余多":
        i -= 1
    return i >= 0 and text[i] in _NUMBER_CHARS


class _Text:
    """The text read, with its clause, sentence and count boundaries, found once for lookups."""

    def __init__(self, text: str) -> None:
        self.text = text
        breaks = _find_all(text, _BREAK)
        for i in _find_all(text, "（("):
            m = _SUBHEAD.match(text, i)
            if m is not None:
                breaks.append(m.end() - 1)
        self.clause_breaks = sorted(breaks)
        self.sentence_breaks = _find_all(text, _SENTENCE_CHARS)
        self.segment_breaks = _find_all(text, _SEGMENT_CHARS)
        measures = [i for i in _find_all(text, _MEASURE_CHARS) if _number_before(text, i)]
        self.token_ends = [i + 1 for i in measures]
        self.counts = [i for i in measures if text[i] in _COUNT_UNITS]
        self.years: list[tuple[int, int]] = []
        for i in _find_all(text, "年"):
            m = _YEAR.search(text, max(i - 8, 0), i + 1)
            if m is not None and m.end() == i + 1 and not text.startswith("版", i + 1):
                self.years.append((m.start(), int(m.group(1))))

    @staticmethod
    def _after_last(breaks: Sequence[int], pos: int) -> int:
        i = bisect.bisect_left(breaks, pos) - 1
        return breaks[i] + 1 if i >= 0 else 0

    @staticmethod
    def _next(breaks: Sequence[int], pos: int, end: int) -> int:
        i = bisect.bisect_left(breaks, pos)
        return breaks[i] if i < len(breaks) else end

    def window_start(self, pos: int) -> int:
        """Where the phrase ending at ``pos`` starts: after a clause break or an earlier count."""
        start = self._after_last(self.clause_breaks, pos)
        i = bisect.bisect_right(self.token_ends, pos) - 1
        if i >= 0 and self.token_ends[i] > start:
            start = self.token_ends[i]
        return start

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence holding ``pos``; context is read at most _LOOKBACK back."""
        return max(self._after_last(self.sentence_breaks, pos), pos - _LOOKBACK)

    def segment_start(self, pos: int) -> int:
        """Like :meth:`sentence_start`, a ``；`` also ending a segment."""
        return max(self._after_last(self.segment_breaks, pos), pos - _LOOKBACK)

    def clause_end(self, pos: int) -> int:
        return self._next(self.clause_breaks, pos, len(self.text))

    def year_before(self, pos: int) -> int | None:
        """The last year named (``2021年``) in the sentence before ``pos``."""
        i = bisect.bisect_left(self.years, (pos, 0)) - 1
        if i >= 0 and self.years[i][0] >= self.sentence_start(pos):
            return self.years[i][1]
        return None

    def regions(self, anchors: Sequence[int], before: int, after: int) -> list[tuple[int, int]]:
        """Merged stretches around anchor offsets, each ending just after a clause break (or at
        the end), so that patterns tried in them see what they would see in the whole text."""
        out: list[tuple[int, int]] = []
        n = len(self.text)
        for pos in anchors:
            start = max(pos - before, 0)
            end = min(self.clause_end(pos + after) + 1, n)
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return out

    def zero_anchors(self) -> list[int]:
        out: list[int] = []
        for word in _ZERO_ANCHORS:
            i = self.text.find(word)
            while i >= 0:
                out.append(i)
                i = self.text.find(word, i + 1)
        out.sort()
        return out


def _core_hits(window: str) -> dict[str, list[tuple[int, int]]]:
    """Labels of top-level quantities (and document kinds) found in a piece of text."""
    hits: dict[str, list[tuple[int, int]]] = {}
    for key in _LIST_QUANTITIES:
        veto = _VETOES.get(key)
        for m in _compiled_core(key).finditer(window):
            if veto and re.search(veto, _ALL_APPLICANTS.sub("", m.group(0))):
                continue
            hits.setdefault(key, []).append(m.span())
    for kind, core in _DOC_KIND_CORES.items():
        for m in re.finditer(core, window):
            hits.setdefault(f"kind:{kind}", []).append(m.span())
    return hits


@functools.lru_cache(maxsize=64)
def _compiled_core(key: str) -> re.Pattern[str]:
    return re.compile(CORES[key])


def _match(pattern: Pattern, m: re.Match[str], t: _Text) -> _Raw | None:
    """A raw statement from one match, or None when the match is not what it seems."""
    text = t.text
    label_start = m.start("label")
    if pattern.zero:
        num_start = num_end = m.end("label")
        value: int | None = 0
        reason = None
    else:
        num_start, num_end = m.span("n")
        value = _number(m.group("n"))
        if value is None:
            return None
        if m.group("n")[0] in _CN_NUM and m.group("unit") == "起":
            following = text[m.end() : m.end() + 1]
            if following and following not in _BREAK + "、）)案":
                return None  # 一起 = "together"
        reason = None
        if m.group("approx") or text.startswith("左右", m.end()):
            reason = "所述为约数"
        elif "about" in m.re.groupindex and m.group("about"):
            reason = "所述为约数"
        elif pattern.quantity == "received" and _INCLUDES_CARRIED.match(text, m.end()):
            reason = "所述数字含上年结转的申请"
    label = text[label_start:num_start]
    if pattern.veto and re.search(pattern.veto, _ALL_APPLICANTS.sub("", label)):
        return None
    window_start = min(t.window_start(label_start), label_start)
    key = pattern.quantity if pattern.target == "quantity" else None
    group = ""
    kind = None
    if pattern.target == "applicant":
        group = m.group("who")
        if m.group("req"):
            group += "+申请"
    elif pattern.target == "outcome":
        group = m.group("what")
    elif pattern.target == "docs":
        group = m.group("col")
        kind = m.groupdict().get("kind")
    return _Raw(
        pattern, pattern.target, key, value, label_start, num_start, num_end, m.end(),
        window_start, group, kind, reason,
    )  # fmt: skip


def _fragment(t: _Text, start: int, end: int) -> str:
    """The words to quote: the phrase, with a short tail up to the clause's end."""
    stop = t.clause_end(end)
    if stop - end <= 6:
        end = stop
    frag = t.text[start:end].strip().lstrip("、和及与")
    if len(frag) > 48:
        frag = "…" + frag[-47:]
    return frag


def _kind_of(name: str | None) -> str | None:
    if name is None:
        return None
    return "regulations" if name.startswith("规章") else "normative"


def statements(text: str, *, year: int | None = None) -> tuple[Statement, ...]:
    """Every count stated in ``text`` (part 一), resolved, in the order of the text.

    ``year`` is the year reported on: a count in a sentence that names another year (``2021年
    收到申请3件`` in a report on 2022) is about that year and is left out.
    """
    t = _Text(_FULL_WIDTH_DIGIT.sub(_ascii_digit, text))
    # Patterns are tried only where they can match: near a count (件, 起, 个…) or, for "none"
    # statements, near 申请 / 复议 / 诉讼.  The regions end after a clause break, so a match
    # found in one is the match the whole text gives.
    count_regions = t.regions(t.counts, _REACH, 24)
    zero_regions = t.regions(t.zero_anchors(), 48, 24)
    raws: list[_Raw] = []
    for pattern in PATTERNS:
        for start, end in zero_regions if pattern.zero else count_regions:
            for m in pattern.compiled.finditer(t.text, start, end):
                raw = _match(pattern, m, t)
                if raw is not None and not _other_time(t, raw, year):
                    raws.append(raw)
    raws.sort(key=lambda r: (r.num_start, r.label_start))
    out: list[Statement] = []
    top = [r for r in raws if r.target == "quantity"]
    out.extend(_quantity_statements(t, top))
    out.extend(_doc_statements(t, [r for r in raws if r.target == "docs"]))
    anchors = _Anchors.of(out)
    for raw in raws:
        if raw.target == "applicant":
            out.extend(_applicant_statements(t, raw, anchors))
        elif raw.target == "outcome":
            out.extend(_outcome_statements(t, raw, anchors))
    out.extend(_list_statements(t, year))
    return tuple(sorted(_collisions(out), key=lambda s: (s.start, s.end, s.quantity)))


def _other_time(t: _Text, raw: _Raw, year: int | None) -> bool:
    """The count is about another year (``2021年…``, ``上年…``, ``同比…``)."""
    window = t.text[raw.window_start : raw.num_start]
    if _OTHER_TIME.search(window):
        return True
    if year is None:
        return False
    named = t.year_before(raw.label_start)
    return named is not None and named != year


def _statement(t: _Text, raw: _Raw, key: str, reason: str | None = None) -> Statement:
    start = min(raw.window_start, raw.label_start)
    return Statement(
        key,
        None if (reason or raw.reason) else raw.value,
        _fragment(t, start, raw.end),
        start,
        raw.end,
        raw.pattern.id,
        None if raw.pattern.zero else (raw.num_start, raw.num_end),
        reason or raw.reason,
    )


def _quantity_statements(t: _Text, raws: list[_Raw]) -> Iterator[Statement]:
    """Top-level counts; a number whose phrase also holds another quantity's label (``予以公开
    和部分公开26件``) is a joint count and gives every quantity named a not-assessable statement."""
    for raw in raws:
        assert raw.key is not None
        # Labels inside the own label are part of it; only the words before it can name another.
        prefix = t.text[raw.window_start : raw.label_start]
        others: list[str] = []
        if len(prefix) >= 2 and not raw.pattern.zero:
            hits = _core_hits(prefix)
            others = sorted(
                (k for k in hits if not k.startswith("kind:") and k != raw.key),
                key=_LIST_QUANTITIES.index,
            )
        if not others:
            yield _statement(t, raw, raw.key)
            continue
        reason = (
            "一个数字同时跟在几项之后（"
            + "、".join(QUANTITIES[k].name for k in [raw.key, *others])
            + "），可能是合计"
        )
        for key in [raw.key, *others]:
            yield _statement(t, raw, key, reason)


def _doc_statements(t: _Text, raws: list[_Raw]) -> Iterator[Statement]:
    for raw in raws:
        col = _DOC_COL_WORDS[raw.group]
        kind = _kind_of(raw.kind)
        window = t.text[raw.window_start : raw.num_start]
        if kind is not None:
            other = "regulations" if kind == "normative" else "normative"
            if re.search(_DOC_KIND_CORES[other], window):
                reason = "一个数字同时跟在规章和行政规范性文件之后，可能是合计"
                for k in ("normative", "regulations"):
                    yield _statement(t, raw, f"{k}-{col}", reason)
                continue
            yield _statement(t, raw, f"{kind}-{col}")
            continue
        s_start = t.sentence_start(raw.label_start)
        before = t.text[s_start : raw.label_start]
        kinds = [k for k, core in _DOC_KIND_CORES.items() if re.search(core, before)]
        if len(kinds) == 1:
            yield _statement(t, raw, f"{kinds[0]}-{col}")
        elif len(kinds) == 2:
            reason = "句中既有规章也有行政规范性文件，不能确定所指"
            for k in ("normative", "regulations"):
                yield _statement(t, raw, f"{k}-{col}", reason)
        # No kind named in the sentence: not a statement about table 2.


@attrs.frozen(slots=True)
class _Anchors:
    """Statements a breakdown can belong to, ordered by where they end."""

    items: tuple[Statement, ...]
    ends: tuple[int, ...]

    @classmethod
    def of(cls, found: Sequence[Statement]) -> _Anchors:
        items = tuple(sorted(found, key=lambda s: s.end))
        return cls(items, tuple(s.end for s in items))

    def last_before(self, pos: int) -> Statement | None:
        i = bisect.bisect_right(self.ends, pos) - 1
        return self.items[i] if i >= 0 else None


def _anchor(t: _Text, raw: _Raw, anchors: _Anchors) -> tuple[Statement | None, str]:
    """The statement a breakdown (``其中自然人…件``, ``其中维持…件``) belongs to.

    It is the nearest earlier statement of the same sentence, or – when the sentence starts with
    其中 / 包括 – the last statement of the sentence before.  Returns the statement and the text
    between it and the breakdown.
    """
    s_start = t.sentence_start(raw.label_start)
    a = anchors.last_before(raw.window_start)
    if a is None:
        return None, ""
    if a.end > s_start:
        return a, t.text[a.end : raw.label_start]
    head = t.text[s_start : raw.label_start].lstrip()
    if _BREAKDOWN_LINK.match(head) and a.end > t.sentence_start(max(s_start - 1, 0)):
        return a, head
    return None, ""


def _joined_to_previous(
    t: _Text, a: Statement, anchors: _Anchors, ok: set[str]
) -> Statement | None:
    """``A 2件、B 1件，其中…``: the breakdown could belong to A, B or both; returns A."""
    p = anchors.last_before(a.start)
    if p is None or p.quantity not in ok or p.quantity == a.quantity:
        return None
    if p.end <= t.sentence_start(a.start) or not _LIST_JOIN.match(t.text[p.end : a.start]):
        return None
    return p


def _applicant_statements(t: _Text, raw: _Raw, anchors: _Anchors) -> Iterator[Statement]:
    who, _, req = raw.group.partition("+")
    col = _APPLICANT_WORDS[who]
    breakdown = {q.key for q in _BASE_QUANTITIES if q.breakdown}
    a, between = _anchor(t, raw, anchors)
    if a is None or a.quantity not in breakdown:
        if a is None and req:
            yield _statement(t, raw, f"received-{col}")
        return
    key = f"{a.quantity}-{col}"
    joined = _joined_to_previous(t, a, anchors, breakdown)
    if a.reason is not None:
        yield _statement(t, raw, key, f"所属的“{a.fragment}”本身无法核对")
    elif joined is not None:
        reason = f"前面并列了“{joined.fragment}”和“{a.fragment}”，不能确定是哪一项的构成"
        yield _statement(t, raw, f"{joined.quantity}-{col}", reason)
        yield _statement(t, raw, key, reason)
    elif a.quantity == "received" or _BREAKDOWN_LINK.search(between) or not req:
        yield _statement(t, raw, key)
    else:
        reason = f"可读作“{a.fragment}”的构成，也可读作本年新收申请的构成"
        yield _statement(t, raw, key, reason)
        yield _statement(t, raw, f"received-{col}", reason)


def _outcome_statements(t: _Text, raw: _Raw, anchors: _Anchors) -> Iterator[Statement]:
    col = _OUTCOME_WORDS[raw.group]
    cases = {"review-total", "litigation-total"}
    a, _ = _anchor(t, raw, anchors)
    if a is not None:
        if a.quantity not in cases:
            return  # 维持 / 纠正 after some other count: not about table 4
        key = f"{a.quantity.removesuffix('-total')}-{col}"
        if a.reason is not None:
            yield _statement(t, raw, key, f"所属的“{a.fragment}”本身无法核对")
        elif _joined_to_previous(t, a, anchors, cases) is not None:
            reason = "前面并列了行政复议和行政诉讼，不能确定是哪一项的结果"
            yield _statement(t, raw, f"review-{col}", reason)
            yield _statement(t, raw, f"litigation-{col}", reason)
        else:
            yield _statement(t, raw, key)
        return
    seg = t.text[t.segment_start(raw.label_start) : raw.label_start]
    review, litigation = bool(_REVIEW_WORD.search(seg)), bool(_LITIGATION_WORD.search(seg))
    if review and litigation:
        reason = "句中既有行政复议也有行政诉讼，不能确定是哪一项的结果"
        yield _statement(t, raw, f"review-{col}", reason)
        yield _statement(t, raw, f"litigation-{col}", reason)
    elif review or litigation:
        yield _statement(t, raw, f"{'review' if review else 'litigation'}-{col}")
    # Neither named: 纠正 / 维持 of something else (整改纠正问题12个).


def _list_statements(t: _Text, year: int | None) -> Iterator[Statement]:
    """``予以公开、部分公开分别为17件、9件``, ``行政复议、行政诉讼各1件``, ``…均为0件``."""
    text = t.text
    for m in _LIST.finditer(text):
        numbers = list(_LIST_NUMBER.finditer(m.group("nums")))
        values = [_number(n.group(1)) for n in numbers]
        if not numbers or any(v is None for v in values):
            continue
        all_zero = all(v == 0 for v in values)
        if numbers[-1].group(2) is None and not all_zero:
            continue  # 都是2022年…: a list of counts ends with its measure word
        if m.group("kw") != "分别" and len(numbers) != 1:
            continue
        kw_start = m.start("kw")
        start = t.window_start(kw_start)
        window = text[start:kw_start]
        hits = _core_hits(window)
        keys = sorted((k for k in hits if not k.startswith("kind:")), key=lambda k: hits[k][0][0])
        if not keys:
            continue
        if _OTHER_TIME.search(window):
            continue
        if year is not None and t.year_before(start) not in (None, year):
            continue
        frag = _fragment(t, start, m.end())
        vals: list[int | None]
        reason = None
        if m.group("kw") == "分别":
            if len(values) == len(keys):
                vals = list(values)
            else:
                vals = [None] * len(keys)
                reason = f"列了{len(keys)}项却有{len(values)}个数字"
        else:
            vals = [values[0]] * len(keys)
        for key, value in zip(keys, vals, strict=True):
            yield Statement(key, value, frag, start, m.end(), "list", None, reason)


def _collisions(found: list[Statement]) -> list[Statement]:
    """One number read as two different quantities by two patterns: neither reading is taken.

    The same quantity read twice from one number (by two patterns) is kept once.
    """
    by_number: dict[tuple[int, int], set[str]] = {}
    for s in found:
        if s.number is not None and s.reason is None and s.pattern != "list":
            by_number.setdefault(s.number, set()).add(s.quantity)
    out: list[Statement] = []
    seen: set[tuple[str, object, int | None, str | None]] = set()
    for s in found:
        keys = by_number.get(s.number, set()) if s.number is not None else set()
        if len(keys) > 1 and s.reason is None and s.pattern != "list":
            names = "、".join(QUANTITIES[k].name for k in sorted(keys))
            s = attrs.evolve(s, value=None, reason=f"同一个数字可读作不同的项（{names}）")
        ident = (s.quantity, s.number or s.end, s.value, s.reason)
        if ident not in seen:
            seen.add(ident)
            out.append(s)
    return out


# --- checking them against the tables ---------------------------------------------------------

_KNOWN = {Status.REPORTED, Status.INFERRED}
_ZERO = {Status.BLANK, Status.NOT_APPLICABLE}
_STATUS_WORDS = {
    Status.MISSING: "缺失",
    Status.AMBIGUOUS: "无法确定",
    Status.BLANK: "空白",
    Status.NOT_APPLICABLE: "不适用",
}


@attrs.frozen(slots=True)
class _Side:
    value: Number | None
    cells: tuple[str, ...]
    spans: tuple[Span | None, ...]
    unknown: tuple[str, ...]
    """Cells whose value is unknown, with why (``applications.received.total：缺失``)."""


class _CellLookup:
    """A report's cells by (table, row, column), found by attribute (``withheld.state_secret``)."""

    def __init__(self, report: Report) -> None:
        self.tables: dict[str, object | None] = {
            _AD: report.active_disclosure,
            _APP: report.applications,
            _RL: report.review_litigation,
        }

    def get(self, ref: CellRef) -> CellRecord | None:
        table, row, column = ref
        obj = self.tables.get(table)
        try:
            for part in row.split("."):
                obj = getattr(obj, part)
            rec = obj.cell(column)  # type: ignore[attr-defined]
        except (AttributeError, KeyError):
            return None
        return rec if isinstance(rec, CellRecord) else None


def _table_side(cells: _CellLookup, refs: Sequence[CellRef]) -> _Side:
    keys: list[str] = []
    spans: list[Span | None] = []
    unknown: list[str] = []
    total: Number = 0
    for ref in refs:
        key = ".".join(ref)
        keys.append(key)
        rec = cells.get(ref)
        if rec is None:
            spans.append(None)
            unknown.append(f"{key}：表格缺失")
            continue
        spans.append(rec.span)
        if rec.status in _KNOWN and rec.value is not None:
            total += rec.value
        elif rec.status not in _ZERO:
            unknown.append(f"{key}：{_STATUS_WORDS.get(rec.status, str(rec.status))}")
    return _Side(None if unknown else total, tuple(keys), tuple(spans), tuple(unknown))


@attrs.frozen(slots=True)
class _Head:
    """A sub-head of part 一: where its title is in the overview text, its name, its span."""

    pos: int
    name: str
    span: Span


def _subheads(report: Report) -> list[_Head]:
    overview = report.overview
    out: list[_Head] = []
    if overview is None:
        return out
    pos = 0
    for sub in overview.subsections:
        i = overview.text.find(sub.title, pos)
        if i >= 0:
            out.append(_Head(i, f"（{sub.number}）{sub.title}", sub.span))
            pos = i
    return out


def _head(heads: Sequence[_Head], s: Statement) -> _Head | None:
    """The sub-head a statement is under, if any."""
    found = None
    for head in heads:
        if head.pos > s.start:
            break
        found = head
    return found


def _where(heads: Sequence[_Head], s: Statement) -> str:
    """``（二）依申请公开情况`` when the statement is under that sub-head, else ``""``."""
    head = _head(heads, s)
    return "" if head is None else head.name


def _fmt(value: Number | None) -> str:
    return "?" if value is None else str(value)


def check_narrative(report: Report, *, include_passed: bool = False) -> list[Finding]:
    """Findings comparing counts stated in the overview with the tables.

    One finding per quantity stated: ``fail`` when the stated count differs from the table,
    ``pass`` (only with ``include_passed``) when it is equal, ``not_assessable`` when the table
    cell is unknown or the narrative can be read more than one way.  Blank and not-applicable
    cells count as 0.
    """
    overview = report.overview
    if overview is None or not overview.text:
        return []
    found = statements(overview.text, year=report.meta.year)
    by_key: dict[str, list[Statement]] = {}
    for s in found:
        by_key.setdefault(s.quantity, []).append(s)
    out: list[Finding] = []
    cells = _CellLookup(report)
    heads = _subheads(report)
    template = report.meta.template
    for key, q in QUANTITIES.items():
        stated = by_key.get(key)
        refs = q.cells_for(template)
        if not stated or not refs:
            continue  # not stated, or a count the report's template has no cell for
        finding = _finding(heads, overview.span, cells, q, refs, stated, include_passed)
        if finding is not None:
            out.append(finding)
    return out


def _finding(
    heads: Sequence[_Head],
    part: Span | None,
    cells: _CellLookup,
    q: Quantity,
    refs: Sequence[CellRef],
    stated: list[Statement],
    include_passed: bool,
) -> Finding | None:
    """The finding on one quantity; None for a pass that was not asked for."""
    side = _table_side(cells, refs)
    first = stated[0]
    where = _where(heads, first)
    values = {s.value for s in stated}
    unclear = [s for s in stated if s.reason is not None]
    left: int | None = first.value if len(values) == 1 and not unclear else None
    expression = f'总体情况所述"{first.fragment}" = {q.words}'
    status: FindingStatus
    if unclear:
        s = unclear[0]
        status = "not_assessable"
        message = (
            f"总体情况{_where(heads, s)}所述“{s.fragment}”不作核对：{s.reason}。"
            f"{q.name}应与{q.words}一致，请人工核对。"
        )
    elif len(values) > 1:
        status = "not_assessable"
        readings = "；".join(f"“{s.fragment}”为{_fmt(s.value)}件" for s in stated)
        message = (
            f"总体情况对{q.name}的表述前后不一：{readings}。无法确定应以哪一个与{q.words}核对，"
            "请人工核对。"
        )
    elif side.value is None:
        status = "not_assessable"
        message = (
            f"总体情况{where}所述“{first.fragment}”，{q.name}为{_fmt(left)}件；"
            f"但{q.words}的数字无法确定（{'、'.join(side.unknown)}），无法核对。"
        )
    elif left == side.value:
        if not include_passed:
            return None
        status = "pass"
        message = (
            f"总体情况{where}所述“{first.fragment}”，{q.name}为{left}件，"
            f"与{q.words}（{side.value}件）一致。"
        )
    else:
        status = "fail"
        assert left is not None
        diff = left - side.value
        message = (
            f"总体情况{where}所述“{first.fragment}”，{q.name}为{left}件；"
            f"而{q.words}为{side.value}件，相差{abs(diff)}件。请核对正文与表格，改正有误的一处。"
        )
    right = side.value
    difference = left - right if left is not None and right is not None else None
    head = _head(heads, unclear[0] if unclear else first)
    return Finding(
        rule=q.rule,
        severity="warning",
        status=status,
        message=message,
        expression=expression,
        left=left,
        right=right,
        difference=difference,
        cells=side.cells,
        spans=side.spans,
        fingerprint=fingerprint(q.rule, side.cells, left, right, status),
        span=part if head is None else head.span,
    )
