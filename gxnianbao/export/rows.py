"""Reports as dataset rows: one flat row per report (wide) or one per cell (long).

The row shapes ``gxnianbao batch``, :func:`gxnianbao.process_file` and
:func:`gxnianbao.to_dataframe` share, kept once so that a dataset written by the command line
and a frame built in Python line up column for column.

Values are JSON/CSV-friendly: counts are ``int``, amounts are decimal ``str`` (never a float,
so nothing is rounded), a cell without a number is ``None``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from ..check.findings import Finding
from ..errors import UnreadableDocument
from ..model import Report, Status
from ..templates import TEMPLATES
from .dicts import json_number, report_to_records

__all__ = [
    "LONG_COLUMNS",
    "META_COLUMNS",
    "RECORD_COLUMNS",
    "cell_kinds",
    "column_types",
    "dataset_columns",
    "error_row",
    "long_error_row",
    "long_rows",
    "status_column",
    "wide_columns",
    "wide_row",
]

_OUTCOMES = ("error", "warning", "info", "not_assessable")
"""``findings.error``/``warning``/``info``: the findings that fail, by severity;
``findings.not_assessable``: those that cannot be assessed (counted as ``gxnianbao check``
counts them: one per root cause)."""

META_COLUMNS: tuple[str, ...] = (
    "file",
    "status",
    "error_type",
    "error_message",
    "issuer",
    "year",
    "title",
    "published",
    "template",
    "processing_fee",
    *(f"findings.{s}" for s in _OUTCOMES),
    "diagnostics",
    *(f"cells.{s.value}" for s in Status),
    "extra_rows",
)
"""The columns every wide row has, before the cell columns: where the row came from, whether
it could be read (``status`` ``ok``/``error``, with the error's type and message), the
report's metadata, how many findings fail by severity and how many cannot be assessed, how
many parse diagnostics, and how many cells have each status."""

RECORD_COLUMNS: tuple[str, ...] = (
    "template",
    "table",
    "row",
    "label",
    "column",
    "value",
    "status",
    "raw",
    "unit",
    "identity",
    "line",
    "start",
    "end",
    "page",
)
"""The keys of :meth:`Report.to_records`, in a fixed order (a dataset's shape never depends
on which report came first)."""

LONG_COLUMNS: tuple[str, ...] = (
    "file",
    "issuer",
    "year",
    *RECORD_COLUMNS,
    "report_status",
    "error_type",
    "error_message",
)
"""The long format of :meth:`Report.to_records` with the file and report it belongs to;
``status`` is the cell's status, ``report_status`` whether the file could be read."""


STATUS_SUFFIX = ".status"
"""A cell's status column is its key with this suffix (``applications.received.total.status``):
no template cell key ends in it."""


def status_column(key: str) -> str:
    """The wide column holding the :class:`~gxnianbao.Status` of cell ``key``."""
    return f"{key}{STATUS_SUFFIX}"


# --- columns -----------------------------------------------------------------------------


@functools.cache
def _cell_keys(template: str) -> tuple[str, ...]:
    spec = TEMPLATES[template]
    return tuple(
        f"{table.key}.{row.key}.{col.key}"
        for table in spec.tables
        for row in table.rows
        for col in row.columns
    )


@functools.cache
def _all_cell_keys() -> tuple[str, ...]:
    """The cells of every template in :data:`~gxnianbao.templates.TEMPLATES` order (the
    current template first), each key once."""
    seen: dict[str, None] = {}
    for name in TEMPLATES:
        seen.update(dict.fromkeys(_cell_keys(name)))
    return tuple(seen)


def wide_columns(template: str | None = None, *, status_columns: bool = False) -> list[str]:
    """The wide columns in a stable order: :data:`META_COLUMNS`, then one per template cell.

    With ``template=None`` the cells of every template (the current one's first, then those
    only an older one has), so that one table holds reports of either template.
    ``status_columns`` adds, after the cells, one :func:`status_column` per cell in the same
    order: what the source says about the cell (blank, ``/``, missing, … look alike as values).
    """
    if template is None:
        cells = _all_cell_keys()
    elif template in TEMPLATES:
        cells = _cell_keys(template)
    else:
        raise ValueError(f"unknown template {template!r}; known: {sorted(TEMPLATES)}")
    statuses = [status_column(key) for key in cells] if status_columns else []
    return [*META_COLUMNS, *cells, *statuses]


def cell_kinds() -> dict[str, str]:
    """``count``, ``signed`` or ``amount`` for every wide cell column (for typed storage)."""
    return dict(_cell_kinds())


@functools.cache
def _cell_kinds() -> Mapping[str, str]:
    kinds: dict[str, str] = {}
    for spec in TEMPLATES.values():
        for table in spec.tables:
            for row in table.rows:
                for col in row.columns:
                    kinds.setdefault(f"{table.key}.{row.key}.{col.key}", col.kind or row.kind)
    return MappingProxyType(kinds)


@functools.cache
def dataset_columns(long: bool, status_columns: bool = False) -> tuple[str, ...]:
    """The columns of a ``batch`` dataset: :data:`LONG_COLUMNS` or every wide column (with
    the cells' status columns when ``status_columns``; the long format always has ``status``)."""
    return LONG_COLUMNS if long else tuple(wide_columns(None, status_columns=status_columns))


_INT_META = frozenset(
    {
        "year",
        "diagnostics",
        "extra_rows",
        "line",
        "start",
        "end",
        "page",
        *(f"findings.{s}" for s in _OUTCOMES),
        *(f"cells.{s.value}" for s in Status),
    }
)


def column_types(long: bool, status_columns: bool = False) -> dict[str, str]:
    """``int`` or ``str`` for each dataset column, for typed stores such as Parquet.

    Counts are integers; amounts (万元, 元) stay decimal strings; the long format's ``value``
    holds both kinds, so it is a string there; status columns are strings.
    """
    return dict(_column_types(long, status_columns))


@functools.cache
def _column_types(long: bool, status_columns: bool = False) -> Mapping[str, str]:
    kinds = _cell_kinds()
    out: dict[str, str] = {}
    for col in dataset_columns(long, status_columns):
        if col in _INT_META or kinds.get(col) in ("count", "signed"):
            out[col] = "int"
        else:
            out[col] = "str"
    return MappingProxyType(out)


# --- rows --------------------------------------------------------------------------------


def _empty_meta(file: str | None) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(META_COLUMNS)
    row["file"] = file
    return row


def wide_row(
    report: Report,
    *,
    file: str | None = None,
    findings: Sequence[Finding] | None = None,
    status_columns: bool = False,
) -> dict[str, object]:
    """One flat row for a report: :data:`META_COLUMNS`, then every cell's value by its key.

    ``findings`` are the report's :func:`~gxnianbao.validate` findings when the caller already
    has them (they are computed otherwise).  ``status_columns`` adds each cell's status
    (:func:`status_column`).  Keys follow :func:`wide_columns` order.  ``file`` defaults to
    the file the report was read from (:attr:`Report.file`), if any.
    """
    from ..check.outcomes import findings_for, outcome  # (the rules load only when needed)

    given = findings
    counted = outcome(
        findings_for(report) if given is None else findings_for(report, lambda _: list(given))
    )
    meta = report.meta
    row = _empty_meta(file if file is not None else report.file)
    row.update(
        status="ok",
        issuer=meta.issuer,
        year=meta.year,
        title=meta.title,
        published=meta.published.isoformat() if meta.published else None,
        template=meta.template,
        processing_fee=None if report.processing_fee is None else str(report.processing_fee),
        diagnostics=len(report.diagnostics),
        extra_rows=len(report.extra_rows),
    )
    row["findings.error"] = counted.errors
    row["findings.warning"] = counted.warnings
    row["findings.info"] = counted.infos
    row["findings.not_assessable"] = counted.not_assessable
    statuses = dict.fromkeys(Status, 0)
    cell_statuses: dict[str, object] = {}
    for cell in report.cells():
        statuses[cell.status] += 1
        row[cell.key] = json_number(cell.value)
        if status_columns:
            cell_statuses[status_column(cell.key)] = cell.status.value
    for status, n in statuses.items():
        row[f"cells.{status.value}"] = n
    row.update(cell_statuses)
    return row


def _message(exc: BaseException) -> str:
    """One line: the reason of an unreadable file (the row already names it), else the
    first line of the message (a row is one CSV/JSON line; no caret display there)."""
    text = exc.reason if isinstance(exc, UnreadableDocument) else str(exc)
    text = text.strip()
    return text.splitlines()[0] if text else type(exc).__name__


def error_row(file: str | None, exc: BaseException) -> dict[str, object]:
    """The wide row of a file that could not be read: ``status`` ``error`` and why."""
    row = _empty_meta(file)
    row.update(status="error", error_type=type(exc).__name__, error_message=_message(exc))
    return row


def long_rows(report: Report, *, file: str | None = None) -> list[dict[str, object]]:
    """The long format (one row per cell) of a report, with :data:`LONG_COLUMNS` as keys.

    A report with no cells at all still gives one row (cell fields None), so that every file
    read appears in the dataset (and ``--resume`` knows it was done).
    """
    meta = report.meta
    head: dict[str, object] = {
        "file": file if file is not None else report.file,
        "issuer": meta.issuer,
        "year": meta.year,
    }
    rows: list[dict[str, object]] = []
    for record in report_to_records(report):
        row = dict.fromkeys(LONG_COLUMNS)
        row.update(head)
        for key in RECORD_COLUMNS:
            row[key] = record.get(key)
        row["report_status"] = "ok"
        rows.append(row)
    if not rows:
        row = dict.fromkeys(LONG_COLUMNS)
        row.update(head, template=meta.template, report_status="ok")
        rows.append(row)
    return rows


def long_error_row(file: str | None, exc: BaseException) -> dict[str, object]:
    """The one long-format row of a file that could not be read."""
    row: dict[str, object] = dict.fromkeys(LONG_COLUMNS)
    row.update(
        file=file,
        report_status="error",
        error_type=type(exc).__name__,
        error_message=_message(exc),
    )
    return row
