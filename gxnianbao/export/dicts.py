"""Plain-data exports: a nested JSON-ready dict and the long format (one record per cell).

``to_dict()`` carries ``schema_version`` (see ``docs/data-model.md``); numbers are
exported as JSON numbers for counts and as strings for decimal amounts, so nothing is rounded.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..model.classes import CellRecord, Diagnostic, Number, Report, Span, Status

SCHEMA_VERSION = "1.0"

_STATUS_VALUE = {status: status.value for status in Status}
"""``status.value`` by lookup (an enum's ``value`` is a slow property in the per-cell loops)."""


def json_number(value: Number | None) -> int | str | None:
    """A cell value as plain data: an int stays, a Decimal becomes its exact string."""
    if value is None or isinstance(value, int):
        return value
    return str(value)


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    out: dict[str, Any] = {
        "start": span.start, "end": span.end, "line": span.line, "column": span.column
    }
    if span.origin is not None:  # documents only: where in the file (page and box, or cell)
        o = span.origin
        out["origin"] = {
            "kind": o.kind,
            **{
                name: (list(value) if name == "bbox" else value)
                for name in ("page", "bbox", "block", "table", "row", "col", "line")
                if (value := getattr(o, name)) is not None
            },
        }
    return out


def cell_to_dict(cell: CellRecord) -> dict[str, Any]:
    """One cell as plain data (value as int, decimal string or null)."""
    value = cell.value
    span = cell.span
    return {
        # json_number(value), inlined: this runs for every cell
        "value": value if value is None or isinstance(value, int) else str(value),
        "status": _STATUS_VALUE[cell.status],
        "raw": cell.raw,
        "unit": cell.unit,
        "identity": cell.identity,
        "source": None if span is None else _span(span),
    }


def diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "table": d.table,
        "row": d.row,
        "source": _span(d.span),
        "numbers": [
            {"value": json_number(t.value), "raw": t.raw, "source": _span(t.span)}
            for t in d.numbers
        ],
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-serialisable nested dicts: tables -> rows -> columns -> cell."""
    tables: dict[str, Any] = {}
    for table in report.tables():
        rows: dict[str, dict[str, Any]] = {}
        for cell in table.cells():
            rows.setdefault(cell.row, {})[cell.column] = cell_to_dict(cell)
        tables[table.key] = rows
    meta = report.meta
    overview = report.overview
    return {
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "issuer": meta.issuer,
            "year": meta.year,
            "title": meta.title,
            "published": meta.published.isoformat() if meta.published else None,
            "template": meta.template,
        },
        "overview": None
        if overview is None
        else {
            "text": overview.text,
            "subsections": [
                {
                    "number": s.number,
                    "key": s.key,
                    "title": s.title,
                    "text": s.text,
                    "source": _span(s.span),
                }
                for s in overview.subsections
            ],
        },
        "tables": tables,
        "extra_rows": [
            {
                "table": extra.table,
                "label": extra.label,
                "source": _span(extra.span),
                "cells": {c.column: cell_to_dict(c) for c in extra.cells},
            }
            for extra in report.extra_rows
        ],
        "problems": report.problems,
        "other_matters": report.other_matters,
        "processing_fee": None if report.processing_fee is None else str(report.processing_fee),
        "diagnostics": [diagnostic_to_dict(d) for d in report.diagnostics],
    }


def report_to_records(report: Report) -> list[dict[str, Any]]:
    """The long format of keys.md: one flat record per cell.

    ``line``/``start``/``end`` locate the value in the text (a document's text view);
    ``page`` is its PDF page (None for other inputs).  Cells of rows the template lacks
    (``report.extra_rows``) follow, with row ``extra.<n>`` and their label as written in
    ``label`` (None for template rows).
    """
    out: list[dict[str, Any]] = []
    extra = [(f"extra.{i}", e.label, c) for i, e in enumerate(report.extra_rows) for c in e.cells]
    cells = [(c.row, None, c) for c in report.cells()] + extra
    for row, label, cell in cells:
        span = cell.span
        out.append(
            {
                "template": report.meta.template,
                "table": cell.table,
                "row": row,
                "label": label,
                "column": cell.column,
                "value": json_number(cell.value),
                "status": _STATUS_VALUE[cell.status],
                "raw": cell.raw,
                "unit": cell.unit,
                "identity": cell.identity,
                "line": span.line if span else None,
                "start": span.start if span else None,
                "end": span.end if span else None,
                "page": span.origin.page if span and span.origin else None,
            }
        )
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``to_dict()`` at ``SCHEMA_VERSION``.

    Shipped as package data (``gxnianbao/export/schema/report.schema.json``) so that a
    consumer in any language can validate exports; a fresh dict each call, so callers may
    change theirs.
    """
    path = resources.files("gxnianbao") / "export" / "schema" / "report.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


__all__ = ["SCHEMA_VERSION", "json_schema", "report_to_dict", "report_to_records"]
