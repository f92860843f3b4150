"""``python -m gxnianbao``: a first look at the library on a shipped sample, or on your file.

The full command line (check, batch, formats) is planned; this entry point covers ``demo`` and
``parse`` of one text file to JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources

from .model import Report, Status
from .parse import parse_report

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gxnianbao", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="parse the sample report shipped in the package")
    demo.add_argument("--json", action="store_true", help="print the full to_dict() JSON")
    parse = sub.add_parser("parse", help="parse one UTF-8 text file ('-' for stdin) to JSON")
    parse.add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "demo":
        report = parse_report(sample_text())
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(summary(report))
        return 0
    try:
        if args.file == "-":
            text = sys.stdin.read().removeprefix("\ufeff")
        else:
            with open(args.file, encoding="utf-8-sig") as fh:
                text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"gxnianbao: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(parse_report(text).to_dict(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
