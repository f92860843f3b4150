"""``gxnianbao rules`` and ``gxnianbao explain``: the rules a clerk can look up, in Chinese.

Also the one place the command line turns ``--select``/``--ignore`` into selectors, refusing
an unknown id with the closest ones (exit status 2), before any input is read.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from ..check.places import SEVERITY_ZH
from ..check.registry import Rule, RuleDef
from ..check.rules import REGISTRY
from ..check.selection import UnknownRuleError, closest, selectors
from ..templates import LATEST, TEMPLATES, TemplateSpec
from ..templates.identities import Equation, equations
from ..templates.names import names
from .inputs import EXIT_OK, CliError

__all__ = ["FAMILY_WORDS", "cmd_explain", "cmd_rules", "example", "selection"]

FAMILY_WORDS = {
    "identities": "勾稽关系",
    "nonnegative": "非负整数",
    "narrative": "总体情况与表格",
    "fee": "信息处理费",
    "structure": "报告结构",
    "series": "跨年度",
}

_FAILS = {
    "<identity>/<column or row>": "等式两边的数字之和不相等（空白、“/”按0计算）。"
    "有单元格缺失或无法确定位置时，本规则无法核对。",
    "nonnegative-integer": "表二至表四的件数、数量不是非负整数（负数或小数），"
    "或本年收费金额为负数。",
    "narrative-<quantity>": "一、总体情况中写明的件数与表格中对应单元格（之和）不一致。"
    "对应单元格缺失或无法确定时，本规则无法核对。",
    "fee-not-reported": "第六部分没有说明本年度信息处理费的收取情况（未收取的也应写明），"
    "或找不到第六部分。",
    "fee-unreadable": "第六部分提到了信息处理费，但既读不出金额，也没有写明未收取。",
    "structure-part-missing": "报告缺少六个部分中的某一部分（每缺一部分一条）。",
    "structure-table-missing": "第二、三、四部分中某一张表格找不到（该表的单元格全部缺失）。",
    "structure-label-wording": "表格的行、列标签与格式规定的用语不一致（每种用语一条）。",
    "structure-template-outdated": "报告的年度晚于所用格式的适用年度。"
    "年度或格式无法确定时，本规则无法核对。",
    "structure-blank-cells": "应填数字的单元格为空白（没有发生的应填0）。"
    "全报告一条，列出所有空白单元格。",
    "series-carry-over/<column>": "本年报告的“二、上年结转政府信息公开申请数量”"
    "与上年报告的“四、结转下年度继续办理”不相等（每列一条）。",
    "series-in-force/<row>": "本年现行有效件数不等于上年现行有效件数加本年制发件数减本年废止件数"
    "（规章、行政规范性文件各一条）。",
}
"""What fails each declaration, for the clerk (``RuleDef.doc`` is written for developers)."""


# --- selectors for check ---------------------------------------------------------------------


def selection(
    select: str | None, ignore: str | None
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """``--select`` and ``--ignore`` as selectors; an unknown one is a usage error (exit 2)."""
    out: list[tuple[str, ...] | None] = []
    for option, value in (("--select", select), ("--ignore", ignore)):
        chosen = selectors(value)
        if chosen is not None and not chosen:
            raise CliError(f"{option} 没有给出任何规则")
        try:
            REGISTRY.select(chosen)
        except UnknownRuleError as exc:
            raise CliError(f"{option}：{_unknown(exc.selector, exc.close)}") from None
        out.append(chosen)
    return out[0], out[1]


def _unknown(name: str, close: Sequence[str], what: str = "规则、规则前缀或类别") -> str:
    said = f"没有名为“{name}”的{what}"
    if close:
        return f"{said}。最接近的是：{'、'.join(close)}。可用 gxnianbao rules 列出全部规则。"
    return f"{said}。可用 gxnianbao rules 列出全部规则。"


# --- gxnianbao rules ---------------------------------------------------------------------------


def _spec(name: str | None) -> TemplateSpec:
    return LATEST if name is None else TEMPLATES[name]


def _family(family: str) -> str:
    words = FAMILY_WORDS.get(family)
    return f"{words}（{family}）" if words else family


def _severity(severity: str) -> str:
    return f"{SEVERITY_ZH.get(severity, severity)}（{severity}）"


def _rule_dict(rule: Rule) -> dict[str, str]:
    return {
        "id": rule.id,
        "severity": rule.severity,
        "family": rule.family,
        "family_words": FAMILY_WORDS.get(rule.family, rule.family),
        "expression": rule.expression,
    }


def cmd_rules(args: argparse.Namespace) -> int:
    """Every rule a report of the template can get (and the series rules), one per line."""
    spec = _spec(args.template)
    rules = REGISTRY.catalogue(spec)
    if args.format == "json":
        print(json.dumps([_rule_dict(r) for r in rules], ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{spec.document}格式（{spec.name}）的规则，共{len(rules)}条：")
    print("规则\t严重程度\t类别\t公式")
    for r in rules:
        print(f"{r.id}\t{_severity(r.severity)}\t{_family(r.family)}\t{r.expression}")
    return EXIT_OK


# --- gxnianbao explain -------------------------------------------------------------------------


def _find(rule_id: str, template: str | None) -> tuple[Rule, RuleDef, TemplateSpec]:
    """The rule, its declaration and the template it is explained in (the one asked for, else
    the first stock template that has it, the one in force first)."""
    specs = [_spec(template)] if template else [LATEST, *TEMPLATES.values()]
    for spec in specs:
        for d in REGISTRY.defs:
            for r in d.rules(spec):
                if r.id == rule_id:
                    return r, d, spec
    known = {r.id for r in REGISTRY.every_rule(_spec(template))}
    raise CliError(_unknown(rule_id, closest(rule_id, known), "规则"))


def _identity_example(eq: Equation, spec: TemplateSpec) -> list[str]:
    """Small numbers that break the equation: the left side one more than the right."""
    words = names(spec)
    left = [2] + [1] * (len(eq.left) - 1)
    right = [1] * len(eq.right)
    if sum(left) == sum(right):
        left[0] += 1
    lines = []
    shown = [*zip(eq.left, left, strict=True), *zip(eq.right, right, strict=True)]
    for ref, value in shown[:8]:
        cell = words.cell.get(ref, ".".join(ref))
        lines.append(f'  {words.table.get(ref[0], ref[0])}"{cell}"填写为{value}')
    if len(shown) > 8:
        lines.append(f"  其余{len(shown) - 8}个单元格各填写为1")
    wording = eq.identity.wording
    if wording is None:
        scope, l_words, r_words = eq.expression, "左边各项之和", "右边各项之和"
    else:
        if eq.identity.over == "columns":
            scope_name = words.column.get((eq.identity.table, eq.scope), eq.scope)
        else:
            scope_name = words.row.get((eq.identity.table, eq.scope), eq.scope)
        scope = wording.scope.format(scope=scope_name)
        l_words, r_words = wording.left, wording.right
    a, b = sum(left), sum(right)
    lines.append(f"  则：{scope}：{l_words}（{a}）不等于{r_words}（{b}），相差{abs(a - b)}。")
    return lines


def example(rule: Rule, spec: TemplateSpec) -> list[str]:
    """A short failing case, from the rule itself where it can be (identities, columns)."""
    for eq in equations(spec):
        if eq.id == rule.id:
            return _identity_example(eq, spec)
    words = names(spec)
    head, _, tail = rule.id.partition("/")
    if rule.family == "narrative":
        where = rule.expression
        return [f"  一、总体情况写明12件，而{where}为13：", "  则：两者不一致，相差1。"]
    if head == "series-carry-over":
        column = words.column.get(("applications", tail), tail)
        return [
            f'  表三"{column}"列：2023年报告的"二、上年结转政府信息公开申请数量"（3）'
            f'不等于2022年报告的"四、结转下年度继续办理"（2），相差1。'
        ]
    if head == "series-in-force":
        row = words.row.get(("active_disclosure", tail), tail)
        return [
            f'  表二"{row}"：2023年现行有效件数（4）不等于2022年现行有效件数（4）加2023年制发件数'
            "（2）减2023年废止件数（1）（5），相差1。"
        ]
    if rule.id == "structure-template-outdated":
        older = min(TEMPLATES.values(), key=lambda s: s.last_year or 10_000)
        year = (older.last_year or 0) + 2
        return [
            f"  本报告为{year}年度报告，使用的是{older.document}印发的格式；"
            f"应使用{LATEST.document}印发的格式。"
        ]
    return [f"  {_EXAMPLES.get(rule.id, '（无示例）')}"]


_EXAMPLES = {
    "nonnegative-integer": '表二"行政许可·本年处理决定数量"填写为-3，或"行政处罚·本年处理决定数量"'
    "填写为2.5。",
    "fee-not-reported": "第六部分只写了“无。”，没有说明信息处理费的收取情况。",
    "fee-unreadable": "“本年度收取信息处理费叁佰元。”：提到了信息处理费，但读不出金额。",
    "structure-part-missing": "未找到第五部分“五、存在的主要问题及改进情况”。",
    "structure-table-missing": "第三部分没有表格：表三的单元格全部缺失。",
    "structure-label-wording": "表二第48行的标签“规范性文件”与格式用语不一致，"
    "格式规定为“行政规范性文件”。",
    "structure-blank-cells": '表二"行政强制·本年处理决定数量"为空白（核对勾稽关系时按0计算）。'
    "没有发生的请填写0。",
}


def cmd_explain(args: argparse.Namespace) -> int:
    """One rule: id, family, severity, formula, what fails it and a failing example."""
    rule, declared, spec = _find(args.rule, args.template)
    fails = _FAILS.get(declared.id, "")
    shown = example(rule, spec)
    if args.format == "json":
        out = {
            **_rule_dict(rule),
            "template": spec.name,
            "fails": fails,
            "example": "\n".join(line.strip() for line in shown),
            "doc": declared.doc,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"规则：{rule.id}")
    print(f"类别：{_family(rule.family)}")
    print(f"严重程度：{_severity(rule.severity)}")
    print(f"格式：{spec.document}（{spec.name}）")
    print(f"公式：{rule.expression}")
    if fails:
        print(f"不通过的情形：{fails}")
    print("示例（不通过）：")
    print("\n".join(shown))
    return EXIT_OK
