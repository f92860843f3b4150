"""The shipped JSON Schema of ``Report.to_dict()`` against real output, and against broken dicts.

Real output: every fixture, the sample in the package, the seeds in the shared folder, and
Hypothesis-generated reports of both templates in every layout (with gaps and mangled lines,
so that every status occurs).  Each dict goes through ``json`` first, as a consumer sees it.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import FIXTURES, shared_path
from hypothesis import HealthCheck, given, settings
from reportgen import mutated_texts, rendered

import gxnianbao
from gxnianbao.export.dicts import SCHEMA_VERSION, json_schema
from gxnianbao.export.schema import build
from gxnianbao.model import Diagnostic, Origin, Span
from gxnianbao.templates import TEMPLATES

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
SAMPLE = Path(str(resources.files("gxnianbao") / "samples" / "sample-2022.txt"))


def exported(text: str) -> dict[str, Any]:
    """``to_dict()`` of a parsed text, as JSON gives it back."""
    data: dict[str, Any] = json.loads(json.dumps(gxnianbao.parse_report(text).to_dict()))
    return data


def errors(data: object) -> list[str]:
    """Every violation as ``path: message`` (empty when the dict conforms)."""
    return sorted(f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(data))


def violations(data: object) -> set[tuple[str, str]]:
    """Every violation as (JSON path, schema keyword)."""
    return {(e.json_path, str(e.validator)) for e in VALIDATOR.iter_errors(data)}


# --- the schema itself ---------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == f"urn:gxnianbao:schema:report:{SCHEMA_VERSION}"
    assert SCHEMA["properties"]["schema_version"] == {
        "const": SCHEMA_VERSION,
        "description": "The version of this shape; it changes with the schema.",
    }


def test_shipped_file_is_built_from_the_templates() -> None:
    """After a template change: ``python -m gxnianbao.export.schema.build`` rewrites the file."""
    path = resources.files("gxnianbao") / "export" / "schema" / "report.schema.json"
    shipped = path.read_text("utf-8")
    assert shipped == build.render(), (
        "report.schema.json is stale: python -m gxnianbao.export.schema.build"
    )


@pytest.mark.parametrize(
    "value", [Decimal("16197.02"), Decimal(0), Decimal("5000.0"), Decimal(-8),
              Decimal(3940) / 10000, Decimal("0.001") / 10000, Decimal("1.5E+3")],
)  # fmt: skip
def test_decimal_strings_match_what_str_gives(value: Decimal) -> None:
    assert VALIDATOR.evolve(schema={"$ref": "#/$defs/decimal_string"}).is_valid(str(value))


def test_json_schema_returns_a_fresh_dict() -> None:
    first = json_schema()
    first["properties"].clear()
    assert json_schema() == SCHEMA
    assert json_schema()["properties"]["schema_version"]["const"] == "1.0"


def test_top_level_keys_are_those_to_dict_emits() -> None:
    data = exported(SAMPLE.read_text(encoding="utf-8"))
    assert SCHEMA["required"] == list(data)
    # and "file", which `gxnianbao parse` adds to each object it writes
    assert list(SCHEMA["properties"]) == ["file", *data]
    assert SCHEMA["additionalProperties"] is False


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_table_shapes_follow_the_template(template: str) -> None:
    """Rows and columns in the schema are exactly the template's."""
    tables = SCHEMA["$defs"][f"tables_{template}"]["properties"]
    spec = TEMPLATES[template]
    assert list(tables) == [t.key for t in spec.tables]
    for table in spec.tables:
        shape = tables[table.key]
        assert shape["required"] == [r.key for r in table.rows]
        assert shape["additionalProperties"] is False
        for row in table.rows:
            row_def = SCHEMA["$defs"][shape["properties"][row.key]["$ref"].rsplit("/", 1)[1]]
            assert row_def["required"] == [c.key for c in row.columns], (table.key, row.key)
            assert row_def["additionalProperties"] is False


def test_enums() -> None:
    defs = SCHEMA["$defs"]
    assert defs["status"]["enum"] == [s.value for s in gxnianbao.Status]
    assert defs["severity"]["enum"] == ["error", "warning", "info"]
    assert defs["template"]["enum"] == ["2021", "2019", None]


# --- real output conforms --------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_fixtures_conform(path: Path) -> None:
    assert errors(exported(path.read_text(encoding="utf-8-sig"))) == []


def test_packaged_sample_conforms() -> None:
    assert errors(exported(SAMPLE.read_text(encoding="utf-8"))) == []


def test_seeds_conform() -> None:
    seeds = sorted(shared_path("seeds").glob("*.txt"))
    assert seeds, "no seeds in the shared folder"
    bad = {p.name: e for p in seeds if (e := errors(exported(p.read_text(encoding="utf-8-sig"))))}
    assert bad == {}


_FAST = settings(
    max_examples=settings.default.max_examples // 6, suppress_health_check=[HealthCheck.too_slow]
)


@_FAST
@given(rendered(template="2021"))
def test_generated_2021_reports_conform(case: tuple[str, Any, str]) -> None:
    assert errors(exported(case[2])) == []


@_FAST
@given(rendered(template="2019"))
def test_generated_2019_reports_conform(case: tuple[str, Any, str]) -> None:
    data = exported(case[2])
    assert data["meta"]["template"] == "2019"
    assert errors(data) == []


