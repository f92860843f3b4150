"""Typos: one mistyped character in a heading or a row label never gives a wrong number.

Why: a misprinted heading (``四、政府信息公开行政法复议、行政诉讼情况``) lost a whole table, and a
misprinted label (``2.其他法律行政止公开``) its row.  A label one edit away from exactly one entry
of the table, and further from every other, names that entry; a heading one edit away from its
part's keywords, and from no other part's, heads that part.  Where a typo could name two
entries the cells stay unknown: a wrong row is a wrong number.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import reportgen
from reportgen import LAYOUTS, GenReport, render, reports_of, styles

import gxnianbao
from gxnianbao.common.labels import Vocabulary, core, distance, occurs_within_one
from gxnianbao.model import Status
from gxnianbao.templates import TEMPLATES

TYPOS = settings(reportgen.ROUNDTRIP, max_examples=settings.default.max_examples)
SAMPLE = Path(gxnianbao.__file__).parent / "samples" / "sample-2022.txt"
FOREIGN = "甲乙丙丁戊己庚辛壬癸"
"""Characters no heading or label of either template uses: a typo with them makes no word of
the templates by chance."""
HAN = re.compile(r"[\u4e00-\u9fff]")


def wrong_numbers(report: gxnianbao.Report, r: GenReport) -> list[str]:
    """Cells given a value, a blank or a ``/`` that the generated report does not have."""
    wrong: list[str] = []
    for cell in report.cells():
        if cell.status in (Status.MISSING, Status.AMBIGUOUS):
            continue
        status, value = r.expected((cell.table, cell.row, cell.column))
        if cell.value != value or (cell.value is None and str(cell.status) != status):
            wrong.append(f"{cell.key}: {cell.status} {cell.value!r}, truly {status} {value!r}")
    return wrong


def values(report: gxnianbao.Report) -> list[tuple[str, str, object]]:
    return [(c.key, str(c.status), c.value) for c in report.cells()]


def typo(draw: st.DrawFn, word: str) -> str:
    """``word`` with one Han character inserted, dropped or replaced (never the same word)."""
    places = [m.start() for m in HAN.finditer(word)]
    at = draw(st.sampled_from(places))
    kind = draw(st.sampled_from(["insert", "drop", "replace"]))
    char = draw(st.sampled_from(FOREIGN))
    if kind == "insert":
        return word[:at] + char + word[at:]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    return word[:at] + char + word[at + 1 :]


def levenshtein(a: str, b: str) -> int:
    """The plain edit distance (the test's own, to judge the library's banded one)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


# --- the edit distances ---------------------------------------------------------------------


@given(st.text("ab甲乙", max_size=8), st.text("ab甲乙", max_size=8), st.integers(0, 3))
def test_banded_distance_is_the_edit_distance_up_to_its_limit(a: str, b: str, limit: int) -> None:
    assert distance(a, b, limit) == min(levenshtein(a, b), limit + 1)


@given(st.text("ab甲", min_size=1, max_size=5), st.text("ab甲乙", max_size=10))
def test_occurs_within_one_finds_any_stretch_one_edit_away(word: str, text: str) -> None:
    stretches = {text[i:j] for i in range(len(text) + 1) for j in range(i, len(text) + 1)}
    assert occurs_within_one(word, text) == any(levenshtein(word, s) <= 1 for s in stretches)


# --- headings -------------------------------------------------------------------------------


def test_a_mistyped_heading_of_part_4_still_heads_its_table() -> None:
    """The issue's page: table 4 was lost, its numbers read by no row."""
    text = SAMPLE.read_text(encoding="utf-8")
    heading = "四、政府信息公开行政复议、行政诉讼情况"
    assert heading in text
    report = gxnianbao.parse_report(
        text.replace(heading, "四、政府信息公开行政法复议、行政诉讼情况")
    )
    assert values(report) == values(gxnianbao.parse_report(text))
    assert not [d for d in report.diagnostics if d.severity != "info"]
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


def test_a_heading_one_edit_from_two_parts_heads_none() -> None:
    """三、 with words one edit from part 4's keywords is neither part 3's nor part 4's heading."""
    text = SAMPLE.read_text(encoding="utf-8")
    heading = "四、政府信息公开行政复议、行政诉讼情况"
    report = gxnianbao.parse_report(
        text.replace(heading, "三、政府信息公开行政法复议、行政诉讼情况")
    )
    assert 4 not in {s.number for s in report.sections}
    assert all(
        c.status in (Status.MISSING, Status.AMBIGUOUS)
        for c in report.cells()
        if c.table == "review_litigation"
    )


@st.composite
def mistyped_headings(draw: st.DrawFn) -> tuple[GenReport, str, str, int]:
    """A rendered report with one keyword of one part's heading mistyped by one character."""
    layout = draw(st.sampled_from(LAYOUTS))
    template = draw(st.sampled_from(["2021", "2019"]))
    r = draw(reports_of(template))
    text = render(layout, r, draw(styles(layout, perturbed=False)))
    number = draw(st.integers(1, 5))
    section = TEMPLATES[template].sections[number - 1]
    numeral = section.numeral
    keywords = sorted({w for alt in section.keywords for w in alt if len(w) >= 4})
    lines = text.split("\n")
    found = [
        (i, w)
        for i, line in enumerate(lines)
        if re.match(rf"^[ \t#*]*(?:{numeral}|{number})、", line)
        for w in keywords
        if w in line
    ]
    assume(found)
    i, word = found[0]
    lines[i] = lines[i].replace(word, typo(draw, word), 1)
    return r, text, "\n".join(lines), number


