"""``gxnianbao rules``, ``explain`` and ``check --select/--ignore``, through the real entry point.

Why: a clerk who gets ``t3-balance/natural_person`` must be able to look the rule up, see what
breaks it on small numbers, and re-check only what they fixed (or leave out what their office
does not answer for) – and a misspelt id must be refused with the ids it was probably meant to
be, never select nothing in silence.
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
from test_rules import make_report

import gxnianbao
from gxnianbao.check.narrative.compare import narrative_rules
from gxnianbao.check.rules import REGISTRY, rules
from gxnianbao.check.selection import UnknownRuleError
from gxnianbao.cli.rules import example
from gxnianbao.templates import TEMPLATE_2021, TEMPLATES
from gxnianbao.templates.identities import equations

RECEIVED_ROW = "| 一、本年新收政府信息公开申请数量 |  |  | 7 | 0 |"
HEADS = "规则\t严重程度\t类别\t公式"
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def broken_report(folder: Path) -> Path:
    """A report whose 一、本年新收 of 自然人 was changed from 7 to 8 (two identities fail, both
    errors) and whose part 六 says nothing of the fee (one warning)."""
    gen = rg.build_report(
        "测试县司法局", 2022, None, {("applications", "granted", "natural_person"): 7}
    )
    text = rg.render("markdown", gen)
    assert text.count(RECEIVED_ROW) == 1
    path = folder / "broken.md"
    path.write_text(text.replace(RECEIVED_ROW, RECEIVED_ROW.replace("7", "8")), encoding="utf-8")
    return path


def rule_ids(stdout: str) -> list[str]:
    """The rule ids of ``check``'s text output, in order."""
    return re.findall(r"\[([^\]]+)\][:：]", stdout)


# --- rules ------------------------------------------------------------------------------------


def test_rules_lists_every_rule_of_each_template() -> None:
    for name in TEMPLATES:
        proc = run("rules", "--template", name)
        assert proc.returncode == 0, proc.stderr
        head, heads, *rows = proc.stdout.splitlines()
        assert heads == HEADS
        assert f"共{len(rows)}条" in head
        listed = [row.split("\t")[0] for row in rows]
        catalogue = [r.id for r in REGISTRY.catalogue(name)]
        assert listed == catalogue
        # rules() leaves the narrative ids out (they are listed apart); the command lists all
        narrative = {rule for rule, _ in narrative_rules()}
        # (and the narrative family's own rule of recovery, narrative-placements)
        narrative |= {r.id for r in REGISTRY.catalogue(name) if r.family == "narrative"}
        assert len(rows) == len(rules(name)) + len(narrative)
        assert set(listed) == {r.id for r in rules(name)} | narrative
        for row in rows:
            _, severity, family, formula = row.split("\t")
            assert severity in ("错误（error）", "警告（warning）", "提示（info）"), row
            assert re.fullmatch(r"[\u4e00-\u9fff]+（[a-z]+）", family), row
            assert formula, row


def test_rules_json_and_the_template_in_force_by_default() -> None:
    proc = run("rules", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)
    assert [r["id"] for r in listed] == [r.id for r in REGISTRY.catalogue()]
    by_id = {r["id"]: r for r in listed}
    assert by_id["t3-balance/total"]["severity"] == "error"
    assert by_id["t3-balance/total"]["family"] == "identities"
    assert by_id["structure-blank-cells"]["severity"] == "info"
    # the series rule on 现行有效件数 exists only where the template counts them
    assert "series-in-force/regulations" in by_id
    older = run("rules", "--template", "2019", "--format", "json")
    assert "series-in-force/regulations" not in {r["id"] for r in json.loads(older.stdout)}


# --- explain ----------------------------------------------------------------------------------


def test_explain_an_identity_with_its_failing_example() -> None:
    proc = run("explain", "t3-balance/natural_person")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "规则：t3-balance/natural_person" in out
    assert "类别：勾稽关系（identities）" in out
    assert "严重程度：错误（error）" in out
    assert "一、本年新收 + 二、上年结转 = 三（七）总计 + 四、结转下年度继续办理" in out
    assert "不通过的情形：" in out
    assert '表三"一、本年新收政府信息公开申请数量·自然人"填写为2' in out
    assert '表三"自然人"列：第一项与第二项之和（3）不等于第三项与第四项之和（2），相差1。' in out


@pytest.mark.parametrize(
    "rule",
    [
        "nonnegative-integer",
        "narrative-received",
        "fee-not-reported",
        "structure-template-outdated",
        "structure-blank-cells",
        "series-carry-over/natural_person",
        "series-in-force/regulations",
    ],
)
def test_explain_speaks_chinese_for_each_family(
    capsys: pytest.CaptureFixture[str], rule: str
) -> None:
    status, out, err = main_in_process(capsys, "explain", rule)
    assert status == 0, err
    assert f"规则：{rule}" in out
    body = out.replace(rule, "")
    body = re.sub(r"（[a-z]+）", "", body)  # the family and severity ids
    assert not ENGLISH.search(body), body
    assert "示例（不通过）：\n  " in out


