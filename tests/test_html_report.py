"""The visual report (``gxnianbao.export.html``): its DOM, its validity, and a real browser.

Why these tests: a clerk trusts the page as a picture of the report, so every template cell must
be on it exactly once, coloured by what the source and the findings say, with links that lead
somewhere and nothing from the report able to break out of its text.  A headless Chromium (the
OS package, installed by CI) draws it, so the CSS is proven to apply, not only to be written.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import attrs
import html5lib
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportgen import rendered

import gxnianbao
from gxnianbao.check.findings import Finding, FindingStatus, finding
from gxnianbao.export.html import (
    FAIL_BACKGROUND,
    NOT_ASSESSABLE_BACKGROUND,
    cell_id,
    report_html,
    summary,
)
from gxnianbao.model import (
    TABLE_CLASSES_BY_TEMPLATE,
    CellRecord,
    ExtraRow,
    Meta,
    Origin,
    Report,
    Span,
    Status,
    missing_cells,
)
from gxnianbao.templates import TEMPLATES, TemplateSpec

SAMPLE = Path(gxnianbao.__file__).parent / "samples" / "sample-2022.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
Key = tuple[str, str, str]


# --- building reports without the parser ------------------------------------------------------


def made_report(
    template: str = "2021",
    cells: Mapping[Key, CellRecord] | None = None,
    *,
    tables: tuple[str, ...] = ("active_disclosure", "applications", "review_litigation"),
    issuer: str | None = "某县司法局",
    title: str | None = "某县司法局2023年政府信息公开工作年度报告",
) -> Report:
    """A report of ``template`` whose every cell is reported as 1 on line 7, but ``cells``."""
    spec = TEMPLATES[template]
    built = {}
    for table in spec.tables:
        if table.key not in tables:
            continue
        records = {
            (row, col): CellRecord(table.key, row, col, 1, Status.REPORTED, "1", Span(0, 1, 7, 3))
            for (row, col) in missing_cells(table)
        }
        for key, rec in (cells or {}).items():
            if key[0] == table.key:
                records[(key[1], key[2])] = rec
        built[table.key] = TABLE_CLASSES_BY_TEMPLATE[template][table.key].from_cells(records, table)
    return Report(
        meta=Meta(issuer, 2023, title, None, template),
        overview=None,
        active_disclosure=built.get("active_disclosure"),  # type: ignore[arg-type]
        applications=built.get("applications"),  # type: ignore[arg-type]
        review_litigation=built.get("review_litigation"),  # type: ignore[arg-type]
        problems=None,
        other_matters=None,
        processing_fee=None,
    )


def record(
    key: Key, status: Status, value: int | None = None, span: Span | None = None
) -> CellRecord:
    raw = {Status.BLANK: "", Status.NOT_APPLICABLE: "/"}.get(status)
    if value is not None:
        raw = str(value)
    return CellRecord(*key, value, status, raw, span)


def dotted(key: Key) -> str:
    return ".".join(key)


def fail_finding(
    *keys: Key, status: FindingStatus = "fail", rule: str = "t3-balance/total"
) -> Finding:
    return finding(
        rule, "error", status, "总计（3）不等于各项之和（4）", cells=[dotted(k) for k in keys]
    )


def dom(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def template_cells(spec: TemplateSpec, table: str) -> int:
    return sum(len(row.columns) for row in spec.table(table).rows)


def cells_of(tree: lxml.html.HtmlElement, table: str) -> list[lxml.html.HtmlElement]:
    drawn: list[lxml.html.HtmlElement] = tree.xpath(f'//table[@data-table="{table}"]//td')
    assert all("cell" in classes(td) for td in drawn)
    return drawn


def classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def strict_parse(page: str) -> None:
    """Raises on any HTML5 parse error."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


GRANTED: Key = ("applications", "granted", "natural_person")
TOTAL: Key = ("applications", "total", "natural_person")
REVIEW: Key = ("review_litigation", "review", "total")


