"""The 2019 trial template (国办公开办函〔2019〕60号): round trips, detection, extra rows, amounts.

Why: reports on 2019 and 2020 use tables 2 and 3 of their own (items on lists with a signed
本年增/减, 政府集中采购 with a unit inside its cell, a single （六）其他处理 row), and often leave
zero cells and the whole 总计 column blank.  A generated report knows the answer for all 198
cells, so every layout must give them back exactly, and the right template must be recognised.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import reportgen
from reportgen import (
    ALL_KEYS_2019,
    AMOUNT_KEY,
    APP_COLUMNS,
    BINDING_WARNINGS,
    CHANGE_KEYS,
    DOC_COLUMNS,
    DOC_COLUMNS_2019,
    GAP_LAYOUTS,
    LAYOUTS,
    OUTCOME_GROUPS,
    STRUCTURE_WARNINGS,
    TEMPLATES,
    Gap,
    GenReport,
    Layout,
    Style,
    Template,
    build_report,
    identity_violations,
    normalise_number_text,
    render,
    rendered,
    reports_2019,
    reports_of,
    reports_with_gaps,
    span_position_mismatches,
    styles,
    uncertain_end_rows,
)

import gxnianbao
from gxnianbao.model import ActiveDisclosure, ActiveDisclosure2019, Applications2019

ROUNDTRIP = settings(reportgen.ROUNDTRIP, max_examples=settings.default.max_examples // 3)
TEMPLATE_WARNINGS = frozenset({"template-evidence-mixed", "template-evidence-weak"})
YUAN = {"元": Decimal(1), "万元": Decimal(10000)}
CHANGE_KEY = ("active_disclosure", "licensing", "change")


# --- checking one parse --------------------------------------------------------------------


def cell_mismatches(
    report: gxnianbao.Report, r: GenReport, text: str, *, uncertain_ends: bool = False
) -> list[str]:
    """The shared check of every cell, plus each span's line and column."""
    cells = reportgen.cell_mismatches(report, r, text, uncertain_ends=uncertain_ends)
    return cells + span_position_mismatches(report, r, text)


def typed_mismatches(report: gxnianbao.Report, r: GenReport) -> list[str]:
    """Table 2 through its typed attributes, and 采购总金额's unit and yuan value."""
    ad = report.active_disclosure
    if not isinstance(ad, ActiveDisclosure2019):
        return [f"active_disclosure is {type(ad).__name__}, not ActiveDisclosure2019"]
    apps = report.applications
    if not isinstance(apps, Applications2019):
        return [f"applications is {type(apps).__name__}, not Applications2019"]
    problems: list[str] = []
    for key in r.keys():
        table, row, col = key
        if table != "active_disclosure":
            continue
        _, value = r.expected(key)
        got = getattr(getattr(ad, row), col)
        if got != value or (got is None) != (value is None):
            problems.append(f"ad.{row}.{col}: expected {value!r}, got {got!r}")
    for col in ("natural_person", "total"):
        _, value = r.expected(("applications", "other", col))
        if getattr(apps.other, col) != value:
            problems.append(f"apps.other.{col}: expected {value!r}")
    p = ad.procurement
    status, amount = r.expected(AMOUNT_KEY)
    if status == "reported":
        assert isinstance(amount, Decimal)
        unit = r.amount_unit
        want_yuan = None if unit is None else amount * YUAN[unit]
        got = (p.amount, p.amount_unit, p.amount_yuan)
        if got != (amount, unit, want_yuan) or type(p.amount_yuan) is not type(want_yuan):
            problems.append(f"procurement: expected {(amount, unit, want_yuan)}, got {got}")
    elif (p.amount, p.amount_unit, p.amount_yuan) != (None, None, None):
        problems.append(f"procurement: a {status} amount gives {p.amount!r} {p.amount_unit!r}")
    return problems


