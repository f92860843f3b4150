"""The report as a whole: title data, parts, the three tables, labels and diagnostics.

``Report.to_dict()`` and ``to_records()`` are written here, over the plain-data helpers of
:mod:`gxnianbao.model.dicts`, so the model never imports the export stage.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

import attrs

from ..errors import TemplateMismatchError
from ..templates import TEMPLATE_2019, TEMPLATE_2021
from .cells import CellRecord, Diagnostic, Span, Status
from .dicts import (
    SCHEMA_VERSION,
    cell_to_dict,
    diagnostic_to_dict,
    json_number,
    span_to_dict,
    status_value,
)
from .notebook import report_html, status_counts, summary_line
from .tables import (
    ActiveDisclosure,
    ActiveDisclosure2019,
    AnyTable,
    Applications,
    Applications2019,
    ReviewLitigation,
)


@attrs.frozen(slots=True)
class Meta:
    """What the title and page say about the report."""

    issuer: str | None
    """The issuing body as the title names it; None where the title names none."""
    year: int | None
    """The year reported on."""
    title: str | None
    published: datetime.date | None
    """Publication date, where the page gives one."""
    template: str | None
    """``"2021"`` or ``"2019"``; None when no template could be recognised."""


@attrs.frozen(slots=True)
class Subsection:
    """A sub-head of part 一 such as （一）主动公开情况, with its text."""

    number: str
    """The numeral as written inside the brackets: ``"一"``…``"五"``."""
    key: str | None
    """``active_disclosure``, ``applications``, ``information_management``, ``platforms``,
    ``oversight`` when the title says which; None otherwise."""
    title: str
    text: str
    span: Span


@attrs.frozen(slots=True)
class Overview:
    """Part 一、总体情况."""

    text: str
    subsections: tuple[Subsection, ...] = ()
    span: Span | None = None


@attrs.frozen(slots=True)
class SectionInfo:
    """Where one of the six parts starts and ends in the input."""

    number: int
    heading: str
    span: Span
    """From the heading to the end of the part."""


@attrs.frozen(slots=True)
class SourceLabel:
    """A table label as the source writes it, and the template entry it was bound to."""

    table: str
    kind: Literal["row", "column", "group", "header"]
    key: str
    text: str
    """As written (cells of a broken label joined, line breaks removed)."""
    official: str
    """The template's own wording for the same entry."""
    span: Span


_SOURCE_LABEL_SET = tuple(getattr(SourceLabel, f.name).__set__ for f in attrs.fields(SourceLabel))


def new_source_label(
    table: str,
    kind: Literal["row", "column", "group", "header"],
    key: str,
    text: str,
    official: str,
    span: Span,
) -> SourceLabel:
    """``SourceLabel(table, kind, key, text, official, span)``, built by setting its slots
    directly (the binder keeps every label of every report; see :func:`.cells.new_span`)."""
    label = object.__new__(SourceLabel)
    a, b, c, d, e, f = _SOURCE_LABEL_SET
    a(label, table)
    b(label, kind)
    c(label, key)
    d(label, text)
    e(label, official)
    f(label, span)
    return label


@attrs.frozen(slots=True)
class ExtraRow:
    """A row the source adds to a table (a local variant such as 其他主动公开文件), kept as is."""

    table: str
    label: str
    cells: tuple[CellRecord, ...]
    """The row's cells; column keys follow the block the row sits in when its count fits,
    else ``1``, ``2``, … in order."""
    span: Span


@attrs.frozen(slots=True)
class Tables2021:
    """The tables of a report read with the 2021 template, each typed and present: what
    :meth:`Report.as_2021` gives, so that ``report.as_2021().applications.received.total``
    is an ``int | None`` to a type checker without a test at each step."""

    active_disclosure: ActiveDisclosure = attrs.field(repr=False)
    applications: Applications = attrs.field(repr=False)
    review_litigation: ReviewLitigation = attrs.field(repr=False)


@attrs.frozen(slots=True)
class Tables2019:
    """The tables of a report read with the 2019 template: what :meth:`Report.as_2019` gives."""

    active_disclosure: ActiveDisclosure2019 = attrs.field(repr=False)
    applications: Applications2019 = attrs.field(repr=False)
    review_litigation: ReviewLitigation = attrs.field(repr=False)


