"""``gxnianbao batch``: folders of reports (or a list of paths on standard input) to one
dataset, with progress on standard error, SIGINT and SIGTERM handled and a summary of the
failures."""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import threading
import time
from typing import IO, Any

from ..batch.files import DatasetError, NoFilesError
from ..batch.pool import BatchStats, build_dataset
from ..batch.process import ProcessFile, process_file
from ..batch.signals import StopSignals
from ..batch.sinks import output_format
from .inputs import EXIT_OK, EXIT_USAGE, CliError

__all__ = ["EXIT_EMPTY", "Progress", "batch_summary", "cmd_batch", "read_paths"]

EXIT_EMPTY = EXIT_USAGE
"""The exit status when the input holds no file to read (an empty folder, an empty list on
standard input): said on standard error, and the output is not touched."""


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _columns(stream: IO[str]) -> int:
    """The width of the terminal ``stream`` writes to (``COLUMNS`` when the terminal does not
    say; 80 when neither does)."""
    try:
        width = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        width = 0
    if width <= 0:
        width = shutil.get_terminal_size((80, 24)).columns
    return width


def _bar_class() -> Any:
    """tqdm's bar without its monitor thread (a thread in the batch's process would make
    its workers start by ``forkserver`` instead of ``fork``) and with a lock of threads only
    (tqdm's default also makes a multiprocessing lock)."""
    from tqdm import tqdm

    class Bar(tqdm):  # type: ignore[type-arg]
        monitor_interval = 0
        _lock = threading.RLock()

    return Bar


class Progress:
    """Progress of a batch on standard error: tqdm's bar, fitted to the terminal's width and
    redrawn in place, on a terminal; plain lines every ``interval`` seconds otherwise (logs,
    CI, ``nohup``), which never use a carriage return."""

    def __init__(self, stream: IO[str], *, tty: bool | None = None, interval: float = 10.0):
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.interval = interval
        self.last = 0.0
        self.bar: Any = None

    def line(self, stats: BatchStats) -> str:
        """The plain line: files done, share, rate, ETA and errors."""
        done, total = stats.done, stats.total
        elapsed = stats.elapsed
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else None
        share = done / total if total else 1.0
        return (
            f"batch: {done}/{total} files  {share:4.0%}  {rate:6.1f} files/s  "
            f"ETA {_clock(eta) if eta is not None else '?'}  errors {stats.errors}"
        )

    def _draw(self, stats: BatchStats) -> None:
        width = _columns(self.stream) - 1  # the last column would wrap on some terminals
        if self.bar is None:
            self.bar = _bar_class()(
                total=stats.total,
                file=self.stream,
                ncols=width,
                unit="file",
                mininterval=0.1,
                leave=True,
                dynamic_ncols=False,
            )
        bar = self.bar
        bar.ncols = width  # follows a resized terminal
        bar.total = stats.total
        bar.set_postfix_str(f"errors {stats.errors}", refresh=False)
        bar.update(stats.done - bar.n)

    def __call__(self, stats: BatchStats) -> None:
        if self.tty:
            self._draw(stats)
            return
        now = time.monotonic()
        if self.last == 0.0:
            self.last = now
        if now - self.last < self.interval:
            return
        self.last = now
        self.stream.write(self.line(stats) + "\n")
        self.stream.flush()

    def finish(self, stats: BatchStats | None = None) -> None:
        """Draw the final state and end the bar's line."""
        if self.bar is None:
            return
        if stats is not None:
            self._draw(stats)
            self.bar.refresh()
        self.bar.close()
        self.bar = None


