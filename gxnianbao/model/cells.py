"""One cell of a parsed report and where it came from: status, spans, diagnostics.

Why its own module: every stage (readers, binder, recovery, checks, exports) speaks in these
records, while only the parse driver needs the typed tables built from them.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Literal

import attrs

Severity = Literal["error", "warning", "info"]
Number = int | Decimal


class Status(str, enum.Enum):
    """What the source says about a cell.  Blank, zero, ``/`` and a dropped cell differ."""

    REPORTED = "reported"
    """A number written in the source."""
    BLANK = "blank"
    """The cell exists in the source and is empty."""
    NOT_APPLICABLE = "not_applicable"
    """The source writes ``/``, ``—``, ``不适用``, ``无`` or similar."""
    MISSING = "missing"
    """The source has no cell for it (dropped by a scrape, table absent)."""
    INFERRED = "inferred"
    """Not in the source; deduced from an identity, which the record names."""
    AMBIGUOUS = "ambiguous"
    """The source's numbers cannot be placed with certainty; no value is given."""

    def __str__(self) -> str:
        return self.value


STATUS_ZH: dict[Status, str] = {
    Status.REPORTED: "已填报",
    Status.BLANK: "空白",
    Status.NOT_APPLICABLE: "不适用",
    Status.MISSING: "缺失",
    Status.INFERRED: "推算",
    Status.AMBIGUOUS: "无法确定",
}
"""Each status in the words a clerk reads (the visual report, the codebook, the checker)."""


@attrs.frozen(slots=True)
class Origin:
    """Where in a document file (PDF, DOCX, HTML) a span lies, beyond its text offsets.

    Why: a number read from a PDF page or a Word table must be findable there, not only in the
    text view the library builds of the document.  Every field is optional: each reader fills
    in what its format knows.
    """

    kind: str
    """The reader: ``"pdf"``, ``"docx"``, ``"html"`` or ``"ocr"`` (a scan)."""
    page: int | None = None
    """1-based page (PDF)."""
    bbox: tuple[float, float, float, float] | None = None
    """``(x0, top, x1, bottom)`` in PDF points, measured from the page's top-left corner."""
    block: int | None = None
    """0-based index of the paragraph or table in body order (DOCX, HTML)."""
    table: int | None = None
    """0-based index of the table among the document's tables."""
    row: int | None = None
    """0-based grid row of a table cell."""
    col: int | None = None
    """0-based grid column of a table cell."""
    line: int | None = None
    """1-based line in the file itself (HTML source)."""
    confidence: float | None = None
    """OCR only: the engine's confidence in the text read here (the least of its characters',
    0 to 1), so that a value read from a scan says how sure the reading was."""


@attrs.frozen(slots=True)
class Span:
    """Where something is in the input text: ``text[start:end]``, 1-based line and column.

    For a document file the text is the document's text view (``Document.text``) and
    ``origin`` says where in the file it is (page and box, or table, row and column).
    """

    start: int
    end: int
    line: int
    column: int
    origin: Origin | None = None

    def __repr__(self) -> str:
        # Text spans (the common case) read as before: the origin only where there is one.
        tail = "" if self.origin is None else f", origin={self.origin!r}"
        return (
            f"Span(start={self.start}, end={self.end}, line={self.line}, "
            f"column={self.column}{tail})"
        )


@attrs.frozen(slots=True)
class NumberToken:
    """A number as written in a table region, with its place in the input."""

    value: Number
    raw: str
    span: Span


@attrs.frozen(slots=True)
class CellRecord:
    """One template cell: its value, status, what was written and where."""

    table: str
    row: str
    column: str
    value: Number | None
    status: Status
    raw: str | None = None
    """The cell text as written (``""`` for a blank cell, None when the source has no cell)."""
    span: Span | None = None
    """For a reported cell, ``text[span.start:span.end]`` is exactly the number as written."""
    unit: str | None = None
    """A unit written inside the cell (``元``, ``万元``), if any."""
    identity: str | None = None
    """For an inferred cell: the identity that proves it."""
    evidence: Span | None = None
    """For a cell inferred with a count the narrative states: the sentence stating it."""

    def __repr__(self) -> str:
        # Cells read as before: ``evidence`` only where there is one.
        tail = "" if self.evidence is None else f", evidence={self.evidence!r}"
        return (
            f"CellRecord(table={self.table!r}, row={self.row!r}, column={self.column!r}, "
            f"value={self.value!r}, status={self.status!r}, raw={self.raw!r}, "
            f"span={self.span!r}, unit={self.unit!r}, identity={self.identity!r}{tail})"
        )

    @property
    def key(self) -> str:
        """The long-format key ``table.row.column``."""
        return f"{self.table}.{self.row}.{self.column}"


@attrs.frozen(slots=True)
class Diagnostic:
    """A structured parse finding: stable code, human message, and where it is."""

    code: str
    severity: Severity
    message: str
    span: Span | None = None
    table: str | None = None
    row: str | None = None
    numbers: tuple[NumberToken, ...] = ()
    """Numbers that this diagnostic accounts for (for example those that could not be placed)."""


# --- building records in the hot path ------------------------------------------------------

_new = object.__new__
_SPAN_SET = tuple(getattr(Span, f.name).__set__ for f in attrs.fields(Span))
_RECORD_SET = tuple(getattr(CellRecord, f.name).__set__ for f in attrs.fields(CellRecord))


def new_span(start: int, end: int, line: int, column: int, origin: Origin | None) -> Span:
    """``Span(start, end, line, column, origin)``, built about twice as fast.

    Why: the binder builds a span and a record for every cell of every report, and a frozen
    attrs class sets each field through ``object.__setattr__``; here each slot is set through
    its descriptor directly.  Same object, same fields (a test compares the two)."""
    span = _new(Span)
    a, b, c, d, e = _SPAN_SET
    a(span, start)
    b(span, end)
    c(span, line)
    d(span, column)
    e(span, origin)
    return span


def new_record(
    table: str,
    row: str,
    column: str,
    value: Number | None,
    status: Status,
    raw: str | None,
    span: Span | None,
    unit: str | None = None,
) -> CellRecord:
    """``CellRecord(table, row, column, value, status, raw, span, unit)`` (no identity, no
    evidence: a cell read from the source), built as :func:`new_span` builds a span."""
    record = _new(CellRecord)
    s_table, s_row, s_column, s_value, s_status, s_raw, s_span, s_unit, s_id, s_ev = _RECORD_SET
    s_table(record, table)
    s_row(record, row)
    s_column(record, column)
    s_value(record, value)
    s_status(record, status)
    s_raw(record, raw)
    s_span(record, span)
    s_unit(record, unit)
    s_id(record, None)
    s_ev(record, None)
    return record
