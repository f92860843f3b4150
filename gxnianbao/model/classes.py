"""Typed, frozen records of a parsed report.

Plain attribute access gives numbers (``report.applications.received.total == 38``); every
cell's full record, with status and source span, is one call away (``row.cell("total")`` or
``report.cell("applications", "received", "total")``).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    from ..templates import TableSpec

Severity = Literal["error", "warning", "info"]
Number = int | Decimal


class Status(str, enum.Enum):
    """What the source says about a cell.  Blank, zero, ``/`` and a dropped cell differ."""

    REPORTED = "reported"
    """A number written in the source."""
    BLANK = "blank"
    """The cell exists in the source and is empty."""
    NOT_APPLICABLE = "not_applicable"
    """The source writes ``/``, ``—``, ``不适用``, ``无`` or similar."""
    MISSING = "missing"
    """The source has no cell for it (dropped by a scrape, table absent)."""
    INFERRED = "inferred"
    """Not in the source; deduced from an identity, which the record names."""
    AMBIGUOUS = "ambiguous"
    """The source's numbers cannot be placed with certainty; no value is given."""

    def __str__(self) -> str:
        return self.value


@attrs.frozen(slots=True)
class Origin:
    """Where in a document file (PDF, DOCX, HTML) a span lies, beyond its text offsets.

    Why: a number read from a PDF page or a Word table must be findable there, not only in the
    text view the library builds of the document.  Every field is optional: each reader fills
    in what its format knows.
    """

    kind: str
    """The reader: ``"pdf"``, ``"docx"`` or ``"html"``."""
    page: int | None = None
    """1-based page (PDF)."""
    bbox: tuple[float, float, float, float] | None = None
    """``(x0, top, x1, bottom)`` in PDF points, measured from the page's top-left corner."""
    block: int | None = None
    """0-based index of the paragraph or table in body order (DOCX, HTML)."""
    table: int | None = None
    """0-based index of the table among the document's tables."""
    row: int | None = None
    """0-based grid row of a table cell."""
    col: int | None = None
    """0-based grid column of a table cell."""
    line: int | None = None
    """1-based line in the file itself (HTML source)."""


@attrs.frozen(slots=True)
class Span:
    """Where something is in the input text: ``text[start:end]``, 1-based line and column.

    For a document file the text is the document's text view (``Document.text``) and
    ``origin`` says where in the file it is (page and box, or table, row and column).
    """

    start: int
    end: int
    line: int
    column: int
    origin: Origin | None = None

    def __repr__(self) -> str:
        # Text spans (the common case) read as before: the origin only where there is one.
        tail = "" if self.origin is None else f", origin={self.origin!r}"
        return (
            f"Span(start={self.start}, end={self.end}, line={self.line}, "
            f"column={self.column}{tail})"
        )


@attrs.frozen(slots=True)
class NumberToken:
    """A number as written in a table region, with its place in the input."""

    value: Number
    raw: str
    span: Span


@attrs.frozen(slots=True)
class CellRecord:
    """One template cell: its value, status, what was written and where."""

    table: str
    row: str
    column: str
    value: Number | None
    status: Status
    raw: str | None = None
    """The cell text as written (``""`` for a blank cell, None when the source has no cell)."""
    span: Span | None = None
    """For a reported cell, ``text[span.start:span.end]`` is exactly the number as written."""
    unit: str | None = None
    """A unit written inside the cell (``元``, ``万元``), if any."""
    identity: str | None = None
    """For an inferred cell: the identity that proves it."""

    @property
    def key(self) -> str:
        """The long-format key ``table.row.column``."""
        return f"{self.table}.{self.row}.{self.column}"


@attrs.frozen(slots=True)
class Diagnostic:
    """A structured parse finding: stable code, human message, and where it is."""

    code: str
    severity: Severity
    message: str
    span: Span | None = None
    table: str | None = None
    row: str | None = None
    numbers: tuple[NumberToken, ...] = ()
    """Numbers that this diagnostic accounts for (for example those that could not be placed)."""


