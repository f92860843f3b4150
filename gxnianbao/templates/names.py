"""Rows, columns and cells named in a template's own words, for the messages of the checks.

A clerk fixes a report by the words printed in the template, not by our keys: a cell is
``一、本年新收政府信息公开申请数量·自然人`` of ``表三``.  Everything here is derived from the
spec (labels, group labels, :attr:`RowSpec.name`, column kinds), once per spec.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

from .spec import TemplateSpec

__all__ = ["TemplateNames", "names", "without_note"]

CellRef = tuple[str, str, str]


@attrs.frozen(slots=True)
class TemplateNames:
    """Names of tables, rows, columns and cells in the template's words."""

    table: Mapping[str, str]
    """``表二`` by table key."""
    row: Mapping[tuple[str, str], str]
    column: Mapping[tuple[str, str], str]
    cell: Mapping[CellRef, str]
    """``一、本年新收政府信息公开申请数量·自然人``: a cell named by its row and column."""
    amounts: frozenset[CellRef]
    """Cells holding a sum of money (may have decimals)."""
    signed: frozenset[CellRef]
    """Cells that may be negative (2019's 本年增/减)."""


def without_note(label: str) -> str:
    """The label without a trailing note in brackets: ``本年收费金额（单位：万元）`` →
    ``本年收费金额``."""
    if not label.endswith("）"):
        return label
    start = label.rfind("（", 0, len(label) - 1)
    if start < 0 or "）" in label[start + 1 : -1]:
        return label
    return label[:start]


@functools.lru_cache(maxsize=8)
def names(spec: TemplateSpec) -> TemplateNames:
    """Every row, column and cell of ``spec`` named as its messages name them."""
    row: dict[tuple[str, str], str] = {}
    column: dict[tuple[str, str], str] = {}
    cell: dict[CellRef, str] = {}
    amounts: set[CellRef] = set()
    signed: set[CellRef] = set()
    for table in spec.tables:
        prefixes = {g.key: g.label for g in table.groups if g.prefix}
        for r in table.rows:
            label = r.name or without_note(r.label)
            if r.group in prefixes:
                label = f"{prefixes[r.group]} {label}"
            row[(table.key, r.key)] = label
            for c in r.columns:
                col_label = without_note(c.label)
                column.setdefault((table.key, c.key), col_label)
                ref = (table.key, r.key, c.key)
                cell[ref] = f"{label}·{col_label}"
                kind = c.kind or r.kind
                if kind == "amount":
                    amounts.add(ref)
                elif kind == "signed":
                    signed.add(ref)
    tables = {t.key: t.words for t in spec.tables}
    return TemplateNames(tables, row, column, cell, frozenset(amounts), frozenset(signed))