# --- unit: the DOM -----------------------------------------------------------------------------


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_cell_is_drawn_once_with_its_stable_id(template: str) -> None:
    spec = TEMPLATES[template]
    tree = dom(report_html(made_report(template), []))
    for table in spec.tables:
        drawn = cells_of(tree, table.key)
        assert len(drawn) == template_cells(spec, table.key)
        ids = [td.get("id") for td in drawn]
        assert ids == [cell_id(table.key, r.key, c.key) for r in table.rows for c in r.columns]
    assert tree.get_element_by_id("cell-applications-granted-natural_person") is not None
    assert tree.get_element_by_id("cell-applications-withheld.state_secret-total") is not None


def test_an_absent_table_is_drawn_with_every_cell_missing() -> None:
    tree = dom(report_html(made_report(tables=("applications",)), []))
    drawn = cells_of(tree, "review_litigation")
    assert len(drawn) == template_cells(TEMPLATES["2021"], "review_litigation")
    assert {td.text_content() for td in drawn} == {"缺失"}
    assert "原文中未找到此表" in tree.text_content()


def test_the_template_shape_merges_header_and_label_cells() -> None:
    tree = dom(report_html(made_report(), []))
    head3 = tree.xpath('//table[@data-table="applications"]/thead')[0]
    org = [th for th in head3.iter("th") if th.text_content() == "法人或其他组织"]
    assert len(org) == 1 and org[0].get("colspan") == "5"
    applicants = [th for th in head3.iter("th") if th.text_content() == "申请人情况"]
    assert applicants[0].get("colspan") == "7"
    assert [th.get("rowspan") for th in head3.iter("th") if th.text_content() == "自然人"] == ["2"]
    body3 = tree.xpath('//table[@data-table="applications"]/tbody')[0]
    results = [th for th in body3.iter("th") if th.text_content() == "三、本年度办理结果"]
    # （一）（二） 8 不予公开, 3 无法提供, 5 不予处理, 3 其他处理, （七）总计
    assert results[0].get("rowspan") == str(2 + 8 + 3 + 5 + 3 + 1)
    withheld = [th for th in body3.iter("th") if th.text_content() == "（三）不予公开"]
    assert withheld[0].get("rowspan") == "8"
    head4 = tree.xpath('//table[@data-table="review_litigation"]/thead')[0]
    spans = {th.text_content(): th.get("colspan") for th in head4.iter("th") if th.get("colspan")}
    assert spans == {"行政复议": "5", "行政诉讼": "10", "未经复议直接起诉": "5", "复议后起诉": "5"}
    assert len(tree.xpath('//table[@data-table="review_litigation"]/tbody/tr')) == 1


def test_each_status_is_shown_in_words_and_coloured() -> None:
    cells = {
        ("applications", "granted", "commercial"): record(
            ("applications", "granted", "commercial"), Status.BLANK, span=Span(0, 0, 8, 1)
        ),
        ("applications", "granted", "research"): record(
            ("applications", "granted", "research"), Status.NOT_APPLICABLE
        ),
        ("applications", "granted", "social_welfare"): record(
            ("applications", "granted", "social_welfare"), Status.MISSING
        ),
        ("applications", "granted", "legal_service"): record(
            ("applications", "granted", "legal_service"), Status.AMBIGUOUS
        ),
        ("applications", "granted", "other_org"): attrs.evolve(
            record(("applications", "granted", "other_org"), Status.INFERRED, 5),
            identity="t3-row-total",
        ),
        GRANTED: record(GRANTED, Status.REPORTED, 21, Span(0, 2, 53, 19)),
    }
    tree = dom(report_html(made_report(cells=cells), []))
    shown = {}
    for key in cells:
        td = tree.get_element_by_id(cell_id(*key))
        shown[key[2]] = (td.text_content(), td.get("data-status"))
        assert f"s-{td.get('data-status')}" in classes(td)
    assert shown == {
        "commercial": ("空白", "blank"),
        "research": ("不适用", "not_applicable"),
        "social_welfare": ("缺失", "missing"),
        "legal_service": ("无法确定", "ambiguous"),
        "other_org": ("5推算", "inferred"),
        "natural_person": ("21", "reported"),
    }
    inferred = tree.get_element_by_id(cell_id("applications", "granted", "other_org"))
    assert "依据：t3-row-total" in inferred.get("title")
    legend = tree.xpath('//ul[@class="legend"]')[0].text_content()
    for word in ("已填报", "空白", "不适用", "缺失", "推算", "无法确定", "不通过", "无法核对"):
        assert word in legend