# --- rows ----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class _Row:
    """A row of cells keyed by column key; subclasses expose each column as an attribute."""

    _cells: Mapping[str, CellRecord] = attrs.field(repr=False)

    def cell(self, column: str) -> CellRecord:
        """The full record of one cell of this row."""
        try:
            return self._cells[column]
        except KeyError:
            raise KeyError(f"no column {column!r}; columns: {list(self._cells)}") from None

    def cells(self) -> tuple[CellRecord, ...]:
        return tuple(self._cells.values())

    def values(self) -> dict[str, Number | None]:
        return {key: rec.value for key, rec in self._cells.items()}

    def _int(self, column: str) -> int | None:
        value = self._cells[column].value
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        return None

    def _decimal(self, column: str) -> Decimal | None:
        value = self._cells[column].value
        return None if value is None else Decimal(value)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._cells)
        return f"{type(self).__name__}({inner})"


class DocumentCounts(_Row):
    """Table 2, （一）: 规章 / 行政规范性文件."""

    @property
    def issued(self) -> int | None:
        """本年制发件数"""
        return self._int("issued")

    @property
    def repealed(self) -> int | None:
        """本年废止件数"""
        return self._int("repealed")

    @property
    def in_force(self) -> int | None:
        """现行有效件数"""
        return self._int("in_force")


class DecisionCount(_Row):
    """Table 2, （五）（六）: 本年处理决定数量."""

    @property
    def decisions(self) -> int | None:
        return self._int("decisions")


class FeeAmount(_Row):
    """Table 2, （八）: 本年收费金额（单位：万元）."""

    @property
    def amount_wan_yuan(self) -> Decimal | None:
        return self._decimal("amount_wan_yuan")


class ApplicantCounts(_Row):
    """Table 3 row: counts by kind of applicant."""

    @property
    def natural_person(self) -> int | None:
        return self._int("natural_person")

    @property
    def commercial(self) -> int | None:
        return self._int("commercial")

    @property
    def research(self) -> int | None:
        return self._int("research")

    @property
    def social_welfare(self) -> int | None:
        return self._int("social_welfare")

    @property
    def legal_service(self) -> int | None:
        return self._int("legal_service")

    @property
    def other_org(self) -> int | None:
        return self._int("other_org")

    @property
    def total(self) -> int | None:
        return self._int("total")


class OutcomeCounts(_Row):
    """Table 4 group: 结果维持 · 结果纠正 · 其他结果 · 尚未审结 · 总计."""

    @property
    def upheld(self) -> int | None:
        return self._int("upheld")

    @property
    def corrected(self) -> int | None:
        return self._int("corrected")

    @property
    def other(self) -> int | None:
        return self._int("other")

    @property
    def pending(self) -> int | None:
        return self._int("pending")

    @property
    def total(self) -> int | None:
        return self._int("total")


class DocumentCounts2019(_Row):
    """Table 2 (2019), （一）: 规章 / 规范性文件."""

    @property
    def made(self) -> int | None:
        """本年新制作数量"""
        return self._int("made")

    @property
    def published(self) -> int | None:
        """本年新公开数量"""
        return self._int("published")

    @property
    def total_published(self) -> int | None:
        """对外公开总数量"""
        return self._int("total_published")


class ItemCounts(_Row):
    """Table 2 (2019), （五）（六）: items on a list, their change, and decisions."""

    @property
    def previous_items(self) -> int | None:
        """上一年项目数量"""
        return self._int("previous_items")

    @property
    def change(self) -> int | None:
        """本年增/减 (signed: ``-8`` is a decrease)."""
        return self._int("change")

    @property
    def decisions(self) -> int | None:
        """处理决定数量"""
        return self._int("decisions")


class FeeItems(_Row):
    """Table 2 (2019), （八）行政事业性收费: fee items on the list, not money."""

    @property
    def previous_items(self) -> int | None:
        return self._int("previous_items")

    @property
    def change(self) -> int | None:
        return self._int("change")


_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


