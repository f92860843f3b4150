"""Recovery of one table: identities -> placements of dropped or extra numbers.

When a row has fewer numbers than cells (a scrape dropped empty cells) or more (a phantom
column), the binder leaves the uncertain cells ``ambiguous``.  Here every order-preserving
placement of the row's numbers is tried against the template's identities (勾稽关系):

- a placement puts the row's numbers into its cells in order; cells that get no number, and every
  other unknown cell of the table, are *unknowns*, never assumed to be zero (a scraped row,
  ``RowEvidence.empty_dropped``, is also tried with them as 0: when no placement holds that
  way, that is a proof of inconsistency, but values are placed only as described here);
- identities with one unknown are solved for it (a count must come out a non-negative integer);
  identities with none must hold; a placement that breaks one is dropped;
- a cell gets a value only if every remaining placement gives it that value.

A value is ``reported`` (with the span of its number) only when every remaining placement puts
the same written number in the cell.  When the placements agree on the value but not on which
written number stands in the cell (or whether one does at all), the value is ``inferred``, names
the identities that prove it, and has no span; the written numbers stay listed in the row's
``row-count-mismatch`` diagnostic.  Values no placement wrote are ``inferred`` too.  Blank and
``/`` cells are left as they are and treated as unknowns, because blank may mean zero or "not
filled".

The work is bounded: each table has a budget of placement evaluations
(:attr:`RecoverySettings.budget`, :data:`~.placements.BUDGET` by default), counted over all rows
and retries, and :func:`recover_table` returns what it used.  A row whose placements no longer
fit in what is left is not tried; its cells stay ``ambiguous`` with a
``recovery-budget-exhausted`` diagnostic.

Here is the driver: which row to try when, what to record, and the diagnostics.  The equation
system is :mod:`.system`, what placements agree on :mod:`.agreement`, and the enumeration of
placements with its budget :mod:`.placements`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from ..bind.records import number_tokens
from ..bind.table import BoundTable, CellKey, RowEvidence
from ..common.lines import Cell
from ..model import CellRecord, Diagnostic, Severity, Status
from ..templates.identities import Equation
from .agreement import CONFLICT, Agreement
from .glued import INCONSISTENT, glued_rows
from .placements import Budget, RecoverySettings, placement_count, try_row
from .proof import IMPOSSIBLE, culprits, impossible_message
from .splits import Units, units_of
from .system import Eq, System, equations_of, state

DEFAULT_SETTINGS = RecoverySettings()
"""What :func:`~gxnianbao.parse_report` recovers with."""


def _identities_of(key: CellKey, eqs: Sequence[Eq]) -> str | None:
    ids = [eq_id for eq_id, left, right in eqs if key in left or key in right]
    return " ".join(ids) or None


def _accept(
    bound: BoundTable, agreed: Agreement, candidates: Iterable[CellKey], eqs: Sequence[Eq]
) -> tuple[list[CellKey], list[CellKey]]:
    """Record the cells every placement agrees on.

    Returns the keys accepted, and those among them whose value is certain but whose written
    number is not (recorded ``inferred``, without a span).
    """
    table = bound.spec.key
    accepted: list[CellKey] = []
    unplaced: list[CellKey] = []
    for key in candidates:
        old = bound.cells[key]
        if old.status not in (Status.AMBIGUOUS, Status.MISSING):
            continue  # already known; nothing new
        token = agreed.tokens.get(key)
        sure = token is not CONFLICT
        if isinstance(token, Cell) and token.value.kind == "na":
            bound.cells[key] = CellRecord(
                table, key[0], key[1], None, Status.NOT_APPLICABLE, token.text, token.span()
            )
            accepted.append(key)
            continue
        value = agreed.value(key)
        if value is None:
            continue
        if isinstance(token, Cell):
            bound.cells[key] = CellRecord(
                table, key[0], key[1], value, Status.REPORTED, token.text,
                token.number_span(), token.value.unit,
            )  # fmt: skip
        elif sure:
            proof = agreed.first_proof.get(key)
            bound.cells[key] = CellRecord(
                table, key[0], key[1], value, Status.INFERRED, identity=proof
            )
        else:
            # Some placements wrote a number here and others did not, or wrote another one:
            # the value is proven, which written number it is is not.
            ids = agreed.proofs.get(key) or []
            identity = " ".join(ids) if ids else _identities_of(key, eqs)
            bound.cells[key] = CellRecord(
                table, key[0], key[1], value, Status.INFERRED, identity=identity
            )
            unplaced.append(key)
        accepted.append(key)
    return accepted, unplaced


def _summary(bound: BoundTable, row: RowEvidence) -> str:
    records = [bound.cells[k] for k in row.cells]
    left = sum(1 for r in records if r.status in (Status.AMBIGUOUS, Status.MISSING))
    return f"{len(records) - left} of {len(records)} cells are certain"


@attrs.frozen(slots=True)
class Recovery:
    """What recovering one table cost: a result, not state kept anywhere else."""

    table: str
    """The table's key."""
    evaluations: int
    """Placement evaluations used, over all its rows and retries (at most ``budget``)."""
    budget: int
    """The evaluations it was allowed (:attr:`RecoverySettings.budget`)."""


