"""The ``gxnianbao`` command: parse, check and batch-convert annual reports; list, explain and
select the rules; check one issuer's reports across years.

Exit status: 0 success; 1 ``check`` found an ``error`` finding that fails (``series``: any
finding that fails); 2 bad usage (an unknown rule id too), an input that cannot be read or
(``batch``) holds no file; 130 interrupted (Ctrl-C); 143 stopped by SIGTERM (``batch``).
Errors are one-line messages on standard error, never tracebacks.
See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from ..read.engines import PDF_ENGINES
from .inputs import EXIT_INTERRUPTED, EXIT_OK, CliError, err

__all__ = ["build_parser", "main"]


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The command's function, imported only when it runs: ``parse`` on one file should not
    pay for the process pool that ``batch`` needs.  ``module:command`` names a command that
    shares another's module (``rules:explain``)."""
    module_name, _, command_name = name.partition(":")
    module = importlib.import_module(f"{__package__}.{module_name}")
    command: Callable[[argparse.Namespace], int] = getattr(
        module, f"cmd_{command_name or module_name}"
    )
    return command


def _selectors(parser: argparse.ArgumentParser) -> None:
    """``--select`` and ``--ignore`` of ``check``."""
    parser.add_argument(
        "--select",
        metavar="RULES",
        help="run only these rules: comma-separated rule ids (t3-balance/total), id prefixes "
        "(t3-balance), patterns (t3-*/total) or families (identities, narrative, ...)",
    )
    parser.add_argument(
        "--ignore", metavar="RULES", help="leave out these rules (the same forms as --select)"
    )


