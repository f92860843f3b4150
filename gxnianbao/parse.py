"""The pipeline for text: lines -> parts -> cells -> template cells -> Report.

Each stage is a plain function over plain data (see ``readers.text``, ``sections``, ``bind``);
this module only strings them together and turns findings into diagnostics or, in strict mode,
into the first error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
import regex

from .bind.table import BoundTable, bind_table
from .common.labels import core
from .common.lines import Cell, Line, split_lines
from .errors import (
    AmbiguousCellError,
    MissingCellError,
    NotAReportError,
    ParseError,
)
from .limits import Limits
from .locate import sections as sec
from .model import (
    TABLE_CLASSES_BY_TEMPLATE,
    CellRecord,
    Diagnostic,
    ExtraRow,
    Meta,
    Overview,
    Report,
    ReviewLitigation,
    SectionInfo,
    SourceLabel,
    Span,
    Status,
)
from .read.document import Document, region_cells, text_view
from .read.files import Source, read_document
from .read.text import read_cells
from .recover import recover_table
from .templates import TEMPLATE_2019, TEMPLATE_2021, TEMPLATES
from .templates.identities import equations


def _any_of(words: Sequence[str]) -> regex.Pattern[str]:
    """A pattern found in a text exactly when one of ``words`` occurs in it."""
    return regex.compile("|".join(regex.escape(w) for w in words))


_MARKER_CORES = (
    [core(m) for m in TEMPLATE_2019.markers],
    [core("逾期不补正"), core("未按收费通知")],
    [core(m) for m in TEMPLATE_2021.markers],
)
_MARKERS_2019, _ROWS_2021_ONLY, _MARKERS_2021 = (_any_of(cores) for cores in _MARKER_CORES)
_ASCII_MAY_MATCH = any(c.isascii() for cores in _MARKER_CORES for c in cores)
"""Whether a line of ASCII text alone (numbers, say) may hold evidence: not while every marker
has a non-ASCII letter (the core of ASCII text is ASCII)."""


def parse_report(
    text: str, *, strict: bool = False, recover: bool = True, template: str | None = None
) -> Report:
    """Parse one annual report given as text, in any of the supported text layouts.

    Tolerant by default: whatever cannot be read with certainty is marked in the cells' status
    and explained in ``report.diagnostics``.  With ``strict=True`` the first such finding
    (not a report, unsupported template, an ambiguous or missing cell) raises a
    :class:`~gxnianbao.ParseError` subclass carrying line and column.  With ``recover=True``
    (the default) cells of rows whose numbers did not fit are placed where the template's
    identities prove them (see :mod:`gxnianbao.recover`).  The template (``"2021"`` or
    ``"2019"``) is recognised from the labels the report uses; ``template=`` forces one.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_report() expects the report as str, not {type(text).__name__}")
    _check_template(template)
    return _parse(
        text, split_lines(text), read_cells, (), strict=strict, recover=recover, template=template
    )


def parse_document(
    doc: Document, *, strict: bool = False, recover: bool = True, template: str | None = None
) -> Report:
    """Parse a document read from a file (PDF, DOCX, HTML) by one of :mod:`gxnianbao.readers`.

    The same stages as :func:`parse_report`, on the document's text view: its grids' cells go
    to the binder as they are, each with its place in the file; the reader's own findings come
    first in ``report.diagnostics``.
    """
    if not isinstance(doc, Document):
        raise TypeError(f"parse_document() expects a Document, not {type(doc).__name__}")
    _check_template(template)
    view = text_view(doc)

    def cells_of(region: Sequence[Line]) -> list[Cell]:
        return region_cells(view, region)

    return _parse(
        view.text,
        list(view.lines),
        cells_of,
        doc.diagnostics,
        strict=strict,
        recover=recover,
        template=template,
    )


def _check_template(template: str | None) -> None:
    if template is not None and template not in TEMPLATES:
        raise ValueError(f"template must be one of {sorted(TEMPLATES)} or None, not {template!r}")