def recover_table(
    bound: BoundTable,
    equations: Iterable[Equation],
    settings: RecoverySettings = DEFAULT_SETTINGS,
) -> Recovery:
    """Place what the identities prove in one bound table (in place), with diagnostics.

    Returns what it cost (the evaluations used, at most ``settings.budget``).
    """
    table = bound.spec.key
    eqs = equations_of(table, equations)
    rows = bound.unfitted
    glued: list[tuple[int, Units]] = []
    for i, row in enumerate(rows):
        units = units_of(row, bound.spec) if row.glued else None
        if units is not None:  # (with more tokens than cells: no split, a diagnostic)
            glued.append((i, attrs.evolve(units, blanks=settings.glued_blanks)))
    if not eqs and not glued:
        return Recovery(table, 0, settings.budget)
    if not rows:  # every row fitted: only cells no row wrote may be proved
        _infer_unwritten(bound, eqs)
        return Recovery(table, 0, settings.budget)
    budget = Budget(settings.budget)
    before = {k: bound.cells[k] for row in rows for k in row.cells}
    notes: dict[tuple[int, int], tuple[RowEvidence, str, str]] = {}
    """By (0, row index) for what trying the row found, (1, row index) for a row not tried,
    (2, row index) for a joint search of glued rows cut short."""
    unplaced_of: dict[int, set[CellKey]] = {}
    short: dict[int, tuple[int, int, str]] = {}
    split = {i for i, _ in glued}
    # Cheap rows first, so that one costly row cannot starve the others of the budget.
    pending = sorted(
        (i for i in range(len(rows)) if i not in split),
        key=lambda i: placement_count(len(rows[i].tokens), len(rows[i].cells)),
    )
    waiting = {k for i in pending for k in rows[i].cells}
    # Glued rows first (their cells are unknowns to the other rows), then the other rows, then
    # the glued rows once more if those proved anything.
    glued_rows(bound, glued, eqs, budget, notes, short, waiting)
    if _placed_rows(bound, pending, eqs, budget, settings, notes, short, unplaced_of) and glued:
        waiting = {k for i in pending for k in rows[i].cells}
        glued_rows(bound, glued, eqs, budget, notes, short, waiting)
    for i, (cost, left, what) in short.items():
        row = rows[i]
        again = " again" if (0, i) in notes else ""
        notes[(1, i)] = (
            row,
            "recovery-budget-exhausted",
            f"{table} {row.row or 'data row'}: not tried{again}, its {cost} {what} exceed "
            f"what was left of the table's budget ({left} of {budget.limit} evaluations)",
        )
    _infer_unwritten(bound, eqs)
    for (_, i), (row, code, head) in notes.items():
        note = f"{head}; {_summary(bound, row)}"
        loose = sorted(k[1] for k in unplaced_of.get(i, ()))
        if loose:
            note += (
                f"; the values of {', '.join(loose)} are certain, but which written number "
                "stands in them is not: they are inferred, and the row's numbers stay in its "
                "row-count-mismatch diagnostic"
            )
        severity: Severity = "info" if code in ("recovered-row", "glued-digits") else "warning"
        if code == IMPOSSIBLE:
            severity = "error"
        # A row no split fits keeps its numbers as written in its own diagnostic too.
        kept = code in (INCONSISTENT, IMPOSSIBLE)
        numbers = number_tokens(row.tokens, bound.max_row_tokens) if kept else ()
        bound.diagnostics.append(
            Diagnostic(code, severity, note, row.tokens[0].span() if row.tokens else None,
                       table, row.row, numbers)
        )  # fmt: skip
    restate_mismatches(bound, before)
    return Recovery(table, budget.used, budget.limit)


