"""Every rule of the library, as one registry, and the functions that apply it.

Each rule is declared once, beside its check, in the module of its family
(:mod:`.identities`, :mod:`.values`, :mod:`.narrative`, :mod:`.fee`, :mod:`.structure`,
:mod:`.series`); :data:`REGISTRY` lists them in the order :func:`validate` runs them.  To add
a rule, declare a :class:`RuleDef` and validate with ``REGISTRY.add(rule).validate(report)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import Report
from ..templates import TemplateSpec
from ..templates.spec import Wording
from .context import Context
from .fee import FEE_NOT_REPORTED, FEE_UNREADABLE
from .findings import Finding
from .identities import IDENTITIES
from .narrative import NARRATIVE
from .proof import IDENTITIES_UNSATISFIABLE, NARRATIVE_PLACEMENTS
from .registry import Registry, Rule, RuleDef
from .series import CARRY_OVER, IN_FORCE
from .structure import BLANK_CELLS, LABEL_WORDING, PART_MISSING, TABLE_MISSING, TEMPLATE_OUTDATED
from .values import NONNEGATIVE

__all__ = [
    "FAMILIES",
    "REGISTRY",
    "Registry",
    "Rule",
    "RuleDef",
    "Wording",
    "check_blank_cells",
    "check_fee",
    "check_identities",
    "check_labels",
    "check_narrative_rules",
    "check_nonnegative",
    "check_parts",
    "check_structure",
    "check_tables",
    "check_template",
    "rules",
    "validate",
    "validate_series",
]

REGISTRY = Registry(()).add(
    IDENTITIES,
    IDENTITIES_UNSATISFIABLE,
    NONNEGATIVE,
    NARRATIVE,
    NARRATIVE_PLACEMENTS,
    FEE_NOT_REPORTED,
    FEE_UNREADABLE,
    PART_MISSING,
    TABLE_MISSING,
    LABEL_WORDING,
    TEMPLATE_OUTDATED,
    BLANK_CELLS,
    CARRY_OVER,
    IN_FORCE,
)
"""Every built-in rule, in the order :func:`validate` runs (and ``docs/rules.md`` lists) them."""

FamilyCheck = Callable[[Context, bool], list[Finding]]


def _family(name: str) -> FamilyCheck:
    return lambda ctx, include_passed: REGISTRY.run(name, ctx, include_passed)


FAMILIES: tuple[tuple[str, FamilyCheck], ...] = tuple(
    (name, _family(name)) for name in REGISTRY.families
)
"""The rule families in the order :func:`validate` runs them."""


def rules(template: str | TemplateSpec | None = None) -> tuple[Rule, ...]:
    """Every rule id a template's reports can get, with severity and expression (narrative
    excepted: :func:`gxnianbao.check.narrative.narrative_rules` lists its ids)."""
    return tuple(r for r in REGISTRY.catalogue(template) if r.family != NARRATIVE.family)


def validate(
    report: Report,
    *,
    include_passed: bool = False,
    rules: Iterable[str] | None = None,
    template: TemplateSpec | None = None,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
) -> list[Finding]:
    """Every rule on one report: failures and ``not_assessable`` findings, and with
    ``include_passed=True`` the rules that hold too.  Raises nothing for the report's content.

    ``rules`` runs only some: each item is a rule id (``"fee-not-reported"``,
    ``"t3-balance/natural_person"``), an id's prefix before ``/`` (``"t3-balance"``: every
    column) or a family name (``"identities"``, ``"narrative"``, ``"fee"``, …; see
    :data:`FAMILIES`).  An item that names no rule raises ValueError.  ``select`` is the same
    as ``rules`` (the linters' word; give one of them), and may also be one string of
    comma-separated items or hold patterns (``"t3-*/total"``); ``ignore`` takes the same items
    and leaves out the rules they name (``ignore="narrative"``).

    ``template`` checks against another spec than the report's own template (one extended
    with an identity, say).
    """
    return REGISTRY.validate(
        report,
        include_passed=include_passed,
        rules=rules,
        template=template,
        select=select,
        ignore=ignore,
    )


def validate_series(reports: Iterable[Report], *, include_passed: bool = False) -> list[Finding]:
    """Rules across consecutive years of one issuer's reports.

    Reports are sorted by year; only pairs of consecutive years are compared (a missing year
    leaves its neighbours unchecked).  Cells are named ``<year>:<table>.<row>.<column>``.
    Raises ValueError when the reports are of more than one issuer, or when a year is unknown
    or given twice.
    """
    return REGISTRY.validate_series(reports, include_passed=include_passed)


# --- one family, or one rule, at a time ----------------------------------------------------

ReportCheck = Callable[..., list[Finding]]


def _only(*checks: FamilyCheck) -> ReportCheck:
    def run(report: Report, *, include_passed: bool = False) -> list[Finding]:
        ctx = Context.of(report)
        return [f for check in checks for f in check(ctx, include_passed)]

    return run


def _checks(*defs: RuleDef) -> tuple[FamilyCheck, ...]:
    return tuple(dict.fromkeys(d.check for d in defs if d.check is not None))


check_identities = _only(*_checks(IDENTITIES))
"""Every identity (勾稽关系) of the template, one finding per expanded equation."""
check_nonnegative = _only(*_checks(NONNEGATIVE))
"""Counts in tables 2–4 are non-negative integers; the fee amount is not negative."""
check_narrative_rules = _only(*_checks(NARRATIVE))
"""Counts stated in 一、总体情况 against tables 2–4 (see :mod:`gxnianbao.check.narrative`)."""
check_fee = _only(*_checks(FEE_NOT_REPORTED))
"""Part 六 states the 信息处理费, with an amount that can be read."""
check_parts = _only(*_checks(PART_MISSING))
"""Each of the six parts is found; one finding per part."""
check_tables = _only(*_checks(TABLE_MISSING))
"""Tables 2, 3 and 4 are found (a table whose every cell is missing is not)."""
check_labels = _only(*_checks(LABEL_WORDING))
"""Table labels use the template's official wording; one finding per distinct wording."""
check_template = _only(*_checks(TEMPLATE_OUTDATED))
"""A report on a year after its template's last year uses the template in force."""
check_blank_cells = _only(*_checks(BLANK_CELLS))
"""Blank cells where numbers are required: one ``info`` finding with the count and cells."""
check_structure = _only(
    *_checks(PART_MISSING, TABLE_MISSING, LABEL_WORDING, TEMPLATE_OUTDATED, BLANK_CELLS)
)
"""Parts, tables, label wording, template version and blank cells."""
