"""The ``gxnianbao`` command: parse, check and batch-convert annual reports.

Exit status: 0 success; 1 ``check`` found an ``error`` finding that fails; 2 bad usage or an
input that cannot be read; 130 interrupted (Ctrl-C).  Errors are one-line messages on standard
error, never tracebacks.  See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from .inputs import EXIT_INTERRUPTED, EXIT_OK, CliError, err

__all__ = ["build_parser", "main"]


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The command's function, imported only when it runs: ``parse`` on one file should not
    pay for the process pool that ``batch`` needs."""
    module = importlib.import_module(f"{__package__}.{name}")
    command: Callable[[argparse.Namespace], int] = getattr(module, f"cmd_{name}")
    return command


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
    check.set_defaults(func="check")

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
        "--quiet", "-q", action="store_true", help="no progress, only the final summary"
    )
    batch.set_defaults(func="batch")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
