"""Builds ``report.schema.json`` (the JSON Schema of ``Report.to_dict()``) from the templates.

Why generated: the rows and columns of every table come from :mod:`gxnianbao.templates`, so a
template change cannot leave the schema behind; ``tests/test_schema.py`` fails until the file
is rebuilt with ``python -m gxnianbao.export.schema.build``.  The JSON file is what ships and what
:func:`gxnianbao.export.json_schema` loads (a consumer in another language reads it as is).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ...model import Status, table_class
from ...model.dicts import SCHEMA_VERSION
from ...model.tables import row_slots
from ...templates import TEMPLATES

PATH = Path(__file__).with_name("report.schema.json")

Schema = dict[str, Any]

NULL: Schema = {"type": "null"}
STR: Schema = {"type": "string"}
SPAN: Schema = {"$ref": "#/$defs/span"}
NUM: Schema = {"$ref": "#/$defs/number"}
SOME: Schema = {"type": ["integer", "string"]}
"""A value that is there; its form is checked by the cell's ``value`` property."""
OBJ: Schema = {"type": "object"}
"""A span that is there; its fields are checked by the cell's ``source`` property."""


def _nullable(kind: str) -> Schema:
    return {"type": [kind, "null"]}


def _optional(ref: Schema) -> Schema:
    # if/then/else rather than anyOf, so that an error inside the object is reported where it is.
    return {"if": {"type": "object"}, "then": ref, "else": NULL}


def _row_classes() -> dict[tuple[str, str, str], str]:
    """The typed row class of every (template, table, row): the names of the row definitions."""
    out: dict[tuple[str, str, str], str] = {}
    for name, template in TEMPLATES.items():
        for spec in template.tables:
            for slot in row_slots(table_class(spec)):
                out[(name, spec.key, slot.key)] = slot.row_class.__name__
    return out


def _tables(template: str, row_defs: dict[str, Schema]) -> Schema:
    classes = _row_classes()
    tables: dict[str, Schema] = {}
    for spec in TEMPLATES[template].tables:
        rows: dict[str, Schema] = {}
        for row in spec.rows:
            columns = [c.key for c in row.columns]
            name = classes[(template, spec.key, row.key)]
            row_defs[name] = {
                "type": "object",
                "required": columns,
                "additionalProperties": False,
                "properties": {c: {"$ref": "#/$defs/cell"} for c in columns},
            }
            rows[row.key] = {"$ref": f"#/$defs/{name}"}
        tables[spec.key] = {
            "type": "object",
            "description": f"{spec.title}: every row of the {template} template.",
            "required": list(rows),
            "additionalProperties": False,
            "properties": rows,
        }
    return {
        "type": "object",
        "description": f"The tables of a {template}-template report (the parser gives all three).",
        "additionalProperties": False,
        "properties": tables,
    }


def _when(status: Status, then: Schema) -> Schema:
    return {
        "if": {"properties": {"status": {"const": status.value}}, "required": ["status"]},
        "then": {"properties": then},
    }


def _cell() -> Schema:
    """One cell; what each status carries is the table of docs/statuses.md."""
    return {
        "type": "object",
        "description": "One template cell; what each status carries is in docs/statuses.md.",
        "required": ["value", "status", "raw", "unit", "identity", "source"],
        "additionalProperties": False,
        "properties": {
            "value": {"anyOf": [NULL, NUM]},
            "status": {"$ref": "#/$defs/status"},
            "raw": _nullable("string"),
            "unit": _nullable("string"),
            "identity": _nullable("string"),
            "source": _optional(SPAN),
            "evidence": {
                **SPAN,
                "description": "Only on a cell the narrative decided: the sentence that did.",
            },
        },
        "allOf": [
            _when(Status.REPORTED, {"value": SOME, "raw": STR, "identity": NULL, "source": OBJ}),
            _when(
                Status.BLANK, {"value": NULL, "raw": {"const": ""}, "identity": NULL, "source": OBJ}
            ),
            _when(
                Status.NOT_APPLICABLE, {"value": NULL, "raw": STR, "identity": NULL, "source": OBJ}
            ),
            _when(Status.MISSING, {"value": NULL, "raw": NULL, "identity": NULL, "source": NULL}),
            _when(Status.INFERRED, {"value": SOME, "raw": NULL, "identity": STR, "source": NULL}),
            _when(Status.AMBIGUOUS, {"value": NULL, "raw": NULL, "identity": NULL, "source": NULL}),
        ],
    }