def _placed_rows(
    bound: BoundTable,
    pending: list[int],
    eqs: Sequence[Eq],
    budget: Budget,
    settings: RecoverySettings,
    notes: dict[tuple[int, int], tuple[RowEvidence, str, str]],
    short: dict[int, tuple[int, int, str]],
    unplaced_of: dict[int, set[CellKey]],
) -> bool:
    """Try the rows in ``pending`` (the ordinary ones) until none grows; whether any did."""
    rows = bound.unfitted
    proving = Budget(settings.budget)
    """What narrowing the identities of rows no placement fits may use (once per table)."""
    checking = Budget(settings.budget)
    """What asking whether any placement holds with a scrape's dropped cells as 0 may use."""
    version = 0
    """How many cells recovery has accepted so far: a row is tried again only when it grew."""
    seen: dict[int, int] = {}
    tried = list(pending)
    split = settings.split_rows
    progress = True
    while pending and progress:
        progress = False
        for i in list(pending):
            row = rows[i]
            if not any(bound.cells[k].status is Status.AMBIGUOUS for k in row.cells):
                pending.remove(i)
                continue
            if seen.get(i) == version:
                continue  # nothing new since this row was last tried
            # The values placed are those with the dropped cells unknown, as in any layout: a
            # scrape that lost a number (not an empty cell) must not get a wrong one.
            agreed = try_row(row, bound.cells, eqs, budget, split, zeros=False)
            if isinstance(agreed, int):
                short[i] = (agreed, budget.left, "placements")
                pending.remove(i)
                continue
            if agreed is None:
                # Proven: every placement was tried.  Which identities rule them all out is
                # narrowed on a budget of its own (one per table), so that it starves no row.
                ids = culprits(row, bound.cells, eqs, proving, split, zeros=False)
                written = [t.raw for t in number_tokens(row.tokens, bound.max_row_tokens)]
                notes[(0, i)] = (row, IMPOSSIBLE, impossible_message(row, written, ids))
                pending.remove(i)
                continue
            # Cells of rows still waiting are theirs to decide, from their own numbers.
            waiting = {k for j in pending if j != i for k in rows[j].cells}
            others = sorted({k for k in agreed.values if k not in row.cells and k not in waiting})
            accepted, unplaced = _accept(bound, agreed, [*row.cells, *others], eqs)
            if accepted:
                progress = True
                version += len(accepted)
            seen[i] = version
            unplaced_of.setdefault(i, set()).update(k for k in unplaced if k in row.cells)
            notes[(0, i)] = (row, "recovered-row", _found(agreed))
            if not any(bound.cells[k].status is Status.AMBIGUOUS for k in row.cells):
                pending.remove(i)
    for i in tried:
        row = rows[i]
        if not row.empty_dropped or i in short or notes.get((0, i), (row, ""))[1] == IMPOSSIBLE:
            continue
        # A scrape drops only empty cells: counted as 0, does any placement hold?  Asked once,
        # with all the table's certain cells known.  None: proven (see :mod:`.proof`), beside
        # what the identities proved with them unknown.
        if try_row(row, bound.cells, eqs, checking, split, exists=True) is None:
            ids = culprits(row, bound.cells, eqs, proving, split)
            written = [t.raw for t in number_tokens(row.tokens, bound.max_row_tokens)]
            notes[(0, i)] = (row, IMPOSSIBLE, impossible_message(row, written, ids))
    return version > 0


def _found(agreed: Agreement) -> str:
    """What trying a row found, for its ``recovered-row`` note."""
    many = "" if agreed.complete else "at least "
    if agreed.parts:
        return (
            f"the row falls apart into {len(agreed.parts)} independent groups; "
            f"{many}{', '.join(map(str, agreed.parts))} placements of their numbers "
            "agree with the identities"
        )
    return f"{many}{agreed.count} placements of the row's numbers agree with the identities"


def _infer_unwritten(bound: BoundTable, eqs: Sequence[Eq]) -> None:
    """Last, what the identities prove about cells no row wrote at all."""
    table = bound.spec.key
    known, unknown = state(bound.cells)
    if not unknown:
        return
    system = System(eqs, known, sorted(unknown))
    ok, values, proofs = system.solve({})
    if ok:
        for i, proof in proofs.items():
            key = system.cells[i]
            bound.cells[key] = CellRecord(
                table, key[0], key[1], values[i], Status.INFERRED, identity=proof
            )


def restate_mismatches(bound: BoundTable, before: Mapping[CellKey, CellRecord]) -> None:
    """Bring each ``row-count-mismatch`` up to date with what recovery proved of its row.

    The binder's message counts what it could place alone.  Where recovery changed a cell of
    the row, the message now says how many of its cells are reported, inferred and still
    unknown; the diagnostic keeps all the row's numbers, so nothing written is lost.
    """
    rows: dict[tuple[str | None, str | None], RowEvidence] = {
        (row.table, row.row): row for row in bound.unfitted
    }
    for i, d in enumerate(bound.diagnostics):
        row = rows.get((d.table, d.row))
        if d.code != "row-count-mismatch" or row is None:
            continue
        records = [bound.cells[k] for k in row.cells]
        if all(r is before[k] for k, r in zip(row.cells, records, strict=True)):
            continue
        count = {s: sum(1 for r in records if r.status is s) for s in Status}
        left = count[Status.AMBIGUOUS] + count[Status.MISSING]
        parts = [f"{count[Status.REPORTED]} reported"]
        if count[Status.NOT_APPLICABLE]:
            parts.append(f"{count[Status.NOT_APPLICABLE]} not applicable")
        told = sum(1 for r in records if r.evidence is not None)
        parts.append(
            f"{count[Status.INFERRED]} inferred from the identities"
            + (f" ({told} of them with a count part 一 states)" if told else "")
        )
        head = d.message.split("; ", 1)[0]
        tail = (
            f"after recovery {', '.join(parts)}, the other {left} left unknown"
            if left
            else f"after recovery all are certain: {', '.join(parts)}"
        )
        bound.diagnostics[i] = attrs.evolve(d, message=f"{head}; {tail}")
