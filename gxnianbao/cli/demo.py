"""``gxnianbao demo``: the sample report shipped in the package, parsed and summarised."""

from __future__ import annotations

import argparse
import json
from importlib import resources

from ..model import Report, Status
from ..parse import parse_report
from .inputs import EXIT_OK

__all__ = ["SAMPLE", "cmd_demo", "sample_text", "summary"]

SAMPLE = "sample-2022.txt"


def sample_text() -> str:
    """The sample report shipped in the package."""
    return (resources.files("gxnianbao") / "samples" / SAMPLE).read_text(encoding="utf-8")


def summary(report: Report) -> str:
    """A short human-readable account of a parsed report."""
    meta = report.meta
    lines = [
        f"issuer:   {meta.issuer}",
        f"year:     {meta.year}    template: {meta.template}    published: {meta.published}",
        f"title:    {meta.title}",
        f"fee:      {report.processing_fee} 元 (信息处理费, part 六)",
    ]
    if report.applications is not None:
        app = report.applications
        lines.append(
            f"applications received: {app.received.total}, carried over: "
            f"{app.carried_over.total}, granted: {app.granted.total}, "
            f"carried forward: {app.carried_forward.total}"
        )
    if report.review_litigation is not None:
        rl = report.review_litigation
        lines.append(
            f"reviews: {rl.review.total}, lawsuits: {rl.litigation_direct.total} direct + "
            f"{rl.litigation_after_review.total} after review"
        )
    counts: dict[str, int] = {}
    for cell in report.cells():
        counts[cell.status.value] = counts.get(cell.status.value, 0) + 1
    lines.append("cells:    " + ", ".join(f"{counts.get(s.value, 0)} {s.value}" for s in Status))
    lines.append(f"diagnostics: {len(report.diagnostics)}")
    lines.extend(f"  [{d.severity}] {d.code}: {d.message}" for d in report.diagnostics)
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    report = parse_report(sample_text())
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary(report))
    return EXIT_OK