def test_a_cell_in_a_failed_finding_has_the_fail_class_and_links_back() -> None:
    findings = [fail_finding(GRANTED, TOTAL), fail_finding(TOTAL, REVIEW, status="not_assessable")]
    tree = dom(report_html(made_report(), findings))
    granted, total, review = (tree.get_element_by_id(cell_id(*k)) for k in (GRANTED, TOTAL, REVIEW))
    assert "fail" in classes(granted) and "not-assessable" not in classes(granted)
    assert "fail" in classes(total)  # a fail wins over a not assessable finding
    assert "not-assessable" in classes(review) and "fail" not in classes(review)
    other = tree.get_element_by_id(cell_id("applications", "granted", "commercial"))
    assert not classes(other) & {"fail", "not-assessable"}
    assert [a.get("href") for a in total.iter("a")] == ["#finding-1", "#finding-2"]
    row = tree.get_element_by_id("finding-1")
    assert [a.get("href") for a in row.iter("a")] == [
        f"#{cell_id(*GRANTED)}",
        f"#{cell_id(*TOTAL)}",
    ]
    texts = [td.text_content() for td in row.iter("td")]
    assert texts[1:4] == ["t3-balance/total", "错误", "不通过"]
    assert "无法核对" in tree.get_element_by_id("finding-2").text_content()


def test_every_link_resolves_to_an_element_on_the_page() -> None:
    report = gxnianbao.parse_report(SAMPLE.read_text(encoding="utf-8"))
    findings = [fail_finding(GRANTED, TOTAL), fail_finding(REVIEW, status="not_assessable")]
    tree = dom(report_html(report, findings))
    ids = {e.get("id") for e in tree.iter() if e.get("id")}
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert len(hrefs) == 2 * 3  # three cells linked from their findings, and back
    for href in hrefs:
        assert href.startswith("#") and href[1:] in ids


def test_the_summary_counts_the_three_outcomes_apart() -> None:
    findings = [
        fail_finding(GRANTED),
        finding("x", "warning", "fail", "警告"),
        finding("y", "error", "not_assessable", "无法核对"),
        finding("z", "error", "not_assessable", "无法核对"),
        finding("p", "error", "pass", "通过"),
    ]
    assert summary(findings) == "1 个错误，1 个警告；2 项无法核对"
    assert (
        summary([finding("i", "info", "fail", "提示")])
        == "0 个错误，0 个警告，1 个提示；0 项无法核对"
    )
    tree = dom(report_html(made_report(), findings))
    assert (
        tree.xpath('//p[@class="summary"]')[0].text_content() == "1 个错误，1 个警告；2 项无法核对"
    )


def test_the_source_of_a_cell_is_in_its_hover_text_in_the_documents_terms() -> None:
    pdf = Span(0, 2, 54, 8, Origin("pdf", page=4, table=1, row=24, col=3))
    docx = Span(0, 2, 30, 1, Origin("docx", table=1, row=24, col=3))
    html_source = Span(0, 2, 12, 1, Origin("html", table=0, line=321))
    keys: list[Key] = [GRANTED, TOTAL, REVIEW, ("applications", "received", "total")]
    spans = [Span(0, 2, 53, 19), pdf, docx, html_source]
    cells = {k: record(k, Status.REPORTED, 2, s) for k, s in zip(keys, spans, strict=True)}
    tree = dom(report_html(made_report(cells=cells), []))
    titles = [tree.get_element_by_id(cell_id(*k)).get("title") for k in keys]
    assert "位置：第53行" in titles[0]
    assert "位置：第4页 表三 第25行 第4列" in titles[1] and "54" not in titles[1]
    assert "位置：第2个表格 第25行 第4列" in titles[2]
    assert "位置：第321行" in titles[3]
    assert titles[0].startswith("表三 （一）予以公开·自然人")


