"""``gxnianbao series``: :func:`gxnianbao.validate_series` over one issuer's reports of several
years, printed like ``check``.

The reports may be given in any order; they are sorted by year.  Reports of different issuers,
a report whose year or issuer cannot be read, and a year given twice are usage errors (exit 2,
a Chinese message naming the files), since no comparison would be right.  A year missing
between two others is not: the pairs around it are not compared, and a note says so.
Exit 1 when a rule fails (every cross-year rule is a warning, but a break between two years is
what this command is run to find), 0 otherwise.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence

import attrs

from ..check.findings import Finding
from ..check.rules import validate_series
from ..model import Span
from .check import finding_to_dict
from .inputs import EXIT_FINDINGS, EXIT_OK, CliError, Loaded, err, load
from .render import Style, colour_enabled, render_finding_zh

__all__ = ["cmd_series", "ordered"]


def _year(item: Loaded) -> int:
    year = item.report.meta.year
    if year is None:
        raise CliError(f"{item.name}：无法确定报告年度，不能参与跨年度核对")
    return year


def ordered(items: Sequence[Loaded]) -> list[Loaded]:
    """The reports sorted by year; raises :class:`CliError` when they are not one issuer's
    reports of distinct known years."""
    issuers: dict[str | None, list[str]] = {}
    for item in items:
        issuers.setdefault(item.report.meta.issuer, []).append(item.name)
    if None in issuers:
        raise CliError(f"{'、'.join(issuers[None])}：无法确定发布机关，不能参与跨年度核对")
    if len(issuers) > 1:
        listed = "；".join(f"“{issuer}”：{'、'.join(files)}" for issuer, files in issuers.items())
        raise CliError(f"跨年度核对只能用于同一机关的报告，这些报告来自不同机关：{listed}")
    by_year: dict[int, list[str]] = {}
    for item in items:
        by_year.setdefault(_year(item), []).append(item.name)
    if twice := {y: files for y, files in by_year.items() if len(files) > 1}:
        listed = "；".join(f"{y}年度：{'、'.join(files)}" for y, files in sorted(twice.items()))
        raise CliError(f"同一年度有不止一份报告：{listed}")
    return sorted(items, key=_year)


def _gaps(items: Sequence[Loaded]) -> list[str]:
    """A note for each missing year between two given ones."""
    years = [_year(item) for item in items]
    notes = []
    for last, this in itertools.pairwise(years):
        if this != last + 1:
            missing = "、".join(str(y) for y in range(last + 1, this))
            notes.append(f"缺少{missing}年度的报告：{last}年度与{this}年度的报告未相互核对")
    return notes


def _cell_year(cell: str) -> int | None:
    head, sep, _ = cell.partition(":")
    return int(head) if sep and head.isdigit() else None


def _own_spans(finding: Finding, year: int | None) -> Finding:
    """The finding with only the spans into the report of ``year`` (the others point into
    other files: marking them on this file's line would put carets under the wrong text)."""
    spans = tuple(
        span if _cell_year(cell) == year else None
        for cell, span in zip(finding.cells, finding.spans, strict=False)
    )
    return attrs.evolve(finding, spans=spans)


def _elsewhere(finding: Finding, by_year: dict[int, Loaded], year: int | None) -> list[str]:
    """Where the cells of the other years are: ``2022年度：r2022.md 第45行``."""
    places: dict[int, list[int]] = {}
    for cell, span in zip(finding.cells, finding.spans, strict=False):
        other = _cell_year(cell)
        if other is None or other == year or span is None or other not in by_year:
            continue
        places.setdefault(other, []).append(span.line)
    return [
        f"  = {y}年度：{by_year[y].name} 第{'、'.join(str(n) for n in sorted(set(lines)))}行"
        for y, lines in sorted(places.items())
    ]


def _span_dict(span: Span | None, item: Loaded | None) -> dict[str, object] | None:
    if span is None:
        return None
    out: dict[str, object] = {
        "file": item.name if item is not None else None,
        "line": span.line,
        "column": span.column,
        "start": span.start,
        "end": span.end,
    }
    text = item.text if item is not None else None
    if text is not None:
        start = text.rfind("\n", 0, span.start) + 1
        end = text.find("\n", span.start)
        out["source_line"] = text[start : end if end >= 0 else len(text)].rstrip("\r")
    return out


def _to_dict(finding: Finding, by_year: dict[int, Loaded]) -> dict[str, object]:
    out = finding_to_dict(finding)
    out["sources"] = [
        _span_dict(span, by_year.get(_cell_year(cell) or 0))
        for cell, span in zip(finding.cells, finding.spans, strict=False)
    ]
    return out


def cmd_series(args: argparse.Namespace) -> int:
    style = Style(colour_enabled(args.color, sys.stdout))
    items = ordered([load(name, need_text=True) for name in args.files])
    by_year = {_year(item): item for item in items}
    try:
        findings = validate_series([item.report for item in items])
    except ValueError as exc:  # ordered() checks what validate_series refuses; kept as a guard
        raise CliError(str(exc)) from None
    notes = _gaps(items)
    for note in notes if getattr(args, "verbosity", 0) >= 0 else ():  # -q: no notes
        err(note)
    failing = any(f.status == "fail" for f in findings)
    if args.format == "json":
        out = {
            "issuer": items[0].report.meta.issuer,
            "years": sorted(by_year),
            "files": [{"file": i.name, "year": _year(i)} for i in items],
            "notes": notes,
            "findings": [_to_dict(f, by_year) for f in findings],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_FINDINGS if failing else EXIT_OK
    for f in findings:
        year = _cell_year(f.cells[0]) if f.cells else None
        item = by_year.get(year or 0, items[-1])
        print("\n".join(render_finding_zh(item, _own_spans(f, year), style)))
        lines = _elsewhere(f, by_year, year)
        if lines:
            print("\n".join(lines))
        print()
    fails = sum(1 for f in findings if f.status == "fail")
    unknown = sum(1 for f in findings if f.status == "not_assessable")
    years = sorted(by_year)
    span = f"{years[0]}—{years[-1]}年度" if len(years) > 1 else f"{years[0]}年度"
    print(
        f"{items[0].report.meta.issuer}{span}{len(items)}份报告：{fails}项不一致，"
        f"{unknown}项无法核对"
    )
    return EXIT_FINDINGS if failing else EXIT_OK
