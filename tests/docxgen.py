"""Generated reports as real Word files: the official template filled in, or built from scratch.

Why: the DOCX reader must bind the cells of real Word tables (merged cells as ``w:gridSpan`` and
``w:vMerge``) exactly as the text layouts do.  :func:`fill_template` writes a
:class:`reportgen.GenReport`'s numbers into the 2021 template as published (a ``.docx`` with
the official merges, from ``../shared/corpus``); :func:`build_docx` builds the same tables with
python-docx ``cell.merge`` so that the round trip is tested without shared material.  The PDF
tests convert :func:`fill_template`'s output to PDF with LibreOffice.

The narrative (title, intro, part 一, 五, 六 with its fee sentence) comes from reportgen's
renderers, so issuer, year and 信息处理费 round-trip as in the text layouts.
"""

from __future__ import annotations

import copy
import io
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportgen import (
    APP_COLUMNS,
    APP_GROUP_LABELS,
    APP_NOTE,
    APP_ROW_LABELS,
    APP_ROWS,
    APPLICANTS,
    OUTCOME_COLUMNS,
    OUTCOME_GROUPS,
    OUTCOME_HEADERS,
    CellKey,
    Gap,
    GenReport,
    Number,
    Style,
    _Ctx,
    _intro,
    _other_matters,
    _overview,
    _problems,
    _title_lines,
    build_report,
)

__all__ = ["build_docx", "fill_template", "fixture_reports", "narrative"]


# --- the narrative --------------------------------------------------------------------------


def narrative(r: GenReport, seed: int = 0) -> dict[str, list[str]]:
    """The report's paragraphs by place: ``title``, ``intro``, ``part1`` … ``part6`` and
    ``heading1`` … ``heading6`` (one each), from reportgen's text renderers."""
    ctx = _Ctx(r, Style(seed=seed), "tab_rows")
    out: dict[str, list[str]] = {"title": _title_lines(ctx), "intro": [_intro(ctx)]}
    opening, subs = _overview(ctx)
    out["part1"] = [opening]
    for head, sentence in subs:
        out["part1"] += [head, sentence]
    out["part5"] = _problems(ctx)
    out["part6"] = _other_matters(ctx)
    for n in range(1, 7):
        out[f"heading{n}"] = [ctx.heading(n)]
    return out


def _values(r: GenReport) -> dict[str, list[str]]:
    """Cell texts of the three tables' value cells: blank gaps empty, ``na`` gaps ``/``."""
    ctx = _Ctx(r, Style(), "tab_rows")
    t2 = {
        row: [ctx.value(("active_disclosure", row, col)) for col in cols]
        for row, cols in r.shape.table2_rows
    }
    t3 = {row: [ctx.value(("applications", row, col)) for col in APP_COLUMNS] for row in APP_ROWS}
    t4 = [ctx.value(("review_litigation", g, c)) for g in OUTCOME_GROUPS for c in OUTCOME_COLUMNS]
    return {**{f"t2.{k}": v for k, v in t2.items()}, **{f"t3.{k}": v for k, v in t3.items()},
            "t4": t4}  # fmt: skip


# --- filling the official template ----------------------------------------------------------

_T2_ROWS = {2: "regulations", 3: "normative_documents", 6: "licensing", 9: "punishment",
            10: "coercion", 13: "fees"}  # fmt: skip
"""Template table 0 (report table 2): row index -> key of the row whose values it holds."""
_T3_FIRST_DATA_ROW = 3
"""Template table 1 (report table 3): rows 3..27 are APP_ROWS in order, the last 7 cells."""
_T4_DATA_ROW = 3


def _set_paragraph_text(p: Any, text: str) -> None:
    """Replace a ``w:p``'s runs by one run of ``text``, keeping its paragraph and run format."""
    rpr = p.find(f"{qn('w:r')}/{qn('w:rPr')}")
    if rpr is None:
        mark = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        rpr = mark
    rpr = copy.deepcopy(rpr) if rpr is not None else None
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    run = OxmlElement("w:r")
    if rpr is not None:
        run.append(rpr)
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    p.append(run)


