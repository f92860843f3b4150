"""The readers' common form: grids with spans, the text view, and the shared binding step.

Why: every file reader (PDF, DOCX, HTML) ends in a ``Document``; if binding a Document's grids
gives the same cells as binding the same table written as text, the readers only have to get
the grid right.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportgen import Style, render_tab_rows, reports_with_gaps

import gxnianbao
from gxnianbao.model import Origin
from gxnianbao.parse import parse_document
from gxnianbao.read.document import (
    Document,
    Grid,
    Paragraph,
    grid_from_rows,
    region_cells,
    text_view,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ORIGIN = Origin("html")


def _doc_from_tab_text(text: str) -> Document:
    """Tab lines become grids (one per run of tab lines), other non-empty lines paragraphs."""
    blocks: list[Paragraph | Grid] = []
    rows: list[list[str]] = []
    tables = 0

    def flush() -> None:
        nonlocal tables
        if rows:
            grid_rows = [[(t, 1, 1, Origin("docx", table=tables)) for t in r] for r in rows]
            blocks.append(grid_from_rows(grid_rows, Origin("docx", table=tables)))
            tables += 1
            rows.clear()

    for i, line in enumerate(text.split("\n")):
        if "\t" in line:
            rows.append(line.split("\t"))
        elif line.strip():
            flush()
            blocks.append(Paragraph(line, Origin("docx", block=i)))
    flush()
    return Document("docx", tuple(blocks))


def _cells(report: gxnianbao.Report) -> list[tuple[str, str, str, object, str]]:
    return [
        (r["table"], r["row"], r["column"], r["value"], r["status"]) for r in report.to_records()
    ]


def test_grid_from_rows_places_spans_like_html() -> None:
    # | A (rowspan 2) | B (colspan 2)   |
    # |               | C     | D       |
    # | E             | F (colspan 2)   |
    grid = grid_from_rows(
        [
            [("A", 2, 1, ORIGIN), ("B", 1, 2, ORIGIN)],
            [("C", 1, 1, ORIGIN), ("D", 1, 1, ORIGIN)],
            [("E", 1, 1, ORIGIN), ("F", 1, 2, ORIGIN)],
        ],
        ORIGIN,
    )
    placed = [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in grid.cells]
    assert placed == [
        ("A", 0, 0, 2, 1),
        ("B", 0, 1, 1, 2),
        ("C", 1, 1, 1, 1),
        ("D", 1, 2, 1, 1),
        ("E", 2, 0, 1, 1),
        ("F", 2, 1, 1, 2),
    ]
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    assert [(c.origin.row, c.origin.col) for c in grid.cells][:3] == [(0, 0), (0, 1), (1, 1)]


def test_grid_spans_are_clamped() -> None:
    grid = grid_from_rows([[("x", 10**9, 10**9, ORIGIN)], [("y", 1, 1, ORIGIN)]], ORIGIN)
    assert grid.cells[0].rowspan == 1000 and grid.cells[0].colspan == 1000
    assert (grid.cells[1].row, grid.cells[1].col) == (1, 1000)


def test_text_view_keeps_cell_offsets_and_origins() -> None:
    grid = grid_from_rows(
        [
            [("信息内容", 1, 1, ORIGIN), ("本年\n制发件数", 1, 1, ORIGIN)],
            [("规章", 1, 1, ORIGIN), ("3", 1, 1, ORIGIN)],
        ],
        Origin("html", table=0),
    )
    view = text_view(Document("html", (Paragraph("标题", ORIGIN), grid, Paragraph("结尾", ORIGIN))))
    assert view.text.split("\n") == ["标题", "", "信息内容\t本年 制发件数", "规章\t3", "", "结尾"]
    cells = region_cells(view, view.lines)
    three = next(c for c in cells if c.text == "3")
    assert view.text[three.start : three.end] == "3"
    assert three.origin is not None and (three.origin.row, three.origin.col) == (1, 1)
    assert three.row != next(c for c in cells if c.text == "信息内容").row
    # Paragraph lines inside a region are read as text cells (a table not rebuilt as a grid),
    # and keep the paragraph's place in the file.
    loose = [c for c in cells if c.origin is ORIGIN]
    assert [c.text for c in loose] == ["标题", "结尾"]
    assert [view.text[c.start : c.end] for c in loose] == ["标题", "结尾"]
    assert all(c.origin is not None for c in cells)


@pytest.mark.parametrize("name", ["tab_rows", "variants"])
def test_fixture_as_grids_binds_like_text(name: str) -> None:
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8-sig")
    doc = _doc_from_tab_text(text)
    as_doc = parse_document(doc)
    as_text = gxnianbao.parse_report(text)
    assert _cells(as_doc) == _cells(as_text)
    assert as_doc.meta == as_text.meta
    assert [d.code for d in as_doc.diagnostics] == [d.code for d in as_text.diagnostics]
    cell = as_doc.cell("applications", "received", "total")
    assert cell.span is not None and cell.span.origin is not None
    assert cell.span.origin.kind == "docx" and cell.span.origin.col is not None
    view = text_view(doc)
    assert view.text[cell.span.start : cell.span.end] == cell.raw


@settings(
    max_examples=settings.default.max_examples // 2, suppress_health_check=[HealthCheck.too_slow]
)
@given(reports_with_gaps())
def test_generated_grids_bind_like_text(r: object) -> None:
    text = render_tab_rows(r, style=Style())  # type: ignore[arg-type]
    assert _cells(parse_document(_doc_from_tab_text(text))) == _cells(
        gxnianbao.parse_report(text)
    )


def test_reader_diagnostics_come_first() -> None:
    text = (FIXTURES / "tab_rows.txt").read_text(encoding="utf-8-sig")
    doc = _doc_from_tab_text(text)
    note = gxnianbao.Diagnostic("docx-textbox-ignored", "info", "1 text box ignored")
    report = parse_document(Document("docx", doc.blocks, diagnostics=(note,)))
    assert report.diagnostics[0] == note


def test_parse_document_checks_its_argument() -> None:
    with pytest.raises(TypeError, match="expects a Document, not str"):
        parse_document("text")  # type: ignore[arg-type]
