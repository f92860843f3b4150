"""The checker as a clerk reads it: outcomes counted apart, causes, root causes, places.

What ``gxnianbao check`` prints and counts, the dataset's ``findings.*`` columns and the exit
status must never disagree; a not assessable finding names the reader's diagnostic behind it;
one root cause is one finding; places are in the document's own terms; the text is Chinese.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import reportgen as rg
from hypothesis import given, settings
from hypothesis import strategies as st

import gxnianbao
from gxnianbao.check.outcomes import Outcome, findings_for, outcome
from gxnianbao.check.places import Place, diagnostic_zh, place_of, place_zh
from gxnianbao.cli.main import main
from gxnianbao.export.rows import wide_row
from gxnianbao.model import Diagnostic, NumberToken, Origin, Span

FIXTURES = Path(__file__).parent / "fixtures"

_ROWS_WITH_COUNTS = ("received", "granted", "partially_granted", "total")


def _markdown(r: rg.GenReport) -> str:
    return rg.RENDERERS["markdown"](r, style=rg.Style(seed=3))


def _blank_total_column() -> gxnianbao.Report:
    """A 2021 report whose table-3 总计 column is left blank in four rows."""
    values = {
        ("applications", "granted", "natural_person"): 12,
        ("applications", "partially_granted", "commercial"): 3,
    }
    gaps = {("applications", row, "total"): "blank" for row in _ROWS_WITH_COUNTS}
    r = rg.build_report("示例市东湖区教育局", 2023, Decimal(0), values, gaps=gaps)  # type: ignore[arg-type]
    return gxnianbao.parse_report(_markdown(r))


def test_a_blank_total_column_is_one_finding_with_the_others_folded_in() -> None:
    report = _blank_total_column()
    raw = [f for f in gxnianbao.validate(report) if f.status == "fail" and f.severity == "error"]
    assert len(raw) >= 4  # each row total and the column identities of 总计 fail
    shown = [f for f in findings_for(report) if f.status == "fail" and f.severity == "error"]
    assert len(shown) == 1
    (first,) = shown
    assert first.rule == raw[0].rule
    assert [f.rule for f in first.also] == [f.rule for f in raw[1:]]
    # The blank cell is shown as 空白, not as the 0 it counts for.
    assert "空白" in first.message and "（0）" not in first.message
    assert outcome(findings_for(report)).errors == 1


def test_a_blank_side_is_written_as_blank() -> None:
    report = _blank_total_column()
    row_total = next(f for f in gxnianbao.validate(report) if f.rule == "t3-row-total/received")
    assert row_total.message.startswith(
        '表三"一、本年新收政府信息公开申请数量"行：总计（空白）不等于'
    )


def _review_text() -> str:
    """A markdown report whose table-4 row lost two of its zeros (13 numbers for 15 cells):
    its review group cannot be placed."""
    values = {
        ("review_litigation", "review", "upheld"): 3,
        ("review_litigation", "review", "corrected"): 1,
    }
    r = rg.build_report("示例市东湖区教育局", 2023, Decimal(0), values)
    text = _markdown(r)
    damaged = text.replace("| 3 | 1 | 0 | 0 | 4 |", "| 3 | 1 | 4 |", 1)
    assert damaged != text
    return damaged


def _unfitted_row_report() -> gxnianbao.Report:
    return gxnianbao.parse_report(_review_text())


def test_a_not_assessable_finding_names_the_diagnostic_behind_it() -> None:
    report = _unfitted_row_report()
    unknown = [f for f in findings_for(report) if f.status == "not_assessable"]
    assert unknown, [f.rule for f in gxnianbao.validate(report)]
    for f in unknown:
        assert f.causes, f.rule
        assert {d.code for d in f.causes} == {"row-count-mismatch"}
        assert {d.table for d in f.causes} == {"review_litigation"}
    # One cause, one finding: every identity that needs the row is folded into the first.
    assert len(unknown) == 1
    (first,) = unknown
    folded = [f for f in gxnianbao.validate(report) if f.status == "not_assessable"]
    assert 1 + len(first.also) == len(folded)
    said = diagnostic_zh(first.causes[0])
    assert said == (
        "表四写出的数字个数与模板的单元格个数不符（写有：3、1、4、0、0、0、0、0、0、0、0、0…），"
        "无法确定每个数字属于哪一格"
    )


def test_the_cli_prints_the_cause_with_its_place_and_counts_outcomes_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.md"
    path.write_text(_review_text(), encoding="utf-8")
    status = main(["check", "--color", "never", str(path)])
    out = capsys.readouterr().out
    summary = out.splitlines()[-1]
    counted = outcome(findings_for(gxnianbao.parse_file(path)))
    assert summary == f"{counted.summary_zh()}（共 1 个文件）"
    assert counted.not_assessable >= 1
    assert status == (1 if counted.errors else 0)
    assert "错误（无法核对）" in out
    assert re.search(r"  = 原因：表四写出的数字个数.*（表四 第\d+行）", out)
    status = main(["check", "--format", "json", str(path)])
    data = json.loads(capsys.readouterr().out)
    assert data[0]["outcome"] == {
        "errors": counted.errors,
        "warnings": counted.warnings,
        "infos": counted.infos,
        "not_assessable": counted.not_assessable,
        "passed": counted.passed,
    }
    (na,) = [f for f in data[0]["findings"] if f["status"] == "not_assessable"]
    assert na["causes"][0]["code"] == "row-count-mismatch"
    assert na["causes"][0]["source"]["location"]["table"] == "表四"
    assert na["also"] and all(a["status"] == "not_assessable" for a in na["also"])


# --- places ----------------------------------------------------------------------------------


def test_places_in_the_documents_own_terms() -> None:
    pdf = Span(10, 12, 54, 8, Origin("pdf", page=4, table=1, row=24, col=3))
    assert place_zh(place_of(pdf, "applications")) == "第4页 表三 第25行 第4列"
    docx = Span(10, 12, 54, 8, Origin("docx", table=1, row=24, col=0))
    assert place_zh(place_of(docx, "applications")) == "第2个表格 第25行 第1列"
    html = Span(10, 12, 54, 8, Origin("html", table=0, row=3, col=2, line=120))
    assert place_zh(place_of(html, "review_litigation")) == "表四 第120行"
    paragraph = Span(10, 12, 54, 8, Origin("docx", block=6))
    assert place_zh(place_of(paragraph)) == "第7段"
    page = Span(10, 12, 54, 8, Origin("pdf", page=3, bbox=(1.0, 2.0, 3.0, 4.0)))
    assert place_zh(place_of(page, "applications")) == "第3页 表三"
    text = Span(10, 12, 54, 8)
    assert place_zh(place_of(text, "active_disclosure")) == "表二 第54行"
    assert place_zh(place_of(None, "applications")) == "表三"
    assert place_of(pdf, "applications").as_dict() == {
        "kind": "pdf",
        "page": 4,
        "table": "表三",
        "document_table": 2,
        "row": 25,
        "column": 4,
        "text_line": 54,
        "text_column": 8,
    }
    assert Place().as_dict() == {}


def test_every_diagnostic_code_of_the_library_is_told_in_chinese() -> None:
    codes = set()
    root = Path(gxnianbao.__file__).parent
    for path in root.rglob("*.py"):
        # parts below the package only: a checkout under a folder named `check` (as a CI
        # runner may use) must not hide the whole library
        parts = path.relative_to(root).parts
        if "check" in parts or "cli" in parts or "export" in parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'Diagnostic\(\s*"([a-z0-9-]+)"', text))
        codes |= set(re.findall(r'^[A-Z_]+ = "([a-z0-9]+(?:-[a-z0-9]+)+)"$', text, re.M))
    assert len(codes) > 10
    for code in sorted(codes):
        said = diagnostic_zh(
            Diagnostic(code, "warning", "english", None, "applications", "granted")
        )
        assert not said.startswith("读取提示"), code
        plain = re.sub(r"PDF|Word|UTF-8", "", said)
        assert not re.search(r"[A-Za-z]{3,}", plain), said


def test_a_diagnostic_says_its_numbers_as_written() -> None:
    span = Span(0, 1, 1, 1)
    d = Diagnostic(
        "unplaced-number",
        "warning",
        "x",
        span,
        "review_litigation",
        None,
        (NumberToken(7, "7", span), NumberToken(8, "８", span)),
    )
    assert diagnostic_zh(d) == "表四中的数字7、８未能归入任何单元格"


# --- a PDF: pages, and Chinese only ----------------------------------------------------------


@pytest.mark.parametrize("name", ["gaps.pdf", "gap-row.pdf", "no-tounicode-digits.pdf"])
def test_a_pdf_is_checked_in_pages_and_in_chinese(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = FIXTURES / "pdf" / name
    main(["check", "--color", "never", str(path)])
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith(str(path) + "：")]
    assert headers
    for line in headers:
        if "structure-table-missing" in line:
            continue  # (a missing table has no place in the document)
        assert re.match(re.escape(str(path)) + r"：第\d+页[ ：]", line), line
    # No English word but the rule ids (in brackets) and the file's name.
    words = out.replace(str(path), "")
    words = re.sub(r"\[[a-z0-9./_*-]+\]", "", words)
    words = re.sub(r"[a-z0-9]+(?:-[a-z0-9]+)+(?:/[a-z0-9._]+)?", "", words)  # ids listed
    words = re.sub(r"^\s*\d* \|.*$", "", words, flags=re.M)  # the source lines as written
    words = words.replace("PDF", "").replace("--format json", "")
    assert not re.findall(r"[A-Za-z]{2,}", words)
    main(["check", "--format", "json", str(path)])
    data = json.loads(capsys.readouterr().out)
    for f in data[0]["findings"]:
        if f["rule"] == "structure-table-missing":
            continue
        assert f["location"] is not None and f["location"]["page"] >= 1, f["rule"]


# --- the three outcomes agree everywhere -------------------------------------------------------


@settings(deadline=None)
@given(st.data())
def test_summary_dataset_and_exit_status_never_disagree(data: st.DataObject) -> None:
    r = data.draw(rg.reports_with_gaps(), label="report")
    layouts = sorted(rg.GAP_LAYOUTS if r.gaps else rg.RENDERERS)
    layout = data.draw(st.sampled_from(layouts), label="layout")
    text = rg.RENDERERS[layout](r, style=rg.Style(seed=1))
    cut = data.draw(st.integers(0, 3), label="lines dropped")
    lines = text.split("\n")
    for _ in range(cut):  # damage: a few lines of the tables dropped
        numbered = [i for i, line in enumerate(lines) if re.search(r"\d", line)]
        if numbered:
            del lines[data.draw(st.sampled_from(numbered), label="dropped")]
    report = gxnianbao.parse_report("\n".join(lines))
    raw = gxnianbao.validate(report)
    shown = findings_for(report)
    counted = outcome(shown)
    row = wide_row(report)
    assert (
        row["findings.error"],
        row["findings.warning"],
        row["findings.info"],
        row["findings.not_assessable"],
    ) == (counted.errors, counted.warnings, counted.infos, counted.not_assessable)
    assert counted.failed == any(f.status == "fail" and f.severity == "error" for f in shown)
    if any(d.code == "not-a-report" for d in report.diagnostics):
        assert [f.rule for f in shown] == ["not-a-report"]
        return
    # Folding loses nothing: every finding is shown once, or folded once into another.
    every = Counter(f.fingerprint for f in shown)
    every.update(a.fingerprint for f in shown for a in f.also)
    assert every == Counter(f.fingerprint for f in raw if f.status != "pass")
    # A folded finding has the outcome of the one it is folded into.
    for f in shown:
        assert all((a.status, a.severity) == (f.status, f.severity) for a in f.also)


def test_outcomes_add_up() -> None:
    a = Outcome(1, 2, 3, 4, 5)
    assert a + Outcome(1, 1, 1, 1, 1) == Outcome(2, 3, 4, 5, 6)
    assert a.summary_zh() == "1 个错误，2 个警告，3 个提示；4 项无法核对"
    assert Outcome(0, 1).summary_zh() == "0 个错误，1 个警告；0 项无法核对"
    assert a.failed and not Outcome(0, 5, 5, 5).failed


# --- the visual report through the command line ------------------------------------------------


def test_check_writes_the_visual_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lxml_html = pytest.importorskip("lxml.html")
    source = tmp_path / "report.md"
    source.write_text(_review_text(), encoding="utf-8")
    page = tmp_path / "page.html"
    status = main(["check", "--color", "never", "--html", str(page), str(source)])
    out = capsys.readouterr().out
    assert status == 0  # (one finding cannot be assessed; nothing fails)
    tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    assert len(tree.xpath("//td[contains(@class, 'cell')]")) == 200
    assert (
        tree.xpath("//p[@class='summary']")[0].text_content() == out.splitlines()[-1].split("（")[0]
    )
    # The ambiguous table-4 cells of the not assessable finding are marked on the page.
    marked = tree.xpath("//td[contains(@class, 'not-assessable')]/@id")
    assert "cell-review_litigation-review-total" in marked
    assert main(["check", "--html", str(page), str(source), str(source)]) == 2
    assert "--html" in capsys.readouterr().err
    nowhere = tmp_path / "missing" / "page.html"
    assert main(["check", "--html", str(nowhere), str(source)]) == 2
    assert capsys.readouterr().err.startswith(f"gxnianbao: {nowhere}: cannot write the page: ")
