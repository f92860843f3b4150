"""The pipeline for text: lines -> parts -> cells -> template cells -> Report.

Each stage is a plain function over plain data (see :mod:`gxnianbao.read`,
:mod:`gxnianbao.locate`, :mod:`gxnianbao.bind`); this module only strings them together, tells
the template from the report's labels, and turns findings into diagnostics or, in strict mode,
into the first error.  Every template word comes from the template's spec
(:class:`~gxnianbao.templates.TemplateSpec`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence

import attrs
import regex

from .bind.table import BoundTable, bind_table, truncated_region
from .common.fold import fold_traditional
from .common.labels import core
from .common.lines import Cell, Line, split_lines
from .errors import (
    AmbiguousCellError,
    DocumentTooLargeError,
    MissingCellError,
    NotAReportError,
    ParseError,
)
from .limits import DEFAULT_LIMITS, Limits
from .locate.fee import Fee, processing_fee
from .locate.narrative import narrative, subsections
from .locate.parts import Part, find_parts
from .locate.reflow import reflow
from .locate.title import read_title, year_from_text
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
from .read.document import Document, fold_view, region_cells, text_view
from .read.files import Source, read_document
from .read.text import read_cells
from .recover import recover_table
from .recover.doubt import doubt_ocr_cells
from .recover.narrative import NarrativeCounts, decide_by_narrative
from .templates import CHRONOLOGICAL, LATEST, TemplateSpec, for_year, resolve
from .templates.identities import equations

Template = str | TemplateSpec | None
"""A ``template=`` argument: a stock template's name, a spec of one's own, or None (detect)."""


@attrs.frozen(slots=True)
class _Evidence:
    """The detection markers of the stock templates, compiled once (on first use)."""

    patterns: tuple[tuple[TemplateSpec, dict[int, regex.Pattern[str]]], ...]
    """Per template, oldest first: per part, a pattern found in a label's core exactly when one
    of the template's markers for that part occurs in it."""
    parts: tuple[int, ...]
    ascii_may_match: bool
    """Whether a line of ASCII text alone (numbers, say) may hold evidence: not while every
    marker has a non-ASCII letter (the core of ASCII text is ASCII)."""


@functools.lru_cache(maxsize=1)
def _evidence() -> _Evidence:
    cores = [
        (spec, {m.part: [core(w) for w in m.words] for m in spec.markers}) for spec in CHRONOLOGICAL
    ]
    return _Evidence(
        tuple(
            (spec, {part: _any_of(words) for part, words in by_part.items()})
            for spec, by_part in cores
        ),
        tuple(sorted({part for _, by_part in cores for part in by_part})),
        any(c.isascii() for _, by_part in cores for words in by_part.values() for c in words),
    )


def _any_of(words: Sequence[str]) -> regex.Pattern[str]:
    """A pattern found in a text exactly when one of ``words`` occurs in it."""
    return regex.compile("|".join(regex.escape(w) for w in words))