def _value_size(tc: Any, text: str) -> int:
    """Half-points for a value cell: small enough that its text fits the cell's width on one
    line (a number wrapped over two lines would not come back from the PDF).

    A digit is taken as 0.65 em wide (LibreOffice's fallback for 宋体 is wider than 宋体) and
    230 twips are left for the cell's margins."""
    width = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    twips = int(width.get(qn("w:w"))) if width is not None else 2000
    fit = int((twips - 230) / (6.5 * max(1, len(text))))  # 1 half-point = 10 twips; 0.65 em
    return max(8, min(20, fit - fit % 2))


def _set_cell_text(tc: Any, text: str) -> None:
    """A ``w:tc`` holding only ``text`` in its first paragraph, in the row's run format (宋体)
    at a size that keeps the number on one line."""
    paragraphs = tc.findall(qn("w:p"))
    rpr = tc.find(f".//{qn('w:r')}/{qn('w:rPr')}")
    if rpr is None:
        rpr = tc.getparent().find(f".//{qn('w:r')}/{qn('w:rPr')}")
    first = paragraphs[0]
    for p in paragraphs[1:]:
        tc.remove(p)
    for child in list(first):
        if child.tag != qn("w:pPr"):
            first.remove(child)
    run = OxmlElement("w:r")
    rpr = copy.deepcopy(rpr) if rpr is not None else OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    size = str(_value_size(tc, text))
    # Schema order inside w:rPr: ... w:sz, w:szCs, ..., w:lang; append before w:lang if any.
    lang = rpr.find(qn("w:lang"))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), size)
        if lang is not None:
            lang.addprevious(el)
        else:
            rpr.append(el)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    first.append(run)


def _fill_paragraphs(anchor: Any, texts: Sequence[str]) -> None:
    """Write ``texts`` into paragraph ``anchor`` and new copies of it following it."""
    if not texts:
        _set_paragraph_text(anchor, "")
        return
    _set_paragraph_text(anchor, texts[0])
    prev = anchor
    for text in texts[1:]:
        p = copy.deepcopy(anchor)
        _set_paragraph_text(p, text)
        prev.addnext(p)
        prev = p


