"""Every reader counts a cell's place in its physical row (``Cell.at``) as it reads.

Why: the binder places a row's numbers under their column headers by that place, and tells a
grid's narrower row (one that lost a cell) by its width; both used to be counted again for
every cell of every table, a tenth of the binder's time.  Now readers count; what is pinned
here is that their count is the count over the region (the cells of a row, in order, 0, 1,
2, …), whatever the text: the binder's golden outputs stay as they were only if it holds.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from reportgen import LAYOUTS, render, reports_of, styles

from gxnianbao.common.lines import (
    AT_OF,
    KIND_OF,
    ROW_OF,
    VALUE_OF,
    Cell,
    counted_in_rows,
    split_lines,
)
from gxnianbao.errors import GxnianbaoError
from gxnianbao.read.document import region_cells, text_view
from gxnianbao.read.files import read_document
from gxnianbao.read.text import read_cells

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _counted(cells: list[Cell]) -> list[int]:
    """Each cell's index among the earlier cells of its row, counted here from scratch."""
    seen: dict[int, int] = {}
    out = []
    for c in cells:
        out.append(seen.get(c.row, 0))
        seen[c.row] = out[-1] + 1
    return out


def test_the_getters_read_the_fields_they_name() -> None:
    (cell,) = read_cells(split_lines("\t规章"))
    assert (ROW_OF(cell), AT_OF(cell), VALUE_OF(cell)) == (cell.row, cell.at, cell.value)
    assert KIND_OF(cell.value) == cell.value.kind == "label"


@given(st.sampled_from(LAYOUTS).flatmap(lambda layout: st.tuples(
    st.just(layout), st.sampled_from(["2021", "2019"]).flatmap(reports_of),
    styles(layout, perturbed=True))))  # fmt: skip
def test_a_rendered_report_s_cells_are_counted_in_their_rows(
    case: tuple[str, object, object],
) -> None:
    layout, report, style = case
    cells = read_cells(split_lines(render(layout, report, style)))  # type: ignore[arg-type]
    assert [c.at for c in cells] == _counted(cells)


_PIECES = st.sampled_from(["\t", "|", " | ", "\n", "\n\n", "\\|", "规章", "0", " ", "---", "\r"])


@given(st.lists(_PIECES | st.text(max_size=3), max_size=60).map("".join))
def test_any_text_s_cells_are_counted_in_their_rows(text: str) -> None:
    cells = read_cells(split_lines(text))
    assert [c.at for c in cells] == _counted(cells)
    assert counted_in_rows(list(cells)) == cells


def test_a_document_s_region_cells_are_counted_over_the_region() -> None:
    """Grid rows and text lines read apart (which number their rows from 1 again) in one
    region: the places are counted over the region, as the binder reads it."""
    seen = 0
    for path in sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted(
        (FIXTURES / "html").glob("*.html")
    ):
        try:
            view = text_view(read_document(path))
        except GxnianbaoError:  # (hostile fixtures that refuse to be read)
            continue
        for cells in view.grid_cells.values():
            assert [c.at for c in cells] == list(range(len(cells)))
        region = region_cells(view, view.lines)
        assert [c.at for c in region] == _counted(region)
        seen += 1
    assert seen >= 10