def _parse(
    text: str,
    lines: list[Line],
    cells_of: Callable[[Sequence[Line]], list[Cell]],
    reader_diagnostics: Sequence[Diagnostic],
    *,
    strict: bool,
    recover: bool,
    template: str | None,
) -> Report:
    """The stages shared by text and documents: parts, title, template, tables, narrative."""
    diagnostics: list[Diagnostic] = list(reader_diagnostics)
    parts = sec.locate(lines, TEMPLATE_2021.sections, text)

    part1 = parts.get(1)
    title = sec.read_title(
        lines,
        part1.heading_line
        if part1 and part1.heading_line is not None
        else (part1.first if part1 else len(lines)),
        diagnostics,
    )
    year = title.year
    if year is None:
        year = sec.year_from_text(text[: lines[min(len(lines) - 1, 80)].start] if lines else "")

    regions = {n: _region(lines, parts, n) for n in (2, 3, 4)}
    found_tables = any(r is not None for r in regions.values())
    if not found_tables and len(parts) < 3:
        diagnostics.append(
            Diagnostic(
                "not-a-report",
                "error",
                "this text is not a 政府信息公开工作年度报告: none of its parts or tables "
                "were found",
                Span(0, 0, 1, 1) if text else None,
            )
        )
    template_name: str | None = template
    if template is None and found_tables:
        template_name = _detect_template(regions, year, diagnostics, lines)
    spec_template = TEMPLATES[template_name or "2021"]

    bound: dict[str, BoundTable] = {}
    labels: list[SourceLabel] = []
    extra: list[ExtraRow] = []
    for number, spec in zip((2, 3, 4), spec_template.tables, strict=True):
        region = regions[number]
        cells = cells_of(region) if region is not None else []
        table = bind_table(spec, cells)
        if recover:
            recover_table(table, equations(spec_template.name))
        if (region is None or not table.found) and found_tables:
            table.diagnostics.append(
                Diagnostic(
                    "missing-table",
                    "warning",
                    f"table {spec.title} was not found; its cells are missing",
                    None,
                    spec.key,
                )
            )
        bound[spec.key] = table
        diagnostics.extend(table.diagnostics)
        labels.extend(table.labels)
        extra.extend(table.extra)

    if found_tables or parts:
        for number, spec_section in enumerate(spec_template.sections, start=1):
            if number not in parts:
                diagnostics.append(
                    Diagnostic(
                        "missing-section",
                        "warning",
                        f"part {spec_section.heading} was not found",
                        None,
                    )
                )

    overview = None
    if part1 is not None:
        end = (
            parts[2].heading_line if 2 in parts and parts[2].heading_line is not None else part1.end
        )
        overview = Overview(
            sec.narrative(lines, part1.first, end),
            sec.subsections(lines, part1.first, end),
            _part_span(lines, part1),
        )
    problems = _narrative(lines, parts.get(5))
    other = _narrative(lines, parts.get(6), stop_at_chrome=True)
    fee = sec.processing_fee(other) if other is not None else sec.Fee(None, False)

    classes = TABLE_CLASSES_BY_TEMPLATE[spec_template.name]
    report = Report(
        meta=Meta(title.issuer, year, title.text, title.published, template_name),
        overview=overview,
        active_disclosure=classes["active_disclosure"].from_cells(  # type: ignore[arg-type]
            bound["active_disclosure"].cells
        ),
        applications=classes["applications"].from_cells(  # type: ignore[arg-type]
            bound["applications"].cells
        ),
        review_litigation=ReviewLitigation.from_cells(bound["review_litigation"].cells),
        problems=problems,
        other_matters=other,
        processing_fee=fee.amount,
        diagnostics=tuple(diagnostics),
        labels=tuple(labels),
        extra_rows=tuple(extra),
        sections=tuple(
            SectionInfo(n, p.heading, span)
            for n, p in sorted(parts.items())
            if (span := _part_span(lines, p)) is not None
        ),
    )
    if strict:
        _raise_first(report, lines, parts)
    return report


def _region(lines: Sequence[Line], parts: dict[int, sec.Part], number: int) -> list[Line] | None:
    part = parts.get(number)
    if part is None:
        return None
    end = part.end
    if number == 4 and not any(n in parts for n in (5, 6)):
        # Without a following heading, the table ends at the first paragraph of prose.
        for i in range(part.first, part.end):
            t = lines[i].text
            if len(t) > 60 and "。" in t:
                end = i
                break
    return list(lines[part.first : end])


def _detect_template(
    regions: dict[int, list[Line] | None],
    year: int | None,
    out: list[Diagnostic],
    lines: Sequence[Line],
) -> str:
    """Which template the report's own labels speak for.

    Evidence: table 2's column headers and its （九） block, and table 3's （六） rows (three
    sub-rows in 2021, one row in 2019).  Mixed evidence goes to the stronger side with a warning;
    no evidence falls back on the reporting year (2019 and 2020 used the 2019 template).
    """
    votes = {"2019": 0, "2021": 0}
    first: Span | None = None
    for number in (2, 3):
        for line in regions.get(number) or ():
            if not _ASCII_MAY_MATCH and line.text.isascii():
                continue
            c = core(line.text)
            if not c:
                continue
            hit19 = number == 2 and _MARKERS_2019.search(c) is not None
            hit21 = (_MARKERS_2021 if number == 2 else _ROWS_2021_ONLY).search(c) is not None
            votes["2019"] += hit19
            votes["2021"] += hit21
            if (hit19 or hit21) and first is None:
                first = Span(line.start, line.start + len(line.text), line.number, 1)
    if votes["2019"] and votes["2021"]:
        name = "2019" if votes["2019"] > votes["2021"] else "2021"
        out.append(
            Diagnostic(
                "template-evidence-mixed",
                "warning",
                f"labels of both templates were found (2019: {votes['2019']}, 2021: "
                f"{votes['2021']}); read as the {name} template",
                first,
            )
        )
        return name
    if votes["2019"] or votes["2021"]:
        return "2019" if votes["2019"] else "2021"
    name = "2019" if year is not None and year <= 2020 else "2021"
    out.append(
        Diagnostic(
            "template-evidence-weak",
            "info",
            f"no label tells the template apart; read as the {name} template "
            f"(reporting year {year})",
            None,
        )
    )
    return name


