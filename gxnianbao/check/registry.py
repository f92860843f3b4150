"""Rules declared once, as data: id, severity, family, formula and the check that applies it.

A :class:`RuleDef` is everything about one rule (or one pattern of rules, such as
``t3-balance/<column>``, expanded per template); a :class:`Registry` is an ordered list of them
that validates a report (like pandera's checks or markdown-it-py's rule lists).  Adding a rule is
one declaration: a caller can add their own to a copy with :meth:`Registry.add`, without touching
the built-in one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs

from ..model import Number, Report, Severity, Span
from ..templates import LATEST, TEMPLATES, TemplateSpec
from .context import Context, consecutive
from .findings import Finding, FindingStatus, finding, keep
from .selection import Selection, selectors

__all__ = ["Registry", "Rule", "RuleDef"]

ReportCheck = Callable[[Context, bool], list[Finding]]
"""Applies rules to one report: ``(context, include_passed) -> findings``."""
SeriesCheck = Callable[[Context, Context, bool], list[Finding]]
"""Applies rules to the reports of two consecutive years (last year's first)."""
Expansion = Callable[[TemplateSpec], Iterable[tuple[str, str]]]
"""The ids and expressions a pattern of rules stands for in one template."""


@attrs.frozen(slots=True)
class Rule:
    """One rule as ``docs/rules.md`` and :func:`gxnianbao.check.rules.rules` list it."""

    id: str
    severity: Severity
    family: str
    """``identities``, ``nonnegative``, ``narrative``, ``fee``, ``structure`` or ``series``."""
    expression: str
    """What it checks, in the template's words."""


@attrs.frozen(slots=True)
class RuleDef:
    """One rule, or one pattern of rules, declared once.

    Several declarations may share one check (both fee rules are decided by one reading of
    part 六); a registry runs each check once, in the order of its first declaration.
    """

    id: str
    """The rule id, or a pattern (``t3-balance/<column>``) when ``expand`` gives the ids."""
    severity: Severity
    family: str
    expression: str
    """The formula in the template's words (for a pattern: what its rules have in common)."""
    check: ReportCheck | None = None
    compare: SeriesCheck | None = None
    """For a rule across years (``validate_series``) instead of ``check``."""
    expand: Expansion | None = None
    doc: str = ""
    """What fails it, for example (the rule table of ``docs/rules.md``)."""

    def rules(self, spec: TemplateSpec) -> tuple[Rule, ...]:
        if self.expand is None:
            return (Rule(self.id, self.severity, self.family, self.expression),)
        return tuple(Rule(i, self.severity, self.family, e) for i, e in self.expand(spec))

    def finding(
        self,
        status: FindingStatus,
        message: str,
        *,
        rule: str | None = None,
        expression: str | None = None,
        left: Number | None = None,
        right: Number | None = None,
        cells: Sequence[str] = (),
        spans: Sequence[Span | None] = (),
        identify: Iterable[object] = (),
        span: Span | None = None,
        same_as: Sequence[object] | None = None,
    ) -> Finding:
        """A finding of this rule (``rule``: the expanded id; ``expression``: its formula)."""
        return finding(
            self.id if rule is None else rule,
            self.severity,
            status,
            message,
            expression=self.expression if expression is None else expression,
            left=left,
            right=right,
            cells=cells,
            spans=spans,
            identify=identify,
            span=span,
            same_as=same_as,
        )


def _spec(template: str | TemplateSpec | None) -> TemplateSpec:
    if template is None:
        return LATEST
    return TEMPLATES[template] if isinstance(template, str) else template


@attrs.frozen(slots=True)
class Registry:
    """An ordered set of rule declarations; ``validate`` runs them family by family."""

    defs: tuple[RuleDef, ...]

    def add(self, *defs: RuleDef) -> Registry:
        """A copy with more rules (a family not seen yet runs after the others)."""
        taken = {d.id for d in self.defs}
        for d in defs:
            if d.id in taken:
                raise ValueError(f"a rule {d.id!r} is already declared")
            if (d.check is None) == (d.compare is None):
                raise ValueError(f"rule {d.id!r} needs exactly one of check and compare")
            taken.add(d.id)
        return Registry((*self.defs, *defs))

    @property
    def families(self) -> tuple[str, ...]:
        """The families of single-report rules, in the order ``validate`` runs them."""
        return tuple(dict.fromkeys(d.family for d in self.defs if d.check is not None))

    def checks(self, family: str) -> tuple[ReportCheck, ...]:
        """The checks of a family, each once, in declaration order."""
        found = (d.check for d in self.defs if d.family == family and d.check is not None)
        return tuple(dict.fromkeys(found))

    def catalogue(self, template: str | TemplateSpec | None = None) -> tuple[Rule, ...]:
        """Every rule id the registry can give for a template, with severity and formula."""
        spec = _spec(template)
        return tuple(rule for d in self.defs for rule in d.rules(spec))

    def run(self, family: str, ctx: Context, include_passed: bool) -> list[Finding]:
        """The findings of one family; passes only when asked for."""
        found = [f for check in self.checks(family) for f in check(ctx, include_passed)]
        return keep(found, include_passed)

    def validate(
        self,
        report: Report,
        *,
        include_passed: bool = False,
        rules: str | Iterable[str] | None = None,
        template: TemplateSpec | None = None,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
    ) -> list[Finding]:
        """See :func:`gxnianbao.validate`."""
        ctx = Context.of(report, template)
        if rules is not None and select is not None:
            raise TypeError("validate() takes rules or select (the same thing), not both")
        wanted = self.select(select if rules is None else rules, ctx.spec)
        unwanted = self.select(ignore, ctx.spec)
        if wanted is None and unwanted is None:
            return [f for family in self.families for f in self.run(family, ctx, include_passed)]
        out: list[Finding] = []
        for family in self.families:
            if unwanted is not None and family in unwanted.families:
                continue
            if wanted is not None and not (family in wanted.families or wanted.names_rules):
                continue
            out.extend(
                f
                for f in self.run(family, ctx, include_passed)
                if (wanted is None or wanted.matches(f.rule, family))
                and (unwanted is None or not unwanted.matches(f.rule, family))
            )
        return out

    def select(
        self, items: str | Iterable[str] | None, template: str | TemplateSpec | None = None
    ) -> Selection | None:
        """The rules ``items`` names (see :mod:`gxnianbao.check.selection`), None for none given.

        Selectors are checked against the rules of every stock template and of ``template``: an
        id of the older template selects nothing in a newer report, while a misspelt one raises
        :class:`~gxnianbao.check.selection.UnknownRuleError` (a ValueError).
        """
        chosen = selectors(items)
        if chosen is None:
            return None
        return Selection.of(chosen, ((r.id, r.family) for r in self.every_rule(template)))

    def every_rule(self, template: str | TemplateSpec | None = None) -> tuple[Rule, ...]:
        """The rules of every stock template and of ``template``, each id once."""
        specs = dict.fromkeys([*TEMPLATES.values(), _spec(template)])
        found = {r.id: r for spec in specs for r in self.catalogue(spec)}
        return tuple(found.values())

    def validate_series(
        self, reports: Iterable[Report], *, include_passed: bool = False
    ) -> list[Finding]:
        """See :func:`gxnianbao.validate_series`."""
        compares = dict.fromkeys(d.compare for d in self.defs if d.compare is not None)
        out: list[Finding] = []
        for last, this in consecutive(reports):
            for compare in compares:
                out.extend(keep(compare(last, this, include_passed), include_passed))
        return out
