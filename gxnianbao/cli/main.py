"""The ``gxnianbao`` command: parse, check and batch-convert annual reports.

Exit status: 0 success; 1 ``check`` found an ``error`` finding that fails; 2 bad usage or an
input that cannot be read; 130 interrupted (Ctrl-C).  Errors are one-line messages on standard
error, never tracebacks.  See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from importlib import resources
from typing import IO, ClassVar

from ..batch.dataset import RECORD_COLUMNS, BatchStats
from ..check.findings import Finding
from ..errors import GxnianbaoError, UnreadableDocument
from ..export.dicts import report_to_records
from ..model import Report, Span, Status

SAMPLE = "sample-2022.txt"

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A message for the user and an exit status; caught in :func:`main`."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


# --- demo --------------------------------------------------------------------------------


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
    from ..parse import parse_report

    report = parse_report(sample_text())
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary(report))
    return EXIT_OK


# --- reading one input -------------------------------------------------------------------


class Loaded:
    """A parsed input and, where it can be had, the text its spans point into."""

    __slots__ = ("name", "report", "text")

    def __init__(self, name: str, report: Report, text: str | None) -> None:
        self.name = name
        self.report = report
        self.text = text


def load(name: str, *, need_text: bool = False, stdin: IO[bytes] | None = None) -> Loaded:
    """Parse one input (a path, or ``-`` for standard input) with :func:`gxnianbao.parse_file`.

    With ``need_text``, also the text the report's spans point into (the decoded text, or a
    document's text view), for the caret lines of ``check``; it is read a second time rather
    than re-implementing ``parse_file``, so every command parses exactly as the library does.
    Raises :class:`CliError` when the input cannot be read.
    """
    from ..parse import parse_file
    from ..read.document import text_view
    from ..read.files import DecodedText, read_document

    display = "<stdin>" if name == "-" else name
    if name != "-" and os.path.isdir(name):
        raise CliError(f"{name}: is a directory (use 'gxnianbao batch' for folders)")
    try:
        source: str | bytes = name
        if name == "-":
            source = (stdin if stdin is not None else sys.stdin.buffer).read()
        report = parse_file(source)
        text: str | None = None
        if need_text:
            doc = read_document(source)
            text = doc.text if isinstance(doc, DecodedText) else text_view(doc).text
    except UnreadableDocument as exc:
        raise CliError(f"{display}: {exc.reason}") from None
    except GxnianbaoError as exc:
        raise CliError(f"{display}: {_one_line(exc)}") from None
    except OSError as exc:
        raise CliError(f"{display}: {exc.strerror or exc}") from None
    return Loaded(display, report, text)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- output helpers ----------------------------------------------------------------------


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


# --- parse -------------------------------------------------------------------------------

PARSE_CSV_COLUMNS = ("file", *RECORD_COLUMNS)
"""``parse --format csv``: the long format of ``to_records()`` with the input's name first."""


def cmd_parse(args: argparse.Namespace) -> int:
    loaded: list[Loaded] = []
    failed = False
    for name in args.files:
        try:
            loaded.append(load(name))
        except CliError as exc:
            _err(str(exc))
            failed = True
    fmt = args.format
    if not loaded:
        return EXIT_USAGE
    with _Output(args.output) as out:
        if fmt == "json":
            dicts = [item.report.to_dict() for item in loaded]
            if len(args.files) == 1:
                if dicts:
                    out.write(_json(dicts[0], indent=2) + "\n")
            else:
                out.write(_json(dicts, indent=2) + "\n")
        elif fmt == "jsonl":
            for item in loaded:
                out.write(_json(item.report.to_dict()) + "\n")
        else:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(PARSE_CSV_COLUMNS)
            for item in loaded:
                for record in report_to_records(item.report):
                    record["file"] = item.name
                    writer.writerow(_csv_value(record.get(c)) for c in PARSE_CSV_COLUMNS)
    return EXIT_USAGE if failed else EXIT_OK


def _csv_value(value: object) -> object:
    return "" if value is None else value


