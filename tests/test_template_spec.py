"""The template as the parser's only source of words: resolving, extending, detecting.

Adding a row-label alias is one declaration (``with_aliases``) plus its test, shown here on a
report whose 行政许可 row is written 许可事项.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from conftest import FIXTURES

import gxnianbao
from gxnianbao.bind.labels import vocabulary
from gxnianbao.common.labels import core
from gxnianbao.templates import (
    CHRONOLOGICAL,
    LATEST,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATES,
    for_year,
    resolve,
)

PACKAGE = Path(gxnianbao.__file__).parent


# --- resolve and for_year ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_resolve_a_name(name: str) -> None:
    assert resolve(name) is TEMPLATES[name]


def test_resolve_a_spec_and_none() -> None:
    spec = TEMPLATE_2021.with_aliases("active_disclosure", "licensing", "许可事项")
    assert resolve(spec) is spec
    assert resolve(None) is LATEST


def test_an_unknown_name_lists_the_names() -> None:
    with pytest.raises(ValueError, match=re.escape(f"template must be one of {sorted(TEMPLATES)}")):
        resolve("2020")


def test_a_spec_keeps_a_stock_name() -> None:
    with pytest.raises(ValueError, match="must keep the name of a stock template"):
        resolve(attrs.evolve(TEMPLATE_2021, name="local"))


@pytest.mark.parametrize(
    ("year", "expected"),
    [(None, TEMPLATE_2021), (2019, TEMPLATE_2019), (2020, TEMPLATE_2019), (2021, TEMPLATE_2021)],
)
def test_for_year(year: int | None, expected: object) -> None:
    assert for_year(year) is expected


def test_chronological_order() -> None:
    assert CHRONOLOGICAL == (TEMPLATE_2019, TEMPLATE_2021)


# --- extending a template with an alias --------------------------------------------------

LOCAL = (
    (FIXTURES / "markdown.txt").read_text(encoding="utf-8").replace("| 行政许可 |", "| 许可事项 |")
)


def test_a_local_row_label_does_not_bind_with_the_stock_template() -> None:
    report = gxnianbao.parse_report(LOCAL)
    assert report.active_disclosure.licensing.decisions is None
    assert [row.label for row in report.extra_rows] == ["许可事项"]
    assert "unknown-row" in {d.code for d in report.diagnostics}


@pytest.mark.parametrize("parse", [gxnianbao.parse_report, gxnianbao.parse_file])
def test_a_local_row_label_binds_with_the_extended_template(parse: object) -> None:
    spec = TEMPLATE_2021.with_aliases("active_disclosure", "licensing", "许可事项")
    source = LOCAL if parse is gxnianbao.parse_report else LOCAL.encode("utf-8")
    report = parse(source, template=spec)  # type: ignore[operator]
    stock = gxnianbao.parse_report((FIXTURES / "markdown.txt").read_text(encoding="utf-8"))
    assert report.active_disclosure.licensing.decisions == 156
    assert report.active_disclosure == stock.active_disclosure
    assert report.extra_rows == ()
    assert report.meta.template == "2021"


def test_with_aliases_leaves_the_stock_template_alone() -> None:
    spec = TEMPLATE_2021.with_aliases("active_disclosure", "licensing", "许可事项")
    assert "许可事项" in spec.table("active_disclosure").row("licensing").aliases
    assert "许可事项" not in TEMPLATE_2021.table("active_disclosure").row("licensing").aliases
    with pytest.raises(KeyError):
        TEMPLATE_2021.with_aliases("active_disclosure", "no_such_row", "x")


def test_vocabularies_are_cached_by_value_and_bounded() -> None:
    table = TEMPLATE_2021.table("applications")
    assert vocabulary(table) is vocabulary(attrs.evolve(table))
    assert vocabulary.cache_info().maxsize is not None


# --- detection markers -------------------------------------------------------------------


def _label_cores(spec: gxnianbao.templates.TemplateSpec, part: int) -> set[str]:
    table = next(t for t in spec.tables if t.number == part)
    words = [*table.header_labels, *(g.label for g in table.groups)]
    for group in table.groups:
        words.extend(group.aliases)
    for row in table.rows:
        words.extend((row.label, *row.aliases))
        for col in row.columns:
            words.extend((col.label, *col.aliases))
    return {core(w) for w in words}


@pytest.mark.parametrize("spec", CHRONOLOGICAL, ids=lambda s: s.name)
def test_markers_are_labels_of_their_template_only(spec: gxnianbao.templates.TemplateSpec) -> None:
    for marker in spec.markers:
        own = _label_cores(spec, marker.part)
        for word in marker.words:
            assert any(core(word) in label for label in own), word
            for other in CHRONOLOGICAL:
                if other is not spec:
                    theirs = _label_cores(other, marker.part)
                    assert not any(core(word) in label for label in theirs), (word, other.name)


def test_template_names_only_in_templates() -> None:
    """The parser's stages name no template: every such word is the spec's."""
    files = [
        PACKAGE / "parse.py",
        *(PACKAGE / "locate").glob("*.py"),
        *(PACKAGE / "bind").glob("*.py"),
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name in TEMPLATES:
            assert f'"{name}"' not in text and f"'{name}'" not in text, (path.name, name)


# --- detection, table-driven --------------------------------------------------------------

DETECTION: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    # (title year, a line of table 2, a line of table 3, template read, template diagnostics)
    ("2023年", "信息内容\t本年新制作数量", "", "2019", ()),
    ("2020年", "信息内容\t本年制发件数", "", "2021", ()),
    ("2020年", "", "1.申请人无正当理由逾期不补正", "2021", ()),
    ("2023年", "本年新制作数量\n政府集中采购", "逾期不补正", "2019", ("template-evidence-mixed",)),
    ("2020年", "本年新制作数量", "逾期不补正", "2021", ("template-evidence-mixed",)),
    ("2020年", "", "", "2019", ("template-evidence-weak",)),
    ("2021年", "", "", "2021", ("template-evidence-weak",)),
    ("", "", "", "2021", ("template-evidence-weak",)),
]


@pytest.mark.parametrize(("year", "line2", "line3", "expected", "codes"), DETECTION)
def test_detection(
    year: str, line2: str, line3: str, expected: str, codes: tuple[str, ...]
) -> None:
    text = (
        f"某县{year}政府信息公开工作年度报告\n一、总体情况\n正文\n"
        f"二、主动公开政府信息情况\n{line2}\n三、收到和处理政府信息公开申请情况\n{line3}\n"
        "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n"
    )
    report = gxnianbao.parse_report(text)
    assert report.meta.template == expected
    found = tuple(d.code for d in report.diagnostics if d.code.startswith("template-"))
    assert found == codes
