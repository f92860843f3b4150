"""``gxnianbao parse``: reports to JSON, JSON lines or the long CSV format."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import IO

from ..export.dicts import report_to_records
from ..export.rows import RECORD_COLUMNS
from .inputs import EXIT_OK, EXIT_USAGE, CliError, Loaded, err, load

__all__ = ["PARSE_CSV_COLUMNS", "cmd_parse"]


class _Output:
    """Standard output, or the file given with ``-o`` (a message, not a traceback, if it
    cannot be created)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if self.path is None or self.path == "-":
            return sys.stdout
        try:
            self._fh = open(self.path, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise CliError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        return self._fh

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()


def _json(obj: object, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


PARSE_CSV_COLUMNS = ("file", *RECORD_COLUMNS)
"""``parse --format csv``: the long format of ``to_records()`` with the input's name first."""


def cmd_parse(args: argparse.Namespace) -> int:
    loaded: list[Loaded] = []
    failed = False
    for name in args.files:
        try:
            loaded.append(load(name, engine=args.pdf_engine))
        except CliError as exc:
            err(str(exc))
            failed = True
    fmt = args.format
    if not loaded:
        return EXIT_USAGE
    if getattr(args, "verbosity", 0) > 0:
        for item in loaded:
            meta = item.report.meta
            err(
                f"{item.name}: read: template {meta.template}, year {meta.year}, "
                f"{len(item.report.diagnostics)} diagnostics"
            )
    with _Output(args.output) as out:
        if fmt == "json":
            dicts = [_with_file(item) for item in loaded]
            if len(args.files) == 1:
                if dicts:
                    out.write(_json(dicts[0], indent=2) + "\n")
            else:
                out.write(_json(dicts, indent=2) + "\n")
        elif fmt == "jsonl":
            for item in loaded:
                out.write(_json(_with_file(item)) + "\n")
        else:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(PARSE_CSV_COLUMNS)
            for item in loaded:
                for record in report_to_records(item.report):
                    record["file"] = item.name
                    writer.writerow(_csv_value(record.get(c)) for c in PARSE_CSV_COLUMNS)
    return EXIT_USAGE if failed else EXIT_OK


def _with_file(item: Loaded) -> dict[str, object]:
    """``to_dict()`` with the input's name first, so that each object of several says where
    it came from (the JSON Schema allows ``file``)."""
    return {"file": item.name, **item.report.to_dict()}


def _csv_value(value: object) -> object:
    return "" if value is None else value
