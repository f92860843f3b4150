"""validate(report, rules=...): each rule, a rule's columns, or a family, on its own.

Why: a 政务公开 office re-checking one fix, or a tool that only wants the 勾稽关系, should not
have to filter every finding itself, and a misspelt rule id must not silently select nothing.
"""

from __future__ import annotations

import pytest
from conftest import SEEDS, shared_path

import gxnianbao
from gxnianbao.check.rules import FAMILIES, rules


def _seed(prefix: str) -> gxnianbao.Report:
    shared_path("seeds")
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return gxnianbao.parse_report(path.read_text(encoding="utf-8-sig"))


def test_one_rule_id() -> None:
    report = _seed("003")
    assert [f.rule for f in gxnianbao.validate(report)] == ["narrative-received"]
    only = gxnianbao.validate(report, rules=["narrative-received"])
    assert [(f.rule, f.left, f.right) for f in only] == [("narrative-received", 2, 0)]
    assert gxnianbao.validate(report, rules=["fee-not-reported"]) == []


def test_prefix_selects_every_column_and_family_selects_all_its_rules() -> None:
    report = _seed("004")
    balance = gxnianbao.validate(report, rules=["t3-balance"], include_passed=True)
    assert sorted(f.rule for f in balance) == sorted(
        r.id for r in rules() if r.id.startswith("t3-balance/")
    )
    assert len(balance) == 7
    identities = gxnianbao.validate(report, rules=["identities"], include_passed=True)
    # (identities-unsatisfiable speaks only where recovery proved an inconsistency.)
    proven = {"identities-unsatisfiable"}
    assert {f.rule for f in identities} == {
        r.id for r in rules() if r.family == "identities"
    } - proven
    everything = gxnianbao.validate(report, include_passed=True)
    assert (
        gxnianbao.validate(report, rules=[name for name, _ in FAMILIES], include_passed=True)
        == everything
    )


def test_seed_000_fee_rule_alone() -> None:
    report = _seed("000")
    found = gxnianbao.validate(report, rules="fee-not-reported")  # type: ignore[arg-type]
    assert [(f.rule, f.severity, f.status) for f in found] == [
        ("fee-not-reported", "warning", "fail")
    ]


def test_unknown_selector_is_an_error() -> None:
    report = _seed("003")
    with pytest.raises(ValueError, match="'t3-balanse'"):
        gxnianbao.validate(report, rules=["t3-balanse"])
