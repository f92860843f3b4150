"""``gxnianbao check``: :func:`gxnianbao.validate` findings like compiler errors, or JSON."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Mapping
from pathlib import Path

import attrs

from ..check.context import spec_of
from ..check.findings import Finding
from ..check.outcomes import Outcome, findings_for, outcome
from ..check.places import diagnostic_zh
from ..check.rules import validate
from ..model import Origin, Report, Span
from ..templates.names import TemplateNames, names
from .inputs import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, err, load
from .render import Style, colour_enabled, place_in, render_finding, render_finding_zh
from .rules import selection

__all__ = ["cmd_check", "finding_to_dict"]


def _span_dict(span: Span | None, text: str | None) -> dict[str, object] | None:
    if span is None:
        return None
    out: dict[str, object] = {
        "line": span.line,
        "column": span.column,
        "start": span.start,
        "end": span.end,
    }
    if text is not None:
        start = text.rfind("\n", 0, span.start) + 1
        end = text.find("\n", span.start)
        out["source_line"] = text[start : end if end >= 0 else len(text)].rstrip("\r")
    return out


def finding_to_dict(
    finding: Finding, text: str | None = None, origins: Mapping[int, Origin] | None = None
) -> dict[str, object]:
    """A finding as plain data (numbers as int or decimal string), for ``--format json``:
    every place in full (page, box, table, row, column, line), the diagnostics behind a not
    assessable finding, and the findings folded into it."""

    def plain(v: object) -> object:
        return v if v is None or isinstance(v, int) else str(v)

    table = finding.table
    lines = origins or {}
    where = (finding.span, *finding.spans, *(d.span for d in finding.causes))
    first = next((s for s in where if s is not None), None)
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "status": finding.status,
        "message": finding.message,
        "expression": finding.expression,
        "left": plain(finding.left),
        "right": plain(finding.right),
        "difference": plain(finding.difference),
        "cells": list(finding.cells),
        "location": None if first is None else place_in(first, table, lines).as_dict(),
        "sources": [_source(s, text, table, lines) for s in finding.spans],
        "source": _source(finding.span, text, table, lines),
        "causes": [
            {
                "code": d.code,
                "message": diagnostic_zh(d),
                "table": d.table,
                "row": d.row,
                "numbers": [t.raw for t in d.numbers],
                "source": _source(d.span, text, d.table, lines),
            }
            for d in finding.causes
        ],
        "also": [finding_to_dict(f, text, lines) for f in finding.also],
        "fingerprint": finding.fingerprint,
    }


def _source(
    span: Span | None, text: str | None, table: str | None, origins: Mapping[int, Origin]
) -> dict[str, object] | None:
    out = _span_dict(span, text)
    if out is not None and span is not None:
        out["location"] = place_in(span, table, origins).as_dict()
    return out


def cmd_check(args: argparse.Namespace) -> int:
    style = Style(colour_enabled(args.color, sys.stdout))
    zh = args.lang == "zh"
    select, ignore = selection(args.select, args.ignore)
    chosen = functools.partial(validate, select=select, ignore=ignore)
    unreadable = 0
    results: list[dict[str, object]] = []
    total = Outcome()
    html_page = args.html
    if html_page is not None and len(args.files) != 1:
        raise CliError("--html 只能用于一个文件（--html takes one FILE）")
    for name in args.files:
        try:
            item = load(name, need_text=True, engine=args.pdf_engine)
        except CliError as exc:
            err(str(exc))
            unreadable += 1
            results.append({"file": name, "status": "error", "error": str(exc), "findings": []})
            continue
        findings = findings_for(item.report, chosen)
        counted = outcome(findings)
        if html_page is not None:
            _write_page(html_page, item.report, findings, Path(item.name).name)
        total += counted
        if args.format == "json":
            results.append(
                {
                    "file": item.name,
                    "status": "ok",
                    "error": None,
                    "outcome": attrs.asdict(counted),
                    "findings": [finding_to_dict(f, item.text, item.origins) for f in findings],
                }
            )
            continue
        words = _words(item.report) if zh else None
        for f in findings:
            lines = (
                render_finding_zh(item, f, style, words) if zh else render_finding(item, f, style)
            )
            print("\n".join(lines))
            print()
    if args.format == "json":
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        files = len(args.files) - unreadable
        if zh:
            line = f"{total.summary_zh()}（共 {files} 个文件"
            line += f"，{unreadable} 个无法读取）" if unreadable else "）"
        else:
            line = f"{total.summary_en()} in {files} file{'s' if files != 1 else ''}"
            line += f"; {unreadable} could not be read" if unreadable else ""
        print(style("error" if total.failed else "bold", line))
    if unreadable:
        return EXIT_USAGE
    return EXIT_FINDINGS if total.failed else EXIT_OK


def _words(report: Report) -> TemplateNames:
    """The report's template in its own words (for the reader's diagnostics)."""
    return names(spec_of(report))


def _write_page(path: str, report: Report, findings: list[Finding], name: str) -> None:
    """The visual report (:func:`gxnianbao.export.html.report_html`) written to ``path``."""
    from ..export.html import report_html  # (only a run that asks for the page loads it)

    try:
        Path(path).write_text(report_html(report, findings, source_name=name), encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{path}: cannot write the page: {exc.strerror or exc}") from exc
