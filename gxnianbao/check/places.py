"""Where a finding or a diagnostic is, in the document's own terms, and what the reader said, in
Chinese.

A clerk looks for a number on page 4 of the PDF, in the second table of the Word file, or on a
line of the text; never on a line of the text view the library builds of a document.  A reader's
diagnostic (written for developers, in English) is retold here from its structured fields –
code, table, row and numbers – in the words of the template, so that the checker speaks one
language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from ..model import Diagnostic, Span
from ..templates import CHRONOLOGICAL
from ..templates.names import TemplateNames, names

__all__ = ["OUTCOME_ZH", "SEVERITY_ZH", "Place", "diagnostic_zh", "place_of", "place_zh"]

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
"""A finding's severity as the clerk reads it."""
OUTCOME_ZH = {"fail": "不通过", "not_assessable": "无法核对", "pass": "通过"}
"""A finding's status (its outcome) as the clerk reads it."""

_TABLE_NUMBERS = {"active_disclosure": "表二", "applications": "表三", "review_litigation": "表四"}
"""The template's own numbering of its tables (part 二, 三 and 四 each hold one)."""


@attrs.frozen(slots=True)
class Place:
    """A location as plain data (``--format json``): every field the source knows."""

    kind: str | None = None
    """The reader (``pdf``, ``docx``, ``html``); None for text."""
    page: int | None = None
    """1-based page (PDF)."""
    bbox: tuple[float, float, float, float] | None = None
    table: str | None = None
    """The template table (``表三``), when the place is a cell's or a row's."""
    document_table: int | None = None
    """1-based table among the document's tables (DOCX, HTML)."""
    paragraph: int | None = None
    """1-based paragraph or table in body order (DOCX)."""
    row: int | None = None
    """1-based grid row of a table cell (PDF, DOCX, HTML)."""
    column: int | None = None
    """1-based grid column of a table cell."""
    source_line: int | None = None
    """1-based line in the file itself (text, HTML source)."""
    text_line: int | None = None
    """1-based line of the text the library read (for a document: its text view)."""
    text_column: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


def place_of(span: Span | None, table_key: str | None = None) -> Place:
    """The place of ``span`` (and of the template table ``table_key`` it belongs to)."""
    table = _TABLE_NUMBERS.get(table_key or "")
    if span is None:
        return Place(table=table)
    origin = span.origin
    if origin is None:
        return Place(
            table=table, source_line=span.line, text_line=span.line, text_column=span.column
        )
    return Place(
        kind=origin.kind,
        page=origin.page,
        bbox=origin.bbox,
        table=table,
        document_table=origin.table + 1 if origin.table is not None else None,
        paragraph=origin.block + 1 if origin.block is not None else None,
        row=origin.row + 1 if origin.row is not None else None,
        column=origin.col + 1 if origin.col is not None else None,
        source_line=origin.line,
        text_line=span.line,
        text_column=span.column,
    )


def place_zh(place: Place) -> str:
    """``第4页 表三 第25行 第4列`` (PDF), ``第2个表格 第25行 第4列`` (DOCX), ``表三 第54行``
    (a line of a text or HTML file): the document's own terms first, never the line of the
    text view the library builds of a document."""
    parts: list[str] = []
    grid = place.row is not None and place.column is not None
    if place.page is not None:  # PDF
        parts += [f"第{place.page}页", *([place.table] if place.table else [])]
        if grid:
            parts += [f"第{place.row}行", f"第{place.column}列"]
        return " ".join(parts)
    if place.kind == "docx":
        if place.document_table is not None:
            parts.append(f"第{place.document_table}个表格")
            if grid:
                parts += [f"第{place.row}行", f"第{place.column}列"]
        elif place.paragraph is not None:
            parts.append(f"第{place.paragraph}段")
        return " ".join(parts)
    if place.table is not None:
        parts.append(place.table)
    if place.source_line is not None:
        parts.append(f"第{place.source_line}行")
    elif place.kind is None and place.text_line is not None:
        parts.append(f"第{place.text_line}行")
    return " ".join(parts)


def _numbers(d: Diagnostic) -> str:
    shown = [t.raw for t in d.numbers[:12]]
    more = "…" if len(d.numbers) > 12 else ""
    return "、".join(shown) + more


def _row(d: Diagnostic, words: TemplateNames | None) -> str:
    table = _TABLE_NUMBERS.get(d.table or "", "表格")
    if d.row is None:
        return table
    key = (d.table or "", d.row)
    for known in (words, *(names(spec) for spec in CHRONOLOGICAL[::-1])):
        if known is not None and key in known.row:
            return f"{table}“{known.row[key]}”行"
    return f"{table}的一行"


def _engine_read(d: Diagnostic) -> str:
    """What the OCR engine read, as its diagnostic quotes it (``read '…' but``)."""
    start = d.message.find("read ")
    end = d.message.find(" but is unsure")
    if start < 0 or end < start:
        return "？"
    return d.message[start + 5 : end].strip("'\"")


_Teller = Callable[[Diagnostic, str, str], str]
"""(diagnostic, its row in the template's words, its numbers) -> the Chinese sentence."""