def check_2019(layout: Layout, r: GenReport, style: Style, *, plain: bool) -> None:
    """Parse the rendering: template, every cell, typed table 2, and no stray diagnostics."""
    text = render(layout, r, style)
    note(text)
    report = gxnianbao.parse_report(text)
    tab_rows = layout == "tab_rows"
    problems = cell_mismatches(report, r, text, uncertain_ends=tab_rows)
    problems += [] if tab_rows and uncertain_end_rows(r) else typed_mismatches(report, r)
    if report.meta.template != "2019":
        problems.append(f"meta.template is {report.meta.template!r}")
    codes = [d.code for d in report.diagnostics]
    if bad := [d for d in report.diagnostics if d.severity == "error"]:
        problems.append(f"error diagnostics on a valid report: {bad}")
    if bad := [c for c in codes if c in STRUCTURE_WARNINGS | TEMPLATE_WARNINGS]:
        problems.append(f"structure or template diagnostics on a complete report: {bad}")
    if "negative-count" in codes:
        problems.append("a signed 本年增/减 was reported as a negative count")
    if plain and layout != "tab_rows" and (bad := [c for c in codes if c in BINDING_WARNINGS]):
        problems.append(f"binding diagnostics on an exact layout: {bad}")
    assert report.extra_rows == ()
    assert not problems, f"{layout}: {len(problems)} problem(s):\n" + "\n".join(problems[:25])


# --- the generator (needs no parser) ---------------------------------------------------------


@given(reports_2019())
def test_generated_2019_reports_satisfy_every_identity(r: GenReport) -> None:
    assert r.template == "2019" and list(r.cells) == list(ALL_KEYS_2019)
    assert identity_violations(r) == []
    assert r.amount_unit in ("元", "万元") and r.gaps == {} and r.extra_rows == ()
    for key in CHANGE_KEYS:  # a decrease never exceeds the previous year's items
        previous = r.cells[(key[0], key[1], "previous_items")]
        assert r.cells[key] >= -previous


def test_2019_keys_are_the_library_template_keys() -> None:
    """keys.md's 2019 keys as reportgen writes them out, against the library's template data."""
    from gxnianbao.templates import TEMPLATE_2019

    library = [
        (table.key, row.key, col.key)
        for table in TEMPLATE_2019.tables
        for row in table.rows
        for col in row.columns
    ]
    assert library == list(ALL_KEYS_2019)
    assert len(ALL_KEYS_2019) == 22 + 23 * 7 + 3 * 5


def test_identity_check_catches_a_broken_2019_report() -> None:
    r = build_report("某县水利局", 2020, None, {}, template="2019")
    cells = dict(r.cells)
    cells[("applications", "other", "natural_person")] = 2
    cells[("active_disclosure", "licensing", "decisions")] = -1
    assert identity_violations(attrs.evolve(r, cells=cells, amount_unit="亿元")) == [
        "（七）总计[natural_person] 0 != sum of results 2",
        "row other: total 0 != 2",
        "('active_disclosure', 'licensing', 'decisions'): -1 is not a non-negative int",
        "procurement unit '亿元' is not 元 or 万元",
    ]


@given(reports_with_gaps(template="2019"))
def test_generated_2019_gaps_are_cells_of_the_template(r: GenReport) -> None:
    assert r.gaps and set(r.gaps) <= set(ALL_KEYS_2019)
    assert set(r.gaps.values()) <= {"blank", "na"}
    assert identity_violations(r) == []


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
@ROUNDTRIP
@given(data=st.data())
def test_2019_cells_roundtrip(layout: Layout, data: st.DataObject) -> None:
    """Every cell comes back reported with its value (signed 本年增/减, amount and unit)."""
    r = data.draw(reports_2019(), label="report")
    style = data.draw(styles(layout), label="style")
    check_2019(layout, r, style, plain=True)


@pytest.mark.parametrize("layout", GAP_LAYOUTS)
@ROUNDTRIP
@given(data=st.data())
def test_2019_cells_roundtrip_with_gaps(layout: Layout, data: st.DataObject) -> None:
    """Blank cells (zeros left blank, the 总计 column empty) come back blank, ``/`` n/a."""
    r = data.draw(reports_with_gaps(template="2019"), label="report")
    style = data.draw(styles(layout), label="style")
    check_2019(layout, r, style, plain=True)


