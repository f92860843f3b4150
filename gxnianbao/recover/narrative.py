"""The narrative as evidence: a count part 一 states decides between placements.

When several placements of a row's numbers satisfy every identity, its cells stay
``ambiguous``.  Part 一 often states one of them (``全年被申请行政复议7件``): taken as one more
equation (the cell equals the stated count), it may leave every remaining placement agreeing.
Then the cells it decides are ``inferred``: their ``identity`` names the statement's rule
(``narrative-review-total``) before the identities that carry it, and their ``evidence`` is the
sentence's span.

The narrative never overrules a table: only cells still unknown are constrained, and only by a
count read as one exact number, stated once (or always the same).  When no placement that
satisfies the identities also gives the stated count, the narrative contradicts the table: a
``narrative-contradicts-placements`` diagnostic says so and nothing is placed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import attrs

from ..bind.records import number_tokens
from ..bind.table import BoundTable, CellKey, RowEvidence
from ..common.lines import Cell, Line
from ..locate.stated import statements
from ..locate.text import clean
from ..model import CellRecord, Diagnostic, Span, Status
from ..templates import TemplateSpec
from ..templates.identities import Equation
from ..templates.quantities import QUANTITIES
from .agreement import Agreement
from .placements import Budget, RecoverySettings, try_row
from .system import Eq, equations_of
from .table import DEFAULT_SETTINGS, restate_mismatches

CONTRADICTS = "narrative-contradicts-placements"
"""The code of a stated count that no placement satisfying the identities gives."""
DECIDED = "narrative-evidence"
"""The code of a row whose placement a stated count decided."""
_OPEN = (Status.AMBIGUOUS, Status.MISSING)
_STATED = re.compile(r"\[stated: ([^\]]*)\]")


def fragments_named(message: str) -> tuple[str, ...]:
    """The stated counts (as written) a :data:`CONTRADICTS` diagnostic's message quotes."""
    return tuple(_STATED.findall(message))


@attrs.frozen(slots=True)
class StatedCount:
    """One count part 一 states, read as one exact number: the sum of its cells (one cell, or
    several of one table, such as 行政诉讼's two 总计)."""

    table: str
    cells: tuple[CellKey, ...]
    value: int
    rule: str
    """The narrative rule of its quantity (``narrative-review-total``)."""
    fragment: str
    span: Span
    """The sentence (its line in the source, the fragment where it can be found there)."""


@attrs.frozen
class NarrativeCounts:
    """Part 一's stated counts, read only when a table needs them (most never do)."""

    lines: Sequence[Line]
    first: int
    end: int
    year: int | None
    spec: TemplateSpec

    @functools.cached_property
    def counts(self) -> tuple[StatedCount, ...]:
        kept = [line for line in self.lines[self.first : self.end] if clean(line.text)]
        text = "\n".join(clean(line.text) for line in kept)
        by_quantity: dict[str, list[StatedCount | None]] = {}
        """Per quantity, each statement of it (None: one that is no evidence)."""
        for s in statements(text, year=self.year):
            quantity = QUANTITIES.get(s.quantity)
            refs = quantity.cells_for(self.spec) if quantity is not None else ()
            if s.value is None or s.reason is not None or len({r[0] for r in refs}) != 1:
                by_quantity.setdefault(s.quantity, []).append(None)
                continue
            line = kept[text.count("\n", 0, s.start)]
            at = line.text.find(s.fragment)
            span = (
                Span(line.start, line.start + len(line.text), line.number, line.column)
                if at < 0
                else Span(line.start + at, line.start + at + len(s.fragment), line.number,
                          line.column + at)
            )  # fmt: skip
            cells = tuple((row, column) for _, row, column in refs)
            stated = StatedCount(refs[0][0], cells, s.value, s.rule, s.fragment, span)
            by_quantity.setdefault(s.quantity, []).append(stated)
        out: list[StatedCount] = []
        for found in by_quantity.values():
            # A count stated twice differently, or once unclearly, is no evidence.
            clear = [f for f in found if f is not None]
            if len(clear) == len(found) and len({f.value for f in clear}) == 1:
                out.append(clear[0])
        return tuple(out)


