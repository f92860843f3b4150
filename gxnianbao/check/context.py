"""A report as the rules see it: its cells indexed and valued once, with its template.

Values: ``reported`` and ``inferred`` cells count with their value; ``blank`` and
``not_applicable`` cells count as 0 (reports leave zero cells empty; the blank cells are
reported by ``structure-blank-cells``); a ``missing`` or ``ambiguous`` cell has no value, and a
rule that needs it is ``not_assessable`` – never a guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import attrs

from ..model import CellRecord, Number, Report, Status
from ..templates import LATEST, TEMPLATES, TemplateSpec
from ..templates.names import TemplateNames, names

__all__ = ["CellRef", "Context", "consecutive", "spec_of", "value_of"]

CellRef = tuple[str, str, str]

_R, _I, _B, _N = Status.REPORTED, Status.INFERRED, Status.BLANK, Status.NOT_APPLICABLE


def value_of(rec: CellRecord | None) -> Number | None:
    """A cell's value for a rule: blank and ``/`` are 0; unknown cells are None."""
    if rec is None:
        return None
    status = rec.status  # compared by identity: hashing a str enum member is slow
    if status is _R or status is _I:
        return rec.value
    if status is _B or status is _N:
        return 0
    return None


def spec_of(report: Report) -> TemplateSpec:
    """The template a report is checked against: its own, or the one in force when unknown."""
    name = report.meta.template
    return LATEST if name is None else TEMPLATES[name]


@attrs.frozen(slots=True)
class Context:
    """A report with its cells indexed and valued once, shared by every rule."""

    report: Report
    cells: dict[CellRef, CellRecord]
    values: dict[CellRef, Number | None]
    """Each cell's value for the rules (see :func:`value_of`)."""
    spec: TemplateSpec
    names: TemplateNames
    """The spec's rows, columns and cells in its own words."""

    @classmethod
    def of(cls, report: Report, spec: TemplateSpec | None = None) -> Context:
        """``report`` ready for the rules of ``spec`` (by default its own template's)."""
        if not isinstance(report, Report):
            raise TypeError(f"expected a gxnianbao.Report, not {type(report).__name__}")
        cells: dict[CellRef, CellRecord] = {}
        values: dict[CellRef, Number | None] = {}
        for c in report.cells():
            ref = (c.table, c.row, c.column)
            cells[ref] = c
            values[ref] = value_of(c)
        if spec is None:
            spec = spec_of(report)
        return cls(report, cells, values, spec, names(spec))


def consecutive(reports: Iterable[Report]) -> list[tuple[Context, Context]]:
    """One issuer's reports as pairs of consecutive years (a missing year breaks the chain).

    Raises ValueError when the reports are of more than one issuer, or when a year is unknown
    or given twice.
    """
    items = list(reports)
    for r in items:
        if not isinstance(r, Report):
            raise TypeError(f"expected gxnianbao.Report objects, not {type(r).__name__}")
    issuers = {r.meta.issuer for r in items}
    if len(issuers) > 1:
        listed = ", ".join(sorted(repr(i) for i in issuers))
        raise ValueError(f"validate_series() needs the reports of one issuer; got {listed}")
    years = [r.meta.year for r in items]
    if any(y is None for y in years):
        raise ValueError("validate_series() needs the year of every report; a report has none")
    known_years = [y for y in years if y is not None]
    if len(set(known_years)) != len(known_years):
        twice = sorted({y for y in known_years if known_years.count(y) > 1})
        raise ValueError(f"validate_series() got more than one report for {twice}")
    ordered = sorted(items, key=lambda r: r.meta.year or 0)
    return [
        (Context.of(last), Context.of(this))
        for last, this in itertools.pairwise(ordered)
        if (this.meta.year or 0) == (last.meta.year or 0) + 1
    ]
