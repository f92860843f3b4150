"""The 勾稽关系 of a template, expanded from its declared :class:`Identity` s into equations.

An identity says "the sum of these cells equals the sum of those cells" once, in the template's
own words (``TemplateSpec.identities``), and is expanded here over every column (or row) it
holds in.  Both checking (:mod:`gxnianbao.check`) and recovery (:mod:`gxnianbao.recover`) read
the expanded :class:`Equation` s, so a new identity is one declaration in the template.
"""

from __future__ import annotations

import functools

import attrs

from . import TEMPLATES
from .spec import Identity, TemplateSpec, Wording

__all__ = ["CellRef", "Equation", "Identity", "Wording", "equations"]

CellRef = tuple[str, str, str]
"""(table, row, column)."""


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


@functools.lru_cache(maxsize=8)
def _equations(template: TemplateSpec) -> tuple[Equation, ...]:
    return tuple(eq for ident in template.identities for eq in _expand(ident, template))


def equations(template: str | TemplateSpec = "2021") -> tuple[Equation, ...]:
    """Every expanded identity of a template (a spec, or the name of a built-in one)."""
    return _equations(TEMPLATES[template] if isinstance(template, str) else template)