def test_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = main_in_process(capsys, "explain", "fee-unreadable", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert (data["id"], data["family"], data["severity"]) == ("fee-unreadable", "fee", "warning")
    assert "金额" in data["fails"] and data["example"]


def test_explain_an_unknown_rule_names_the_closest() -> None:
    proc = run("explain", "t3-balanse/natural_person")
    assert proc.returncode == 2
    no_traceback(proc)
    assert proc.stdout == ""
    assert "没有名为“t3-balanse/natural_person”的规则" in proc.stderr
    assert "t3-balance/natural_person" in proc.stderr


def test_explain_of_an_older_template_rule_uses_its_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = main_in_process(capsys, "explain", "t3-row-total/other")
    assert status == 0
    assert "国办公开办函〔2019〕60号" in out
    status, _, err = main_in_process(capsys, "explain", "t3-row-total/other", "--template", "2021")
    assert status == 2 and "t3-row-total/other." in err


@given(st.sampled_from(equations(TEMPLATE_2021)))
def test_every_identity_example_is_what_the_check_says(eq: object) -> None:
    """The example's numbers, put in a report, give exactly the example's message."""
    rule = next(r for r in REGISTRY.catalogue(TEMPLATE_2021) if r.id == eq.id)  # type: ignore[attr-defined]
    lines = example(rule, TEMPLATE_2021)
    values = [int(m) for line in lines for m in re.findall(r'"填写为(-?\d+)$', line)]
    rest = re.search(r"其余(\d+)个单元格各填写为1", "\n".join(lines))
    values += [1] * (int(rest.group(1)) if rest else 0)
    cells = eq.cells  # type: ignore[attr-defined]
    assert len(values) == len(cells)
    gen = rg.build_report("测试县司法局", 2022, Decimal(0), {})
    report = make_report(gen, values=dict(zip(cells, values, strict=True)))
    found = gxnianbao.validate(report, select=[eq.id])  # type: ignore[attr-defined]
    assert [(f.rule, f.status) for f in found] == [(eq.id, "fail")]  # type: ignore[attr-defined]
    assert lines[-1] == f"  则：{found[0].message}"


# --- check --select / --ignore -----------------------------------------------------------------


def test_select_and_ignore_change_findings_and_exit_status(tmp_path: Path) -> None:
    path = str(broken_report(tmp_path))
    every = run("check", path, "--color", "never")
    assert every.returncode == 1, every.stderr
    assert rule_ids(every.stdout) == [
        "t3-balance/natural_person",
        "t3-row-total/received",
        "fee-not-reported",
    ]
    only = run("check", path, "--select", "t3-balance/*")
    assert only.returncode == 1
    assert rule_ids(only.stdout) == ["t3-balance/natural_person"]
    fee = run("check", path, "--select", "fee")
    assert fee.returncode == 0  # a warning fails, but no error
    assert rule_ids(fee.stdout) == ["fee-not-reported"]
    rest = run("check", path, "--ignore", "identities")
    assert rest.returncode == 0
    assert rule_ids(rest.stdout) == ["fee-not-reported"]
    both = run("check", path, "--select", "identities,fee", "--ignore", "t3-row-total")
    assert both.returncode == 1
    assert rule_ids(both.stdout) == ["t3-balance/natural_person", "fee-not-reported"]


def test_select_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = str(broken_report(tmp_path))
    args = ("check", path, "--format", "json", "--ignore", "t3-balance/natural_person,fee")
    status, out, _ = main_in_process(capsys, *args)
    assert status == 1
    assert [f["rule"] for f in json.loads(out)[0]["findings"]] == ["t3-row-total/received"]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_selector_is_a_usage_error(option: str, tmp_path: Path) -> None:
    path = str(broken_report(tmp_path))
    proc = run("check", path, option, "identities,t3-balanse")
    assert proc.returncode == 2
    no_traceback(proc)
    assert proc.stdout == ""
    assert f"{option}：没有名为“t3-balanse”的规则、规则前缀或类别" in proc.stderr
    assert "t3-balance/" in proc.stderr


def test_a_pattern_that_matches_nothing_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = main_in_process(capsys, "check", "x.md", "--select", "t9-*")
    assert (status, out) == (2, "")
    assert "t9-*" in err


# --- the API under the command ----------------------------------------------------------------

SELECTORS = sorted(
    {r.id for r in REGISTRY.catalogue()}
    | {r.id.split("/", 1)[0] for r in REGISTRY.catalogue() if "/" in r.id}
    | set(REGISTRY.families)
    | {"t3-*/total", "*/natural_person"}
)


def _family_of(rule: str) -> str:
    return next(r.family for r in REGISTRY.catalogue() if r.id == rule)


@given(
    st.lists(st.sampled_from(SELECTORS), max_size=3),
    st.lists(st.sampled_from(SELECTORS), max_size=3),
)
def test_select_and_ignore_filter_the_full_run(select: list[str], ignore: list[str]) -> None:
    """Any select/ignore gives exactly the full run's findings they keep, in the same order."""
    gen = rg.build_report("测试县司法局", 2022, None, {("applications", "granted", "research"): 2})
    values = {("applications", "received", "research"): 3, ("applications", "total", "total"): 1}
    report = make_report(gen, values=values)
    every = gxnianbao.validate(report, include_passed=True)

    def named(rule: str, items: list[str]) -> bool:
        family = _family_of(rule)
        return any(
            item in (rule, family, rule.split("/", 1)[0])
            or ("*" in item and re.fullmatch(item.replace("*", ".*"), rule))
            for item in items
        )

    chosen = gxnianbao.validate(
        report, include_passed=True, select=select or None, ignore=ignore or None
    )
    assert chosen == [
        f for f in every if (not select or named(f.rule, select)) and not named(f.rule, ignore)
    ]


def test_select_takes_comma_separated_text_and_refuses_with_close_ids() -> None:
    gen = rg.build_report("测试县司法局", 2022, None, {})
    report = make_report(gen)
    assert [f.rule for f in gxnianbao.validate(report, select="fee,structure")] == [
        "fee-not-reported"
    ]
    with pytest.raises(UnknownRuleError) as caught:
        gxnianbao.validate(report, ignore="fee-not-reportd")
    assert caught.value.close[0] == "fee-not-reported"
    with pytest.raises(TypeError):
        gxnianbao.validate(report, rules=["fee"], select=["fee"])
