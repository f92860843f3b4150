"""The template vocabulary as data and the rules as one registry.

Adding a rule is one declaration (registered on a copy of the registry), adding an identity is
one declaration on a spec; the rule page is generated from the registry; ``check/`` names no
template.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from decimal import Decimal

import attrs
import pytest
from conftest import ROOT
from test_rules import failing, make_report, plain

import gxnianbao
from gxnianbao.check import docs, rules
from gxnianbao.check.context import Context
from gxnianbao.check.findings import Finding
from gxnianbao.check.registry import RuleDef
from gxnianbao.templates import TEMPLATE_2019, TEMPLATE_2021, Identity, Wording
from gxnianbao.templates.identities import equations
from gxnianbao.templates.names import names
from gxnianbao.templates.quantities import QUANTITIES

# --- a rule is one declaration -------------------------------------------------------------------


def _six_parts(ctx: Context, include_passed: bool) -> list[Finding]:
    found = len({s.number for s in ctx.report.sections})
    if found == 6:
        return [SIX_PARTS.finding("pass", "六个部分都在。")] if include_passed else []
    return [SIX_PARTS.finding("fail", f"只找到{found}个部分。", left=found, right=6)]


SIX_PARTS = RuleDef("example-six-parts", "info", "example", "报告共六部分", check=_six_parts)


def test_a_rule_declared_once_is_run_listed_and_selectable() -> None:
    registry = rules.REGISTRY.add(SIX_PARTS)
    report = make_report(plain(), other_matters="无。", parts=(1, 2, 3, 4, 5))
    found = registry.validate(report)
    assert found[-1].rule == "example-six-parts"  # a new family runs after the others
    assert (found[-1].severity, found[-1].expression, found[-1].difference) == (
        "info",
        "报告共六部分",
        -1,
    )
    assert found[:-1] == gxnianbao.validate(report)  # the built-in registry is unchanged
    assert [f.rule for f in registry.validate(report, rules=["example"])] == ["example-six-parts"]
    assert registry.families[-1] == "example"
    assert "example-six-parts" in {r.id for r in registry.catalogue()}
    whole = make_report(plain(), other_matters="无。")
    passed = registry.validate(whole, rules=["example-six-parts"], include_passed=True)
    assert [(f.rule, f.status) for f in passed] == [("example-six-parts", "pass")]
    with pytest.raises(ValueError, match="already declared"):
        registry.add(SIX_PARTS)


def test_every_family_builds_its_findings_with_the_one_constructor() -> None:
    finding = SIX_PARTS.finding("fail", "x", rule="example-six-parts/x", left=3, right=5)
    assert (finding.rule, finding.difference, len(finding.fingerprint)) == (
        "example-six-parts/x",
        -2,
        16,
    )
    assert finding.fingerprint != SIX_PARTS.finding("fail", "x", left=3, right=4).fingerprint


# --- an identity is one declaration --------------------------------------------------------------

MADE_UP = Identity(
    "t4-review-equals-direct",
    "review_litigation",
    "行政复议 = 未经复议直接起诉",
    ("review",),
    ("litigation_direct",),
    "columns",
    wording=Wording('表四"{scope}"列', "行政复议", "未经复议直接起诉"),
)


def test_an_identity_declared_on_a_spec_gives_findings() -> None:
    spec = attrs.evolve(TEMPLATE_2021, identities=(*TEMPLATE_2021.identities, MADE_UP))
    new = [eq.id for eq in equations(spec) if eq.identity is MADE_UP]
    assert new == [
        f"t4-review-equals-direct/{c}" for c in ("upheld", "corrected", "other", "pending", "total")
    ]
    report = make_report(
        plain(review_litigation__review__upheld=1),
        other_matters="本年度未收取信息处理费。",
    )
    assert failing(gxnianbao.validate(report)) == set()
    findings = gxnianbao.validate(report, template=spec)
    assert failing(findings) == {"t4-review-equals-direct/upheld", "t4-review-equals-direct/total"}
    (upheld,) = [f for f in findings if f.rule == "t4-review-equals-direct/upheld"]
    assert upheld.message == '表四"结果维持"列：行政复议（1）不等于未经复议直接起诉（0），相差1。'
    assert {r.id for r in rules.rules(spec)} >= set(new)


def test_identities_come_from_the_spec() -> None:
    assert [i.id for i in TEMPLATE_2021.identities] == [i.id for i in TEMPLATE_2019.identities]
    (results_2019,) = [i for i in TEMPLATE_2019.identities if i.id == "t3-results-total"]
    assert results_2019.right[-1] == "other"
    assert all(i.wording is not None for i in TEMPLATE_2021.identities)
    assert equations("2021") == equations(TEMPLATE_2021)


# --- the template's words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "cell", "name"),
    [
        (
            TEMPLATE_2021,
            ("applications", "withheld.state_secret", "natural_person"),
            "（三）不予公开 1.属于国家秘密·自然人",
        ),
        (TEMPLATE_2021, ("applications", "partially_granted", "total"), "（二）部分公开·总计"),
        (TEMPLATE_2021, ("applications", "granted", "total"), "（一）予以公开·总计"),
        (
            TEMPLATE_2021,
            ("active_disclosure", "fees", "amount_wan_yuan"),
            "行政事业性收费·本年收费金额",
        ),
        (
            TEMPLATE_2021,
            ("review_litigation", "litigation_direct", "total"),
            "行政诉讼（未经复议直接起诉）·总计",
        ),
        (TEMPLATE_2019, ("applications", "other", "total"), "（六）其他处理·总计"),
        (
            TEMPLATE_2019,
            ("active_disclosure", "normative_documents", "made"),
            "规范性文件·本年新制作数量",
        ),
    ],
)
def test_cells_are_named_in_the_template_words(
    spec: object, cell: tuple[str, str, str], name: str
) -> None:
    assert names(spec).cell[cell] == name  # type: ignore[arg-type]


def test_table_numbers_and_template_facts() -> None:
    assert [t.words for t in TEMPLATE_2021.tables] == ["表二", "表三", "表四"]
    assert [t.number for t in TEMPLATE_2019.tables] == [2, 3, 4]
    assert (TEMPLATE_2019.last_year, TEMPLATE_2021.last_year) == (2020, None)
    assert (TEMPLATE_2019.fee_statement, TEMPLATE_2021.fee_statement) == (False, True)
    assert names(TEMPLATE_2019).signed == {("active_disclosure", r, "change") for r in (
        "licensing", "other_services", "punishment", "coercion", "fees")}  # fmt: skip
    assert ("active_disclosure", "procurement", "amount") in names(TEMPLATE_2019).amounts


@pytest.mark.parametrize(
    ("quantity", "cells_2021", "cells_2019"),
    [
        (
            "other-handling",
            ("other.overdue_correction", "other.unpaid_fee", "other.other"),
            ("other",),
        ),
        (
            "withheld",
            tuple(r.key for r in TEMPLATE_2021.table("applications").rows if r.group == "withheld"),
            None,
        ),
        ("received", ("received",), None),
    ],
)
def test_narrative_cells_follow_the_spec_rows(
    quantity: str, cells_2021: tuple[str, ...], cells_2019: tuple[str, ...] | None
) -> None:
    q = QUANTITIES[quantity]
    assert q.cells_for(TEMPLATE_2021) == tuple(("applications", r, "total") for r in cells_2021)
    rows_2019 = cells_2021 if cells_2019 is None else cells_2019
    assert q.cells_for("2019") == tuple(("applications", r, "total") for r in rows_2019)
    assert q.cells_for(None) == q.cells


def test_counts_the_2019_table_has_no_columns_for_give_no_cells() -> None:
    assert QUANTITIES["normative-issued"].cells_for(TEMPLATE_2019) == ()
    assert QUANTITIES["licensing"].cells_for(TEMPLATE_2019) == (
        ("active_disclosure", "licensing", "decisions"),
    )


def test_outdated_template_and_fee_come_from_the_spec() -> None:
    report = make_report(plain(), template="2019", year=2022, other_matters="无。")
    found = {f.rule: f for f in gxnianbao.validate(report)}
    assert "fee-not-reported" not in found  # the 2019 spec asks for no fee statement
    assert found["structure-template-outdated"].message == (
        "本报告为2022年度报告，使用的是2019年版格式（国办公开办函〔2019〕60号）；"
        "2021年度起应使用国办公开办函〔2021〕30号印发的格式。"
    )
    later = attrs.evolve(TEMPLATE_2019, last_year=2022)
    assert failing(gxnianbao.validate(report, template=later, rules=["structure"])) == set()


# --- the rule page, and check/ without template names ------------------------------------------


def test_docs_rule_tables_are_current() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert docs.updated(page) == page, "run: python -m gxnianbao.check.docs docs/rules.md"


def test_no_template_name_in_check() -> None:
    for path in sorted((ROOT / "gxnianbao" / "check").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for name in ("2019", "2021"):
                    assert name not in node.value, f"{path.relative_to(ROOT)}:{node.lineno}"


@pytest.mark.slow
def test_importing_compiles_no_narrative_pattern() -> None:
    code = (
        "import gxnianbao, gxnianbao.check.rules\n"
        "from gxnianbao.check.narrative.patterns import rx\n"
        "print(rx.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_validate_keeps_its_decimal_and_fee_behaviour() -> None:
    # The fee amount may have decimals; a count may not (values.py).
    from test_rules import FEE_KEY

    report = make_report(plain(), values={FEE_KEY: Decimal("1.5")}, other_matters="无。")
    assert "nonnegative-integer" not in failing(gxnianbao.validate(report))
