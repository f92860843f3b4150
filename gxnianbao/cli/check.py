"""``gxnianbao check``: :func:`gxnianbao.validate` findings like compiler errors, or JSON."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable

from ..check.findings import Finding
from ..check.rules import validate
from ..model import Report, Span
from .inputs import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, err, load
from .render import Style, colour_enabled, render_finding
from .rules import selection

__all__ = ["cmd_check", "finding_to_dict"]


def _fails(finding: Finding) -> bool:
    return finding.severity == "error" and finding.status == "fail"


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


def finding_to_dict(finding: Finding, text: str | None = None) -> dict[str, object]:
    """A finding as plain data (numbers as int or decimal string), for ``--format json``."""

    def plain(v: object) -> object:
        return v if v is None or isinstance(v, int) else str(v)

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
        "sources": [_span_dict(s, text) for s in finding.spans],
        "source": _span_dict(finding.span, text),
        "fingerprint": finding.fingerprint,
    }


def _findings(report: Report, validate: Callable[[Report], list[Finding]]) -> list[Finding]:
    """The findings of ``validate``, or one ``not-a-report`` error for a text that is not a
    report at all (every table rule would only say that its cells are missing)."""
    for d in report.diagnostics:
        if d.code == "not-a-report":
            return [Finding("not-a-report", "error", "fail", d.message, span=d.span)]
    return validate(report)


def cmd_check(args: argparse.Namespace) -> int:
    style = Style(colour_enabled(args.color, sys.stdout))
    select, ignore = selection(args.select, args.ignore)
    chosen = functools.partial(validate, select=select, ignore=ignore)
    unreadable = False
    failing = False
    results: list[dict[str, object]] = []
    totals = {"error": 0, "warning": 0, "info": 0}
    for name in args.files:
        try:
            item = load(name, need_text=True)
        except CliError as exc:
            err(str(exc))
            unreadable = True
            results.append({"file": name, "status": "error", "error": str(exc), "findings": []})
            continue
        findings = _findings(item.report, chosen)
        failing = failing or any(_fails(f) for f in findings)
        for f in findings:
            totals[f.severity] = totals.get(f.severity, 0) + 1
        if args.format == "json":
            results.append(
                {
                    "file": item.name,
                    "status": "ok",
                    "error": None,
                    "findings": [finding_to_dict(f, item.text) for f in findings],
                }
            )
            continue
        for f in findings:
            print("\n".join(render_finding(item, f, style)))
            print()
    if args.format == "json":
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        files = len(args.files) - sum(1 for r in results if r["status"] == "error")
        counts = ", ".join(
            style(sev if n else "bold", f"{n} {sev}{'s' if n != 1 and sev != 'info' else ''}")
            for sev, n in totals.items()
        )
        bad = len(args.files) - files
        unread = f"; {bad} could not be read" if bad else ""
        print(f"{counts} in {files} file{'s' if files != 1 else ''}{unread}")
    if unreadable:
        return EXIT_USAGE
    return EXIT_FINDINGS if failing else EXIT_OK