def _span_defs() -> dict[str, Schema]:
    return {
        "span": {
            "type": "object",
            "description": "Where in the input: text[start:end], 1-based line and column.",
            "required": ["start", "end", "line", "column"],
            "additionalProperties": False,
            "properties": {
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0},
                "line": {"type": "integer", "minimum": 1},
                "column": {"type": "integer", "minimum": 1},
                "origin": {"$ref": "#/$defs/origin"},
            },
        },
        "origin": {
            "type": "object",
            "description": "Documents only (PDF, DOCX, HTML, scans): where in the file the span "
            "lies; "
            "each reader fills in what its format knows.",
            "required": ["kind"],
            "additionalProperties": False,
            "properties": {
                "kind": {"enum": ["pdf", "docx", "html", "ocr"]},
                "page": {"type": "integer", "minimum": 1, "description": "1-based page (PDF)."},
                "bbox": {
                    "type": "array",
                    "description": "(x0, top, x1, bottom) in PDF points from the page's "
                    "top-left corner.",
                    "prefixItems": [{"type": "number"}] * 4,
                    "minItems": 4,
                    "maxItems": 4,
                },
                "block": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "0-based paragraph or table in body order.",
                },
                "table": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "0-based table among the document's tables.",
                },
                "row": {"type": "integer", "minimum": 0},
                "col": {"type": "integer", "minimum": 0},
                "line": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "1-based line in the file itself (HTML source).",
                },
                "confidence": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1,
                    "description": "OCR only: the engine's least confidence in the characters "
                    "read here.",
                },
            },
        },
    }


def _narrative_defs() -> dict[str, Schema]:
    return {
        "meta": {
            "type": "object",
            "required": ["issuer", "year", "title", "published", "template"],
            "additionalProperties": False,
            "properties": {
                "issuer": _nullable("string"),
                "year": _nullable("integer"),
                "title": _nullable("string"),
                "published": {
                    "anyOf": [
                        NULL,
                        {
                            "type": "string",
                            "format": "date",
                            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                        },
                    ]
                },
                "template": {"$ref": "#/$defs/template"},
            },
        },
        "overview": {
            "type": "object",
            "required": ["text", "subsections"],
            "additionalProperties": False,
            "properties": {
                "text": STR,
                "subsections": {"type": "array", "items": {"$ref": "#/$defs/subsection"}},
            },
        },
        "subsection": {
            "type": "object",
            "required": ["number", "key", "title", "text", "source"],
            "additionalProperties": False,
            "properties": {
                "number": {"enum": list("一二三四五六七八九十")},
                "key": {
                    "enum": [
                        "active_disclosure",
                        "applications",
                        "information_management",
                        "platforms",
                        "oversight",
                        None,
                    ]
                },
                "title": STR,
                "text": STR,
                "source": SPAN,
            },
        },
    }


def _diagnostic_defs(table_keys: list[str]) -> dict[str, Schema]:
    return {
        "diagnostic": {
            "type": "object",
            "required": ["code", "severity", "message", "table", "row", "source", "numbers"],
            "additionalProperties": False,
            "properties": {
                "code": {
                    "type": "string",
                    "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                    "description": "Stable code; see docs/layouts.md.",
                },
                "severity": {"$ref": "#/$defs/severity"},
                "message": STR,
                "table": {"enum": [*table_keys, None]},
                "row": _nullable("string"),
                "source": _optional(SPAN),
                "numbers": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["value", "raw", "source"],
                        "additionalProperties": False,
                        "properties": {"value": NUM, "raw": STR, "source": SPAN},
                    },
                },
            },
        },
        "extra_row": {
            "type": "object",
            "description": "A row the source adds that the template lacks, kept as written.",
            "required": ["table", "label", "source", "cells"],
            "additionalProperties": False,
            "properties": {
                "table": {"enum": table_keys},
                "label": STR,
                "source": SPAN,
                "cells": {"type": "object", "additionalProperties": {"$ref": "#/$defs/cell"}},
            },
        },
    }


