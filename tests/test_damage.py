"""Damage that breaks a layout but no value: still never a wrong number, and nothing lost.

Why: issue 11 measured wrong numbers and lost numbers when a rendered report loses a written
``0`` cell, has two cells merged with a space, a stray page-number line, or a label split over
two lines (``tests/damage.py``).  None of these changes a value, so the generated report stays
the truth: every cell must be right or unknown (``scoring.score``), and every number written in
the table region must be in a cell or in a diagnostic's ``numbers`` (``scoring.lost_numbers``).

"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import Phase, assume, given, note, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import damage
from damage import DAMAGES, table_region, table_region_offsets
from reportgen import (
    GAP_LAYOUTS,
    LAYOUTS,
    ROUNDTRIP,
    TEMPLATES,
    GenReport,
    build_report,
    render,
    reports_of,
    reports_with_gaps,
    styles,
)
from scoring import lost_numbers, score, written_numbers

import gxnianbao
from gxnianbao import Status

EXAMPLES = settings(
    ROUNDTRIP,
    max_examples=max(5, settings.default.max_examples // 4),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
"""Ten tests: a quarter of the profile's examples each; no shrinking (a whole report shrinks
for minutes; the failure shows the text, and ``benchmarks/read_rates.py`` the smallest cases)."""


@st.composite
def rendered_reports(draw: st.DrawFn) -> tuple[str, GenReport, str]:
    """(layout, report, text): any old layout, either template, gaps where the layout shows
    them, perturbed or not."""
    layout = draw(st.sampled_from(LAYOUTS))
    template = draw(st.sampled_from(TEMPLATES))
    plain = reports_of(template)
    gen = (
        plain
        if layout not in GAP_LAYOUTS
        else st.one_of(plain, reports_with_gaps(template=template))
    )
    r = draw(gen)
    style = draw(styles(layout, perturbed=draw(st.booleans())))
    return layout, r, render(layout, r, style)


def _damaged(kind: str, data: st.DataObject, seed: int) -> tuple[GenReport, str]:
    layout, r, text = data.draw(rendered_reports(), label="rendered")
    out = DAMAGES[kind](text, random.Random(seed))
    assume(out != text)
    note(f"layout {layout}, damage {kind}:\n{out}")
    return r, out


@pytest.mark.parametrize("kind", list(DAMAGES))
@EXAMPLES
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_no_wrong_number(kind: str, data: st.DataObject, seed: int) -> None:
    r, text = _damaged(kind, data, seed)
    result = score(gxnianbao.parse_report(text), r, text)
    assert not result.wrong, "\n".join(str(w) for w in result.wrong[:20])


@pytest.mark.parametrize("kind", list(DAMAGES))
@EXAMPLES
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_nothing_lost(kind: str, data: st.DataObject, seed: int) -> None:
    _, text = _damaged(kind, data, seed)
    report = gxnianbao.parse_report(text)
    lost = lost_numbers(report, text, *table_region_offsets(text))
    assert not lost, [f"{text[s:e]!r} at {s}: {_line(text, s)!r}" for s, e in lost[:20]]


def _line(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


# --- the oracle itself ----------------------------------------------------------------------


@settings(ROUNDTRIP, max_examples=max(5, settings.default.max_examples // 4))
@given(rendered_reports())
def test_undamaged_reports_lose_nothing(rendered: tuple[str, GenReport, str]) -> None:
    """The region and number pattern of the lost-number check agree with the reader on the
    tidy layouts: there every written number is in a cell."""
    layout, r, text = rendered
    report = gxnianbao.parse_report(text)
    start, end = table_region_offsets(text)
    assert end > start, layout
    assert len(written_numbers(text, start, end)) >= len(r.keys()) - len(r.gaps)
    assert lost_numbers(report, text, start, end) == []


_R = build_report(
    "孝感市孝南区民政局",
    2022,
    None,
    {
        ("applications", "granted", "natural_person"): 4,
        ("active_disclosure", "licensing", "decisions"): 12,
    },
)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("kind", list(damage.SINGLE_DAMAGES))
def test_damage_changes_layout_not_values(layout: str, kind: str) -> None:
    """Each damage acts on each old layout, inside the table region, and leaves the sequence
    of digits of the region as it was (a stray page number adds its own digits only)."""
    text = render(layout, _R)  # type: ignore[arg-type]
    changed = 0
    for seed in range(8):
        out = DAMAGES[kind](text, random.Random(seed))
        if out == text:
            continue
        changed += 1
        before = _region_digits(text)
        after = _region_digits(out)
        if kind == "stray_number":
            assert len(after) > len(before)
            continue
        if kind == "drop_zero":
            assert after.count("0") == before.count("0") - 1
            assert after.replace("0", "") == before.replace("0", "")
            continue
        assert after == before, (kind, layout, seed)
        assert _outside_region(out) == _outside_region(text)
    assert changed, f"{kind} never acts on {layout}"


def _region_digits(text: str) -> str:
    first, end = table_region(text)
    return "".join(ch for ch in "\n".join(text.split("\n")[first:end]) if ch.isdigit())


def _outside_region(text: str) -> tuple[str, str]:
    start, end = table_region_offsets(text)
    return text[:start], text[end:]


def test_table_region_is_between_parts_two_and_five() -> None:
    text = render("markdown", _R)
    first, end = table_region(text)
    lines = text.split("\n")
    assert "主动公开政府信息情况" in lines[first - 1]
    assert "存在的主要问题" in lines[end] or "存在的问题" in lines[end]
    assert any("总计" in line for line in lines[first:end])


def test_a_row_that_lost_a_cell_does_not_vouch_for_its_own_empty_end() -> None:
    """Found by the property above: a generated tab-rows report (rows end in a tab) whose
    予以公开 row lost a ``0`` and its tab, so it ends in an empty cell exactly under 总计.  Two
    other rows have a real blank 总计; the damaged row was counted as the third witness for its
    own empty end, and 53 (the total) was read as 其他."""
    path = Path(__file__).parent / "fixtures" / "regressions" / "drop_zero_trailing_tab.txt"
    report = gxnianbao.parse_report(path.read_text(encoding="utf-8"))
    granted = {c: report.cell("applications", "granted", c) for c in ("other_org", "total")}
    assert granted["other_org"].value != 53
    assert granted["total"].status != Status.BLANK
    assert {c.status for c in granted.values()} <= {Status.AMBIGUOUS, Status.INFERRED}
    # the rows whose 总计 is really blank keep a value or stay unknown, never a wrong number
    unpaid = report.cell("applications", "other.unpaid_fee", "total")
    assert unpaid.value in (None, 75)


def test_an_empty_total_that_its_row_contradicts_is_not_trusted_over_a_trailing_artefact() -> None:
    """Found by the property above: rows of this tab layout end in an empty artefact field, all
    rows laid out alike write as many cells, and the 予以公开 row that lost a ``0`` ends in an
    empty cell under 总计 while its other cells hold 48, 46 and 94.  Its own identity says the
    empty total is as likely a lost cell as a total left blank: 94 must not be read as 其他."""
    path = Path(__file__).parent / "fixtures" / "regressions"
    report = gxnianbao.parse_report(
        (path / "drop_zero_total_under_artefact.txt").read_text(encoding="utf-8")
    )
    other = report.cell("applications", "granted", "other_org")
    total = report.cell("applications", "granted", "total")
    assert other.value != 94 and total.status != Status.BLANK
    assert {other.status, total.status} <= {Status.AMBIGUOUS, Status.INFERRED}
    assert total.value in (None, 94)
