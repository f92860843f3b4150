"""Traditional characters: a report converted to traditional reads as its simplified original.

Why: mirror sites and converters publish reports in traditional characters (``規章``,
``本年新收政府信息公開申請數量``, ``行政復議``), which matched no label of the templates.  The
text is folded to simplified one character for one, so the cells, and their spans, must be
exactly those of the simplified report; a simplified report with a few characters that also
have a traditional reading (``乾``, ``後``) must keep them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import opencc
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import reportgen
from htmlgen import HtmlStyle, render_html_text
from reportgen import LAYOUTS, render, reports_of, styles
from test_document import _doc_from_tab_text

import gxnianbao
from gxnianbao.common.fold import MIN_DISTINCT, fold, fold_table, traditional_chars
from gxnianbao.parse import parse_document

ROUNDTRIP = settings(reportgen.ROUNDTRIP, max_examples=max(10, settings.default.max_examples // 2))
SAMPLE = Path(gxnianbao.__file__).parent / "samples" / "sample-2022.txt"
TO_TRADITIONAL = opencc.OpenCC("s2t").convert


def cells(report: gxnianbao.Report) -> list[tuple[str, str, object, int | None, int | None]]:
    """Every cell's key, status, value and span offsets."""
    return [
        (
            c.key,
            str(c.status),
            c.value,
            c.span.start if c.span else None,
            c.span.end if c.span else None,
        )
        for c in report.cells()
    ]


def codes(report: gxnianbao.Report) -> list[str]:
    return [d.code for d in report.diagnostics]


# --- the fold itself --------------------------------------------------------------------------


def test_fold_keeps_every_offset_and_reads_the_templates_words() -> None:
    table = fold_table()
    assert len(table) > 3000  # every traditional character OpenCC knows of
    assert all(len(v) == 1 for v in table.values())
    assert fold("規章") == "规章"
    assert fold("本年新收政府信息公開申請數量") == "本年新收政府信息公开申请数量"
    assert fold("行政復議、行政訴訟") == "行政复议、行政诉讼"
    assert fold("规章 12 行政许可") == "规章 12 行政许可"  # simplified text is left alone


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xA000), max_size=60))
def test_fold_never_changes_a_length(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_a_simplified_report_is_not_traditional() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    assert traditional_chars(text) == ""
    assert traditional_chars(TO_TRADITIONAL(text))


def test_a_few_traditional_characters_are_not_enough() -> None:
    few = "開請數務處關議"
    assert traditional_chars("本年" + few[: MIN_DISTINCT - 1] * 5) == ""
    assert traditional_chars("本年" + few[:MIN_DISTINCT]) == "".join(sorted(few[:MIN_DISTINCT]))


def test_only_ideographs_in_the_opening_make_a_text_worth_a_full_look() -> None:
    """Pages put en spaces and non-breaking spaces (outside GB2312 too) in simplified text; the
    opening of a simplified report with them is still simplified, and the rest is not read, so a
    quotation in traditional characters deep in the text folds nothing.  A traditional opening
    still sends the whole text to the count."""
    text = SAMPLE.read_text(encoding="utf-8")
    spaced = text[:20] + "\u2002\xa0" + text[20:]
    assert len(spaced) > 1500
    quoted = spaced + "「開請數務處關議」"
    assert traditional_chars(quoted) == ""
    assert traditional_chars("開請數務處關" + quoted) == "".join(sorted("開請數務處關議"))


# --- reports ----------------------------------------------------------------------------------


@st.composite
def renderings(draw: st.DrawFn) -> tuple[str, str]:
    """A generated report of either template in one of the text layouts, and its layout."""
    layout = draw(st.sampled_from(LAYOUTS))
    r = draw(reports_of(draw(st.sampled_from(["2021", "2019"]))))
    style = draw(styles(layout, perturbed=draw(st.booleans())))
    return layout, render(layout, r, style)


@ROUNDTRIP
@given(renderings())
def test_a_report_in_traditional_characters_reads_as_the_simplified_one(
    rendering: tuple[str, str],
) -> None:
    layout, text = rendering
    traditional = TO_TRADITIONAL(text)
    note(traditional)
    assert len(traditional) == len(text)
    simple = gxnianbao.parse_report(text)
    folded = gxnianbao.parse_report(traditional)
    assert cells(folded) == cells(simple), layout
    for c in folded.cells():
        if c.span is not None:  # the span points at the same digits in the traditional text
            assert traditional[c.span.start : c.span.end] == text[c.span.start : c.span.end]
    assert "traditional-folded" in codes(folded)
    assert "traditional-folded" not in codes(simple)
    assert folded.meta == simple.meta
    others = [d for d in folded.diagnostics if d.code != "traditional-folded"]
    assert [(d.code, d.span) for d in others] == [(d.code, d.span) for d in simple.diagnostics]


@ROUNDTRIP
@given(reports_of("2021"))
def test_a_document_in_traditional_characters_reads_as_the_simplified_one(
    r: reportgen.GenReport,
) -> None:
    """Grid cells (DOCX-like tables) and an HTML page: folded like the text view."""
    text = render("tab_rows", r, reportgen.Style())
    simple = parse_document(_doc_from_tab_text(text))
    folded = parse_document(_doc_from_tab_text(TO_TRADITIONAL(text)))
    assert cells(folded) == cells(simple)
    assert "traditional-folded" in codes(folded)
    page = render_html_text(r, page=HtmlStyle())
    from_page = gxnianbao.parse_file(page.encode("utf-8"), kind="html")
    from_traditional = gxnianbao.parse_file(TO_TRADITIONAL(page).encode("utf-8"), kind="html")
    assert cells(from_traditional) == cells(from_page)
    assert "traditional-folded" in codes(from_traditional)


def test_a_traditional_na_marker_in_a_grid_is_still_a_marker() -> None:
    """``無`` in a grid cell is ``无``: the cell is classified again after folding."""
    text = SAMPLE.read_text(encoding="utf-8")
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("规章"))
    lines[row] = "\t".join(["规章", "无", "无", "无"])
    simplified = "\n".join(lines)
    simple = parse_document(_doc_from_tab_text(simplified))
    folded = parse_document(_doc_from_tab_text(TO_TRADITIONAL(simplified)))
    assert simple.active_disclosure.regulations.issued is None
    assert cells(folded) == cells(simple)