@settings(_FAST, max_examples=settings.default.max_examples // 10)
@given(mutated_texts())
def test_mangled_reports_conform(text: str) -> None:
    """Lines deleted, duplicated, swapped: missing and ambiguous cells, many diagnostics."""
    assert errors(exported(text)) == []


def _file_export(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(gxnianbao.parse_file(path).to_dict()))
    return data


def _origin_kinds(data: dict[str, Any]) -> set[str]:
    cells = [c for t in data["tables"].values() for r in t.values() for c in r.values()]
    return {c["source"]["origin"]["kind"] for c in cells if c["source"] and "origin" in c["source"]}


def test_pdf_export_conforms() -> None:
    """A PDF's spans carry ``origin`` (page and box); one small fixture is enough here."""
    path = FIXTURES / "pdf" / "basic-small.pdf"
    if not path.exists():
        pytest.skip(f"{path} not found")
    data = _file_export(path)
    assert _origin_kinds(data) == {"pdf"}
    assert errors(data) == []


def test_docx_export_conforms() -> None:
    """The official 2021 template as published (a .docx with merged cells, no numbers)."""
    data = _file_export(shared_path("corpus", "template-2021.docx"))
    assert data["meta"]["template"] == "2021"
    assert _origin_kinds(data) == {"docx"}  # every cell blank, each at its Word table cell
    assert errors(data) == []


def test_document_origins_conform() -> None:
    """A span from a document file carries ``origin``; the schema knows its fields."""
    report = gxnianbao.parse_report(SAMPLE.read_text(encoding="utf-8"))
    origin = Origin("pdf", page=2, bbox=(72.0, 100.5, 90.0, 112.0), table=0, row=3, col=1)
    span = Span(10, 12, 3, 4, origin)
    report = attrs.evolve(report, diagnostics=(Diagnostic("demo-code", "info", "m", span),))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["diagnostics"][0]["source"]["origin"] == {
        "kind": "pdf", "page": 2, "bbox": [72.0, 100.5, 90.0, 112.0], "table": 0, "row": 3,
        "col": 1,
    }  # fmt: skip
    assert errors(data) == []
    data["diagnostics"][0]["source"]["origin"]["kind"] = "xls"
    assert violations(data) == {("$.diagnostics[0].source.origin.kind", "enum")}


# --- broken dicts are rejected ---------------------------------------------------------------


@pytest.fixture(scope="module")
def good() -> dict[str, Any]:
    return exported(SAMPLE.read_text(encoding="utf-8"))


def test_rejects_missing_top_level_key(good: dict[str, Any]) -> None:
    data = copy.deepcopy(good)
    del data["diagnostics"]
    assert errors(data) == ["$: 'diagnostics' is a required property"]


def test_rejects_bad_status(good: dict[str, Any]) -> None:
    data = copy.deepcopy(good)
    data["tables"]["applications"]["received"]["total"]["status"] = "guessed"
    assert violations(data) == {("$.tables.applications.received.total.status", "enum")}


def test_rejects_bad_severity_and_unknown_key(good: dict[str, Any]) -> None:
    data = copy.deepcopy(good)
    data["diagnostics"] = [
        {"code": "x", "severity": "fatal", "message": "m", "table": None, "row": None,
         "source": None, "numbers": []}
    ]  # fmt: skip
    data["meta"]["author"] = "someone"
    assert violations(data) == {
        ("$.diagnostics[0].severity", "enum"),
        ("$.meta", "additionalProperties"),
    }


def test_rejects_values_of_the_wrong_type(good: dict[str, Any]) -> None:
    data = copy.deepcopy(good)
    data["tables"]["active_disclosure"]["fees"]["amount_wan_yuan"]["value"] = 12.6  # a float
    data["tables"]["review_litigation"]["review"]["total"]["value"] = "三"
    data["processing_fee"] = 1200
    assert violations(data) == {
        ("$.tables.active_disclosure.fees.amount_wan_yuan.value", "anyOf"),
        ("$.tables.active_disclosure.fees.amount_wan_yuan.value", "type"),  # reported: a number
        ("$.tables.review_litigation.review.total.value", "anyOf"),
        ("$.processing_fee", "anyOf"),
    }


def test_rejects_a_status_without_what_it_carries(good: dict[str, Any]) -> None:
    data = copy.deepcopy(good)
    reported = data["tables"]["applications"]["granted"]["total"]
    reported["value"] = None  # a reported cell has its number
    inferred = data["tables"]["applications"]["carried_over"]["total"]
    inferred["status"] = "inferred"  # an inferred cell names its identity and has no source
    assert violations(data) == {
        ("$.tables.applications.granted.total.value", "type"),
        ("$.tables.applications.carried_over.total.raw", "type"),
        ("$.tables.applications.carried_over.total.identity", "type"),
        ("$.tables.applications.carried_over.total.source", "type"),
    }


def test_rejects_rows_of_the_other_template(good: dict[str, Any]) -> None:
    data = copy.deepcopy(good)
    row = data["tables"]["active_disclosure"].pop("regulations")
    data["tables"]["active_disclosure"]["procurement"] = row
    assert violations(data) == {
        ("$.tables.active_disclosure", "required"),
        ("$.tables.active_disclosure", "additionalProperties"),
    }
    data = copy.deepcopy(good)
    data["meta"]["template"] = "2019"  # 2021 tables under a 2019 template
    assert ("$.tables.active_disclosure", "required") in violations(data)
