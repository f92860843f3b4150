"""Findings as a clerk acts on them: three outcomes counted apart, causes, one finding per cause.

:func:`gxnianbao.validate` gives one finding per rule application, which is what a program
wants.  A clerk wants to know what to fix: a ``not_assessable`` finding says *why* the reader
left its cells unknown (the diagnostics behind it, with their places), and one root cause is one
finding (a 总计 column left blank, or one row whose numbers could not be placed, makes a dozen
identities fail or not assessable; they are folded into the first, in its ``also``).  The
summary counts fails by severity and the not assessable apart; the exit status follows the
errors only, so that the summary line and the exit status never disagree.  The CLI and the
dataset both count through :class:`Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import attrs

from ..model import Diagnostic, Report, Status
from .findings import Finding
from .places import diagnostic_zh
from .rules import validate

__all__ = ["Outcome", "findings_for", "for_clerk", "outcome"]

_ROW_CAUSES = frozenset(
    {
        "row-count-mismatch",
        "glued-digits",
        "glued-digits-inconsistent",
        "recovery-budget-exhausted",
        "recovery-inconsistent",
        "duplicate-row",
        "group-total",
        "missing-cell",
        "ambiguous-cell",
        "placement-impossible",
    }
)
"""Diagnostics of a row that may leave its cells unknown."""

_TABLE_CAUSES = frozenset(
    {"missing-table", "unplaced-number", "unknown-row", "table-region-truncated", "labels-detached"}
)
"""Diagnostics of a table (no row, or another row) that may leave its cells unknown."""

_REPORT_CAUSES = frozenset(
    {"not-a-report", "pdf-page-needs-ocr", "pdf-page-unreadable", "pdf-unmapped-glyphs"}
)
"""Diagnostics of the whole input that may leave any cell unknown."""

_UNKNOWN = (Status.MISSING, Status.AMBIGUOUS)


@attrs.frozen(slots=True)
class Outcome:
    """How many findings of each outcome: fails by severity, and the not assessable apart."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    not_assessable: int = 0
    passed: int = 0

    @property
    def failed(self) -> bool:
        """Whether an error failed (the exit status 1 of ``gxnianbao check``)."""
        return self.errors > 0

    def __add__(self, other: Outcome) -> Outcome:
        pairs = zip(attrs.astuple(self), attrs.astuple(other), strict=True)
        return Outcome(*(a + b for a, b in pairs))

    def summary_zh(self) -> str:
        """``0 个错误，1 个警告；4 项无法核对``."""
        line = f"{self.errors} 个错误，{self.warnings} 个警告"
        if self.infos:
            line += f"，{self.infos} 个提示"
        return line + f"；{self.not_assessable} 项无法核对"

    def summary_en(self) -> str:
        return (
            f"{self.errors} errors, {self.warnings} warnings, {self.infos} info; "
            f"{self.not_assessable} not assessable"
        )


def outcome(findings: Sequence[Finding]) -> Outcome:
    """Count ``findings`` by outcome (each finding once, folded ones not again)."""
    fails = [f for f in findings if f.status == "fail"]
    return Outcome(
        errors=sum(1 for f in fails if f.severity == "error"),
        warnings=sum(1 for f in fails if f.severity == "warning"),
        infos=sum(1 for f in fails if f.severity == "info"),
        not_assessable=sum(1 for f in findings if f.status == "not_assessable"),
        passed=sum(1 for f in findings if f.status == "pass"),
    )


def findings_for(
    report: Report, check: Callable[[Report], list[Finding]] = validate
) -> list[Finding]:
    """The findings of ``check`` on ``report`` as a clerk reads them (:func:`for_clerk`); for a
    text that is not a report at all, that one error alone (every table rule would only say
    that its cells are missing)."""
    for d in report.diagnostics:
        if d.code == "not-a-report":
            return [Finding("not-a-report", "error", "fail", diagnostic_zh(d), span=d.span)]
    return for_clerk(report, check(report))


def for_clerk(report: Report, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` with the causes of each not assessable one, and each root cause once."""
    status = {c.key: c.status for c in report.cells()}
    # (Unmapped glyphs, a page that needs OCR: every unknown cell follows from them.)
    whole = tuple(d for d in report.diagnostics if d.code in _REPORT_CAUSES)
    explained = [
        attrs.evolve(f, causes=whole or _causes(report, f, status))
        if f.status == "not_assessable"
        else f
        for f in findings
    ]
    return _fold(explained, status)


def _split(key: str) -> tuple[str, str]:
    table, _, rest = key.partition(".")
    return table, rest.rpartition(".")[0]


def _causes(report: Report, f: Finding, status: dict[str, Status]) -> tuple[Diagnostic, ...]:
    """The diagnostics that left the finding's unknown cells unknown: the rows' own first, then
    their tables' (a whole-input cause, taken before either, is :func:`for_clerk`'s)."""
    unknown = [k for k in f.cells if status.get(k) in _UNKNOWN or k not in status]
    rows = {_split(k) for k in unknown}
    tables = {t for t, _ in rows}
    found = [d for d in report.diagnostics if d.code in _ROW_CAUSES and (d.table, d.row) in rows]
    if not found:  # (a table's own diagnostics, and those of table 4's unlabelled row)
        found = [
            d
            for d in report.diagnostics
            if d.table in tables
            and (d.code in _TABLE_CAUSES or (d.code in _ROW_CAUSES and d.row is None))
        ]
    return tuple(found)


def _root(f: Finding, status: dict[str, Status]) -> Hashable | None:
    """What makes findings one root cause: the same diagnostics behind a not assessable one;
    blank cells of the same columns behind a fail."""
    if f.status == "not_assessable" and f.causes:
        return ("causes", f.severity, tuple((d.code, d.table, d.row, d.span) for d in f.causes))
    if f.status == "fail":
        blank = {k for k in f.cells if status.get(k) is Status.BLANK}
        if blank:
            columns = frozenset((k.partition(".")[0], k.rpartition(".")[2]) for k in blank)
            return ("blank", f.severity, columns)
    return None


def _fold(findings: Sequence[Finding], status: dict[str, Status]) -> list[Finding]:
    out: list[Finding] = []
    first: dict[Hashable, int] = {}
    folded: dict[int, list[Finding]] = {}
    for f in findings:
        root = _root(f, status)
        if root is None:
            out.append(f)
            continue
        at = first.get(root)
        if at is None:
            first[root] = len(out)
            out.append(f)
        else:
            folded.setdefault(at, []).append(f)
    for at, others in folded.items():
        out[at] = attrs.evolve(out[at], also=tuple(others))
    return out
