"""``gxnianbao series``: one issuer's reports of several years, through the real entry point,
and the cross-year rules across the template change (2020 → 2021).

Why: a break between two years (this year's 上年结转 is not last year's 结转下年度) is invisible
to the single-report check; a clerk has files, not Report objects.  Across the template change
the 现行有效件数 the older table 2 never counted are not applicable – saying "无法核对" for
them would send the clerk looking for a number that was never asked for.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import reportgen as rg
from test_cli import main_in_process, no_traceback, run

import gxnianbao
from gxnianbao.templates import LATEST, TEMPLATES

ISSUER = "测试县司法局"
OLDER = min(TEMPLATES.values(), key=lambda s: s.last_year or 10_000)
"""The template before the one in force (its last year is the year before LATEST's first)."""
FIRST_NEW = LATEST.first_year or 0
CARRY = [f"series-carry-over/{c}" for c in rg.APP_COLUMNS]


def write(folder: Path, name: str, gen: rg.GenReport) -> str:
    path = folder / name
    path.write_text(rg.render("markdown", gen), encoding="utf-8")
    return str(path)


def chain(folder: Path, *, break_carry: bool = False, issuer2: str = ISSUER) -> list[str]:
    """Three consistent reports: the last year of the older template and two of the new one.
    ``break_carry``: the last report's 上年结转·商业企业 is 1 where the year before carried 0."""
    old, new, newer = FIRST_NEW - 1, FIRST_NEW, FIRST_NEW + 1
    r0 = rg.build_report(
        ISSUER,
        old,
        Decimal(0),
        {("applications", "carried_forward", "natural_person"): 2},
        template=OLDER.name,
    )
    r1 = rg.build_report(
        ISSUER,
        new,
        Decimal(0),
        {
            ("applications", "carried_over", "natural_person"): 2,
            ("applications", "granted", "natural_person"): 2,
            ("active_disclosure", "regulations", "in_force"): 5,
        },
    )
    v2: dict[rg.CellKey, int | Decimal] = {
        ("active_disclosure", "regulations", "in_force"): 6,
        ("active_disclosure", "regulations", "issued"): 1,
    }
    if break_carry:
        v2[("applications", "carried_over", "commercial")] = 1
        v2[("applications", "granted", "commercial")] = 1
    r2 = rg.build_report(issuer2, newer, Decimal(0), v2)
    return [write(folder, f"r{y}.md", r) for y, r in ((old, r0), (new, r1), (newer, r2))]


def rule_ids(stdout: str) -> list[str]:
    return re.findall(r"\[([^\]]+)\][:：]", stdout)


def test_a_consistent_chain_across_the_template_change(tmp_path: Path) -> None:
    files = chain(tmp_path)
    proc = run("series", *files)
    assert proc.returncode == 0, proc.stderr
    no_traceback(proc)
    assert rule_ids(proc.stdout) == []
    years = f"{FIRST_NEW - 1}—{FIRST_NEW + 1}年度"
    assert proc.stdout.strip() == f"{ISSUER}{years}3份报告：0项不一致，0项无法核对"
    assert proc.stderr == ""


def test_not_applicable_across_the_template_change_gives_no_finding(tmp_path: Path) -> None:
    reports = [gxnianbao.parse_file(f) for f in chain(tmp_path)]
    assert [r.meta.template for r in reports] == [OLDER.name, LATEST.name, LATEST.name]
    found = gxnianbao.validate_series(reports, include_passed=True)
    old_pair = [f for f in found if f.cells[0].startswith(f"{FIRST_NEW}:")]
    new_pair = [f for f in found if f.cells[0].startswith(f"{FIRST_NEW + 1}:")]
    # the older template has no 现行有效件数: the stock rule does not apply, not "无法核对"
    assert [f.rule for f in old_pair] == CARRY
    assert [f.rule for f in new_pair] == [
        *CARRY,
        "series-in-force/regulations",
        "series-in-force/normative_documents",
    ]
    assert {f.status for f in found} == {"pass"}
    assert gxnianbao.validate_series(reports) == []


def test_unsorted_input_gives_the_same_output(tmp_path: Path) -> None:
    files = chain(tmp_path, break_carry=True)
    ordered = run("series", *files, "--color", "never")
    shuffled = run("series", files[2], files[0], files[1], "--color", "never")
    assert ordered.returncode == shuffled.returncode == 1
    assert ordered.stdout == shuffled.stdout
    assert rule_ids(ordered.stdout) == [
        "series-carry-over/commercial",
        "series-carry-over/total",
    ]
    assert (
        f'表三"商业企业"列：{FIRST_NEW + 1}年报告的"二、上年结转政府信息公开申请数量"（1）'
        f'不等于{FIRST_NEW}年报告的"四、结转下年度继续办理"（0），相差1。'
    ) in ordered.stdout
    assert f"= {FIRST_NEW}年度：{files[1]} 第" in ordered.stdout
    assert "1项不一致" not in ordered.stdout and "2项不一致" in ordered.stdout


def test_json_names_the_file_of_each_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = chain(tmp_path, break_carry=True)
    status, out, _ = main_in_process(capsys, "series", "--format", "json", *files)
    assert status == 1
    data = json.loads(out)
    assert data["issuer"] == ISSUER
    assert data["years"] == [FIRST_NEW - 1, FIRST_NEW, FIRST_NEW + 1]
    first = data["findings"][0]
    assert (first["rule"], first["status"], first["left"], first["right"]) == (
        "series-carry-over/commercial",
        "fail",
        1,
        0,
    )
    assert [s["file"] for s in first["sources"]] == [files[2], files[1]]
    assert first["sources"][0]["source_line"].startswith("| 二、上年结转政府信息公开申请数量 |")
    assert first["sources"][1]["source_line"].startswith("| 四、结转下年度继续办理 |")


def test_reports_of_another_issuer_are_refused(tmp_path: Path) -> None:
    files = chain(tmp_path, issuer2="另一县民政局")
    proc = run("series", *files)
    assert proc.returncode == 2
    no_traceback(proc)
    assert proc.stdout == ""
    assert "同一机关" in proc.stderr
    assert f"“{ISSUER}”" in proc.stderr and "“另一县民政局”" in proc.stderr
    assert files[2] in proc.stderr


def test_a_year_twice_is_refused_and_a_gap_is_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = chain(tmp_path)
    status, out, err = main_in_process(capsys, "series", files[1], files[1])
    assert (status, out) == (2, "")
    assert f"同一年度有不止一份报告：{FIRST_NEW}年度" in err
    status, out, err = main_in_process(capsys, "series", files[0], files[2])
    assert status == 0
    assert f"缺少{FIRST_NEW}年度的报告" in err


def test_an_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\xff" * 2048)
    proc = run("series", *chain(tmp_path)[:1], str(junk))
    assert proc.returncode == 2
    no_traceback(proc)


@given(st.integers(0, 3), st.integers(0, 3))
def test_carry_over_across_the_change_is_checked(forward: int, over: int) -> None:
    """Across the change the carry-over is compared as in any two years: it fails exactly when
    the numbers differ, and the stock rule never appears."""
    r0 = rg.build_report(
        ISSUER,
        FIRST_NEW - 1,
        Decimal(0),
        {("applications", "carried_forward", "research"): forward},
        template=OLDER.name,
    )
    r1 = rg.build_report(
        ISSUER,
        FIRST_NEW,
        Decimal(0),
        {
            ("applications", "carried_over", "research"): over,
            ("applications", "granted", "research"): over,
        },
    )
    reports = [gxnianbao.parse_report(rg.render("markdown", r)) for r in (r1, r0)]
    found = gxnianbao.validate_series(reports, include_passed=True)
    assert [f.rule for f in found] == CARRY
    expected = "pass" if forward == over else "fail"
    status = {f.rule: f.status for f in found}
    assert status["series-carry-over/research"] == status["series-carry-over/total"] == expected
