"""``gxnianbao batch``: folders of reports to one dataset, with progress on standard error,
Ctrl-C handled and a summary of the failures."""

from __future__ import annotations

import argparse
import functools
import signal
import sys
import time
from typing import IO

from ..batch.files import DatasetError
from ..batch.pool import BatchStats, build_dataset
from ..batch.process import ProcessFile, process_file
from ..batch.sinks import output_format
from .inputs import EXIT_INTERRUPTED, EXIT_OK, CliError

__all__ = ["Progress", "batch_summary", "cmd_batch"]


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


def _engine(engine: str | None) -> dict[str, ProcessFile]:
    """The per-file function reading PDFs with ``engine`` (a partial pickles to workers)."""
    if engine is None:
        return {}
    return {"process": functools.partial(process_file, engine=engine)}


def cmd_batch(args: argparse.Namespace) -> int:
    if args.jobs < 0:
        raise CliError("--jobs must be 0 (one per CPU) or more")
    if args.timeout < 0:
        raise CliError("--timeout must be 0 (no limit) or more seconds")
    if args.max_memory < 0:
        raise CliError("--max-memory must be 0 (no limit) or more MiB")
    if args.excel:
        try:
            fmt: str | None = output_format(args.output, args.format)
        except DatasetError:
            fmt = None  # said below, by build_dataset
        if fmt not in (None, "csv"):
            raise CliError("--excel applies to a CSV output (an .xlsx output needs no option)")
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
            timeout=args.timeout,
            max_memory=args.max_memory,
            status_columns=args.status_columns,
            bom=args.excel,
            progress=progress,
            **_engine(args.pdf_engine),
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