def parse_report(
    text: str,
    *,
    strict: bool = False,
    recover: bool = True,
    template: Template = None,
    limits: Limits | None = None,
) -> Report:
    """Parse one annual report given as text, in any of the supported text layouts.

    Tolerant by default: whatever cannot be read with certainty is marked in the cells' status
    and explained in ``report.diagnostics``.  With ``strict=True`` the first such finding
    (not a report, unsupported template, an ambiguous or missing cell) raises a
    :class:`~gxnianbao.ParseError` subclass carrying line and column.  With ``recover=True``
    (the default) cells of rows whose numbers did not fit are placed where the template's
    identities prove them (see :mod:`gxnianbao.recover`).  The template is recognised from the
    labels the report uses; ``template=`` forces one, by name or as a
    :class:`~gxnianbao.templates.TemplateSpec` (a stock one extended with
    :meth:`~gxnianbao.templates.TemplateSpec.with_aliases`, say).  A text longer than
    ``limits.max_report_chars`` raises :class:`~gxnianbao.DocumentTooLargeError`.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_report() expects the report as str, not {type(text).__name__}")
    limits = limits or DEFAULT_LIMITS
    _check_size(len(text), "<text>", limits)
    spec = None if template is None else resolve(template)

    def cells_of(region: Sequence[Line]) -> list[Cell]:
        return read_cells(region, limits.max_region_cells)

    text, folded = fold_traditional(text)  # traditional characters: same length, same offsets
    return _parse(
        text,
        split_lines(text),
        cells_of,
        () if folded is None else (folded,),
        strict=strict,
        recover=recover,
        template=spec,
        limits=limits,
    )


def _check_size(chars: int, name: str, limits: Limits) -> None:
    """Refuse a text past ``limits.max_report_chars`` before any work is spent on it."""
    if chars > limits.max_report_chars:
        raise DocumentTooLargeError(
            name,
            f"the report text has {chars:,} characters, over limits.max_report_chars "
            f"({limits.max_report_chars:,})",
        )


def parse_document(
    doc: Document,
    *,
    strict: bool = False,
    recover: bool = True,
    template: Template = None,
    limits: Limits | None = None,
) -> Report:
    """Parse a document read from a file (PDF, DOCX, HTML) by one of :mod:`gxnianbao.read`.

    The same stages as :func:`parse_report`, on the document's text view: its grids' cells go
    to the binder as they are, each with its place in the file; the reader's own findings come
    first in ``report.diagnostics``.  A text view longer than ``limits.max_report_chars``
    raises :class:`~gxnianbao.DocumentTooLargeError`.
    """
    if not isinstance(doc, Document):
        raise TypeError(f"parse_document() expects a Document, not {type(doc).__name__}")
    limits = limits or DEFAULT_LIMITS
    spec = None if template is None else resolve(template)
    view = text_view(doc)
    _check_size(len(view.text), doc.name or "<document>", limits)
    view, folded = fold_view(view)  # traditional characters: same length, same offsets

    def cells_of(region: Sequence[Line]) -> list[Cell]:
        return region_cells(view, region)

    return _parse(
        view.text,
        list(view.lines),
        cells_of,
        doc.diagnostics if folded is None else (*doc.diagnostics, folded),
        strict=strict,
        recover=recover,
        template=spec,
        limits=limits,
        scanned=any(b.origin.kind == "ocr" for b in doc.blocks),
    )


def _parse(
    text: str,
    lines: list[Line],
    cells_of: Callable[[Sequence[Line]], list[Cell]],
    reader_diagnostics: Sequence[Diagnostic],
    *,
    strict: bool,
    recover: bool,
    template: TemplateSpec | None,
    limits: Limits,
    scanned: bool = False,
) -> Report:
    """The stages shared by text and documents: parts, title, template, tables, narrative.
    ``scanned``: the document was read by OCR (its readings an identity doubts are set aside).

    Parts are found before the template is known; the stock templates share their parts."""
    diagnostics: list[Diagnostic] = list(reader_diagnostics)
    sections = (template or LATEST).sections
    flowed = reflow(lines, sections)
    if len(flowed) == len(lines):
        parts = find_parts(lines, sections, text)
    else:  # a flattened page: its parts are found on the lines it was cut into
        lines = flowed
        scan = "\n".join(line.text for line in lines)
        parts = find_parts(split_lines(scan), sections, scan)

    part1 = parts.get(1)
    title = read_title(
        lines,
        part1.heading_line
        if part1 and part1.heading_line is not None
        else (part1.first if part1 else len(lines)),
        diagnostics,
        (template or LATEST).title_words,
    )
    year = title.year
    if year is None:
        year = year_from_text(text, lines, (template or LATEST).title_words)

    table_parts = {t.key: t.number for t in (template or LATEST).tables}
    regions = {n: _region(lines, parts, n, max(table_parts.values())) for n in table_parts.values()}
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
    spec_template = template
    if template is None and found_tables:
        spec_template = _detect_template(regions, year, diagnostics)
    template_name = None if spec_template is None else spec_template.name
    spec_template = spec_template or LATEST

    said = None  # part 一's stated counts, read only for a table recovery left undecided
    if part1 is not None and recover:
        end = parts[2].heading_line if 2 in parts and parts[2].heading_line is not None else None
        said = NarrativeCounts(lines, part1.first, part1.end if end is None else end, year,
                               spec_template)  # fmt: skip
    bound: dict[str, BoundTable] = {}
    labels: list[SourceLabel] = []
    extra: list[ExtraRow] = []
    for spec in spec_template.tables:
        region = regions.get(table_parts[spec.key])
        cells = cells_of(region) if region is not None else []
        if len(cells) > limits.max_region_cells:
            del cells[limits.max_region_cells :]
            diagnostics.append(truncated_region(spec.key, spec.title, cells[-1], limits))
        table = bind_table(spec, cells, limits)
        if scanned:
            doubt_ocr_cells(table, equations(spec_template))
        if recover:
            recover_table(table, equations(spec_template))
            if said is not None:
                decide_by_narrative(table, equations(spec_template), said)
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
        for spec_section in spec_template.sections:
            if spec_section.number not in parts:
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
            narrative(lines, part1.first, end),
            subsections(lines, part1.first, end, sections[0].subsections),
            _part_span(lines, part1),
        )
    problems = _narrative(lines, parts.get(5))
    other = _narrative(lines, parts.get(6), stop_at_chrome=True)
    fee_name = spec_template.title_words.fee
    fee = processing_fee(other, fee_name) if other is not None else Fee(None, False)

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
        _raise_first(report, lines, parts, spec_template)
    return report


def _region(
    lines: Sequence[Line], parts: dict[int, Part], number: int, last_table: int
) -> list[Line] | None:
    part = parts.get(number)
    if part is None:
        return None
    end = part.end
    if number == last_table and not any(n > number for n in parts):
        # Without a following heading, the table ends at the first paragraph of prose.
        for i in range(part.first, part.end):
            t = lines[i].text
            if len(t) > 60 and "。" in t:
                end = i
                break
    return list(lines[part.first : end])


@functools.lru_cache(maxsize=4096)
def _voters(number: int, label_core: str) -> tuple[str, ...]:
    """The templates whose markers a line of part ``number`` holds (the same label lines recur
    in every report: decided once per wording)."""
    return tuple(
        spec.name
        for spec, patterns in _evidence().patterns
        if (pattern := patterns.get(number)) is not None and pattern.search(label_core)
    )


def _detect_template(
    regions: dict[int, list[Line] | None], year: int | None, out: list[Diagnostic]
) -> TemplateSpec:
    """Which template the report's own labels speak for.

    Evidence: the templates' markers (table 2's column headers and its （九） block, and table
    3's （六） rows: three sub-rows in 2021, one row in 2019).  Mixed evidence goes to the
    stronger side (the newer on a tie) with a warning; no evidence falls back on the reporting
    year and the templates' years.
    """
    evidence = _evidence()
    votes = dict.fromkeys((spec.name for spec, _ in evidence.patterns), 0)
    first: Span | None = None
    for number in evidence.parts:
        for line in regions.get(number) or ():
            if not evidence.ascii_may_match and line.text.isascii():
                continue
            c = core(line.text)
            if not c:
                continue
            hits = _voters(number, c)
            for name in hits:
                votes[name] += 1
            if hits and first is None:
                first = Span(line.start, line.start + len(line.text), line.number, 1)
    voted = [(votes[spec.name], i, spec) for i, (spec, _) in enumerate(evidence.patterns)]
    voted = [v for v in voted if v[0]]
    if len(voted) > 1:
        spec = max(voted, key=lambda v: (v[0], v[1]))[2]
        counts = ", ".join(f"{s.name}: {n}" for n, _, s in voted)
        out.append(
            Diagnostic(
                "template-evidence-mixed",
                "warning",
                f"labels of {'both' if len(voted) == 2 else 'several'} templates were found "
                f"({counts}); read as the {spec.name} template",
                first,
            )
        )
        return spec
    if voted:
        return voted[0][2]
    spec = for_year(year)
    out.append(
        Diagnostic(
            "template-evidence-weak",
            "info",
            f"no label tells the template apart; read as the {spec.name} template "
            f"(reporting year {year})",
            None,
        )
    )
    return spec


def _part_span(lines: Sequence[Line], part: Part | None) -> Span | None:
    if part is None:
        return None
    first = part.heading_line if part.heading_line is not None else part.first
    last = max(first, part.end - 1)
    if first >= len(lines):
        return None
    a, b = lines[first], lines[min(last, len(lines) - 1)]
    return Span(a.start, b.start + len(b.text), a.number, 1)


def _narrative(
    lines: Sequence[Line], part: Part | None, *, stop_at_chrome: bool = False
) -> str | None:
    if part is None:
        return None
    return narrative(lines, part.first, part.end, stop_at_chrome=stop_at_chrome)


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


def _raise_first(
    report: Report, lines: Sequence[Line], parts: dict[int, Part], spec: TemplateSpec
) -> None:
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

    def position(cell: CellRecord) -> Span | None:
        table = spec.table(cell.table)
        row: str | None = None if table.unlabelled_row is not None else cell.row
        return where.get((cell.table, row)) or _part_span(lines, parts.get(table.number))

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
    template: Template = None,
    limits: Limits | None = None,
    engine: str | None = None,
) -> Report:
    """Parse a report file: a path, an ``http(s)://`` URL, ``bytes`` or a binary file object.

    The kind (``"pdf"``, ``"docx"``, ``"html"``, ``"text"``) is recognised from the content;
    ``kind=`` forces one.  Files that cannot be read raise an
    :class:`~gxnianbao.UnreadableDocument` subclass naming the file and the reason:
    :class:`~gxnianbao.UnsupportedFormatError` (``.doc``, ``.wps``, images: convert them to
    DOCX or PDF first), :class:`~gxnianbao.CorruptDocumentError`,
    :class:`~gxnianbao.EncryptedDocumentError`, :class:`~gxnianbao.NeedsOCRError` (a scanned
    PDF), :class:`~gxnianbao.DocumentTooLargeError` (past ``limits``) and
    :class:`~gxnianbao.FetchError` (a URL that cannot be downloaded).  ``strict``,
    ``recover`` and ``template`` are as for :func:`~gxnianbao.parse_report`.  ``engine``
    chooses how a PDF is read: ``"pdfium"`` (the default) or ``"pdfminer"``.
    """
    doc = read_document(source, kind=kind, limits=limits, engine=engine)
    file = str(os.fspath(source)) if isinstance(source, (str, os.PathLike)) else None
    if isinstance(doc, Document):
        report = parse_document(
            doc, strict=strict, recover=recover, template=template, limits=limits
        )
        return report if file is None else attrs.evolve(report, file=file)
    limits = limits or DEFAULT_LIMITS
    _check_size(len(doc.text), doc.name, limits)
    report = parse_report(
        doc.text, strict=strict, recover=recover, template=template, limits=limits
    )
    if doc.diagnostics:
        report = attrs.evolve(report, diagnostics=(*doc.diagnostics, *report.diagnostics))
    return report if file is None else attrs.evolve(report, file=file)