def test_rows_the_template_lacks_are_shown_below_their_table_not_as_cells() -> None:
    spans = (Span(0, 1, 20, 5), Span(2, 3, 20, 7))
    extra_cells = tuple(
        CellRecord("active_disclosure", "extra", str(n), n + 3, Status.REPORTED, str(n + 3), sp)
        for n, sp in enumerate(spans, 1)
    )
    extra = ExtraRow("active_disclosure", "其他主动公开文件", extra_cells, Span(0, 9, 20, 1))
    report = attrs.evolve(made_report(), extra_rows=(extra,))
    tree = dom(report_html(report, []))
    assert len(cells_of(tree, "active_disclosure")) == template_cells(
        TEMPLATES["2021"], "active_disclosure"
    )
    shown = tree.xpath('//section[@id="table-active_disclosure"]//table[@class="extra-rows"]')
    assert [td.text_content() for td in shown[0].iter("td")] == ["4", "5"]
    assert "其他主动公开文件" in shown[0].text_content()
    assert shown[0].xpath(".//td")[1].get("title") == "位置：第20行"


def test_hostile_text_is_escaped_everywhere() -> None:
    evil = '<script>alert("x")</script><img src=x onerror=1>&amp;"'
    spec = TEMPLATES["2021"]
    table = spec.table("active_disclosure")
    rows = tuple(
        attrs.evolve(r, label=r.label + evil) if r.key == "regulations" else r for r in table.rows
    )
    hostile = attrs.evolve(
        spec, tables=tuple(attrs.evolve(t, rows=rows) if t is table else t for t in spec.tables)
    )
    report = made_report(issuer=evil, title=evil)
    findings = [
        finding("r" + evil, "error", "fail", evil, expression=evil, cells=[dotted(GRANTED) + evil])
    ]
    page = report_html(report, findings, source_name=evil, template=hostile)
    strict_parse(page)
    tree = dom(page)
    assert not tree.xpath("//script") and not tree.xpath("//img")
    assert not [e for e in tree.iter() if e.get("onerror") is not None]
    labels = [
        th.text_content() for th in tree.xpath('//table[@data-table="active_disclosure"]//th')
    ]
    assert "规章" + evil in labels
    assert tree.xpath("//h1")[0].text_content() == evil
    assert evil in tree.get_element_by_id("finding-1").text_content()


def test_the_page_is_self_contained_and_valid_html5() -> None:
    report = gxnianbao.parse_report(SAMPLE.read_text(encoding="utf-8"))
    page = report_html(report, [fail_finding(GRANTED)], source_name="sample-2022.txt")
    strict_parse(page)
    tree = dom(page)
    assert tree.get("lang") == "zh-CN"
    assert tree.xpath("//meta[@charset]")[0].get("charset") == "utf-8"
    assert not re.search(r"https?:|//[a-z]", page)
    assert not tree.xpath("//link | //script | //img | //iframe | //object | //*[@src]")
    assert "url(" not in page and "@import" not in page
    assert "sample-2022.txt" in tree.text_content()
    assert report.meta.issuer in tree.xpath("//header")[0].text_content()


# --- Hypothesis: generated reports -------------------------------------------------------------