def _paragraph_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def fill_template(r: GenReport, template: Path, *, seed: int = 0) -> bytes:
    """The official 2021 template (``template-2021.docx``) filled with ``r``: its tables 2–4,
    title, intro and parts 一, 五, 六 (with the fee sentence); a ``.docx`` as bytes.

    Blank gaps are left empty, ``na`` gaps written ``/``.  Only 2021 reports without extra rows
    fit the template.
    """
    if r.template != "2021" or r.extra_rows:
        raise ValueError("fill_template() takes 2021 reports without extra rows")
    document = docx.Document(str(template))
    body = document.element.body
    text = narrative(r, seed)
    values = _values(r)

    tables = body.findall(qn("w:tbl"))
    if len(tables) != 3:
        raise ValueError(f"{template}: expected the template's 3 tables, found {len(tables)}")
    t2, t3, t4 = (tbl.findall(qn("w:tr")) for tbl in tables)
    for index, row in _T2_ROWS.items():
        tcs = t2[index].findall(qn("w:tc"))
        for tc, value in zip(tcs[1:], values[f"t2.{row}"], strict=True):
            _set_cell_text(tc, value)
    for offset, row in enumerate(APP_ROWS):
        tcs = t3[_T3_FIRST_DATA_ROW + offset].findall(qn("w:tc"))
        for tc, value in zip(tcs[-len(APP_COLUMNS) :], values[f"t3.{row}"], strict=True):
            _set_cell_text(tc, value)
    tcs = t4[_T4_DATA_ROW].findall(qn("w:tc"))
    for tc, value in zip(tcs, values["t4"], strict=True):
        _set_cell_text(tc, value)

    # Paragraphs, found by their template text (the first matching one of each).
    paragraphs = [p for p in body if p.tag == qn("w:p")]
    texts = [_paragraph_text(p) for p in paragraphs]
    title_at = texts.index("政府信息公开工作年度报告格式模板")
    part1, part5, part6 = (texts.index(h) for h in ("一、总体情况", "五、存在的主要问题及改进情况",
                                                     "六、其他需要报告的事项"))  # fmt: skip
    describe = [i for i, t in enumerate(texts) if t.startswith("（文字描述")]
    # Later paragraphs first, so that inserted copies do not shift the ones still to fill.
    _fill_paragraphs(paragraphs[next(i for i in describe if i > part6)], text["part6"])
    _fill_paragraphs(paragraphs[next(i for i in describe if i > part5)], text["part5"])
    _fill_paragraphs(paragraphs[next(i for i in describe if i > part1)], text["part1"])
    _fill_paragraphs(paragraphs[title_at + 1], text["intro"])
    _fill_paragraphs(paragraphs[title_at], text["title"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- building from scratch ------------------------------------------------------------------


def _write(cell: Any, text: str) -> None:
    """A python-docx cell holding ``text``; ``\n`` starts a new paragraph in the cell."""
    parts = text.split("\n")
    cell.paragraphs[0].text = parts[0]
    for part in parts[1:]:
        cell.add_paragraph(part)


class _Table:
    """A python-docx table filled cell by cell, then merged.

    Why the two steps: ``table.cell(r, c)`` rebuilds the whole grid on every call (seconds for
    table 3), so the cells are taken once, written, and the merge rectangles (which do not
    overlap, so their corner cells survive each other's merges) are merged last; a merged cell
    keeps the text of its top-left cell, the others being empty.
    """

    def __init__(self, document: Any, rows: int, widths: Sequence[int]) -> None:
        table = document.add_table(rows=rows, cols=len(widths))
        table.style = "Table Grid"
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Twips(width)  # the template's column widths (w:gridCol)
        self.grid = [list(row.cells) for row in table.rows]
        for row in self.grid:
            for cell, width in zip(row, widths, strict=True):
                cell.width = Twips(width)
        self.merges: list[tuple[int, int, int, int]] = []

    def write(self, r: int, c: int, text: str) -> None:
        _write(self.grid[r][c], text)

    def merge(self, r0: int, c0: int, r1: int, c1: int, text: str) -> None:
        """Write ``text`` at (r0, c0) and merge the rectangle to (r1, c1) (inclusive)."""
        self.write(r0, c0, text)
        self.merges.append((r0, c0, r1, c1))

    def finish(self) -> None:
        for r0, c0, r1, c1 in self.merges:
            self.grid[r0][c0].merge(self.grid[r1][c1])


def build_docx(r: GenReport, *, seed: int = 0) -> bytes:
    """A ``.docx`` built with python-docx, its tables 2–4 merged like the official template's
    (``cell.merge``: ``w:gridSpan`` across, ``w:vMerge`` down); no shared material needed."""
    if r.template != "2021" or r.extra_rows:
        raise ValueError("build_docx() takes 2021 reports without extra rows")
    text = narrative(r, seed)
    values = _values(r)
    document = docx.Document()
    for line in text["title"]:
        document.add_paragraph(line)
    for para in text["intro"]:
        document.add_paragraph(para)
    document.add_paragraph(text["heading1"][0])
    for para in text["part1"]:
        document.add_paragraph(para)

    document.add_paragraph(text["heading2"][0])
    t2 = _Table(document, 14, [2435] * 4)
    blocks = (
        (0, "一", ("本年制发件数", "本年废止件数", "现行有效件数"),
         (("规章", "regulations"), ("行政规范性文件", "normative_documents"))),
        (4, "五", ("本年处理决定数量",), (("行政许可", "licensing"),)),
        (7, "六", ("本年处理决定数量",), (("行政处罚", "punishment"), ("行政强制", "coercion"))),
        (11, "八", ("本年收费金额（单位：万元）",), (("行政事业性收费", "fees"),)),
    )  # fmt: skip
    for start, numeral, headers, rows in blocks:
        t2.merge(start, 0, start, 3, f"第二十条第（{numeral}）项")
        t2.write(start + 1, 0, "信息内容")
        if len(headers) == 3:
            for c, h in enumerate(headers, 1):
                t2.write(start + 1, c, h)
        else:
            t2.merge(start + 1, 1, start + 1, 3, headers[0])
        for i, (label, key) in enumerate(rows):
            ri = start + 2 + i
            t2.write(ri, 0, label)
            vals = values[f"t2.{key}"]
            if len(vals) == 3:
                for c, v in enumerate(vals, 1):
                    t2.write(ri, c, v)
            else:
                t2.merge(ri, 1, ri, 3, vals[0])

    t2.finish()

    document.add_paragraph(text["heading3"][0])
    t3 = _Table(document, 28, [754, 921, 3271, *[685] * 7])
    t3.merge(0, 0, 2, 2, f"（{APP_NOTE}）")
    t3.merge(0, 3, 0, 9, "申请人情况")
    t3.merge(1, 3, 2, 3, "自然人")
    t3.merge(1, 4, 1, 8, "法人或其他组织")
    t3.merge(1, 9, 2, 9, "总计")
    for c, h in enumerate(("商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"), 4):
        t3.write(2, c, h)

    def label(row: str) -> str:
        prefix, body, _ = APP_ROW_LABELS[row]
        return prefix + body

    def group(name: str) -> str:
        prefix, body, _ = APP_GROUP_LABELS[name]
        return prefix + body

    row_at = {row: 3 + i for i, row in enumerate(APP_ROWS)}
    for row in ("received", "carried_over", "carried_forward"):
        t3.merge(row_at[row], 0, row_at[row], 2, label(row))
    t3.merge(row_at["granted"], 0, row_at["total"], 0, group("results"))
    for row in ("granted", "partially_granted", "total"):
        t3.merge(row_at[row], 1, row_at[row], 2, label(row))
    for name in ("withheld", "unavailable", "not_processed", "other"):
        rows = [row for row in APP_ROWS if row.startswith(name + ".")]
        t3.merge(row_at[rows[0]], 1, row_at[rows[-1]], 1, group(name))
        for row in rows:
            t3.write(row_at[row], 2, label(row))
    for row in APP_ROWS:
        for c, v in enumerate(values[f"t3.{row}"], 3):
            t3.write(row_at[row], c, v)

    t3.finish()

    document.add_paragraph(text["heading4"][0])
    t4 = _Table(document, 4, [649] * 7 + [650] * 8)
    t4.merge(0, 0, 0, 4, "行政复议")
    t4.merge(0, 5, 0, 14, "行政诉讼")
    for c, h in enumerate(OUTCOME_HEADERS):
        t4.merge(1, c, 2, c, h)
    t4.merge(1, 5, 1, 9, "未经复议直接起诉")
    t4.merge(1, 10, 1, 14, "复议后起诉")
    for c, h in enumerate(OUTCOME_HEADERS * 2, 5):
        t4.write(2, c, h)
    for c, v in enumerate(values["t4"]):
        t4.write(3, c, v)

    t4.finish()

    document.add_paragraph(text["heading5"][0])
    for para in text["part5"]:
        document.add_paragraph(para)
    document.add_paragraph(text["heading6"][0])
    for para in text["part6"]:
        document.add_paragraph(para)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- the committed fixtures -----------------------------------------------------------------


def fixture_reports() -> dict[str, GenReport]:
    """The reports behind ``tests/fixtures/docx`` (see its ``make_fixtures.py``): a plain one
    with large numbers and a fee with fen, and one with blank and ``/`` cells."""
    big: dict[CellKey, Number] = {
        ("applications", "granted", c): 1000 * (i + 1) + i for i, c in enumerate(APPLICANTS)
    }
    big[("applications", "carried_forward", "natural_person")] = 12
    big[("applications", "not_processed.duplicate", "research")] = 3
    big[("review_litigation", "litigation_direct", "corrected")] = 2
    big[("active_disclosure", "regulations", "in_force")] = 45
    big[("active_disclosure", "fees", "amount_wan_yuan")] = Decimal("16197.02")
    plain = build_report("武汉市江岸区司法局", 2022, Decimal("1234.50"), big)
    small: dict[CellKey, Number] = {
        ("applications", "granted", "natural_person"): 7,
        ("applications", "unavailable.not_held", "natural_person"): 2,
        ("active_disclosure", "licensing", "decisions"): 311,
    }
    gaps: dict[CellKey, Gap] = {
        ("applications", "granted", "legal_service"): "blank",
        ("applications", "total", "social_welfare"): "na",
        ("active_disclosure", "punishment", "decisions"): "na",
        ("active_disclosure", "normative_documents", "repealed"): "blank",
        ("review_litigation", "litigation_after_review", "pending"): "blank",
    }
    with_gaps = build_report("淳安县教育局", 2021, Decimal(0), small, gaps=gaps)
    return {"plain-2022": plain, "gaps-2021": with_gaps}
