"""One file to its dataset rows: the function a user maps over millions of files.

:func:`process_file` is what the ``batch`` command's workers run and what Dask or Spark map
over paths: it is pure (its result depends only on the file's bytes and the arguments) and
picklable (a module-level function), and it never raises for a bad file, so one broken download
cannot stop a job.  This module imports no process machinery (``multiprocessing``,
``concurrent.futures``): an engine's workers load only what a parse needs.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..export.rows import error_row, long_error_row, long_rows, wide_row
from ..model import Report
from ..parse import parse_file

__all__ = ["ProcessFile", "process_file", "read_report"]


class ProcessFile(Protocol):
    """The shape of :func:`process_file`: a path to its rows, wide or long.

    :func:`gxnianbao.batch.pool.build_dataset` takes any such function (module-level, so that
    it pickles to the workers), for example one that reads files from elsewhere first.
    """

    def __call__(self, path: str, *, long: bool = False) -> list[dict[str, object]]: ...


def read_report(path: str, **options: Any) -> Report:
    """Parse one file of any supported kind with :func:`gxnianbao.parse_file`.

    Raises an :class:`~gxnianbao.UnreadableDocument` for a file that cannot be read.
    """
    return parse_file(path, **options)


def process_file(
    path: str, *, long: bool = False, status_columns: bool = False, **options: Any
) -> list[dict[str, object]]:
    """Parse and check one file and return its dataset rows; never raises for a bad file.

    Wide (default): one row (see :func:`~gxnianbao.export.rows.wide_row`).  ``long=True``: one
    row per cell (see :func:`~gxnianbao.export.rows.long_rows`); ``status_columns`` adds each
    cell's status to a wide row.  A file that cannot be read,
    or whose parsing fails for any reason, gives one row with ``status``/``report_status``
    ``error`` and the error's type and message.  Pure and picklable: map it over paths with
    any engine (Dask, Spark, :mod:`concurrent.futures`).  ``options`` go to
    :func:`~gxnianbao.parse_file` (``engine="pdfminer"``).
    """
    try:
        report = read_report(path, **options)
        if long:
            return long_rows(report, file=path)
        return [wide_row(report, file=path, status_columns=status_columns)]
    except Exception as exc:  # a batch records every failure and goes on
        return [long_error_row(path, exc) if long else error_row(path, exc)]