@TYPOS
@given(mistyped_headings())
def test_a_heading_with_one_mistyped_keyword_still_heads_its_part(
    case: tuple[GenReport, str, str, int],
) -> None:
    r, plain, mistyped, number = case
    note(mistyped)
    report = gxnianbao.parse_report(mistyped)
    assert not wrong_numbers(report, r)
    assert number in {s.number for s in report.sections}
    assert values(report) == values(gxnianbao.parse_report(plain))


# --- row labels -----------------------------------------------------------------------------


def test_the_issues_mistyped_label_reads_its_row() -> None:
    """``其他`` in ``其他法律行政止公开`` named a column and a row at once: the row was lost."""
    text = SAMPLE.read_text(encoding="utf-8")
    label = "2.其他法律行政法规禁止公开"
    assert label in text
    report = gxnianbao.parse_report(text.replace(label, "2.其他法律行政止公开"))
    assert values(report) == values(gxnianbao.parse_report(text))
    assert not [d for d in report.diagnostics if d.severity != "info"]


@st.composite
def mistyped_labels(draw: st.DrawFn) -> tuple[GenReport, str, str, str, str, str]:
    """A rendered report with one row label mistyped by one character: the report, the
    mistyped text, the table, the row, the label as written and as mistyped."""
    layout = draw(st.sampled_from(LAYOUTS))
    template = draw(st.sampled_from(["2021", "2019"]))
    r = draw(reports_of(template))
    text = render(layout, r, draw(styles(layout, perturbed=False)))
    spec = TEMPLATES[template]
    table = draw(st.sampled_from(spec.tables))
    row = draw(st.sampled_from(table.rows))
    lines = text.split("\n")
    # The label on a line of its own or as a cell: where it is, not in the narrative.
    places = [
        i
        for i, line in enumerate(lines)
        if re.search(rf"(?:^|[\t|]) *{re.escape(row.label)} *(?:$|[\t|])", line)
    ]
    assume(len(places) == 1)
    mistyped = typo(draw, row.label)
    assume(core(mistyped) != core(row.label))
    lines[places[0]] = lines[places[0]].replace(row.label, mistyped, 1)
    return r, "\n".join(lines), table.key, row.key, row.label, mistyped


def unambiguous(template_table: Vocabulary, row: str, mistyped: str) -> bool:
    """Whether the mistyped label's core is one edit from a word of ``row`` of four characters
    or more, and three or more from every word that names something else (judged with the
    test's own distance)."""
    c = core(mistyped)
    spec = template_table.table
    words: list[tuple[str, str]] = []
    for r in spec.rows:
        words += [(r.key, core(w)) for w in (r.label, *r.aliases)]
        for col in r.columns:
            words += [("column " + col.key, core(w)) for w in (col.label, *col.aliases)]
    for g in spec.groups:
        words += [("group " + g.key, core(w)) for w in (g.label, *g.aliases)]
    named = {w for _, w in words}
    words += [("header " + core(h), core(h)) for h in spec.header_labels if core(h) not in named]
    own = [w for key, w in words if key == row and len(w) >= 4]
    return any(levenshtein(c, w) <= 1 for w in own) and all(
        levenshtein(c, w) >= 3 for key, w in words if key != row and w
    )


@TYPOS
@given(mistyped_labels())
def test_a_row_label_with_one_typo_never_gives_a_wrong_number(
    case: tuple[GenReport, str, str, str, str, str],
) -> None:
    r, text, table, row, label, mistyped = case
    note(f"{label} -> {mistyped}")
    report = gxnianbao.parse_report(text)
    assert not wrong_numbers(report, r)
    spec = TEMPLATES[r.shape.template].table(table)
    vocab = Vocabulary(spec)
    named = {e.key for e in vocab.match(core(mistyped)) if e.kind == "row"}
    assert named <= {row}, named  # never another row
    if unambiguous(vocab, row, mistyped):
        got = [
            (c.column, str(c.status), c.value)
            for c in report.cells()
            if (c.table, c.row) == (table, row)
        ]
        want = [(key[2], *r.expected(key)) for key in r.keys() if key[0] == table and key[1] == row]
        assert got == want


def test_a_look_alike_one_edit_from_a_heading_does_not_take_the_part_of_a_found_table() -> None:
    """Part 二 without its heading is located by its table, not at a look-alike in part 一
    one edit from its words (``政务信息`` for ``政府信息``)."""
    text = SAMPLE.read_text(encoding="utf-8")
    lookalike = "二、主动公开政务信息情况"
    without = text.replace("二、主动公开政府信息情况\n", "\n", 1).replace(
        "（一）主动公开\n", lookalike + "\n", 1
    )
    assert lookalike in without
    report = gxnianbao.parse_report(without)
    part2 = next(s for s in report.sections if s.number == 2)
    assert part2.heading == ""
    assert report.overview is not None
    assert lookalike in report.overview.text  # part 一 runs on past it
    assert values(report) == values(gxnianbao.parse_report(text))
