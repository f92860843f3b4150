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


@attrs.frozen(slots=True)
class _Selection:
    families: frozenset[str]
    ids: frozenset[str]
    prefixes: frozenset[str]

    def matches(self, rule: str) -> bool:
        return rule in self.ids or rule.split("/", 1)[0] in self.prefixes


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
        rules: Iterable[str] | None = None,
        template: TemplateSpec | None = None,
    ) -> list[Finding]:
        """See :func:`gxnianbao.validate`."""
        ctx = Context.of(report, template)
        if rules is None:
            return [f for family in self.families for f in self.run(family, ctx, include_passed)]
        wanted = self._selection(rules, ctx.spec)
        out: list[Finding] = []
        for family in self.families:
            if family in wanted.families:
                out.extend(self.run(family, ctx, include_passed))
            elif wanted.ids or wanted.prefixes:
                found = self.run(family, ctx, include_passed)
                out.extend(f for f in found if wanted.matches(f.rule))
        return out

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

    def _selection(self, items: Iterable[str], spec: TemplateSpec) -> _Selection:
        """Sort the selectors of ``validate(rules=...)`` and refuse one that names no rule."""
        if isinstance(items, str):
            items = [items]
        known = {r.id for r in self.catalogue(spec)}
        prefixes_known = {rule.split("/", 1)[0] for rule in known if "/" in rule}
        family_names = set(self.families)
        families: set[str] = set()
        ids: set[str] = set()
        prefixes: set[str] = set()
        for item in items:
            if item in family_names:
                families.add(item)
            elif item in known:
                ids.add(item)
            elif item in prefixes_known:
                prefixes.add(item)
            else:
                raise ValueError(
                    f"no rule, rule prefix or family is called {item!r}; see"
                    " gxnianbao.check.rules.rules() and gxnianbao.check.rules.FAMILIES"
                )
        return _Selection(frozenset(families), frozenset(ids), frozenset(prefixes))