@ROUNDTRIP
@given(renderings(), st.lists(st.sampled_from("乾後於夥徵麽"), min_size=1, max_size=4))
def test_a_simplified_report_keeps_its_few_traditional_looking_characters(
    rendering: tuple[str, str], chars: list[str]
) -> None:
    """乾 (乾隆), 後 and 於 in a name or a quotation are not a traditional text."""
    _, text = rendering
    sentence = "本机关所在地为乾" + "".join(chars) + "路，特此说明"
    heading = re.search(r"^[ \t#]*[一1]、 ?总体情况.*$", text, re.MULTILINE)
    assert heading is not None
    marked = text[: heading.end()] + "\n" + sentence + "。" + text[heading.end() :]
    report = gxnianbao.parse_report(marked)
    assert "traditional-folded" not in codes(report)
    assert report.overview is not None
    assert sentence in report.overview.text
    values = [(c.key, str(c.status), c.value) for c in report.cells()]
    assert values == [(c.key, str(c.status), c.value) for c in gxnianbao.parse_report(text).cells()]


def test_one_traditional_label_in_a_simplified_report_is_matched() -> None:
    """Too few traditional characters to fold the text, but the label is folded to match."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert "\n规章\t" in text
    mixed = text.replace("\n规章\t", "\n規章\t", 1)
    report = gxnianbao.parse_report(mixed)
    assert "traditional-folded" not in codes(report)
    assert cells(report) == cells(gxnianbao.parse_report(text))


@pytest.mark.slow
def test_a_simplified_report_never_loads_opencc() -> None:
    code = (
        "import sys, gxnianbao\n"
        f"gxnianbao.parse_report(open({str(SAMPLE)!r}, encoding='utf-8').read())\n"
        "print('opencc' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False"