class Procurement(_Row):
    """Table 2 (2019), （九）政府集中采购."""

    @property
    def projects(self) -> int | None:
        """采购项目数量"""
        return self._int("projects")

    @property
    def amount(self) -> Decimal | None:
        """采购总金额 as written, in :attr:`amount_unit`."""
        return self._decimal("amount")

    @property
    def amount_unit(self) -> str | None:
        """The unit written in the cell (``元``, ``万元``), None when none is written."""
        return self._cells["amount"].unit

    @property
    def amount_yuan(self) -> Decimal | None:
        """采购总金额 in yuan; None when the amount or its unit is unknown."""
        amount, unit = self.amount, self.amount_unit
        if amount is None or unit not in _YUAN:
            return None
        return amount * _YUAN[unit]


# --- tables --------------------------------------------------------------------------------

CellMap = Mapping[tuple[str, str], CellRecord]


def _by_row(cells: CellMap) -> dict[str, dict[str, CellRecord]]:
    rows: dict[str, dict[str, CellRecord]] = {}
    for (row, col), rec in cells.items():
        rows.setdefault(row, {})[col] = rec
    return rows


class _Table:
    """Shared access by stable keys; subclasses are frozen attrs classes with typed rows."""

    __slots__ = ()
    key: str = ""

    def _rows(self) -> Iterator[tuple[str, _Row]]:
        raise NotImplementedError

    def row(self, key: str) -> _Row:
        for row_key, row in self._rows():
            if row_key == key:
                return row
        raise KeyError(f"table {self.key!r} has no row {key!r}")

    def cell(self, row: str, column: str) -> CellRecord:
        return self.row(row).cell(column)

    def cells(self) -> Iterator[CellRecord]:
        for _, row in self._rows():
            yield from row.cells()


@attrs.frozen(slots=True)
class ActiveDisclosure(_Table):
    """Table 2 of the 2021 template: 主动公开政府信息情况."""

    key = "active_disclosure"
    regulations: DocumentCounts
    normative_documents: DocumentCounts
    licensing: DecisionCount
    punishment: DecisionCount
    coercion: DecisionCount
    fees: FeeAmount

    def _rows(self) -> Iterator[tuple[str, _Row]]:
        for name in (
            "regulations",
            "normative_documents",
            "licensing",
            "punishment",
            "coercion",
            "fees",
        ):
            yield name, getattr(self, name)

    @classmethod
    def from_cells(cls, cells: CellMap) -> ActiveDisclosure:
        rows = _by_row(cells)
        return cls(
            regulations=DocumentCounts(rows["regulations"]),
            normative_documents=DocumentCounts(rows["normative_documents"]),
            licensing=DecisionCount(rows["licensing"]),
            punishment=DecisionCount(rows["punishment"]),
            coercion=DecisionCount(rows["coercion"]),
            fees=FeeAmount(rows["fees"]),
        )


@attrs.frozen(slots=True)
class ActiveDisclosure2019(_Table):
    """Table 2 of the 2019 template: 主动公开政府信息情况 (items on lists, 政府集中采购)."""

    key = "active_disclosure"
    regulations: DocumentCounts2019
    normative_documents: DocumentCounts2019
    licensing: ItemCounts
    other_services: ItemCounts
    punishment: ItemCounts
    coercion: ItemCounts
    fees: FeeItems
    procurement: Procurement

    def _rows(self) -> Iterator[tuple[str, _Row]]:
        for name in ("regulations", "normative_documents", "licensing", "other_services",
                     "punishment", "coercion", "fees", "procurement"):  # fmt: skip
            yield name, getattr(self, name)

    @classmethod
    def from_cells(cls, cells: CellMap) -> ActiveDisclosure2019:
        rows = _by_row(cells)
        return cls(
            regulations=DocumentCounts2019(rows["regulations"]),
            normative_documents=DocumentCounts2019(rows["normative_documents"]),
            licensing=ItemCounts(rows["licensing"]),
            other_services=ItemCounts(rows["other_services"]),
            punishment=ItemCounts(rows["punishment"]),
            coercion=ItemCounts(rows["coercion"]),
            fees=FeeItems(rows["fees"]),
            procurement=Procurement(rows["procurement"]),
        )