def batch_summary(stats: BatchStats, output: str, *, verbose: bool = False) -> list[str]:
    """What a batch did, for standard error: counts, error types, the first failing files
    (every one with ``verbose``)."""
    rate = stats.done / stats.elapsed if stats.elapsed > 0 else 0.0
    where = "standard output" if output == "-" else output
    lines = [
        f"batch: {stats.written} files written to {where} in {_clock(stats.elapsed)} "
        f"({rate:.1f} files/s): {stats.ok} ok, {stats.errors} failed"
        + (f", {stats.skipped} already there (--resume)" if stats.skipped else "")
    ]
    shown = len(stats.failures) if verbose else 20
    if stats.error_types:
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(stats.error_types.items()))
        lines.append(f"batch: failures by type: {kinds}")
        for file, etype, message in stats.failures[:shown]:
            lines.append(f"  {file}: {etype}: {message}")
        if stats.errors > shown:
            lines.append(f"  … and {stats.errors - shown} more (see the error_type column)")
    if stats.interrupted:
        left = stats.total - stats.written
        again = (
            "run the same command with --resume to finish"
            if output != "-"
            else "the rows written are complete"
        )
        lines.append(
            f"batch: interrupted with {left} files not written; the output is complete up "
            f"to there: {again}"
        )
    return lines


def read_paths(stream: IO[bytes], *, null: bool = False) -> list[str]:
    """The paths listed on ``stream``: one per line (blank lines skipped, a ``\\r`` before the
    newline dropped), or NUL-separated with ``null`` (``find -print0``), so that a name may
    hold any character but NUL.  Bytes that are not UTF-8 are kept as the file system's
    encoding keeps them (``os.fsdecode``)."""
    data = stream.read()
    if null:
        items = data.split(b"\0")
    else:
        items = [line[:-1] if line.endswith(b"\r") else line for line in data.split(b"\n")]
    return [os.fsdecode(item) for item in items if item]


def _paths(args: argparse.Namespace) -> list[str]:
    """The PATH arguments, ``-`` replaced by the paths read from standard input."""
    if "-" not in args.paths:
        if args.null:
            raise CliError("-0 (--null) reads the paths from standard input: give '-' as PATH")
        return list(args.paths)
    if args.paths.count("-") > 1:
        raise CliError("'-' (the paths on standard input) can be given once")
    listed = read_paths(sys.stdin.buffer, null=args.null)
    out: list[str] = []
    for path in args.paths:
        out.extend(listed if path == "-" else [path])
    return out


def _engine(engine: str | None) -> ProcessFile:
    """The per-file function reading PDFs with ``engine`` (a partial pickles to workers)."""
    if engine is None:
        return process_file
    return functools.partial(process_file, engine=engine)


def cmd_batch(args: argparse.Namespace) -> int:
    if args.jobs < 0:
        raise CliError("--jobs must be 0 (one per CPU) or more")
    if args.timeout < 0:
        raise CliError("--timeout must be 0 (no limit) or more seconds")
    if args.max_memory < 0:
        raise CliError("--max-memory must be 0 (no limit) or more MiB")
    if args.row_group is not None and args.row_group < 1:
        raise CliError("--row-group must be 1 or more rows")
    if args.excel:
        try:
            fmt: str | None = output_format(args.output, args.format)
        except DatasetError:
            fmt = None  # said below, by build_dataset
        if fmt not in (None, "csv"):
            raise CliError("--excel applies to a CSV output (an .xlsx output needs no option)")
    verbosity = getattr(args, "verbosity", 0)
    paths = _paths(args)
    progress = None if verbosity < 0 else Progress(sys.stderr)
    stats: BatchStats | None = None
    with StopSignals() as signals:
        try:
            stats = build_dataset(
                paths,
                args.output,
                fmt=args.format,
                long=args.long,
                jobs=args.jobs,
                resume=args.resume,
                timeout=args.timeout,
                max_memory=args.max_memory,
                status_columns=args.status_columns,
                bom=args.excel,
                progress=progress,
                signals=signals,
                allow_empty=False,
                row_group=args.row_group,
                process=_engine(args.pdf_engine),
            )
        except NoFilesError as exc:
            raise CliError(f"batch: {exc}; nothing written", EXIT_EMPTY) from None
        except DatasetError as exc:
            raise CliError(str(exc)) from None
        except KeyboardInterrupt:  # a signal while walking folders: nothing written
            status = signals.exit_status or 130
            raise CliError("batch: interrupted; nothing written", status) from None
        finally:
            if progress is not None:
                progress.finish(stats)
        for line in batch_summary(stats, args.output, verbose=verbosity > 0):
            print(line, file=sys.stderr)
        return signals.exit_status or EXIT_OK
