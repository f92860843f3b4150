"""What a check says about a report: one :class:`Finding` per rule application.

Findings are data, like diagnostics, but they judge the content (do the 勾稽关系 hold, does the
text agree with the tables) rather than the reading.  Each carries what a clerk needs to act on
it – the expression in the template's words, both sides and their difference, the cells involved
and where they are – and a fingerprint that stays the same across runs, so that a human review
decision can be attached to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from ..model import Diagnostic, Number, Severity, Span

FindingStatus = Literal["fail", "pass", "not_assessable"]


@attrs.frozen(slots=True)
class Finding:
    """The outcome of one rule on one report (or one pair of reports for series rules)."""

    rule: str
    """Stable rule id, e.g. ``t3-balance/natural_person`` or ``fee-not-reported``."""
    severity: Severity
    status: FindingStatus
    message: str
    """In Chinese, for a 政务公开 clerk."""
    expression: str = ""
    """The rule in the template's own words."""
    left: Number | None = None
    right: Number | None = None
    difference: Number | None = None
    """``left - right`` when both are known."""
    cells: tuple[str, ...] = ()
    """Keys (``table.row.column``) of every cell involved."""
    spans: tuple[Span | None, ...] = ()
    """Source span of each cell in ``cells`` (None where the cell has none)."""
    fingerprint: str = ""
    """Stable across runs for the same rule, cells and values."""
    span: Span | None = None
    """Where in the source the finding points when it is not about cells alone: the label,
    the sentence, the part."""
    causes: tuple[Diagnostic, ...] = ()
    """For a ``not_assessable`` finding: the reader's diagnostics that left its cells unknown
    (filled in by :func:`gxnianbao.check.outcomes.for_clerk`)."""
    also: tuple[Finding, ...] = ()
    """Findings of the same root cause folded into this one (a 总计 column left blank fails
    every row's total once, not twelve times): see :func:`gxnianbao.check.outcomes.for_clerk`."""

    @property
    def table(self) -> str | None:
        """The table key of its first cell (where its places are), None for no cell."""
        return self.cells[0].partition(".")[0] if self.cells else None


def fingerprint(rule: str, cells: Sequence[str], *values: object) -> str:
    """A short stable hash of what makes a finding the same finding."""
    text = "|".join([rule, ",".join(cells), *(str(v) for v in values)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def finding(
    rule: str,
    severity: Severity,
    status: FindingStatus,
    message: str,
    *,
    expression: str = "",
    left: Number | None = None,
    right: Number | None = None,
    cells: Sequence[str] = (),
    spans: Sequence[Span | None] = (),
    identify: Iterable[object] = (),
    span: Span | None = None,
    same_as: Sequence[object] | None = None,
) -> Finding:
    """The one way every family builds a finding: the difference and fingerprint follow.

    The fingerprint hashes the rule, the cells, then ``same_as`` when given, else the status,
    both sides and ``identify`` (what else tells two findings of one rule apart).
    """
    difference = left - right if left is not None and right is not None else None
    values = (status, left, right, *identify) if same_as is None else tuple(same_as)
    return Finding(
        rule=rule,
        severity=severity,
        status=status,
        message=message,
        expression=expression,
        left=left,
        right=right,
        difference=difference,
        cells=tuple(cells),
        spans=tuple(spans),
        fingerprint=fingerprint(rule, cells, *values),
        span=span,
    )


def keep(findings: list[Finding], include_passed: bool) -> list[Finding]:
    """``findings`` without the passes, unless they were asked for."""
    return findings if include_passed else [f for f in findings if f.status != "pass"]
