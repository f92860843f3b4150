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
from typing import TYPE_CHECKING, Any

from ..model import Report
from .rows import LONG_COLUMNS, cell_kinds, column_types, long_rows, wide_columns, wide_row

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped,import-not-found,unused-ignore]

__all__ = ["to_dataframe"]

INSTALL_HINT = "pip install 'gxnianbao[pandas]'"


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise ImportError(
            f"gxnianbao.to_dataframe needs pandas, which is not installed: {INSTALL_HINT}"
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


def to_dataframe(reports: Report | Iterable[Report], long: bool = False) -> pd.DataFrame:
    """A pandas DataFrame of one or more parsed reports.

    Wide (default): one row per report, with the columns of ``gxnianbao batch``
    (``issuer``, ``year``, …, counts of findings and cell statuses, then one column per cell
    key such as ``applications.received.total``).  The cell columns are those of both
    templates whatever the reports are (a 2021 report has no value in a 2019-only column),
    so frames of different runs line up and concatenate.

    ``long=True``: one row per cell (:meth:`Report.to_records` with the report's ``issuer``
    and ``year``), the columns of ``gxnianbao batch --long``.

    Either way the index, named ``report``, is the report's position in ``reports``, so that
    long rows can be grouped by report.  Raises :class:`ImportError` when pandas is not
    installed.
    """
    pd = _pandas()
    items = _reports(reports)
    if long:
        rows, index = [], []
        for i, report in enumerate(items):
            cells = long_rows(report)
            rows.extend(cells)
            index.extend([i] * len(cells))
        columns: list[str] = list(LONG_COLUMNS)
        exact = {"value"}
    else:
        rows = [wide_row(report) for report in items]
        index = list(range(len(items)))
        columns = wide_columns()
        kinds = cell_kinds()
        exact = {"processing_fee", *(c for c in columns if kinds.get(c) == "amount")}
    types = column_types(long)
    integer = {c: types.get(c) == "int" for c in columns}
    data: dict[str, Any] = {}
    for name in columns:
        values = [row.get(name) for row in rows]
        if integer.get(name) or name in exact:
            data[name] = _column(pd, values, integer.get(name, False))
        else:
            data[name] = values
    return pd.DataFrame(data, columns=columns, index=pd.Index(index, name="report"))