@attrs.frozen(slots=True)
class Withheld:
    """Table 3 （三）不予公开."""

    state_secret: ApplicantCounts
    prohibited_by_law: ApplicantCounts
    security_stability: ApplicantCounts
    third_party_rights: ApplicantCounts
    internal_affairs: ApplicantCounts
    process_information: ApplicantCounts
    enforcement_files: ApplicantCounts
    inquiry_matters: ApplicantCounts


@attrs.frozen(slots=True)
class Unavailable:
    """Table 3 （四）无法提供."""

    not_held: ApplicantCounts
    needs_creation: ApplicantCounts
    unclear_after_correction: ApplicantCounts


@attrs.frozen(slots=True)
class NotProcessed:
    """Table 3 （五）不予处理."""

    petition_complaint: ApplicantCounts
    duplicate: ApplicantCounts
    publication: ApplicantCounts
    mass_repetitive: ApplicantCounts
    confirmation: ApplicantCounts


@attrs.frozen(slots=True)
class OtherHandling:
    """Table 3 （六）其他处理 (2021: three sub-rows)."""

    overdue_correction: ApplicantCounts
    unpaid_fee: ApplicantCounts
    other: ApplicantCounts


_GROUPS: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "withheld": (Withheld, tuple(f.name for f in attrs.fields(Withheld))),
    "unavailable": (Unavailable, tuple(f.name for f in attrs.fields(Unavailable))),
    "not_processed": (NotProcessed, tuple(f.name for f in attrs.fields(NotProcessed))),
    "other": (OtherHandling, tuple(f.name for f in attrs.fields(OtherHandling))),
}

APPLICATION_ROWS = (
    "received", "carried_over", "granted", "partially_granted",
    *(f"{group}.{item}" for group, (_, items) in _GROUPS.items() for item in items),
    "total", "carried_forward",
)  # fmt: skip


@attrs.frozen(slots=True)
class Applications(_Table):
    """Table 3 of the 2021 template: 收到和处理政府信息公开申请情况."""

    key = "applications"
    received: ApplicantCounts
    carried_over: ApplicantCounts
    granted: ApplicantCounts
    partially_granted: ApplicantCounts
    withheld: Withheld
    unavailable: Unavailable
    not_processed: NotProcessed
    other: OtherHandling
    total: ApplicantCounts
    carried_forward: ApplicantCounts

    def _rows(self) -> Iterator[tuple[str, _Row]]:
        for key in APPLICATION_ROWS:
            obj: Any = self
            for part in key.split("."):
                obj = getattr(obj, part)
            yield key, obj

    @classmethod
    def from_cells(cls, cells: CellMap) -> Applications:
        rows = _by_row(cells)

        def row(key: str) -> ApplicantCounts:
            return ApplicantCounts(rows[key])

        groups = {
            name: group_cls(**{item: row(f"{name}.{item}") for item in items})
            for name, (group_cls, items) in _GROUPS.items()
        }
        return cls(
            received=row("received"),
            carried_over=row("carried_over"),
            granted=row("granted"),
            partially_granted=row("partially_granted"),
            total=row("total"),
            carried_forward=row("carried_forward"),
            **groups,
        )


APPLICATION_ROWS_2019 = (*(r for r in APPLICATION_ROWS if not r.startswith("other.")),)
APPLICATION_ROWS_2019 = (
    *APPLICATION_ROWS_2019[: APPLICATION_ROWS_2019.index("total")],
    "other",
    "total",
    "carried_forward",
)


