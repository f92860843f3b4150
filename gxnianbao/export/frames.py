"""Reports as a pandas DataFrame: the wide and long dataset formats, for analysis in Python.

pandas is optional (``pip install 'gxnianbao[pandas]'``); it is imported only when a frame is
asked for, so that the library itself stays small.  The columns are those of
``gxnianbao batch`` (:func:`gxnianbao.export.rows.wide_columns` and
:data:`~gxnianbao.export.rows.LONG_COLUMNS`), so a frame built here and a dataset written by the
command line line up.  Numbers stay exact: counts are pandas' nullable ``Int64`` (a cell
without a number is ``<NA>``, never a float ``NaN``), amounts are :class:`decimal.Decimal`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, overload

from ..model import Report
from .codebook import CODEBOOK_FIELDS, codebook_records
from .rows import LONG_COLUMNS, cell_kinds, column_types, long_rows, wide_columns, wide_row

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped,import-not-found,unused-ignore]

__all__ = ["codebook", "require_pandas", "rows_to_frame", "to_dataframe"]

INSTALL_HINT = "pip install 'gxnianbao[pandas]'"


def require_pandas(what: str = "gxnianbao.to_dataframe", tail: str = "") -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise ImportError(
            f"{what} needs pandas, which is not installed: {INSTALL_HINT}{tail}"
        ) from exc


def _reports(reports: Report | Iterable[Report]) -> list[Report]:
    if isinstance(reports, Report):
        return [reports]
    if isinstance(reports, (str, bytes)):
        raise TypeError(
            "to_dataframe takes Report objects, not text or a path: parse it first "
            "(gxnianbao.parse_report) or use gxnianbao.process_file for files"
        )
    out = list(reports)
    for i, report in enumerate(out):
        if not isinstance(report, Report):
            raise TypeError(f"item {i} is a {type(report).__name__}, not a gxnianbao.Report")
    return out


def _exact(value: object) -> object:
    """A decimal string as the Decimal it stands for (exports keep them as text for JSON/CSV)."""
    return Decimal(value) if isinstance(value, str) else value


def _column(pd: Any, values: list[object], integer: bool) -> Any:
    """Int64 when every value is an int (or absent); otherwise exact objects (int, Decimal)."""
    if integer and all(v is None or isinstance(v, int) for v in values):
        return pd.array(values, dtype="Int64")
    return pd.array([_exact(v) for v in values], dtype=object)


def to_dataframe(
    reports: Report | Iterable[Report], long: bool = False, *, status_columns: bool = False
) -> pd.DataFrame:
    """A pandas DataFrame of one or more parsed reports.

    Wide (default): one row per report, with the columns of ``gxnianbao batch``
    (``file``, ``issuer``, ``year``, …, counts of findings and cell statuses, then one column
    per cell key such as ``applications.received.total``).  The cell columns are those of both
    templates whatever the reports are (a 2021 report has no value in a 2019-only column),
    so frames of different runs line up and concatenate.  ``status_columns=True`` adds one
    column per cell with its status (``applications.received.total.status``: ``reported``,
    ``blank``, ``not_applicable``, ``missing``, ``inferred`` or ``ambiguous``), since a
    value of ``<NA>`` alone does not say which.

    ``long=True``: one row per cell (:meth:`Report.to_records` with the report's ``issuer``
    and ``year``), the columns of ``gxnianbao batch --long``.

    ``file`` is the path a report was read from (:attr:`Report.file`, set by
    :func:`~gxnianbao.parse_file`), empty for a report parsed from text.  Either way the
    index, named ``report``, is the report's position in ``reports``, so that long rows can
    be grouped by report.  Raises :class:`ImportError` when pandas is not installed.
    """
    items = _reports(reports)
    require_pandas()
    if long:
        rows, index = [], []
        for i, report in enumerate(items):
            cells = long_rows(report)
            rows.extend(cells)
            index.extend([i] * len(cells))
    else:
        rows = [wide_row(report, status_columns=status_columns) for report in items]
        index = list(range(len(items)))
    return rows_to_frame(rows, index, long=long, status_columns=status_columns)


def rows_to_frame(
    rows: list[dict[str, object]],
    index: list[int],
    *,
    long: bool = False,
    status_columns: bool = False,
) -> pd.DataFrame:
    """Dataset rows (:mod:`~gxnianbao.export.rows`, or read back from a ``batch`` output as
    JSON) as a typed frame: counts ``Int64``, amounts :class:`~decimal.Decimal`, the index
    ``report``."""
    pd = require_pandas()
    if long:
        columns: list[str] = list(LONG_COLUMNS)
        exact = {"value"}
    else:
        columns = wide_columns(status_columns=status_columns)
        kinds = cell_kinds()
        exact = {"processing_fee", *(c for c in columns if kinds.get(c) == "amount")}
    types = column_types(long, status_columns and not long)
    integer = {c: types.get(c) == "int" for c in columns}
    data: dict[str, Any] = {}
    for name in columns:
        values = [row.get(name) for row in rows]
        if integer.get(name) or name in exact:
            data[name] = _column(pd, values, integer.get(name, False))
        else:
            data[name] = values
    return pd.DataFrame(data, columns=columns, index=pd.Index(index, name="report"))


@overload
def codebook(*, status_columns: bool = ..., records: Literal[False] = ...) -> pd.DataFrame: ...


@overload
def codebook(*, status_columns: bool = ..., records: Literal[True]) -> list[dict[str, str]]: ...


def codebook(
    *, status_columns: bool = False, records: bool = False
) -> pd.DataFrame | list[dict[str, str]]:
    """The codebook of the wide dataset: one row per column of :func:`to_dataframe`,
    ``gxnianbao batch`` and :func:`~gxnianbao.read_reports`, in the same order.

    Each row gives the column's ``key``, ``group`` (``meta``, ``cell`` or ``status``), the
    template's Chinese ``label_path`` (``表三 / 三、本年度办理结果 / （一）予以公开 / 自然人``),
    the cell's ``table``, ``row`` and ``column`` keys, ``unit``, ``type``, ``kind``, the
    ``templates`` that have it and its label path in each template's words
    (:data:`~gxnianbao.export.codebook.CODEBOOK_FIELDS`).  ``status_columns=True`` includes
    the cells' status columns.  A DataFrame indexed by ``key``; ``records=True``: a list of
    dicts (with ``key``) instead, which needs no pandas.
    """
    rows = codebook_records(status_columns)
    if records:
        return rows
    pd = require_pandas("gxnianbao.codebook", "; or codebook(records=True) gives plain records")
    return pd.DataFrame(rows, columns=list(CODEBOOK_FIELDS)).set_index("key")
