"""Findings for a terminal: the compiler-error shape, colours, and the source line with
carets under the numbers, counted in display columns (a CJK character takes two).

The widths come from :mod:`gxnianbao.common.text`, as do those of
:class:`~gxnianbao.errors.ParseError`'s caret line: one rule for the whole package.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import IO, ClassVar, NamedTuple

import attrs

from ..check.findings import Finding
from ..check.places import (
    OUTCOME_ZH,
    SEVERITY_ZH,
    Place,
    diagnostic_zh,
    place_of,
    place_zh,
)
from ..common.text import char_width, text_width
from ..model import Origin, Span
from ..templates.names import TemplateNames
from .inputs import Loaded

__all__ = [
    "Style",
    "colour_enabled",
    "place_in",
    "render_finding",
    "render_finding_zh",
    "source_excerpt",
]


class Style:
    """ANSI colours, or none (not a terminal, ``NO_COLOR`` set, ``--color never``)."""

    CODES: ClassVar[dict[str, str]] = {
        "error": "1;31",
        "warning": "1;33",
        "info": "1;36",
        "bold": "1",
        "dim": "2",
        "note": "1;34",
    }

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, name: str, text: str) -> str:
        if not self.enabled or not text:
            return text
        return f"\x1b[{self.CODES[name]}m{text}\x1b[0m"


def colour_enabled(choice: str, stream: IO[str]) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _expand(text: str) -> str:
    return text.replace("\t", "    ")


_MAX_SHOWN = 110
"""Display columns of a source line shown; a longer line is cut around the marked numbers."""


def source_excerpt(text: str, spans: Sequence[Span], style: Style, colour: str) -> list[str]:
    """The source line of the first span, with every span on that line marked by carets.

    Columns are counted in display cells (a CJK character takes two), so the caret sits
    under the number in a terminal.
    """
    first = spans[0]
    line_start = text.rfind("\n", 0, first.start) + 1
    line_end = text.find("\n", first.start)
    if line_end < 0:
        line_end = len(text)
    line = text[line_start:line_end].rstrip("\r")
    marks = sorted(
        (max(0, s.start - line_start), max(1, min(s.end, line_end) - s.start))
        for s in spans
        if line_start <= s.start <= line_end
    )
    lo, hi = 0, len(line)
    widths = [char_width(ch) for ch in line]
    if sum(widths) > _MAX_SHOWN:
        lo = max(0, marks[0][0] - 20)
        hi = lo
        used = 0
        while hi < len(line) and used + widths[hi] <= _MAX_SHOWN - 6:
            used += widths[hi]
            hi += 1
    shown = ("…" if lo > 0 else "") + line[lo:hi] + ("…" if hi < len(line) else "")
    offset = 1 if lo > 0 else 0
    caret_cells = [" "] * (text_width(shown) + 1)
    for start, length in marks:
        if start < lo or start >= hi:
            continue
        col = offset + sum(widths[lo:start])
        span_width = max(1, sum(widths[start : min(start + length, hi)]))
        for i in range(col, min(col + span_width, len(caret_cells))):
            caret_cells[i] = "^"
    carets = "".join(caret_cells).rstrip()
    number = str(first.line)
    pad = " " * len(number)
    return [
        f"  {pad} {style('dim', '|')}",
        f"  {style('dim', number)} {style('dim', '|')} {_expand(shown)}",
        f"  {pad} {style('dim', '|')} {style(colour, carets)}",
    ]


def _where(span: Span) -> str:
    origin = span.origin
    if origin is None:
        return f"{span.line}:{span.column}"
    parts = [f"{span.line}:{span.column}"]
    for field in ("page", "table", "row", "col"):
        value = getattr(origin, field, None)
        if value is not None:
            parts.append(f"{field} {value + 1 if field != 'page' else value}")
    return parts[0] + " (" + ", ".join([origin.kind, *parts[1:]]) + ")"


def _spans(finding: Finding) -> list[Span]:
    spans = [s for s in finding.spans if s is not None]
    if finding.span is not None:
        spans.insert(0, finding.span)
    return spans


def _num(value: object) -> str:
    return "-" if value is None else str(value)


class _Words(NamedTuple):
    colon: str
    expression: str
    sides: str
    """With ``{left}``, ``{right}`` and ``{difference}``."""


_EN = _Words(": ", "expression: ", "left: {left}, right: {right}, difference: {difference}")
_ZH = _Words("：", "公式：", "左边：{left}，右边：{right}，差额：{difference}")


def _head(finding: Finding, style: Style, where: str, label: str, words: _Words) -> list[str]:
    """The finding's first line, then its formula and both sides where it has them."""
    colon = words.colon
    lines = [
        f"{style('bold', where)}{colon}{style(finding.severity, label)}"
        f"[{style('bold', finding.rule)}]{colon}{finding.message}"
    ]
    if finding.expression:
        lines.append(f"  {style('note', '=')} {words.expression}{finding.expression}")
    if finding.left is not None and finding.right is not None:
        sides = words.sides.format(
            left=_num(finding.left), right=_num(finding.right), difference=_num(finding.difference)
        )
        lines.append(f"  {style('note', '=')} {sides}")
    return lines


