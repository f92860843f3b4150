"""Cells, spans and diagnostics as plain JSON-ready data: the model's own serialisation.

Why here and not in ``export/``: ``Report.to_dict()`` is part of the model's public API, and
the model must not reach into a later stage for it.  ``gxnianbao.export.dicts`` re-exports these
functions beside the JSON Schema.  Numbers are JSON numbers for counts and strings for decimal
amounts, so nothing is rounded.
"""

from __future__ import annotations

from typing import Any

from .cells import CellRecord, Diagnostic, Number, Span, Status

SCHEMA_VERSION = "1.0"

_STATUS_VALUE = {status: status.value for status in Status}
"""``status.value`` by lookup (an enum's ``value`` is a slow property in the per-cell loops)."""

_ORIGIN_FIELDS = ("page", "bbox", "block", "table", "row", "col", "line", "confidence")


def json_number(value: Number | None) -> int | str | None:
    """A cell value as plain data: an int stays, a Decimal becomes its exact string."""
    if value is None or isinstance(value, int):
        return value
    return str(value)


def status_value(status: Status) -> str:
    """``status.value``, by a lookup that is cheap in per-cell loops."""
    return _STATUS_VALUE[status]


def span_to_dict(span: Span | None) -> dict[str, Any] | None:
    """A span as plain data; ``origin`` only where the input was a document file."""
    if span is None:
        return None
    out: dict[str, Any] = {
        "start": span.start,
        "end": span.end,
        "line": span.line,
        "column": span.column,
    }
    if span.origin is not None:  # documents only: where in the file (page and box, or cell)
        o = span.origin
        out["origin"] = {
            "kind": o.kind,
            **{
                name: (list(value) if name == "bbox" else value)
                for name in _ORIGIN_FIELDS
                if (value := getattr(o, name)) is not None
            },
        }
    return out


def cell_to_dict(cell: CellRecord) -> dict[str, Any]:
    """One cell as plain data (value as int, decimal string or null)."""
    value = cell.value
    span = cell.span
    out = {
        # json_number(value), inlined: this runs for every cell
        "value": value if value is None or isinstance(value, int) else str(value),
        "status": _STATUS_VALUE[cell.status],
        "raw": cell.raw,
        "unit": cell.unit,
        "identity": cell.identity,
        "source": None if span is None else span_to_dict(span),
    }
    if cell.evidence is not None:  # (only a cell the narrative decided has one)
        out["evidence"] = span_to_dict(cell.evidence)
    return out


def diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as plain data, with the numbers it accounts for."""
    return {
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "table": d.table,
        "row": d.row,
        "source": span_to_dict(d.span),
        "numbers": [
            {"value": json_number(t.value), "raw": t.raw, "source": span_to_dict(t.span)}
            for t in d.numbers
        ],
    }