_TELL: Mapping[str, _Teller] = {
    "row-count-mismatch": lambda d, row, nums: (
        f"{row}写出的数字个数与模板的单元格个数不符"
        + (f"（写有：{nums}）" if nums else "（没有数字）")
        + "，无法确定每个数字属于哪一格"
    ),
    "unplaced-number": lambda d, row, nums: f"{row}中的数字{nums}未能归入任何单元格",
    "unknown-row": lambda d, row, nums: (
        f"{row}中有一行的标签不是模板中的行，其数字" + (f"（{nums}）" if nums else "") + "未采用"
    ),
    "duplicate-row": lambda d, row, nums: f"{row}出现了两次，第二次的数字未采用",
    "missing-table": lambda d, row, nums: f"未找到{row}，其单元格全部缺失",
    "missing-section": lambda d, row, nums: "报告缺少模板规定的某一部分",
    "missing-cell": lambda d, row, nums: f"{row}有单元格未读取到",
    "ambiguous-cell": lambda d, row, nums: f"{row}有单元格的数字无法确定",
    "glued-digits": lambda d, row, nums: f"{row}的数字连写在一起，已按勾稽关系拆分",
    "glued-digits-inconsistent": lambda d, row, nums: (
        f"{row}的数字连写在一起（{nums}），任何拆分都不满足勾稽关系"
    ),
    "recovery-budget-exhausted": lambda d, row, nums: (
        f"{row}的数字可能的排列过多，未能逐一核对，相关单元格无法确定"
    ),
    "recovered-row": lambda d, row, nums: f"{row}的数字位置由勾稽关系推算得出",
    "recovery-inconsistent": lambda d, row, nums: f"{row}的数字与勾稽关系矛盾",
    "placement-impossible": lambda d, row, nums: (
        f"{row}写出的数字（{nums}）无论怎样排列都不满足勾稽关系"
    ),
    "narrative-evidence": lambda d, row, nums: f"{row}的数字位置由正文中写明的数量确定",
    "narrative-contradicts-placements": lambda d, row, nums: (
        f"正文中写明的数量与{row}数字的任何排列都不符"
    ),
    "labels-detached": lambda d, row, nums: f"{row}的行标签与数字行分开排列，已按顺序对应",
    "group-total": lambda d, row, nums: (
        f"{row}中一组数字写成了一行合计（{nums}），其下各行没有分别填写"
    ),
    "noise-ignored": lambda d, row, nums: f"{row}中的页脚或杂项已忽略",
    "negative-count": lambda d, row, nums: f"{row}中的件数为负数",
    "non-integer-count": lambda d, row, nums: f"{row}中的件数不是整数",
    "approximate-number": lambda d, row, nums: f"{row}中的数字是约数",
    "unit-converted": lambda d, row, nums: f"{row}中的金额单位与表头不同，已换算为万元",
    "table-region-truncated": lambda d, row, nums: f"{row}过长，超出读取上限的部分未读取",
    "traditional-folded": lambda d, row, nums: "原文为繁体字，已按简体字识别",
    "not-a-report": lambda d, row, nums: "这不是一份政府信息公开工作年度报告：未找到其各部分和表格",
    "issuer-not-named": lambda d, row, nums: "标题中没有写明发布机关",
    "template-evidence-weak": lambda d, row, nums: "表格的写法不足以确定所用的是哪一版模板",
    "template-evidence-mixed": lambda d, row, nums: "表格中混用了两版模板的写法",
    "text-encoding": lambda d, row, nums: "文件的文字编码不是UTF-8，已按其编码读取",
    "charset-fallback": lambda d, row, nums: "文件未声明文字编码，已按推测的编码读取",
    "undecodable-bytes": lambda d, row, nums: "文件中有无法解码的字节，已替换",
    "pdf-unmapped-glyphs": lambda d, row, nums: "PDF中有字形无法对应到文字，相关文字可能缺失",
    "pdf-too-many-rules": lambda d, row, nums: "PDF页面上的表格线过多，已按无线表格读取",
    "pdf-slanted-text-ignored": lambda d, row, nums: "PDF中倾斜的文字已忽略",
    "pdf-page-unreadable": lambda d, row, nums: "PDF的某一页无法读取",
    "pdf-page-needs-ocr": lambda d, row, nums: "PDF的某一页是扫描图像，没有文字层，需要文字识别",
    "pdf-engine-fallback": lambda d, row, nums: "默认的PDF读取程序打不开此文件，已改用备用程序",
    "ocr-read": lambda d, row, nums: "文件没有文字层，各页经文字识别读取",
    "ocr-doubtful-number": lambda d, row, nums: (
        f"文字识别读作“{_engine_read(d)}”，但对其中的数字没有把握，该数字未采用，"
        "相应单元格作为未知处理"
    ),
    "ocr-identity-doubt": lambda d, row, nums: (
        f"{row}中文字识别读出的数字使所在行列的勾稽关系不成立，且没有其他成立的勾稽关系"
        "能证实它，该数字未采用，作为未知处理"
    ),
    "ocr-unread-cell": lambda d, row, nums: (
        "表格的某一单元格中有字迹但未能识别，该单元格作为未知处理，不视为空白"
    ),
    "docx-textbox-ignored": lambda d, row, nums: "Word文件中的文本框已忽略",
    "docx-object-ignored": lambda d, row, nums: "Word文件中的嵌入对象已忽略",
    "docx-altchunk-ignored": lambda d, row, nums: "Word文件中嵌入的其他文档已忽略",
    "parse-error": lambda d, row, nums: "读取时出错",
}


def diagnostic_zh(d: Diagnostic, words: TemplateNames | None = None) -> str:
    """What a reader's diagnostic says, in Chinese, in the template's words."""
    tell = _TELL.get(d.code)
    if tell is None:
        return f"读取提示（{d.code}）" + (f"：{_row(d, words)}" if d.table else "")
    return tell(d, _row(d, words), _numbers(d))