@attrs.frozen(slots=True)
class Applications2019(_Table):
    """Table 3 of the 2019 template: as 2021, but （六）其他处理 is one row."""

    key = "applications"
    received: ApplicantCounts
    carried_over: ApplicantCounts
    granted: ApplicantCounts
    partially_granted: ApplicantCounts
    withheld: Withheld
    unavailable: Unavailable
    not_processed: NotProcessed
    other: ApplicantCounts
    total: ApplicantCounts
    carried_forward: ApplicantCounts

    def _rows(self) -> Iterator[tuple[str, _Row]]:
        for key in APPLICATION_ROWS_2019:
            obj: Any = self
            for part in key.split("."):
                obj = getattr(obj, part)
            yield key, obj

    @classmethod
    def from_cells(cls, cells: CellMap) -> Applications2019:
        rows = _by_row(cells)

        def row(key: str) -> ApplicantCounts:
            return ApplicantCounts(rows[key])

        groups = {
            name: group_cls(**{item: row(f"{name}.{item}") for item in items})
            for name, (group_cls, items) in _GROUPS.items()
            if name != "other"
        }
        return cls(
            received=row("received"),
            carried_over=row("carried_over"),
            granted=row("granted"),
            partially_granted=row("partially_granted"),
            other=row("other"),
            total=row("total"),
            carried_forward=row("carried_forward"),
            **groups,
        )


@attrs.frozen(slots=True)
class ReviewLitigation(_Table):
    """Table 4: 政府信息公开行政复议、行政诉讼情况 (the same in both templates)."""

    key = "review_litigation"
    review: OutcomeCounts
    litigation_direct: OutcomeCounts
    litigation_after_review: OutcomeCounts

    def _rows(self) -> Iterator[tuple[str, _Row]]:
        for name in ("review", "litigation_direct", "litigation_after_review"):
            yield name, getattr(self, name)

    @classmethod
    def from_cells(cls, cells: CellMap) -> ReviewLitigation:
        rows = _by_row(cells)
        return cls(
            review=OutcomeCounts(rows["review"]),
            litigation_direct=OutcomeCounts(rows["litigation_direct"]),
            litigation_after_review=OutcomeCounts(rows["litigation_after_review"]),
        )


AnyTable = (
    ActiveDisclosure | ActiveDisclosure2019 | Applications | Applications2019 | ReviewLitigation
)
TableClass = (
    type[ActiveDisclosure]
    | type[ActiveDisclosure2019]
    | type[Applications]
    | type[Applications2019]
    | type[ReviewLitigation]
)
TABLE_CLASSES: dict[str, TableClass] = {
    "active_disclosure": ActiveDisclosure,
    "applications": Applications,
    "review_litigation": ReviewLitigation,
}
"""The typed class of each table, by key, for the 2021 template."""
TABLE_CLASSES_BY_TEMPLATE: dict[str, dict[str, TableClass]] = {
    "2021": TABLE_CLASSES,
    "2019": {
        "active_disclosure": ActiveDisclosure2019,
        "applications": Applications2019,
        "review_litigation": ReviewLitigation,
    },
}


def missing_cells(spec: TableSpec) -> dict[tuple[str, str], CellRecord]:
    """Every cell of a table, all ``missing``: the starting point before anything is bound.

    A fresh dict each call; its records (frozen) are made once per table spec."""
    cached = _MISSING_CELLS.get(id(spec))
    if cached is None or cached[0] is not spec:
        records = {
            (row.key, col.key): CellRecord(spec.key, row.key, col.key, None, Status.MISSING)
            for row in spec.rows
            for col in row.columns
        }
        cached = _MISSING_CELLS[id(spec)] = (spec, records)
    return dict(cached[1])


_MISSING_CELLS: dict[int, tuple[TableSpec, dict[tuple[str, str], CellRecord]]] = {}
"""By ``id(spec)``; the spec is kept with its records, so that an id is never reused."""


# --- narrative and metadata ----------------------------------------------------------------


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
class Report:
    """A parsed annual report."""

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
        from ..export.dicts import report_to_dict

        return report_to_dict(self)

    def to_records(self) -> list[dict[str, Any]]:
        """The long format: one dict per cell (table, row, column, value, status, source)."""
        from ..export.dicts import report_to_records

        return report_to_records(self)