def _tables_by_template() -> Schema:
    """Which tables a dict must have, by ``meta.template``.

    The first template of :data:`~gxnianbao.templates.TEMPLATES` is the default (also for a
    report whose template is None); each other one is an ``if``/``then`` around it.
    """
    default, *others = TEMPLATES
    chosen: Schema = {"properties": {"tables": {"$ref": f"#/$defs/tables_{default}"}}}
    for name in reversed(others):
        chosen = {
            "if": {"properties": {"meta": {"properties": {"template": {"const": name}}}}},
            "then": {"properties": {"tables": {"$ref": f"#/$defs/tables_{name}"}}},
            "else": chosen,
        }
    return chosen


def build() -> Schema:
    """The schema as a dict, in the order the JSON file is written."""
    table_keys = sorted({t.key for template in TEMPLATES.values() for t in template.tables})
    row_defs: dict[str, Schema] = {}
    tables = {f"tables_{name}": _tables(name, row_defs) for name in TEMPLATES}
    defs: dict[str, Schema] = {
        **_span_defs(),
        "decimal_string": {
            "type": "string",
            "description": "str(decimal.Decimal): '16197.02', '0', '5000.0', '-8', '1E-7'.",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?(E[+-][0-9]+)?$",
        },
        "number": {
            "description": "An int as a JSON integer, a Decimal as its string.",
            "anyOf": [{"type": "integer"}, {"$ref": "#/$defs/decimal_string"}],
        },
        "status": {"enum": [s.value for s in Status]},
        "severity": {"enum": ["error", "warning", "info"]},
        "template": {"enum": [*TEMPLATES, None]},
        "cell": _cell(),
        **_narrative_defs(),
        **_diagnostic_defs(table_keys),
        **tables,
        **dict(sorted(row_defs.items())),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:gxnianbao:schema:report:{SCHEMA_VERSION}",
        "title": "gxnianbao Report.to_dict()",
        "description": "One parsed 政府信息公开工作年度报告 as plain JSON data (see "
        "docs/data-model.md). Counts are JSON integers; Decimals (money, a count written with "
        "decimals) are strings, so nothing is rounded.",
        "type": "object",
        "required": [
            "schema_version",
            "meta",
            "overview",
            "tables",
            "extra_rows",
            "problems",
            "other_matters",
            "processing_fee",
            "diagnostics",
        ],
        "additionalProperties": False,
        "properties": {
            "file": {
                "type": "string",
                "description": "The input the report was read from (a path as given, "
                "<stdin>, a URL). `gxnianbao parse` adds it to every object it writes; "
                "to_dict() itself does not have it.",
            },
            "schema_version": {
                "const": SCHEMA_VERSION,
                "description": "The version of this shape; it changes with the schema.",
            },
            "meta": {"$ref": "#/$defs/meta"},
            "overview": _optional({"$ref": "#/$defs/overview"}),
            "tables": {
                "type": "object",
                "description": "table key -> row key -> column key -> cell; the rows and "
                "columns depend on meta.template.",
            },
            "extra_rows": {"type": "array", "items": {"$ref": "#/$defs/extra_row"}},
            "problems": _nullable("string"),
            "other_matters": _nullable("string"),
            "processing_fee": {
                "anyOf": [NULL, {"$ref": "#/$defs/decimal_string"}],
                "description": "信息处理费 in yuan, as stated in part 六.",
            },
            "diagnostics": {"type": "array", "items": {"$ref": "#/$defs/diagnostic"}},
        },
        "allOf": [_tables_by_template()],
        "$defs": defs,
    }


def render() -> str:
    """The JSON file's exact text."""
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