def decide_by_narrative(
    bound: BoundTable,
    equations: Iterable[Equation],
    said: NarrativeCounts,
    settings: RecoverySettings = DEFAULT_SETTINGS,
) -> None:
    """Decide, with the counts part 一 states, the rows of ``bound`` that recovery left open
    (in place, with a diagnostic per row decided or contradicted)."""
    table = bound.spec.key
    rows = [r for r in bound.unfitted if not r.glued and any(
        bound.cells[k].status is Status.AMBIGUOUS for k in r.cells)]  # fmt: skip
    if not rows:
        return
    counts = [
        c
        for c in said.counts
        if c.table == table and any(bound.cells[k].status in _OPEN for k in c.cells)
    ]
    if not counts:
        return
    eqs = equations_of(table, equations)
    before = dict(bound.cells)
    budget = Budget(settings.budget)
    """Shared by the table's rows, like recovery's own: a row that exceeds it is left open."""
    for row in rows:
        cells = dict(bound.cells)
        extra: list[Eq] = []
        for c in counts:
            anchor = ("\x00narrative", c.rule)
            cells[anchor] = CellRecord(table, *anchor, c.value, Status.INFERRED)
            extra.append((c.rule, list(c.cells), [anchor]))
        plain = try_row(row, bound.cells, eqs, budget, settings.split_rows)
        if not isinstance(plain, Agreement):
            continue  # out of budget, or no placement at all (a proof of its own)
        told = try_row(row, cells, [*eqs, *extra], budget, settings.split_rows)
        if isinstance(told, int):
            continue
        used = [c for c in counts if any(k in row.cells or k in plain.values for k in c.cells)]
        if not used:
            continue
        if told is None:
            _contradicted(bound, row, used)
            continue
        decided = _record(bound, row, told, used, eqs)
        if decided:
            first = used[0]
            bound.diagnostics.append(
                Diagnostic(
                    DECIDED, "info",
                    f"part 一 states {first.fragment!r}: of the placements of this row's numbers "
                    f"that satisfy the identities, those that give it agree on {len(decided)} "
                    "cells, inferred with the sentence as evidence",
                    first.span, table, row.row,
                )
            )  # fmt: skip
    restate_mismatches(bound, before)


def _record(
    bound: BoundTable,
    row: RowEvidence,
    told: Agreement,
    used: Sequence[StatedCount],
    eqs: Sequence[Eq],
) -> list[CellKey]:
    table = bound.spec.key
    rules = {c.rule for c in used}
    decided: list[CellKey] = []
    evidence = used[0].span
    for key in [*row.cells, *(k for k in told.values if k not in row.cells)]:
        if key not in bound.cells or bound.cells[key].status not in _OPEN:
            continue
        value = told.value(key)
        token = told.tokens.get(key)
        if value is None or (isinstance(token, Cell) and token.value.kind == "na"):
            continue
        proofs = [p for p in told.proofs.get(key, []) if p not in rules]
        if not proofs:  # (a written number every placement puts here: its identities place it)
            proofs = [eq_id for eq_id, left, right in eqs if key in left or key in right]
        identity = " ".join(dict.fromkeys([used[0].rule, *proofs]))
        bound.cells[key] = CellRecord(
            table, key[0], key[1], value, Status.INFERRED, identity=identity, evidence=evidence
        )
        decided.append(key)
    return decided


def _contradicted(bound: BoundTable, row: RowEvidence, used: Sequence[StatedCount]) -> None:
    stated = ", ".join(
        f"[stated: {c.fragment}] ({' + '.join('.'.join(k) for k in c.cells)} = {c.value})"
        for c in used
    )
    bound.diagnostics.append(
        Diagnostic(
            CONTRADICTS, "warning",
            f"part 一 states {stated}, but no placement of this row's numbers that satisfies the "
            "identities gives it: the narrative or the table is wrong; nothing is placed",
            used[0].span, bound.spec.key, row.row,
            number_tokens(row.tokens, bound.max_row_tokens),
        )
    )  # fmt: skip
