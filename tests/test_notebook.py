"""A report in a notebook: a one-line ``repr``, ``_repr_html_`` with statuses, typed views.

``repr(report)`` used to print every cell (23,099 characters); now it is one line.  The HTML
drawing is checked cell by cell with the standard library's HTML parser: one ``<td>`` per
template cell, in template order, its class the cell's status and its text the value or the
status's mark.
"""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gxnianbao
from gxnianbao.model import (
    ActiveDisclosure2019,
    Applications,
    Applications2019,
    CellRecord,
    Diagnostic,
    Meta,
    Report,
    Status,
    Tables2019,
    Tables2021,
    missing_cells,
)
from gxnianbao.templates import TEMPLATE_2021

FIXTURES = Path(__file__).parent / "fixtures"
MARKS = {Status.BLANK: "", Status.NOT_APPLICABLE: "/", Status.MISSING: "–", Status.AMBIGUOUS: "?"}


def _parsed(name: str) -> Report:
    return gxnianbao.parse_report((FIXTURES / name).read_text(encoding="utf-8"))


class _Cells(html.parser.HTMLParser):
    """The ``<td>`` elements of a page: (class, title, text), and every tag seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self._open: list[str] | None = None
        self._attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "td":
            self._open, self._attrs = [], dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._open is not None:
            a = self._attrs
            self.cells.append((a.get("class") or "", a.get("title") or "", "".join(self._open)))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


def _tds(page: str) -> _Cells:
    parser = _Cells()
    parser.feed(page)
    parser.close()
    return parser


def _shown(cell: CellRecord) -> str:
    return MARKS.get(cell.status, "") if cell.value is None else str(cell.value)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_repr_is_one_short_line_with_what_a_reader_looks_for(name: str) -> None:
    report = _parsed(name)
    line = repr(report)
    assert "\n" not in line and len(line) <= 200
    assert line.startswith("<Report ") and line.endswith(">")
    if report.meta.issuer:
        assert report.meta.issuer[:30] in line
    assert f"{len(report.diagnostics)} diagnostic" in line
    for status, count in report.status_counts().items():
        assert f"{count} {status.value}" in line
    assert sum(report.status_counts().values()) == len(list(report.cells()))


@given(
    issuer=st.text(min_size=0, max_size=300),
    year=st.none() | st.integers(-(10**12), 10**12),
)
def test_repr_stays_short_whatever_the_title_holds(issuer: str, year: int | None) -> None:
    report = _SAMPLE
    odd = attrs.evolve(report, meta=attrs.evolve(report.meta, issuer=issuer or None, year=year))
    line = repr(odd)
    assert len(line) <= 200 and "\n" not in line and "\r" not in line
    assert " ".join(issuer.split())[:20] in line


def test_the_report_stays_frozen_and_slotted() -> None:
    report = _SAMPLE
    assert attrs.has(Report) and "__slots__" in Report.__dict__
    assert not hasattr(report, "__dict__")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.problems = "x"  # type: ignore[misc]
    assert attrs.evolve(report) == report


@pytest.mark.parametrize("name", ["scrape.txt", "template2019_word_cells.txt", "not_a_report.txt"])
def test_html_draws_every_cell_with_its_status_in_template_order(name: str) -> None:
    report = _parsed(name)
    page = report._repr_html_()
    cells = list(report.cells())
    drawn = _tds(page).cells
    assert len(drawn) == len(cells)
    for (css, title, text), cell in zip(drawn, cells, strict=True):
        assert css == cell.status.value
        assert title.startswith(f"{cell.row}.{cell.column}")
        assert text == _shown(cell)
    assert page.count("<details") == 3
    assert repr(report).replace(">", "&gt;").replace("<", "&lt;") in page


_STATUSES = st.sampled_from(list(Status))
_VALUES = st.none() | st.integers(0, 10**6) | st.decimals(0, 10**6, places=2)
_TEXTS = st.text(alphabet=st.sampled_from("<>&\"'/\\x表一 "), max_size=12)


_SPEC = next(t for t in TEMPLATE_2021.tables if t.key == "applications")
_N_CELLS = len(missing_cells(_SPEC))
_CHOICES = st.lists(
    st.tuples(_STATUSES, _VALUES, _TEXTS, st.none() | _TEXTS), min_size=_N_CELLS, max_size=_N_CELLS
)


def _applications(choices: list[tuple[Status, object, str, str | None]]) -> Applications:
    """Table 3 with the drawn status, value and written text in each cell (markup too)."""
    cells: dict[tuple[str, str], CellRecord] = {}
    for (key, cell), (status, value, raw, identity) in zip(
        missing_cells(_SPEC).items(), choices, strict=True
    ):
        kept = value if status in (Status.REPORTED, Status.INFERRED) else None
        cells[key] = attrs.evolve(cell, status=status, value=kept, raw=raw, identity=identity)
    return Applications.from_cells(cells, _SPEC)


@given(choices=_CHOICES, issuer=_TEXTS, codes=st.lists(_TEXTS, max_size=3))
def test_html_escapes_everything_and_keeps_each_status(
    choices: list[tuple[Status, object, str, str | None]], issuer: str, codes: list[str]
) -> None:
    table = _applications(choices)
    report = attrs.evolve(
        _SAMPLE,
        meta=attrs.evolve(_SAMPLE.meta, issuer=issuer or None),
        applications=table,
        diagnostics=tuple(Diagnostic(code, "info", "m") for code in codes),
    )
    parsed = _tds(report._repr_html_())
    assert set(parsed.tags) <= {"div", "style", "details", "summary", "span", "table", "tr",
                                "th", "td"}  # fmt: skip
    drawn = {_KEY.match(title)[0]: (css, text) for css, title, text in parsed.cells}  # type: ignore[index]
    for cell in table.cells():
        css, text = drawn[f"{cell.row}.{cell.column}"]
        assert css == cell.status.value
        assert text == _shown(cell)


_KEY = re.compile(r"[\w.]+")


def test_as_2021_gives_the_same_tables_typed() -> None:
    report = _parsed("scrape.txt")
    tables = report.as_2021()
    assert isinstance(tables, Tables2021)
    assert tables.applications is report.applications
    assert tables.active_disclosure is report.active_disclosure
    assert tables.review_litigation is report.review_litigation
    assert isinstance(tables.applications.other.unpaid_fee.total, int | None)
    with pytest.raises(gxnianbao.TemplateMismatchError, match="2019 template") as caught:
        report.as_2019()
    assert caught.value.template == "2021"
    assert isinstance(caught.value, TypeError) and isinstance(
        caught.value, gxnianbao.GxnianbaoError
    )


def test_as_2019_gives_the_2019_tables_and_refuses_2021() -> None:
    report = _parsed("template2019.txt")
    tables = report.as_2019()
    assert isinstance(tables, Tables2019)
    assert isinstance(tables.active_disclosure, ActiveDisclosure2019)
    assert isinstance(tables.applications, Applications2019)
    assert tables.applications.other.total == report.cell("applications", "other", "total").value
    with pytest.raises(gxnianbao.TemplateMismatchError, match="read with the 2019 template"):
        report.as_2021()


def test_a_report_without_tables_refuses_both_views() -> None:
    bare = Report(Meta(None, None, None, None, None), None, None, None, None, None, None, None)
    for view in (bare.as_2021, bare.as_2019):
        with pytest.raises(gxnianbao.TemplateMismatchError, match="has no tables"):
            view()
    assert repr(bare) == (
        "<Report (issuer unknown) (year unknown) template unknown: no cells; 0 diagnostics>"
    )
    assert "<table>" not in bare._repr_html_()


def test_a_text_with_no_template_found_still_has_typed_missing_cells() -> None:
    report = _parsed("not_a_report.txt")
    assert report.meta.template is None
    tables = report.as_2021()
    assert {c.status for c in tables.applications.cells()} == {Status.MISSING}


_SAMPLE = gxnianbao.parse_file(Path(gxnianbao.__file__).parent / "samples" / "sample-2022.txt")
