"""The 勾稽关系 of a template, declared as data over the stable keys.

An :class:`Identity` says "the sum of these cells equals the sum of those cells" once, in the
template's own words, and is expanded over every column (or row, or group) it holds for.  Both
validation (:mod:`gxnianbao.rules`) and recovery (:mod:`gxnianbao.recover`) read the expanded
:class:`Equation` s, so a new identity is one declaration here, not new code.
"""

from __future__ import annotations

import functools
from typing import Literal

import attrs

from . import TEMPLATES, TemplateSpec

CellRef = tuple[str, str, str]
"""(table, row, column)."""

Over = Literal["columns", "rows"]


@attrs.frozen(slots=True)
class Identity:
    """One declared identity.

    With ``over="columns"`` the terms are row keys and the identity holds in every column of the
    table; with ``over="rows"`` the terms are column keys and it holds in every listed row.
    """

    id: str
    table: str
    words: str
    """The identity as the template (or its readers) state it."""
    left: tuple[str, ...]
    right: tuple[str, ...]
    over: Over
    rows: tuple[str, ...] = ()
    """For ``over="rows"``: the rows it holds in (all rows of the table when empty)."""
    printed: bool = False
    """Printed in the template itself (as opposed to implied by its layout)."""


@attrs.frozen(slots=True)
class Equation:
    """One expanded identity: ``sum(left) == sum(right)`` over concrete cells."""

    id: str
    """``<identity id>/<column or row key>``, stable across versions."""
    identity: Identity
    scope: str
    left: tuple[CellRef, ...]
    right: tuple[CellRef, ...]
    expression: str
    """The equation in the template's words, e.g. ``一 + 二 = 三（七） + 四（自然人）``."""

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return self.left + self.right


_RESULT_ROWS_2021 = (
    "granted",
    "partially_granted",
    *(f"withheld.{k}" for k in (
        "state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
        "internal_affairs", "process_information", "enforcement_files", "inquiry_matters",
    )),
    *(f"unavailable.{k}" for k in ("not_held", "needs_creation", "unclear_after_correction")),
    *(f"not_processed.{k}" for k in (
        "petition_complaint", "duplicate", "publication", "mass_repetitive", "confirmation",
    )),
    "other.overdue_correction",
    "other.unpaid_fee",
    "other.other",
)  # fmt: skip

IDENTITIES_2021 = (
    Identity(
        "t3-balance",
        "applications",
        "第一项加第二项之和，等于第三项加第四项之和（一、本年新收 + 二、上年结转 = 三（七）总计 + "
        "四、结转下年度继续办理）",
        ("received", "carried_over"),
        ("total", "carried_forward"),
        "columns",
        printed=True,
    ),
    Identity(
        "t3-results-total",
        "applications",
        "（七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）1–3",
        ("total",),
        _RESULT_ROWS_2021,
        "columns",
    ),
    Identity(
        "t3-row-total",
        "applications",
        "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他",
        ("total",),
        (
            "natural_person",
            "commercial",
            "research",
            "social_welfare",
            "legal_service",
            "other_org",
        ),
        "rows",
    ),
    Identity(
        "t4-group-total",
        "review_litigation",
        "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        ("total",),
        ("upheld", "corrected", "other", "pending"),
        "rows",
    ),
)

_RESULT_ROWS_2019 = (
    *(r for r in _RESULT_ROWS_2021 if not r.startswith("other.")),
    "other",
)

IDENTITIES_2019 = tuple(
    attrs.evolve(
        ident,
        words="（七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）其他处理",
        right=_RESULT_ROWS_2019,
    )
    if ident.id == "t3-results-total"
    else ident
    for ident in IDENTITIES_2021
)

IDENTITIES = {"2021": IDENTITIES_2021, "2019": IDENTITIES_2019}


def _labels(template: TemplateSpec) -> dict[tuple[str, str], str]:
    """Short template words for every row and column key, to write equations with."""
    out: dict[tuple[str, str], str] = {}
    for table in template.tables:
        for row in table.rows:
            out[(table.key, row.key)] = row.label
            for col in row.columns:
                out[(table.key, col.key)] = col.label
    return out


def _expand(identity: Identity, template: TemplateSpec) -> list[Equation]:
    table = template.table(identity.table)
    words = _labels(template)
    out: list[Equation] = []
    if identity.over == "columns":
        columns = [c.key for c in table.rows[0].columns]
        for col in columns:
            left = tuple((table.key, r, col) for r in identity.left)
            right = tuple((table.key, r, col) for r in identity.right)
            expr = f"{identity.words}（{words[(table.key, col)]}）"
            out.append(Equation(f"{identity.id}/{col}", identity, col, left, right, expr))
    else:
        rows = identity.rows or tuple(r.key for r in table.rows)
        for row in rows:
            left = tuple((table.key, row, c) for c in identity.left)
            right = tuple((table.key, row, c) for c in identity.right)
            expr = f"{words[(table.key, row)]}：{identity.words}"
            out.append(Equation(f"{identity.id}/{row}", identity, row, left, right, expr))
    return out


@functools.lru_cache(maxsize=4)
def equations(template_name: str = "2021") -> tuple[Equation, ...]:
    """Every expanded identity of a template."""
    template = TEMPLATES[template_name]
    return tuple(eq for ident in IDENTITIES[template_name] for eq in _expand(ident, template))
