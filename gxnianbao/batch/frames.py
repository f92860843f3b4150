"""A folder of reports to a pandas DataFrame in one call: :func:`read_reports`.

The files go through the ``batch`` command itself (:func:`~gxnianbao.batch.pool.build_dataset`:
the same per-file function, worker processes, per-file time and memory bounds), into a
JSON-lines dataset in a temporary folder that is read back and removed, so a frame and a
``batch`` output hold the same rows.  JSON keeps every value exact (counts as integers,
amounts as decimal text), and the frame is typed as :func:`~gxnianbao.to_dataframe` types it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..export.frames import require_pandas, rows_to_frame
from .pool import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, build_dataset

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped,import-not-found,unused-ignore]

__all__ = ["read_reports"]

PathLike = str | os.PathLike[str]


def _paths(paths_or_folder: PathLike | Iterable[PathLike]) -> list[str]:
    if isinstance(paths_or_folder, (str, os.PathLike)):
        return [os.fspath(paths_or_folder)]
    if isinstance(paths_or_folder, bytes):
        raise TypeError("read_reports takes paths as str or os.PathLike, not bytes")
    return [os.fspath(p) for p in paths_or_folder]


def _report_index(rows: list[dict[str, object]]) -> list[int]:
    """The position of each long row's file among the files (rows come in file order)."""
    index: list[int] = []
    position, last = -1, None
    for row in rows:
        if not index or row["file"] != last:
            position += 1
            last = row["file"]
        index.append(position)
    return index


def read_reports(
    paths_or_folder: PathLike | Iterable[PathLike],
    *,
    jobs: int | None = None,
    long: bool = False,
    status_columns: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_memory: int = DEFAULT_MAX_MEMORY,
) -> pd.DataFrame:
    """Parse and check every report under a folder (or the files and folders given) into one
    DataFrame, in parallel: what ``gxnianbao batch`` writes, as a frame.

    One row per file (``long=True``: one per cell), in sorted file order, with the columns of
    :func:`~gxnianbao.to_dataframe`: ``file``, ``status``, ``error_type``,
    ``error_message``, ``issuer``, ``year``, ``template``, …, then the cells
    (:func:`~gxnianbao.codebook` says what each holds).  A file that cannot be read is a row
    with ``status`` ``error`` and the error's type and message, never an exception; so is a
    file stopped by ``timeout`` (seconds) or ``max_memory`` (MiB a worker may grow by).

    ``jobs``: worker processes (None: one per available CPU).  ``status_columns``: one
    status column per cell (wide only; the long format has ``status`` anyway).  Raises
    :class:`~gxnianbao.batch.files.DatasetError` for a path that does not exist,
    :class:`ImportError` without pandas, and :class:`KeyboardInterrupt` when interrupted.
    """
    require_pandas("gxnianbao.read_reports")
    paths = _paths(paths_or_folder)
    with tempfile.TemporaryDirectory(prefix="gxnianbao-") as folder:
        output = os.path.join(folder, "dataset.jsonl")
        stats = build_dataset(
            paths,
            output,
            fmt="jsonl",
            long=long,
            jobs=jobs or 0,
            timeout=timeout,
            max_memory=max_memory,
            status_columns=status_columns,
        )
        if stats.interrupted:
            raise KeyboardInterrupt
        with open(output, encoding="utf-8") as fh:
            rows: list[dict[str, object]] = [json.loads(line) for line in fh]
    index = _report_index(rows) if long else list(range(len(rows)))
    return rows_to_frame(rows, index, long=long, status_columns=status_columns and not long)