@attrs.frozen(slots=True, repr=False)
class Report:
    """A parsed annual report.

    ``repr(report)`` is one line (issuer, year, template, cells by status, diagnostics); in a
    notebook the report draws its tables with each cell's status (``_repr_html_``).
    """

    meta: Meta
    overview: Overview | None
    active_disclosure: ActiveDisclosure | ActiveDisclosure2019 | None
    """Table 2: :class:`ActiveDisclosure` (2021 template) or :class:`ActiveDisclosure2019`."""
    applications: Applications | Applications2019 | None
    """Table 3: :class:`Applications` (2021 template) or :class:`Applications2019`."""
    review_litigation: ReviewLitigation | None
    problems: str | None
    other_matters: str | None
    processing_fee: Decimal | None
    """信息处理费 stated in part 六, in yuan: 0 for "未收取", None when part 六 does not say."""
    diagnostics: tuple[Diagnostic, ...] = ()
    sections: tuple[SectionInfo, ...] = ()
    labels: tuple[SourceLabel, ...] = ()
    """Every table label found, as written, with the entry it names (for wording checks)."""
    extra_rows: tuple[ExtraRow, ...] = ()
    """Rows the source adds to a table that the template does not have."""
    file: str | None = attrs.field(default=None, eq=False)
    """The path the report was read from (:func:`~gxnianbao.parse_file` given a path); None
    for text, bytes or a stream.  Not part of equality: the same report read from two files
    is the same report.  Datasets name their rows by it (``to_dataframe``'s ``file``)."""

    def __repr__(self) -> str:
        meta = self.meta
        counts = status_counts(self.cells())
        return summary_line(meta.issuer, meta.year, meta.template, counts, len(self.diagnostics))

    def _repr_html_(self) -> str:
        """The tables drawn with each cell's status, for Jupyter and other notebooks."""
        return report_html(repr(self), tuple(self.tables()), self.diagnostics)

    def status_counts(self) -> dict[Status, int]:
        """How many template cells have each status (zeros left out), in :class:`Status` order."""
        return status_counts(self.cells())

    def as_2021(self) -> Tables2021:
        """The tables, typed as the 2021 template's: no ``None`` and no union to narrow.

        Raises :class:`~gxnianbao.TemplateMismatchError` when the report was read with another
        template (see :meth:`as_2019`).  A text in which no template was recognised is read
        with the latest one, so its (missing) cells come back here too.
        """
        ad, app, rl = self.active_disclosure, self.applications, self.review_litigation
        if isinstance(ad, ActiveDisclosure) and isinstance(app, Applications) and rl is not None:
            return Tables2021(ad, app, rl)
        raise self._mismatch(TEMPLATE_2021.name)

    def as_2019(self) -> Tables2019:
        """The tables, typed as the 2019 template's (see :meth:`as_2021`)."""
        ad, app, rl = self.active_disclosure, self.applications, self.review_litigation
        if (
            isinstance(ad, ActiveDisclosure2019)
            and isinstance(app, Applications2019)
            and rl is not None
        ):
            return Tables2019(ad, app, rl)
        raise self._mismatch(TEMPLATE_2019.name)

    def _mismatch(self, asked: str) -> TemplateMismatchError:
        have = self.meta.template
        if self.active_disclosure is None or self.applications is None:
            what = "has no tables"
        else:
            what = f"was read with the {have or 'other'} template"
        return TemplateMismatchError(
            f"the tables of the {asked} template were asked for, but this report {what}",
            template=have,
        )

    def tables(self) -> Iterator[AnyTable]:
        for table in (self.active_disclosure, self.applications, self.review_litigation):
            if table is not None:
                yield table

    def cell(self, table: str, row: str, column: str) -> CellRecord:
        """The full record of one cell, by its stable keys."""
        for t in self.tables():
            if t.key == table:
                return t.cell(row, column)
        raise KeyError(f"report has no table {table!r}")

    def cells(self) -> Iterator[CellRecord]:
        """Every cell of every table, in template order."""
        for table in self.tables():
            yield from table.cells()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; see ``docs/data-model.md`` for its shape."""
        tables: dict[str, Any] = {}
        for table in self.tables():
            rows: dict[str, dict[str, Any]] = {}
            for cell in table.cells():
                rows.setdefault(cell.row, {})[cell.column] = cell_to_dict(cell)
            tables[table.key] = rows
        meta = self.meta
        overview = self.overview
        return {
            "schema_version": SCHEMA_VERSION,
            "meta": {
                "issuer": meta.issuer,
                "year": meta.year,
                "title": meta.title,
                "published": meta.published.isoformat() if meta.published else None,
                "template": meta.template,
            },
            "overview": None
            if overview is None
            else {
                "text": overview.text,
                "subsections": [
                    {
                        "number": s.number,
                        "key": s.key,
                        "title": s.title,
                        "text": s.text,
                        "source": span_to_dict(s.span),
                    }
                    for s in overview.subsections
                ],
            },
            "tables": tables,
            "extra_rows": [
                {
                    "table": extra.table,
                    "label": extra.label,
                    "source": span_to_dict(extra.span),
                    "cells": {c.column: cell_to_dict(c) for c in extra.cells},
                }
                for extra in self.extra_rows
            ],
            "problems": self.problems,
            "other_matters": self.other_matters,
            "processing_fee": None if self.processing_fee is None else str(self.processing_fee),
            "diagnostics": [diagnostic_to_dict(d) for d in self.diagnostics],
        }

    def to_records(self) -> list[dict[str, Any]]:
        """The long format: one dict per cell (table, row, column, value, status, source).

        ``line``/``start``/``end`` locate the value in the text (a document's text view);
        ``page`` is its PDF page (None for other inputs).  Cells of rows the template lacks
        (``extra_rows``) follow, with row ``extra.<n>`` and their label as written in
        ``label`` (None for template rows).
        """
        out: list[dict[str, Any]] = []
        extra = [(f"extra.{i}", e.label, c) for i, e in enumerate(self.extra_rows) for c in e.cells]
        cells = [(c.row, None, c) for c in self.cells()] + extra
        template = self.meta.template
        for row, label, cell in cells:
            span = cell.span
            out.append(
                {
                    "template": template,
                    "table": cell.table,
                    "row": row,
                    "label": label,
                    "column": cell.column,
                    "value": json_number(cell.value),
                    "status": status_value(cell.status),
                    "raw": cell.raw,
                    "unit": cell.unit,
                    "identity": cell.identity,
                    "line": span.line if span else None,
                    "start": span.start if span else None,
                    "end": span.end if span else None,
                    "page": span.origin.page if span and span.origin else None,
                }
            )
        return out