def _verbosity(command: argparse.ArgumentParser) -> None:
    """``-v``/``-q``, which every command takes (after its name)."""
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="say more on standard error (batch: every failing file, not the first 20; "
        "parse: each file as it is read)",
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress or notes on standard error, only errors (and batch's summary)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gxnianbao",
        description="Parse and check 政府信息公开工作年度报告 (Chinese government "
        "information-disclosure annual reports).",
        epilog="Exit status: 0 ok, 1 check found errors (series: a rule fails), 2 bad usage, "
        "unreadable or empty input, 130 interrupted (SIGINT), 143 stopped (SIGTERM).  See "
        "docs/cli.md.",
    )
    from .. import __version__
    from ..templates import TEMPLATES

    parser.add_argument("--version", action="version", version=f"gxnianbao {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="parse the sample report shipped in the package")
    demo.add_argument("--json", action="store_true", help="print the full to_dict() JSON")
    demo.set_defaults(func="demo")

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
    _pdf_engine(parse)
    parse.set_defaults(func="parse")

    check = sub.add_parser(
        "check",
        help="check reports against the template's rules (勾稽关系 etc.)",
        description="Print validate() findings like compiler errors, in Chinese.  Fails, "
        "warnings and findings that cannot be assessed are counted apart.  Exit 0 when no "
        "error fails, 1 when one does, 2 when an input cannot be read.",
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
    _selectors(check)
    check.add_argument(
        "--lang",
        choices=("zh", "en"),
        default="zh",
        help="zh (default): everything in Chinese; en: the frame around the messages in English",
    )
    check.add_argument(
        "--html",
        metavar="PAGE",
        help="also write one self-contained HTML page of the report (one FILE only)",
    )
    _pdf_engine(check)
    check.set_defaults(func="check")

    templates = sorted(TEMPLATES)
    rules = sub.add_parser(
        "rules",
        help="list every rule: id, severity, family and formula",
        description="List every rule a report can get (and the cross-year rules), with its "
        "severity, family and formula in the template's words.",
    )
    rules.add_argument(
        "--template",
        choices=templates,
        help="the template whose rules to list (default: the one in force)",
    )
    rules.add_argument("--format", "-f", choices=("text", "json"), default="text")
    rules.set_defaults(func="rules")

    explain = sub.add_parser(
        "explain",
        help="explain one rule, with a failing example",
        description="Show one rule: id, family, severity, formula, what fails it and an "
        "example.  Exit 2 for an unknown id (with the closest ids).",
    )
    explain.add_argument("rule", metavar="RULE", help="a rule id, such as t3-balance/total")
    explain.add_argument(
        "--template",
        choices=templates,
        help="explain it in this template's words (default: the first template that has it)",
    )
    explain.add_argument("--format", "-f", choices=("text", "json"), default="text")
    explain.set_defaults(func="rules:explain")

    series = sub.add_parser(
        "series",
        help="check one issuer's reports of several years against each other",
        description="Run the cross-year rules over one issuer's reports (any order).  Exit 0 "
        "when no rule fails, 1 when one does, 2 when an input cannot be read, the issuers "
        "differ, or a year is unknown or given twice.",
    )
    series.add_argument("files", nargs="+", metavar="FILE")
    series.add_argument("--format", "-f", choices=("text", "json"), default="text")
    series.add_argument(
        "--color",
        "--colour",
        choices=("auto", "always", "never"),
        default="auto",
        help="auto: colours only when stdout is a terminal and NO_COLOR is unset",
    )
    series.set_defaults(func="series")

    batch = sub.add_parser(
        "batch",
        help="parse folders of reports into one dataset (CSV, JSON lines, Parquet or Excel)",
        description="Walk folders, parse every supported file in parallel and write one row "
        "per report (or per cell with --long).  Failing files are recorded, not fatal.  The "
        "first SIGINT or SIGTERM stops the run with a valid output and the summary (exit "
        "130 or 143); an input without any file exits 2 and writes nothing.",
    )
    batch.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files or folders; '-' reads the paths from standard input, one per line",
    )
    batch.add_argument(
        "-0",
        "--null",
        action="store_true",
        help="the paths on standard input are NUL-separated (find -print0)",
    )
    batch.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="DATASET",
        help="dataset.csv, dataset.jsonl, dataset.parquet or dataset.xlsx; '-' writes to "
        "standard output (CSV unless --format says otherwise)",
    )
    batch.add_argument(
        "--format",
        "-f",
        choices=("csv", "jsonl", "parquet", "xlsx"),
        help="output format (default: from the output's suffix)",
    )
    batch.add_argument(
        "--excel",
        "--bom",
        action="store_true",
        help="CSV for Excel: start it with a UTF-8 byte-order mark, so that Excel shows the "
        "Chinese right (.xlsx needs no option)",
    )
    batch.add_argument(
        "--status-columns",
        action="store_true",
        help="add one column per cell with its status (reported, blank, not_applicable, "
        "missing, inferred, ambiguous) to the wide dataset",
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
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop a file that takes longer, with its worker, and record it as a "
        "FileTimeoutError row (default 60; 0: no limit)",
    )
    batch.add_argument(
        "--max-memory",
        type=int,
        default=2048,
        metavar="MIB",
        help="stop a file whose worker grows by more than this, and record it as a "
        "FileMemoryError row (default 2048; 0: no limit)",
    )
    batch.add_argument(
        "--resume", action="store_true", help="keep the existing output and skip files in it"
    )
    batch.add_argument(
        "--row-group",
        type=int,
        default=None,
        metavar="ROWS",
        help="Parquet: rows per row group (default 2048); each is on disk once full (or "
        "after 30 s), so a killed run loses at most one",
    )
    _pdf_engine(batch)
    batch.set_defaults(func="batch")

    codebook = sub.add_parser(
        "codebook",
        help="describe every column of a batch dataset (CSV or JSON)",
        description="One record per column of the wide dataset: its key, the template's "
        "label path (表三 / 三、本年度办理结果 / （一）予以公开 / 自然人), table, row and "
        "column keys, unit, type and the templates that have it.",
    )
    codebook.add_argument("--format", "-f", choices=("csv", "json"), default="csv")
    codebook.add_argument(
        "--status-columns", action="store_true", help="include the status column of each cell"
    )
    codebook.add_argument(
        "--excel", action="store_true", help="CSV with a UTF-8 BOM, so that Excel reads it right"
    )
    codebook.set_defaults(func="codebook")
    for command in sub.choices.values():
        _verbosity(command)
    return parser


def _pdf_engine(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--pdf-engine",
        choices=PDF_ENGINES,
        default=None,
        help="how PDFs are read: pdfium (default, fast) or pdfminer (pure Python)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.verbosity = -1 if args.quiet else args.verbose
    try:
        status: int = _command(args.func)(args)
    except CliError as exc:
        err(str(exc))
        return exc.status
    except KeyboardInterrupt:
        err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `gxnianbao parse … | head`: not an error; keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    return status
