"""Plain-data exports: a nested JSON-ready dict, the long format, and their JSON Schema.

The conversion itself is the model's (:mod:`gxnianbao.model.dicts`, ``Report.to_dict()``); this
module is where exporters find it, beside the shipped JSON Schema of ``to_dict()`` (see
``docs/data-model.md``).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..model import Report
from ..model.dicts import (
    SCHEMA_VERSION,
    cell_to_dict,
    diagnostic_to_dict,
    json_number,
    span_to_dict,
)


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-serialisable nested dicts: tables -> rows -> columns -> cell."""
    return report.to_dict()


def report_to_records(report: Report) -> list[dict[str, Any]]:
    """The long format of keys.md: one flat record per cell (see ``Report.to_records``)."""
    return report.to_records()


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``to_dict()`` at ``SCHEMA_VERSION``.

    Shipped as package data (``gxnianbao/export/schema/report.schema.json``) so that a
    consumer in any language can validate exports; a fresh dict each call, so callers may
    change theirs.
    """
    path = resources.files("gxnianbao") / "export" / "schema" / "report.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


__all__ = [
    "SCHEMA_VERSION",
    "cell_to_dict",
    "diagnostic_to_dict",
    "json_number",
    "json_schema",
    "report_to_dict",
    "report_to_records",
    "span_to_dict",
]