@settings(max_examples=max(5, settings.default.max_examples // 5))
@given(case=rendered(), template=st.just("2021"))
def test_generated_reports_give_a_valid_page_with_one_element_per_cell(
    case: tuple[str, object, str], template: str
) -> None:
    report = gxnianbao.parse_report(case[2])
    findings = gxnianbao.validate(report)
    page = report_html(report, findings)
    strict_parse(page)
    tree = dom(page)
    spec = TEMPLATES[report.meta.template or template]
    for table in spec.tables:
        assert len(cells_of(tree, table.key)) == template_cells(spec, table.key)
    assert len(tree.xpath('//td[contains(concat(" ", @class, " "), " cell ")]')) == sum(
        template_cells(spec, t.key) for t in spec.tables
    )
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for href in (a.get("href") for a in tree.iter("a")):
        assert href[1:] in ids


@settings(max_examples=max(3, settings.default.max_examples // 10))
@given(case=rendered(template="2019"))
def test_generated_2019_reports_are_drawn_in_their_own_template(
    case: tuple[str, object, str],
) -> None:
    report = gxnianbao.parse_report(case[2])
    page = report_html(report, gxnianbao.validate(report))
    strict_parse(page)
    tree = dom(page)
    spec = TEMPLATES["2019"]
    assert report.meta.template == "2019"
    for table in spec.tables:
        assert len(cells_of(tree, table.key)) == template_cells(spec, table.key)


# --- a real browser ----------------------------------------------------------------------------

BROWSER_TIMEOUT = 90
WIDTH, HEIGHT = 1400, 2000

_PROBE = """<script>
for (const td of document.querySelectorAll("td.cell")) {
  td.setAttribute("data-computed-bg", getComputedStyle(td).backgroundColor);
}
</script>"""
"""Added to a copy of the page only: writes each cell's computed background into the DOM, so
that ``--dump-dom`` shows what the browser really applied."""


def run_chromium(args: list[str], profile: Path) -> bytes:
    """Run headless Chromium in its own process group; the whole group is killed on timeout."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        out, _ = proc.communicate(timeout=BROWSER_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"chromium did not finish within {BROWSER_TIMEOUT} s")
    finally:
        try:  # the browser's helpers may outlive it
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == 0, f"chromium exited with {proc.returncode}"
    return out


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_real_browser_draws_the_page_and_applies_its_colours() -> None:
    report = gxnianbao.parse_report(SAMPLE.read_text(encoding="utf-8"))
    findings = [fail_finding(GRANTED, TOTAL), fail_finding(REVIEW, status="not_assessable")]
    page = report_html(report, findings, source_name="sample-2022.txt")
    spec = TEMPLATES["2021"]
    with tempfile.TemporaryDirectory(prefix="gxnianbao-html-") as tmp:
        root = Path(tmp)
        shown = root / "report.html"
        shown.write_text(page, encoding="utf-8")
        probed = root / "probed.html"
        probed.write_text(page.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
        shot = root / "report.png"
        run_chromium(
            [f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", shown.as_uri()],
            root / "profile-shot",
        )
        data = shot.read_bytes()
        assert png_size(data) == (WIDTH, HEIGHT)
        try:
            from PIL import Image
        except ImportError:  # the header is checked; the pixels need Pillow
            pass
        else:
            with Image.open(shot) as image:
                colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 10, "the screenshot is one flat colour"
            if colours is not None:
                assert FAIL_BACKGROUND in {c for _, c in colours}

        dumped = run_chromium(["--dump-dom", probed.as_uri()], root / "profile-dom")
    tree = dom(dumped.decode("utf-8"))
    for table in spec.tables:
        assert len(cells_of(tree, table.key)) == template_cells(spec, table.key)
    fail_rgb = "rgb({}, {}, {})".format(*FAIL_BACKGROUND)
    unknown_rgb = "rgb({}, {}, {})".format(*NOT_ASSESSABLE_BACKGROUND)
    for key in (GRANTED, TOTAL):
        assert tree.get_element_by_id(cell_id(*key)).get("data-computed-bg") == fail_rgb
    assert tree.get_element_by_id(cell_id(*REVIEW)).get("data-computed-bg") == unknown_rgb
    plain = tree.get_element_by_id(cell_id("applications", "received", "commercial"))
    assert plain.get("data-computed-bg") not in (fail_rgb, unknown_rgb)


def test_png_size_reads_the_header() -> None:
    header = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 7, 9)
    assert png_size(header + b"\0" * 5) == (7, 9)


def test_an_amount_is_shown_as_written_not_as_a_float() -> None:
    fee: Key = ("active_disclosure", "fees", "amount_wan_yuan")
    rec = CellRecord(*fee, Decimal("12.60"), Status.REPORTED, "12.60", Span(0, 5, 9, 1))
    tree = dom(report_html(made_report(cells={fee: rec}), []))
    assert tree.get_element_by_id(cell_id(*fee)).text_content() == "12.60"