def _part_span(lines: Sequence[Line], part: sec.Part | None) -> Span | None:
    if part is None:
        return None
    first = part.heading_line if part.heading_line is not None else part.first
    last = max(first, part.end - 1)
    if first >= len(lines):
        return None
    a, b = lines[first], lines[min(last, len(lines) - 1)]
    return Span(a.start, b.start + len(b.text), a.number, 1)


def _narrative(
    lines: Sequence[Line], part: sec.Part | None, *, stop_at_chrome: bool = False
) -> str | None:
    if part is None:
        return None
    return sec.narrative(lines, part.first, part.end, stop_at_chrome=stop_at_chrome)


def _line_error(
    cls: type[ParseError], msg: str, lines: Sequence[Line], span: Span | None, code: str
) -> ParseError:
    if span is None:
        return cls(
            msg, line=1, column=1, offset=0, line_text=lines[0].text if lines else "", code=code
        )
    line = lines[span.line - 1].text if 0 < span.line <= len(lines) else ""
    return cls(
        msg, line=span.line, column=span.column, offset=span.start, line_text=line, code=code
    )


def _raise_first(report: Report, lines: Sequence[Line], parts: dict[int, sec.Part]) -> None:
    """Strict mode: the first finding that leaves a cell or the whole report uncertain."""
    for d in report.diagnostics:
        if d.code == "not-a-report":
            raise _line_error(NotAReportError, d.message, lines, d.span, d.code)
    where: dict[tuple[str | None, str | None], Span | None] = {}
    for d in report.diagnostics:
        if d.code == "row-count-mismatch":
            where.setdefault((d.table, d.row), d.numbers[0].span if d.numbers else d.span)
    unknown = [c for c in report.cells() if c.status in (Status.MISSING, Status.AMBIGUOUS)]
    if not unknown:
        return
    number = {"active_disclosure": 2, "applications": 3, "review_litigation": 4}

    def position(cell: CellRecord) -> Span | None:
        row: str | None = None if cell.table == "review_litigation" else cell.row
        return where.get((cell.table, row)) or _part_span(lines, parts.get(number[cell.table]))

    ambiguous = [c for c in unknown if c.status is Status.AMBIGUOUS]
    if ambiguous:
        first = min(ambiguous, key=lambda c: s.start if (s := position(c)) else 0)
        raise _line_error(
            AmbiguousCellError,
            f"cell {first.key}: its number cannot be placed with certainty",
            lines,
            position(first),
            "ambiguous-cell",
        )
    first = unknown[0]
    raise _line_error(
        MissingCellError,
        f"cell {first.key} has no cell in the source",
        lines,
        position(first),
        "missing-cell",
    )


def parse_file(
    source: Source,
    *,
    kind: str | None = None,
    strict: bool = False,
    recover: bool = True,
    template: str | None = None,
    limits: Limits | None = None,
) -> Report:
    """Parse a report file: a path, ``bytes`` or a binary file object.

    The kind (``"pdf"``, ``"docx"``, ``"html"``, ``"text"``) is recognised from the content;
    ``kind=`` forces one.  Files that cannot be read raise an
    :class:`~gxnianbao.UnreadableDocument` subclass naming the file and the reason:
    :class:`~gxnianbao.UnsupportedFormatError` (``.doc``, ``.wps``, images: convert them to
    DOCX or PDF first), :class:`~gxnianbao.CorruptDocumentError`,
    :class:`~gxnianbao.EncryptedDocumentError`, :class:`~gxnianbao.NeedsOCRError` (a scanned
    PDF) and :class:`~gxnianbao.DocumentTooLargeError` (past ``limits``).  ``strict``,
    ``recover`` and ``template`` are as for :func:`~gxnianbao.parse_report`.
    """
    doc = read_document(source, kind=kind, limits=limits)
    if isinstance(doc, Document):
        return parse_document(doc, strict=strict, recover=recover, template=template)
    report = parse_report(doc.text, strict=strict, recover=recover, template=template)
    if doc.diagnostics:
        report = attrs.evolve(report, diagnostics=(*doc.diagnostics, *report.diagnostics))
    return report
