"""Stage 7, exporting: a report as plain dicts, records, a JSON Schema and data frames."""

from .dicts import SCHEMA_VERSION, json_schema, report_to_dict, report_to_records

__all__ = ["SCHEMA_VERSION", "json_schema", "report_to_dict", "report_to_records"]
