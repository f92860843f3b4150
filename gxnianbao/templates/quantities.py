"""What part 一、总体情况 may state, and the table cells each statement must equal.

A :class:`Quantity` names rows by row key or by row group (``withheld``: the rows of （三）不予
公开), so its cells come from the spec of the report's template: the 2019 template's one
（六）其他处理 row, or its table 2 without 制发 / 废止 / 现行有效 columns, need no special case.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

from . import LATEST, TEMPLATES
from .spec import TemplateSpec

__all__ = ["QUANTITIES", "Quantity", "quantity_cells"]

CellRef = tuple[str, str, str]

_AD, _APP, _RL = "active_disclosure", "applications", "review_litigation"


@attrs.frozen(slots=True)
class Quantity:
    """A count the overview may state, and the table cells whose sum it must equal."""

    key: str
    """The rule id is ``narrative-<key>``."""
    name: str
    """The quantity in words, for messages."""
    table: str
    parts: tuple[str, ...]
    """Row keys, or group keys standing for every row of the group."""
    columns: tuple[str, ...]
    row_words: str
    """The row(s) in the template's words."""
    column_words: str
    breakdown: bool = False
    """A table 3 quantity: the narrative may break it down by applicant (``其中自然人…件``)."""

    @property
    def rule(self) -> str:
        return f"narrative-{self.key}"

    @property
    def rows(self) -> tuple[str, ...]:
        """Its rows in the template in force."""
        return tuple(r for r, _ in _rows(self, LATEST))

    @property
    def cells(self) -> tuple[CellRef, ...]:
        """The cells in the template in force."""
        return quantity_cells(self, LATEST)

    def cells_for(self, template: str | TemplateSpec | None) -> tuple[CellRef, ...]:
        """The cells in ``template`` (the one in force when None); ``()`` when it has none for
        this count."""
        if template is None:
            template = LATEST
        elif isinstance(template, str):
            template = TEMPLATES[template]
        return quantity_cells(self, template)

    @property
    def words(self) -> str:
        """The table side in the template's words: ``表三 一、本年新收…（总计）``."""
        return f"{LATEST.table(self.table).words} {self.row_words}（{self.column_words}）"


def _rows(q: Quantity, spec: TemplateSpec) -> list[tuple[str, frozenset[str]]]:
    table = spec.table(q.table)
    return [
        (r.key, frozenset(c.key for c in r.columns))
        for r in table.rows
        if r.key in q.parts or r.group in q.parts
    ]


@functools.lru_cache(maxsize=512)
def quantity_cells(q: Quantity, spec: TemplateSpec) -> tuple[CellRef, ...]:
    """The cells of ``q`` in ``spec``: its rows' cells in its columns, where the row has them."""
    return tuple((q.table, r, c) for r, have in _rows(q, spec) for c in q.columns if c in have)


def _t3(key: str, name: str, parts: tuple[str, ...], words: str) -> Quantity:
    return Quantity(key, name, _APP, parts, ("total",), words, "总计", breakdown=True)


_LITIGATION = ("litigation_direct", "litigation_after_review")
_LITIGATION_WORDS = "行政诉讼 未经复议直接起诉 + 复议后起诉"

BASE_QUANTITIES: tuple[Quantity, ...] = (
    _t3("received", "本年新收申请数", ("received",), "一、本年新收政府信息公开申请数量"),
    _t3("carried-over", "上年结转申请数", ("carried_over",), "二、上年结转政府信息公开申请数量"),
    _t3("granted", "予以公开件数", ("granted",), "三、本年度办理结果（一）予以公开"),
    _t3(
        "partially-granted",
        "部分公开件数",
        ("partially_granted",),
        "三、本年度办理结果（二）部分公开",
    ),
    _t3("withheld", "不予公开件数", ("withheld",), "三、本年度办理结果（三）不予公开 1–8 项之和"),
    _t3(
        "unavailable",
        "无法提供件数",
        ("unavailable",),
        "三、本年度办理结果（四）无法提供 1–3 项之和",
    ),
    _t3(
        "not-processed",
        "不予处理件数",
        ("not_processed",),
        "三、本年度办理结果（五）不予处理 1–5 项之和",
    ),
    # The group （六）其他处理 (2021), or the single row of that name (2019).
    _t3(
        "other-handling", "其他处理件数", ("other",), "三、本年度办理结果（六）其他处理 1–3 项之和"
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
        _LITIGATION_WORDS,
        "总计",
    ),
)
"""The counts a sentence states by itself; breakdowns and table 2's counts follow from them."""

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

APPLICANTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
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
"""Applicant kinds a table 3 count is broken down by: slug, columns, words."""


def _all_quantities() -> dict[str, Quantity]:
    out: dict[str, Quantity] = {}
    for q in BASE_QUANTITIES:
        out[q.key] = q
        if q.breakdown:
            for slug, cols, words in APPLICANTS:
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
            _LITIGATION_WORDS,
            col_words,
        )
    for kind, row, row_words in _DOC_KINDS:
        for col, column, col_words, verb in _DOC_COLUMNS:
            key = f"{kind}-{col}"
            out[key] = Quantity(
                key, f"{verb}{row_words}件数", _AD, (row,), (column,), row_words, col_words
            )
    for row, words in _DECISIONS:
        out[row] = Quantity(
            row, f"{words}决定数", _AD, (row,), ("decisions",), words, "本年处理决定数量"
        )
    return out


QUANTITIES: Mapping[str, Quantity] = _all_quantities()
"""Every quantity a narrative finding can be about, by key, in the order findings are given."""