# --- check -------------------------------------------------------------------------------


class _Style:
    """ANSI colours, or none (not a terminal, ``NO_COLOR`` set, ``--color never``)."""

    CODES: ClassVar[dict[str, str]] = {
        "error": "1;31",
        "warning": "1;33",
        "info": "1;36",
        "bold": "1",
        "dim": "2",
        "note": "1;34",
    }

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, name: str, text: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{self.CODES[name]}m{text}\x1b[0m"


def _colour_enabled(choice: str, stream: IO[str]) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _width(ch: str) -> int:
    if ch == "\t":
        return 4
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _expand(text: str) -> str:
    return text.replace("\t", "    ")


_MAX_SHOWN = 110
"""Display columns of a source line shown; a longer line is cut around the marked numbers."""


def source_excerpt(text: str, spans: Sequence[Span], style: _Style, colour: str) -> list[str]:
    """The source line of the first span, with every span on that line marked by carets.

    Columns are counted in display cells (a CJK character takes two), so the caret sits
    under the number in a terminal.
    """
    first = spans[0]
    line_start = text.rfind("\n", 0, first.start) + 1
    line_end = text.find("\n", first.start)
    if line_end < 0:
        line_end = len(text)
    line = text[line_start:line_end].rstrip("\r")
    marks = sorted(
        (max(0, s.start - line_start), max(1, min(s.end, line_end) - s.start))
        for s in spans
        if line_start <= s.start <= line_end
    )
    lo, hi = 0, len(line)
    widths = [_width(ch) for ch in line]
    if sum(widths) > _MAX_SHOWN:
        lo = max(0, marks[0][0] - 20)
        hi = lo
        used = 0
        while hi < len(line) and used + widths[hi] <= _MAX_SHOWN - 6:
            used += widths[hi]
            hi += 1
    shown = ("…" if lo > 0 else "") + line[lo:hi] + ("…" if hi < len(line) else "")
    offset = 1 if lo > 0 else 0
    caret_cells = [" "] * (sum(_width(ch) for ch in shown) + 1)
    for start, length in marks:
        if start < lo or start >= hi:
            continue
        col = offset + sum(widths[lo:start])
        span_width = max(1, sum(widths[start : min(start + length, hi)]))
        for i in range(col, min(col + span_width, len(caret_cells))):
            caret_cells[i] = "^"
    carets = "".join(caret_cells).rstrip()
    number = str(first.line)
    pad = " " * len(number)
    return [
        f"  {pad} {style('dim', '|')}",
        f"  {style('dim', number)} {style('dim', '|')} {_expand(shown)}",
        f"  {pad} {style('dim', '|')} {style(colour, carets)}",
    ]


def _where(span: Span) -> str:
    origin = span.origin
    if origin is None:
        return f"{span.line}:{span.column}"
    parts = [f"{span.line}:{span.column}"]
    for field in ("page", "table", "row", "col"):
        value = getattr(origin, field, None)
        if value is not None:
            parts.append(f"{field} {value + 1 if field != 'page' else value}")
    return parts[0] + " (" + ", ".join([origin.kind, *parts[1:]]) + ")"


def _spans(finding: Finding) -> list[Span]:
    spans = [s for s in finding.spans if s is not None]
    if finding.span is not None:
        spans.insert(0, finding.span)
    return spans


def _num(value: object) -> str:
    return "-" if value is None else str(value)


def render_finding(item: Loaded, finding: Finding, style: _Style) -> list[str]:
    """One finding in the compiler-error shape: ``file:line:col: severity[rule]: message``."""
    spans = _spans(finding)
    where = f"{item.name}:{_where(spans[0])}" if spans else item.name
    colour = finding.severity
    label: str = finding.severity
    if finding.status == "not_assessable":
        label += " (not assessable)"
    lines = [
        f"{style('bold', where)}: {style(colour, label)}"
        f"[{style('bold', finding.rule)}]: {finding.message}"
    ]
    if finding.expression:
        lines.append(f"  {style('note', '=')} expression: {finding.expression}")
    if finding.left is not None and finding.right is not None:
        lines.append(
            f"  {style('note', '=')} left: {_num(finding.left)}, right: {_num(finding.right)}, "
            f"difference: {_num(finding.difference)}"
        )
    if spans and item.text is not None:
        lines.extend(source_excerpt(item.text, spans, style, colour))
        others = sorted({s.line for s in spans[1:]} - {spans[0].line})
        if others:
            shown = ", ".join(str(n) for n in others[:8]) + (", …" if len(others) > 8 else "")
            plural = "s" if len(others) > 1 else ""
            lines.append(f"  {style('note', '=')} other cells on line{plural} {shown}")
    return lines


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
    from ..check.rules import validate

    style = _Style(_colour_enabled(args.color, sys.stdout))
    unreadable = False
    failing = False
    results: list[dict[str, object]] = []
    totals = {"error": 0, "warning": 0, "info": 0}
    for name in args.files:
        try:
            item = load(name, need_text=True)
        except CliError as exc:
            _err(str(exc))
            unreadable = True
            results.append({"file": name, "status": "error", "error": str(exc), "findings": []})
            continue
        findings = _findings(item.report, validate)
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
        print(_json(results, indent=2))
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


# --- batch -------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Progress of a batch on standard error: a bar redrawn in place on a terminal, plain
    lines every ``interval`` seconds otherwise (logs, CI, ``nohup``)."""

    def __init__(self, stream: IO[str], *, tty: bool | None = None, interval: float = 10.0):
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.interval = 0.1 if self.tty else interval
        self.last = 0.0
        self.drawn = False

    def line(self, stats: BatchStats) -> str:
        done, total = stats.done, stats.total
        elapsed = stats.elapsed
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else None
        share = done / total if total else 1.0
        tail = (
            f"{done}/{total} files  {share:4.0%}  {rate:6.1f} files/s  "
            f"ETA {_clock(eta) if eta is not None else '?'}  errors {stats.errors}"
        )
        if not self.tty:
            return f"batch: {tail}"
        width = 24
        filled = int(width * share)
        return "[" + "#" * filled + "." * (width - filled) + "] " + tail

    def __call__(self, stats: BatchStats) -> None:
        now = time.monotonic()
        if self.last == 0.0:
            self.last = now if not self.tty else 0.0
        if now - self.last < self.interval:
            return
        self.last = now
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line(stats))
        else:
            self.stream.write(self.line(stats) + "\n")
        self.stream.flush()
        self.drawn = True

    def finish(self, stats: BatchStats | None = None) -> None:
        """Draw the final state (a terminal bar would otherwise stop at its last redraw)."""
        if self.tty and stats is not None:
            self.stream.write("\r\x1b[K" + self.line(stats))
            self.drawn = True
        if self.tty and self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def batch_summary(stats: BatchStats, output: str) -> list[str]:
    """What a batch did, for standard error: counts, error types, the first failing files."""
    rate = stats.done / stats.elapsed if stats.elapsed > 0 else 0.0
    lines = [
        f"batch: {stats.written} files written to {output} in {_clock(stats.elapsed)} "
        f"({rate:.1f} files/s): {stats.ok} ok, {stats.errors} failed"
        + (f", {stats.skipped} already there (--resume)" if stats.skipped else "")
    ]
    if stats.error_types:
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(stats.error_types.items()))
        lines.append(f"batch: failures by type: {kinds}")
        for file, etype, message in stats.failures[:20]:
            lines.append(f"  {file}: {etype}: {message}")
        if stats.errors > 20:
            lines.append(f"  … and {stats.errors - 20} more (see the error_type column)")
    if stats.interrupted:
        left = stats.total - stats.written
        lines.append(
            f"batch: interrupted with {left} files not written; the output is complete up "
            "to there: run the same command with --resume to finish"
        )
    return lines


def cmd_batch(args: argparse.Namespace) -> int:
    from ..batch.dataset import DatasetError, build_dataset

    if args.jobs < 0:
        raise CliError("--jobs must be 0 (one per CPU) or more")
    stop = {"requested": False}

    def on_sigint(signum: int, frame: object) -> None:
        if stop["requested"]:  # a second Ctrl-C: stop at once (the output is still closed)
            raise KeyboardInterrupt
        stop["requested"] = True

    progress = None if args.quiet else Progress(sys.stderr)
    previous = signal.signal(signal.SIGINT, on_sigint)
    stats: BatchStats | None = None
    try:
        stats = build_dataset(
            args.paths,
            args.output,
            fmt=args.format,
            long=args.long,
            jobs=args.jobs,
            resume=args.resume,
            progress=progress,
            should_stop=lambda: stop["requested"],
        )
    except DatasetError as exc:
        raise CliError(str(exc)) from None
    finally:
        signal.signal(signal.SIGINT, previous)
        if progress is not None:
            progress.finish(stats)
    for line in batch_summary(stats, args.output):
        print(line, file=sys.stderr)
    return EXIT_INTERRUPTED if stats.interrupted else EXIT_OK


# --- the parser --------------------------------------------------------------------------


def _err(message: str) -> None:
    print(f"gxnianbao: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gxnianbao",
        description="Parse and check 政府信息公开工作年度报告 (Chinese government "
        "information-disclosure annual reports).",
        epilog="Exit status: 0 ok, 1 check found errors, 2 bad usage or unreadable input, "
        "130 interrupted.  See docs/cli.md.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"gxnianbao {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="parse the sample report shipped in the package")
    demo.add_argument("--json", action="store_true", help="print the full to_dict() JSON")
    demo.set_defaults(func=cmd_demo)

    parse = sub.add_parser(
        "parse",
        help="parse reports to JSON, JSON lines or CSV (long format)",
        description="Parse one or more reports; '-' reads standard input.",
    )
    parse.add_argument("files", nargs="+", metavar="FILE")
    parse.add_argument(
        "--format",
        "-f",
        choices=("json", "jsonl", "csv"),
        default="json",
        help="json: to_dict() (an array for several files); jsonl: one to_dict() per line; "
        "csv: the long format, one row per cell (default: json)",
    )
    parse.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    parse.set_defaults(func=cmd_parse)

    check = sub.add_parser(
        "check",
        help="check reports against the template's rules (勾稽关系 etc.)",
        description="Print validate() findings like compiler errors.  Exit 0 when no error "
        "finding fails, 1 when one does, 2 when an input cannot be read.",
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--format", "-f", choices=("text", "json"), default="text")
    check.add_argument(
        "--color",
        "--colour",
        choices=("auto", "always", "never"),
        default="auto",
        help="auto: colours only when stdout is a terminal and NO_COLOR is unset",
    )
    check.set_defaults(func=cmd_check)

    batch = sub.add_parser(
        "batch",
        help="parse folders of reports into one dataset (CSV, JSON lines or Parquet)",
        description="Walk folders, parse every supported file in parallel and write one row "
        "per report (or per cell with --long).  Failing files are recorded, not fatal.",
    )
    batch.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    batch.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="DATASET",
        help="dataset.csv, dataset.jsonl or dataset.parquet",
    )
    batch.add_argument(
        "--format",
        "-f",
        choices=("csv", "jsonl", "parquet"),
        help="output format (default: from the output's suffix)",
    )
    batch.add_argument("--long", action="store_true", help="one row per cell instead of per report")
    batch.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default 0: one per available CPU)",
    )
    batch.add_argument(
        "--resume", action="store_true", help="keep the existing output and skip files in it"
    )
    batch.add_argument(
        "--quiet", "-q", action="store_true", help="no progress, only the final summary"
    )
    batch.set_defaults(func=cmd_batch)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except CliError as exc:
        _err(str(exc))
        return exc.status
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `gxnianbao parse … | head`: not an error; keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    return status


__all__ = ["build_parser", "main"]