@pytest.mark.parametrize("layout", LAYOUTS)
@ROUNDTRIP
@given(data=st.data())
def test_2019_cells_roundtrip_perturbed(layout: Layout, data: st.DataObject) -> None:
    """Variant labels (本年增减), ``+12`` / ``－８``, units, thousands, spaced labels..."""
    gen = reports_with_gaps(template="2019") if layout in GAP_LAYOUTS else reports_2019()
    r = data.draw(gen, label="report")
    style = data.draw(styles(layout, perturbed=True), label="style")
    check_2019(layout, r, style, plain=False)


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(
    max_examples=settings.default.max_examples // 6, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_2019_meta_roundtrip(layout: Layout, data: st.DataObject) -> None:
    """Issuer, year, template, publication date (scrape) and 信息处理费."""
    r = data.draw(reports_2019(), label="report")
    style = data.draw(styles(layout, perturbed=data.draw(st.booleans())), label="style")
    text = render(layout, r, style)
    note(text)
    report = gxnianbao.parse_report(text)
    meta = report.meta
    published = r.published if layout == "scrape" else None
    assert (meta.issuer, meta.year, meta.template, meta.published) == (
        r.issuer, r.year, "2019", published,
    )  # fmt: skip
    assert report.processing_fee == r.fee
    assert type(report.processing_fee) is type(r.fee)


# --- template detection --------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("perturbed", [False, True], ids=["plain", "perturbed"])
@settings(
    max_examples=settings.default.max_examples // 2,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(data=st.data())
def test_template_detected(template: Template, perturbed: bool, data: st.DataObject) -> None:
    """Every layout, gaps and label variants: the report's own labels name its template."""
    layout, r, text = data.draw(rendered(perturbed=perturbed, template=template), label="text")
    note(f"{layout}: {r!r}")
    report = gxnianbao.parse_report(text)
    assert report.meta.template == template
    assert [d.code for d in report.diagnostics if d.code in TEMPLATE_WARNINGS] == []
    want = ActiveDisclosure2019 if template == "2019" else ActiveDisclosure
    assert type(report.active_disclosure) is want


@pytest.mark.parametrize("layout", LAYOUTS)
def test_template_detected_against_the_year(layout: Layout) -> None:
    """Labels outweigh the year: a 2021-template report on 2020, a 2019 one on 2021."""
    for template, year in (("2021", 2020), ("2019", 2021)):
        r = build_report("某县水利局", year, None, {}, template=template)
        report = gxnianbao.parse_report(render(layout, r, Style(seed=5)))
        assert (report.meta.template, report.meta.year) == (template, year)


@pytest.mark.parametrize("layout", ["tab_rows", "markdown"])
def test_template_without_table_2(layout: Layout) -> None:
    """No table 2: 2021's （六） sub-rows still speak for 2021; else the year decides."""
    for template, year in (("2021", 2020), ("2019", 2020), ("2019", 2022)):
        r = build_report("某县水利局", year, None, {}, template=template)
        text = render(layout, r, Style(seed=5))
        lines = text.split("\n")
        two = next(i for i, t in enumerate(lines) if t.endswith("二、主动公开政府信息情况"))
        three = next(i for i, t in enumerate(lines) if t.endswith("收到和处理政府信息公开申请情况"))
        text = "\n".join([*lines[: two + 1], "", *lines[three:]])
        report = gxnianbao.parse_report(text)
        weak = [d for d in report.diagnostics if d.code == "template-evidence-weak"]
        if template == "2021":
            assert (report.meta.template, weak) == ("2021", [])
        else:
            by_year = "2019" if year <= 2020 else "2021"
            assert report.meta.template == by_year
            assert [(d.severity, d.message) for d in weak] == [
                ("info", f"no label tells the template apart; read as the {by_year} template "
                 f"(reporting year {year})"),
            ]  # fmt: skip


def test_forcing_the_template_gives_the_same_2019_report() -> None:
    r = build_report("某县水利局", 2020, None, {CHANGE_KEY: -8}, template="2019")
    text = render("tab_rows", r, Style(seed=2))
    assert gxnianbao.parse_report(text, template="2019") == gxnianbao.parse_report(text)


# --- extra rows ----------------------------------------------------------------------------

EXTRA_LABELS = ("其他主动公开文件", "其他文件", "部门文件")


@st.composite
def reports_with_extra_rows(draw: st.DrawFn, template: Template) -> GenReport:
    """A report (with gaps sometimes) plus one or two local rows at the end of （一）."""
    r = draw(st.one_of(reports_of(template), reports_with_gaps(template=template)))
    labels = draw(st.lists(st.sampled_from(EXTRA_LABELS), min_size=1, max_size=2, unique=True))
    count = st.integers(0, 999)
    rows = tuple((label, tuple(draw(st.lists(count, min_size=3, max_size=3)))) for label in labels)
    return attrs.evolve(r, extra_rows=rows)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GAP_LAYOUTS)
@settings(
    max_examples=settings.default.max_examples // 5, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_extra_rows_are_kept_apart(template: Template, layout: Layout, data: st.DataObject) -> None:
    """A local row is kept with its label, changes no template cell, and is reported."""
    r = data.draw(reports_with_extra_rows(template), label="report")
    text = render(layout, r, data.draw(styles(layout), label="style"))
    note(text)
    report = gxnianbao.parse_report(text)
    assert report.meta.template == template
    columns = DOC_COLUMNS_2019 if template == "2019" else DOC_COLUMNS
    got = [
        (x.table, x.label, [(c.column, c.value, str(c.status)) for c in x.cells])
        for x in report.extra_rows
    ]
    want = [
        (label, [(col, v, "reported") for col, v in zip(columns, values, strict=True)])
        for label, values in r.extra_rows
    ]
    assert got == [("active_disclosure", *row) for row in want]
    for extra in report.extra_rows:
        assert text[extra.span.start : extra.span.end] == extra.label
        for c in extra.cells:
            assert c.span is not None and text[c.span.start : c.span.end] == str(c.value)
    # Every template cell as without the extra rows.
    assert cell_mismatches(report, r, text, uncertain_ends=layout == "tab_rows") == []
    unknown = [d for d in report.diagnostics if d.code == "unknown-row"]
    assert [(d.severity, d.table, d.row) for d in unknown] == [
        ("warning", "active_disclosure", None)
    ] * len(r.extra_rows)
    for d, (label, values) in zip(unknown, r.extra_rows, strict=True):
        assert f"row {label!r} is not in the official template" in d.message
        assert [t.value for t in d.numbers] == list(values)
    binding = [d for d in report.diagnostics if d.code in BINDING_WARNINGS - {"unknown-row"}]
    if layout == "tab_rows":  # (rows whose empty end cells the table cannot vouch for)
        lenient = uncertain_end_rows(r)
        binding = [d for d in binding if (d.table, d.row) not in lenient]
    assert [d.code for d in binding] == []


def test_extra_row_in_a_scrape() -> None:
    """A scrape writes the local row's label and numbers one per line, like the template's."""
    r = build_report(
        "某县水利局", 2020, None, {("active_disclosure", "normative_documents", "made"): 2},
        template="2019", extra_rows=[("其他主动公开文件", (31, 0, 207))],
    )  # fmt: skip
    text = render("scrape", r, Style(seed=4))
    report = gxnianbao.parse_report(text)
    (extra,) = report.extra_rows
    assert (extra.table, extra.label) == ("active_disclosure", "其他主动公开文件")
    assert [(c.column, c.value) for c in extra.cells] == [
        ("made", 31), ("published", 0), ("total_published", 207),
    ]  # fmt: skip
    assert cell_mismatches(report, r, text) == []
    (diag,) = [d for d in report.diagnostics if d.code == "unknown-row"]
    assert diag.message == (
        "row '其他主动公开文件' is not in the official template; its numbers were not placed "
        "in template cells (kept in report.extra_rows)"
    )


# --- golden: signed changes and amounts with their units -----------------------------------

GOLDEN_TABLE_2 = """\
二、主动公开政府信息情况

第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t3\t3\t41
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t126\t-8\t3518
其他对外管理服务事项\t12\t0\t77
第二十条第（六）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t2143\t+1036\t296
行政强制\t31\t－2\t4
第二十条第（八）项
信息内容\t上一年项目数量\t本年增/减
行政事业性收费\t5\t-1
第二十条第（九）项
信息内容\t采购项目数量\t采购总金额
政府集中采购\t{projects}\t{amount}
"""
GOLDEN_REST = """\
三、收到和处理政府信息公开申请情况

（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况
\t\t自然人\t法人或其他组织\t\t\t\t\t总计
\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他
一、本年新收政府信息公开申请数量\t\t4\t2\t\t\t\t\t6
二、上年结转政府信息公开申请数量\t\t1\t\t\t\t\t\t1
三、本年度办理结果\t（一）予以公开\t2\t1\t\t\t\t\t3
\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t\t\t\t\t\t1
\t（三）不予公开\t1.属于国家秘密\t\t\t\t\t\t\t
\t\t2.其他法律行政法规禁止公开\t\t\t\t\t\t\t
\t\t3.危及“三安全一稳定”\t\t\t\t\t\t\t
\t\t4.保护第三方合法权益\t\t\t\t\t\t\t
\t\t5.属于三类内部事务信息\t\t\t\t\t\t\t
\t\t6.属于四类过程性信息\t\t\t\t\t\t\t
\t\t7.属于行政执法案卷\t\t\t\t\t\t\t
\t\t8.属于行政查询事项\t\t\t\t\t\t\t
\t（四）无法提供\t1.本机关不掌握相关政府信息\t1\t\t\t\t\t\t1
\t\t2.没有现成信息需要另行制作\t\t\t\t\t\t\t
\t\t3.补正后申请内容仍不明确\t\t\t\t\t\t\t
\t（五）不予处理\t1.信访举报投诉类申请\t\t\t\t\t\t\t
\t\t2.重复申请\t\t\t\t\t\t\t
\t\t3.要求提供公开出版物\t\t\t\t\t\t\t
\t\t4.无正当理由大量反复申请\t\t\t\t\t\t\t
\t\t5.要求行政机关确认或重新出具已获取信息\t\t\t\t\t\t\t
\t（六）其他处理\t1\t\t\t\t\t\t1
\t（七）总计\t5\t1\t\t\t\t\t6
四、结转下年度继续办理\t\t\t1\t\t\t\t\t1

四、政府信息公开行政复议、行政诉讼情况

行政复议\t\t\t\t\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0

五、存在的主要问题及改进情况

部分项目信息公开不够及时，下一步将按节点公开。

六、其他需要报告的事项

本年度未收取信息处理费。
"""
GOLDEN_HEAD = """\
示例市水务局2019年政府信息公开工作年度报告

本报告依据《中华人民共和国政府信息公开工作年度报告格式（试行）》编制，统计期限自2019年1月1日起至\
2019年12月31日止。

一、总体情况

2019年，市水务局主动公开政府信息312条，新收政府信息公开申请5件。

"""
AMOUNTS = {
    "251000元": (Decimal(251000), "元", Decimal(251000)),
    "2792220.8元": (Decimal("2792220.8"), "元", Decimal("2792220.8")),
    "2,792,220.8 元": (Decimal("2792220.8"), "元", Decimal("2792220.8")),
    "37.25万元": (Decimal("37.25"), "万元", Decimal(372500)),
    "１２６．５万元": (Decimal("126.5"), "万元", Decimal(1265000)),
    "1.2亿元": (Decimal("1.2"), "亿元", Decimal(120000000)),
}


@pytest.mark.parametrize("amount", AMOUNTS, ids=list(AMOUNTS))
def test_golden_signed_changes_and_amount(amount: str) -> None:
    """A hand-written 2019 report: signed 本年增/减, 采购总金额 with its unit, blank zeros."""
    text = GOLDEN_HEAD + GOLDEN_TABLE_2.format(projects=7, amount=amount) + "\n" + GOLDEN_REST
    report = gxnianbao.parse_report(text, strict=True)
    assert report.meta.template == "2019" and report.meta.year == 2019
    ad = report.active_disclosure
    assert isinstance(ad, ActiveDisclosure2019)
    assert ad.normative_documents.values() == {"made": 3, "published": 3, "total_published": 41}
    assert ad.licensing.values() == {"previous_items": 126, "change": -8, "decisions": 3518}
    assert ad.other_services.values() == {"previous_items": 12, "change": 0, "decisions": 77}
    assert ad.punishment.values() == {"previous_items": 2143, "change": 1036, "decisions": 296}
    assert ad.coercion.values() == {"previous_items": 31, "change": -2, "decisions": 4}
    assert ad.fees.values() == {"previous_items": 5, "change": -1}
    assert [type(v) for v in ad.punishment.values().values()] == [int, int, int]
    change = ad.punishment.cell("change")
    assert change.raw is not None and change.span is not None
    assert (change.raw, text[change.span.start : change.span.end]) == ("+1036", "+1036")
    coercion = ad.coercion.cell("change").span
    assert coercion is not None and text[coercion.start : coercion.end] == "－2"
    want_amount, want_unit, want_yuan = AMOUNTS[amount]
    p = ad.procurement
    assert p.projects == 7
    assert (p.amount, p.amount_unit, p.amount_yuan) == (want_amount, want_unit, want_yuan)
    assert type(p.amount) is Decimal and type(p.amount_yuan) is Decimal
    rec = p.cell("amount")
    assert rec.span is not None and rec.unit == want_unit
    written = text[rec.span.start : rec.span.end]
    assert normalise_number_text(written, signed=True) == format(want_amount, "f")
    assert [d.code for d in report.diagnostics if d.severity != "info"] == []
    # Table 3: zeros left blank, the single （六）其他处理 row.
    apps = report.applications
    assert isinstance(apps, Applications2019)
    assert apps.other.values() == {
        "natural_person": 1, "commercial": None, "research": None, "social_welfare": None,
        "legal_service": None, "other_org": None, "total": 1,
    }  # fmt: skip
    assert apps.carried_forward.cell("natural_person").status is gxnianbao.Status.BLANK
    assert (apps.carried_forward.commercial, apps.carried_forward.total) == (1, 1)
    assert apps.withheld.state_secret.cell("total").status is gxnianbao.Status.BLANK
    assert (apps.received.total, apps.total.total, apps.unavailable.not_held.total) == (6, 6, 1)
    rl = report.review_litigation
    assert rl is not None and (rl.review.upheld, rl.review.total) == (1, 1)


def test_golden_minus_sign() -> None:
    """PDF text writes a decrease with U+2212 MINUS SIGN: still the number -8, in its cell."""
    text = GOLDEN_HEAD + GOLDEN_TABLE_2.format(projects=7, amount="251000元") + "\n" + GOLDEN_REST
    text = text.replace("行政许可\t126\t-8\t", "行政许可\t126\t\u22128\t")
    report = gxnianbao.parse_report(text, strict=True)
    ad = report.active_disclosure
    assert isinstance(ad, ActiveDisclosure2019)
    assert ad.licensing.values() == {"previous_items": 126, "change": -8, "decisions": 3518}
    span = ad.licensing.cell("change").span
    assert span is not None and text[span.start : span.end] == "\u22128"
    assert report.extra_rows == ()
    assert [d.code for d in report.diagnostics if d.severity != "info"] == []


def test_fee_in_yi_yuan_is_converted_to_wan_yuan() -> None:
    """2021's 万元 fee column written in 亿元 reads as 万元 (as 元 does), with a warning."""
    r = build_report(
        "某市财政局", 2022, None, {("active_disclosure", "fees", "amount_wan_yuan"): 0}
    )
    text = render("tab_rows", r, Style(seed=1)).replace(
        "行政事业性收费\t0\t", "行政事业性收费\t1.2亿元\t"
    )
    report = gxnianbao.parse_report(text)
    fee = report.cell("active_disclosure", "fees", "amount_wan_yuan")
    assert (fee.value, fee.unit, str(fee.status)) == (Decimal(12000), "亿元", "reported")
    (diag,) = [d for d in report.diagnostics if d.code == "unit-converted"]
    assert diag.message == (
        "'1.2亿元' is written in 亿元 in a 万元 column; converted to 12000.0 万元"
    )


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    ("amount", "unit", "yuan"),
    [
        (Decimal(251000), "元", Decimal(251000)),
        (Decimal("2792220.8"), "元", Decimal("2792220.8")),
        (Decimal("12.5"), "万元", Decimal(125000)),
    ],
    ids=["251000元", "2792220.8元", "12.5万元"],
)
def test_golden_amounts_in_every_layout(
    layout: Layout, amount: Decimal, unit: str, yuan: Decimal
) -> None:
    """-8 and +1036 (with and without its sign) and the amount, through each renderer."""
    values = {
        ("active_disclosure", "licensing", "previous_items"): 126,
        CHANGE_KEY: -8,
        ("active_disclosure", "punishment", "previous_items"): 2143,
        ("active_disclosure", "punishment", "change"): 1036,
        ("active_disclosure", "procurement", "projects"): 3,
        AMOUNT_KEY: amount,
        ("applications", "other", "natural_person"): 2,
        ("review_litigation", "review", "pending"): 1,
    }
    r = build_report("某县水利局", 2020, None, values, template="2019", amount_unit=unit)
    for style in (Style(seed=3), Style(seed=9, fullwidth_digits=True, thousands=True, units=True)):
        text = render(layout, r, style)
        report = gxnianbao.parse_report(text)
        assert cell_mismatches(report, r, text) == []
        ad = report.active_disclosure
        assert isinstance(ad, ActiveDisclosure2019)
        assert (ad.licensing.change, ad.punishment.change) == (-8, 1036)
        p = ad.procurement
        assert (p.projects, p.amount, p.amount_unit, p.amount_yuan) == (3, amount, unit, yuan)
        apps = report.applications
        assert isinstance(apps, Applications2019)
        assert (apps.other.total, apps.total.total, apps.received.total) == (2, 2, 2)
        rl = report.review_litigation
        assert rl is not None
        assert [getattr(rl, g).total for g in OUTCOME_GROUPS] == [1, 0, 0]


def test_amount_without_a_unit_has_no_yuan_value() -> None:
    """An amount written bare: kept as written, but its value in yuan is unknown."""
    r = build_report(
        "某县水利局", 2020, None, {AMOUNT_KEY: Decimal("86.4")}, template="2019", amount_unit=""
    )
    report = gxnianbao.parse_report(render("word_cells", r, Style(seed=1)))
    ad = report.active_disclosure
    assert isinstance(ad, ActiveDisclosure2019)
    assert (ad.procurement.amount, ad.procurement.amount_unit) == (Decimal("86.4"), None)
    assert ad.procurement.amount_yuan is None


# --- a blank 总计 after a merged label cell ------------------------------------------------


def test_blank_total_after_a_merged_label_cell_is_not_shifted() -> None:
    """Tab rows: ``label, merged empty, 9, 0, …, 1, blank 总计`` has 8 cells for 7.

    Either empty end may be the merge artefact.  The header cells (自然人 … 总计) say which
    reading is right; without them no number is shifted into a neighbour's cell: the cells
    both readings agree on are kept, the rest are ambiguous, and the identities place them.
    """
    r = build_report(
        "某县卫生健康局", 2020, None,
        {("applications", "granted", "natural_person"): 9,
         ("applications", "granted", "other_org"): 1},
        template="2019",
    )  # fmt: skip
    # The whole 总计 column left blank, as 2019 reports often do.
    gaps: dict[tuple[str, str, str], Gap] = {
        k: "blank" for k in r.keys() if k[0] == "applications" and k[2] == "total"
    }
    text = render("tab_rows", attrs.evolve(r, gaps=gaps), Style(seed=1))
    line = "一、本年新收政府信息公开申请数量\t\t9\t0\t0\t0\t0\t1\t"
    text = text.replace(line.replace("\t\t9", "\t9"), line)  # the renderer writes exact rows
    assert line in text
    want = [("reported", 9), *[("reported", 0)] * 4, ("reported", 1), ("blank", None)]
    headed = gxnianbao.parse_report(text, recover=False)
    cells = [headed.cell("applications", "received", c) for c in APP_COLUMNS]
    assert [(str(c.status), c.value) for c in cells] == want
    assert [d for d in headed.diagnostics if d.code == "row-count-mismatch"] == []
    assert cell_mismatches(headed, attrs.evolve(r, gaps=gaps), text) == []

    # The same row after header rows that name no applicant column.
    lines = text.split("\n")
    at = lines.index(line)
    headless = "\n".join([*lines[: at - 2], *lines[at:]])
    plain = gxnianbao.parse_report(headless, recover=False)
    cells = [plain.cell("applications", "received", c) for c in APP_COLUMNS]
    # Readings [_, 9, 0, 0, 0, 0, 1] and [9, 0, 0, 0, 0, 1, _] agree on the middle three.
    assert [(str(c.status), c.value) for c in cells] == [
        ("ambiguous", None), ("ambiguous", None), ("reported", 0), ("reported", 0),
        ("reported", 0), ("ambiguous", None), ("ambiguous", None),
    ]  # fmt: skip
    (diag,) = [d for d in plain.diagnostics if d.code == "row-count-mismatch"]
    assert (diag.row, [t.value for t in diag.numbers]) == ("received", [9, 0, 0, 0, 0, 1])
    assert "an empty cell at either end may be a merged cell's" in diag.message
    # 一+二 = （七）+四 per column then gives each applicant's count.
    apps = gxnianbao.parse_report(headless).applications
    assert isinstance(apps, Applications2019)
    assert apps.received.values() == {
        "natural_person": 9, "commercial": 0, "research": 0, "social_welfare": 0,
        "legal_service": 0, "other_org": 1, "total": 10,
    }  # fmt: skip
    assert apps.received.cell("total").status is gxnianbao.Status.INFERRED


def test_header_places_are_not_trusted_where_rows_are_shifted() -> None:
    """Seed 001's tab rows shift （三）'s rows by a cell, so header places prove nothing there.

    ``（七）总计, blank, 1, 0, 0, 0, 0, 1, blank``: the header places would take the second
    reading (1 under 自然人), but rows above already stood one cell off their headers, so
    the row is left to the cells both readings agree on.
    """
    r = build_report(
        "某县卫生健康局", 2020, None, {("applications", "granted", "commercial"): 1},
        template="2019", gaps={("applications", "total", "natural_person"): "blank"},
    )  # fmt: skip
    text = render("tab_rows", r, Style(seed=1))
    line = "（七）总计\t\t1\t0\t0\t0\t0\t1"
    assert line + "\n" in text
    text = text.replace(line + "\n", line + "\t\n")
    report = gxnianbao.parse_report(text, recover=False)
    cells = [report.cell("applications", "total", c) for c in APP_COLUMNS]
    # Both end cells may be the merge artefacts the table's other rows show, with a cell lost
    # in between: then no cell is certain.
    assert [(str(c.status), c.value) for c in cells] == [("ambiguous", None)] * 7
    (diag,) = [d for d in report.diagnostics if d.code == "row-count-mismatch"]
    assert diag.row == "total"


def test_tab_rows_fixture_keeps_its_local_row() -> None:
    """The hand-written fixture's 其他主动公开文件 row: kept, named, and reported."""
    path = Path(__file__).resolve().parent / "fixtures" / "template2019_tab_rows.txt"
    text = path.read_bytes().decode("utf-8")
    report = gxnianbao.parse_report(text)
    (extra,) = report.extra_rows
    assert (extra.table, extra.label) == ("active_disclosure", "其他主动公开文件")
    assert [(c.column, c.value) for c in extra.cells] == [
        ("made", 12), ("published", 12), ("total_published", 86),
    ]  # fmt: skip
    ad = report.active_disclosure
    assert isinstance(ad, ActiveDisclosure2019)
    assert ad.normative_documents.values() == {"made": 1, "published": 1, "total_published": 9}
    assert (ad.procurement.amount, ad.procurement.amount_unit) == (Decimal("37.6"), "万元")
    assert ad.procurement.amount_yuan == Decimal(376000)
    (diag,) = [d for d in report.diagnostics if d.code == "unknown-row"]
    assert "'其他主动公开文件' is not in the official template" in diag.message
