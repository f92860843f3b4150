"""pdfminer's log messages below ERROR dropped while, and only while, this reader runs.

Why not ``logging.getLogger("pdfminer").setLevel(...)``: a logger's level is process-wide.
Raised and restored around each read, it silences pdfminer for every other thread meanwhile,
and two threads that overlap restore each other's value, leaving the logger at ERROR for good.
Instead each read adds a filter of its own to pdfminer's loggers and removes it after; the
filter drops a record only when the code that logs it runs inside a read (a context variable
set by the read, in its own thread and context), so another thread's use of pdfminer, and
every level and handler the host program set, stay as they were.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator

_READING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "gxnianbao_pdf_reading", default=False
)
"""True in the context of a running :func:`~gxnianbao.read.pdf.read_pdf` (reset after it)."""


class _WhileReading(logging.Filter):
    """Drops records below ERROR logged inside a read; passes everything else."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or not _READING.get()


def _pdfminer_loggers() -> list[logging.Logger]:
    """pdfminer's loggers (one per module that logs); a filter on a parent logger does not see
    its children's records, so each gets the filter."""
    loggers = list(logging.root.manager.loggerDict.items())
    return [
        logger
        for name, logger in loggers
        if name.partition(".")[0] == "pdfminer" and isinstance(logger, logging.Logger)
    ]


@contextlib.contextmanager
def pdfminer_quiet() -> Iterator[None]:
    """pdfminer's warnings and info messages dropped inside the block, in this context only."""
    quiet = _WhileReading()
    loggers = _pdfminer_loggers()
    token = _READING.set(True)
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)
        _READING.reset(token)