def render_finding(item: Loaded, finding: Finding, style: Style) -> list[str]:
    """One finding in the compiler-error shape: ``file:line:col: severity[rule]: message``."""
    spans = _spans(finding)
    where = f"{item.name}:{_where(spans[0])}" if spans else item.name
    colour = finding.severity
    label: str = finding.severity
    if finding.status == "not_assessable":
        label += " (not assessable)"
    lines = _head(finding, style, where, label, _EN)
    if spans and item.text is not None:
        lines.extend(source_excerpt(item.text, spans, style, colour))
        others = sorted({s.line for s in spans[1:]} - {spans[0].line})
        if others:
            shown = ", ".join(str(n) for n in others[:8]) + (", …" if len(others) > 8 else "")
            plural = "s" if len(others) > 1 else ""
            lines.append(f"  {style('note', '=')} other cells on line{plural} {shown}")
    return lines


_MAX_FOLDED_SHOWN = 6
_MAX_CAUSES_SHOWN = 3


def place_in(span: Span, table_key: str | None, origins: Mapping[int, Origin]) -> Place:
    """Where ``span`` is in its document: a span the parser found in a document's text view (a
    heading, a sentence) has no origin of its own, and takes its line's (``origins``)."""
    if span.origin is None and (origin := origins.get(span.line - 1)) is not None:
        span = attrs.evolve(span, origin=origin)
    return place_of(span, table_key)


def _place(span: Span, table_key: str | None, origins: Mapping[int, Origin]) -> str:
    return place_zh(place_in(span, table_key, origins))


def render_finding_zh(
    item: Loaded, finding: Finding, style: Style, words: TemplateNames | None = None
) -> list[str]:
    """One finding for a clerk, in Chinese (``文件：第4页 表三 第25行：错误（不通过）[…]：…``):
    the formula and both sides, the source line with carets, the reader's diagnostics behind a
    not assessable finding (each with its place and line), and the findings of the same root
    cause folded into it."""
    spans = _spans(finding)
    table = finding.table
    if not spans:
        spans = [d.span for d in finding.causes if d.span is not None][:1]
    where = f"{item.name}：{_place(spans[0], table, item.origins)}" if spans else item.name
    colour = finding.severity
    label = f"{SEVERITY_ZH.get(finding.severity, finding.severity)}（{OUTCOME_ZH[finding.status]}）"
    lines = _head(finding, style, where, label, _ZH)
    if spans and item.text is not None:
        lines.extend(source_excerpt(item.text, spans, style, colour))
        origins = item.origins
        others = sorted({_place(s, table, origins) for s in spans[1:]})
        others = [o for o in others if o != _place(spans[0], table, origins)]
        if others:
            shown = "；".join(others[:8]) + ("；…" if len(others) > 8 else "")
            lines.append(f"  {style('note', '=')} 其他单元格：{shown}")
    for d in finding.causes[:_MAX_CAUSES_SHOWN]:
        cause = f"  {style('note', '=')} 原因：{diagnostic_zh(d, words)}"
        if d.span is not None:
            cause += f"（{_place(d.span, d.table, item.origins)}）"
        lines.append(cause)
        if d.span is not None and item.text is not None:
            lines.extend(source_excerpt(item.text, [d.span], style, "note"))
    if len(finding.causes) > _MAX_CAUSES_SHOWN:
        lines.append(
            f"  {style('note', '=')} 另有 {len(finding.causes) - _MAX_CAUSES_SHOWN} 处同类原因"
            "（--format json 列出全部）"
        )
    if finding.also:
        listed = "、".join(f.rule for f in finding.also[:_MAX_FOLDED_SHOWN])
        more = "等" if len(finding.also) > _MAX_FOLDED_SHOWN else ""
        lines.append(
            f"  {style('note', '=')} 另有 {len(finding.also)} 项同一原因的结果：{listed}{more}"
        )
    return lines
