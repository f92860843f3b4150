"""The tolerant reader on small, exact cases: each layout shape and damage of issue 11 on the
package's sample report, with the values, statuses and spans that must come out.

The generated round trips (tests/test_tolerant_layouts.py, tests/test_damage.py) show no layout
gives a wrong number; these pin down what each rule of the binder does, one at a time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gxnianbao
from gxnianbao import Status

SAMPLE = (Path(gxnianbao.__file__).parent / "samples" / "sample-2022.txt").read_text(
    encoding="utf-8"
)
LINES = SAMPLE.split("\n")
TRUTH = {c.key: (c.value, c.status) for c in gxnianbao.parse_report(SAMPLE).cells()}


def _known(report: gxnianbao.Report) -> dict[str, tuple[object, Status]]:
    return {
        c.key: (c.value, c.status)
        for c in report.cells()
        if c.status not in (Status.AMBIGUOUS, Status.MISSING)
    }


def _no_wrong(report: gxnianbao.Report) -> dict[str, tuple[object, Status]]:
    """The cells read, after checking that each equals the sample's (inferred may stand for
    reported)."""
    known = _known(report)
    for key, (value, status) in known.items():
        want_value, want_status = TRUTH[key]
        assert value == want_value, (key, value, want_value)
        if status is not Status.INFERRED:
            assert status is want_status, (key, status, want_status)
    return known


def _spans_hold_their_numbers(report: gxnianbao.Report, text: str) -> None:
    for c in report.cells():
        if c.status is Status.REPORTED and c.span is not None:
            written = text[c.span.start : c.span.end]
            assert re.sub(r"[,，]", "", written) == str(c.value), (c.key, written, c.value)


def test_the_sample_reads_in_full() -> None:
    assert all(status is not Status.AMBIGUOUS for _, status in TRUTH.values())
    assert len(TRUTH) == 200


@pytest.mark.parametrize(
    ("name", "relayout"),
    [
        ("spaced columns", lambda t: re.sub(r"\t+", "   ", t)),
        ("pipes without outer bars", lambda t: t.replace("\t", " | ")),
        ("flattened with spaces", lambda t: " ".join(t.replace("\t", " ").split("\n"))),
    ],
)
def test_layouts_without_tabs_read_every_cell(name: str, relayout: object) -> None:
    text = relayout(SAMPLE)  # type: ignore[operator]
    report = gxnianbao.parse_report(text)
    assert len(_no_wrong(report)) == 200, name
    _spans_hold_their_numbers(report, text)


def test_a_flattened_page_keeps_exact_spans_and_finds_its_parts() -> None:
    text = " ".join(SAMPLE.replace("\t", " ").split("\n"))
    assert "\n" not in text
    report = gxnianbao.parse_report(text)
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.meta.issuer == "示例市临江区人力资源和社会保障局"
    cell = report.cell("applications", "received", "total")
    assert cell.span is not None and text[cell.span.start : cell.span.end] == "57"
    assert (cell.span.line, cell.span.column) == (1, cell.span.start + 1)


def test_run_together_digits_are_never_read_as_one_number() -> None:
    text = "".join(SAMPLE.replace("\t", "").split("\n"))
    report = gxnianbao.parse_report(text)
    known = _no_wrong(report)
    assert known["active_disclosure.regulations.issued"] == (0, Status.INFERRED)
    codes = {d.code for d in report.diagnostics}
    assert "glued-digits" in codes


def test_label_with_trailing_numbers_and_a_merged_pair() -> None:
    text = SAMPLE.replace(
        "四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t2",
        "四、结转下年度继续办理   2  0  0  0  0  0  2",
    )
    text = text.replace(
        "二、上年结转政府信息公开申请数量\t\t3\t1\t0\t0\t0\t0\t4",
        "二、上年结转政府信息公开申请数量\t\t3\t1\t0\t0\t0\t0 4",
    )
    assert text.count("0 4") == 1 and "   2  0" in text
    report = gxnianbao.parse_report(text)
    assert len(_no_wrong(report)) == 200
    _spans_hold_their_numbers(report, text)


def test_a_number_in_a_bracketed_note_is_text() -> None:
    text = SAMPLE.replace("本年收费金额（单位：万元）", "本年收费金额（单位：万元，保留4位小数）")
    report = gxnianbao.parse_report(text)
    assert len(_no_wrong(report)) == 200
    assert [d.code for d in report.diagnostics] == []


def test_a_stray_number_line_is_unplaced_not_a_cell() -> None:
    row = "\t（一）予以公开\t21\t3\t0\t1\t1\t0\t26"
    assert row in SAMPLE
    text = SAMPLE.replace(row, row + "\n12")
    report = gxnianbao.parse_report(text)
    assert len(_no_wrong(report)) == 200
    (diag,) = [d for d in report.diagnostics if d.code == "unplaced-number"]
    assert [n.value for n in diag.numbers] == [12]


def test_an_empty_cell_inside_a_row_is_never_shifted_over() -> None:
    row = "行政规范性文件\t4\t2\t31"
    text = SAMPLE.replace(row, "行政规范性文件\t4\t\t2\t31")
    report = gxnianbao.parse_report(text)
    known = _no_wrong(report)
    assert "active_disclosure.normative_documents.repealed" not in known


def test_a_dropped_cell_under_merge_artefacts_is_unknown_not_shifted() -> None:
    """Every row of the table writes an empty merge field after its label; a row that lost
    a 0 fits its seven cells only by taking that field for a real empty cell."""
    row = "二、上年结转政府信息公开申请数量\t\t3\t1\t0\t0\t0\t0\t4"
    text = SAMPLE.replace(row, "二、上年结转政府信息公开申请数量\t\t3\t1\t0\t0\t0\t4")
    report = gxnianbao.parse_report(text, recover=False)
    _no_wrong(report)
    statuses = {report.cell("applications", "carried_over", c).status for c in ("natural_person",)}
    assert statuses == {Status.AMBIGUOUS}


def test_labels_set_apart_from_their_number_lines_are_paired_in_order() -> None:
    text = SAMPLE.replace(
        "规章\t0\t0\t0\n行政规范性文件\t4\t2\t31",
        "| 规章 |\n| 行政规范性文件 |\n| 0 | 0 | 0 |\n| 4 | 2 | 31 |",
    )
    report = gxnianbao.parse_report(text)
    assert len(_no_wrong(report)) == 200
    assert "labels-detached" in {d.code for d in report.diagnostics}


def test_generic_headers_of_a_split_table_name_no_row() -> None:
    row = "\t\t4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0"
    assert row in SAMPLE
    text = SAMPLE.replace(
        row, "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n" + row
    )
    report = gxnianbao.parse_report(text)
    assert len(_no_wrong(report)) == 200
    assert "duplicate-row" not in {d.code for d in report.diagnostics}


def test_a_label_wrapped_after_its_numbers_is_joined_back() -> None:
    row = "\t\t4.保护第三方合法权益\t2\t0\t0\t0\t0\t0\t2"
    assert row in SAMPLE
    text = SAMPLE.replace(row, "4.保护第   2   0   0   0   0   0   2\n三方合法权益")
    report = gxnianbao.parse_report(text)
    known = _no_wrong(report)
    assert known["applications.withheld.third_party_rights.total"] == (2, Status.REPORTED)


def test_a_truncated_label_does_not_give_its_numbers_to_the_row_above() -> None:
    row = "\t\t5.属于三类内部事务信息\t1\t0\t0\t0\t0\t0\t1"
    text = SAMPLE.replace(row, "5.属于三类   1   0   0   0   0   0   1\n吗")
    report = gxnianbao.parse_report(text)
    _no_wrong(report)


def test_a_group_written_as_one_row_gives_its_zeros() -> None:
    out = []
    for line in LINES:
        if line.startswith("\t（六）其他处理\t1."):
            out.append("\t（六）其他处理\t1\t0\t0\t0\t0\t0\t1")
        elif not (line.startswith("\t\t2.申请人逾期未按") or line.startswith("\t\t3.其他\t")):
            out.append(line)
    report = gxnianbao.parse_report("\n".join(out))
    known = _no_wrong(report)
    assert known["applications.other.unpaid_fee.commercial"] == (0, Status.INFERRED)
    assert "applications.other.unpaid_fee.natural_person" not in known
    (diag,) = [d for d in report.diagnostics if d.code == "group-total"]
    assert [n.value for n in diag.numbers] == [1, 0, 0, 0, 0, 0, 1]


BLOCKS_2019 = """| 第二十条第(一)项 |  |  |  |
|---|---|---|---|
| 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
| 规章 |  |  | 1件 |
| 规范性文件 | 1件 |  | 10,000 |
| 第二十条第(五)项 |  |  |  |
| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
| 行政许可 |  |  |  |
| 其他对外管理服务事项 |  |  | 1 |
| 第二十条第(六)项 |  |  |  |
| 信息内容 | 上一年项目数量 | 本 年 增 / 减 | 处 理 决 定 数 量 |
| 行政处罚 |  |  |  |
| 行政强制 |  |  |  |
| 第二十条第（八）项 |  |  |  |
| 信息内容 | 上一年项目数量 | 本年增减 |  |
| 行政事业性收费 |  |  |  |
| 第二十条第（九）项 |  |  |  |
| 信息内容 | 采购项目数量 | 采购总金额 |  |
| 政府集中采购 |  | 1000元 |  |"""


def test_each_block_is_read_under_its_own_headers() -> None:
    """Rows are bound after the whole table is walked, each against the header cells above it;
    a letter-spaced header with a slash inside (``本 年 增 / 减``) is one header cell."""
    text = (
        "某县司法局2019年政府信息公开工作年度报告\n\n一、总体情况\n\n全年主动公开信息。\n\n"
        "二、主动公开政府信息情况\n\n" + BLOCKS_2019 + "\n\n三、收到和处理政府信息公开申请情况\n"
    )
    report = gxnianbao.parse_report(text, template="2019")
    cells = {c.column: c for c in report.cells() if c.row == "procurement"}
    assert (cells["projects"].status, cells["projects"].value) == (Status.BLANK, None)
    amount = cells["amount"]
    assert (amount.status, amount.value) == (Status.REPORTED, 1000)
    assert amount.span is not None and text[amount.span.start : amount.span.end] == "1000"
    services = report.cell("active_disclosure", "other_services", "decisions")
    assert (services.status, services.value) == (Status.REPORTED, 1)
