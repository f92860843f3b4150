"""How well a parse read a generated report: right, unknown and wrong cells.

Why: issue 11 measures tolerant reading by a read rate (right cells over all template cells)
under one absolute rule, *never a wrong number*.  An unknown (``missing``, ``ambiguous``) is
allowed; a number that differs from the truth, a number where the truth is blank or ``/``, or a
blank or ``/`` where the truth is a number, is wrong.  :func:`score` counts the three and lists
every wrong cell; :func:`report_to_gen` turns a parsed report back into a
:class:`~reportgen.GenReport` so that the real seeds can be re-laid-out like generated ones.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
from reportgen import SHAPES, CellKey, Gap, GenReport, Number, iter_cells

if TYPE_CHECKING:
    import gxnianbao

NUMBER_STATUSES = frozenset({"reported", "inferred"})
GAP_STATUSES = {"blank": "blank", "not_applicable": "na"}
UNKNOWN_STATUSES = frozenset({"missing", "ambiguous"})


@attrs.frozen
class WrongCell:
    """A cell the parse got wrong: what the truth is and what the parse said."""

    key: CellKey
    truth_status: str
    truth: Number | None
    status: str
    got: Number | None
    line: str = ""
    """The text line the parsed number came from (its span's line), if it has a span."""
    hidden: Number | None = None
    """For a blank or ``/`` truth: the number the generated report keeps behind the gap (its
    identities count it), which an inference from those identities finds."""

    @property
    def kind(self) -> str:
        """``value`` (a number, not the truth's), ``number_for_gap`` (a number where the truth
        is blank or ``/``; ``inferred_hidden`` when it is an inference of the very number the
        generated report hides behind that gap), ``gap_for_number`` (blank or ``/`` where the
        truth is a number) or ``gap_kind`` (blank for ``/`` or the reverse)."""
        truth_number = self.truth_status == "reported"
        got_number = self.status in NUMBER_STATUSES
        if truth_number and got_number:
            return "value"
        if got_number:
            got, hidden = self.got, self.hidden
            if self.status == "inferred" and got is not None and hidden is not None:
                if _same_number(got, hidden):
                    return "inferred_hidden"
            return "number_for_gap"
        return "gap_for_number" if truth_number else "gap_kind"

    def __str__(self) -> str:
        where = f"  ← {self.line.strip()[:160]!r}" if self.line else ""
        truth = self.truth if self.truth_status == "reported" else self.truth_status
        return (
            f"{'.'.join(self.key)}: truth {truth}, got {self.status} {self.got!r} "
            f"[{self.kind}]{where}"
        )


@attrs.frozen
class Score:
    """Template cells of one parse, by outcome."""

    right: int
    unknown: int
    wrong: tuple[WrongCell, ...]

    @property
    def cells(self) -> int:
        return self.right + self.unknown + len(self.wrong)

    @property
    def rate(self) -> float:
        """Right cells over all cells."""
        return self.right / self.cells if self.cells else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.right + other.right, self.unknown + other.unknown,
                     self.wrong + other.wrong)  # fmt: skip


ZERO = Score(0, 0, ())


def total(scores: Iterable[Score]) -> Score:
    out = ZERO
    for s in scores:
        out = out + s
    return out


def _same_number(a: Number, b: Number) -> bool:
    return Decimal(a) == Decimal(b)


def score(report: gxnianbao.Report, r: GenReport, text: str | None = None) -> Score:
    """Compare every template cell of ``report`` with the truth of ``r``.

    right: a reported or inferred number equal to the truth's number, or the truth's gap
    (``blank``/``not_applicable``) given exactly.  unknown: ``missing`` or ``ambiguous`` (also
    a cell the parse lacks, e.g. under the other template), and an ``inferred`` number for a gap
    that is the number the report's identities give it (the generated report keeps it behind
    the gap).  wrong: anything else.  ``text``
    (the parsed text) lets a wrong cell quote the line its number came from."""
    right = unknown = 0
    wrong: list[WrongCell] = []
    for key, truth_status, truth in iter_cells(r):
        try:
            rec = report.cell(*key)
        except KeyError:
            unknown += 1
            continue
        got = str(rec.status)
        if got in UNKNOWN_STATUSES:
            unknown += 1
            continue
        if truth_status == "reported" and got in NUMBER_STATUSES:
            assert truth is not None and rec.value is not None
            ok = _same_number(rec.value, truth)
        else:
            ok = got == truth_status
        if ok:
            right += 1
            continue
        hidden_value = r.cells.get(key) if truth_status != "reported" else None
        if got == "inferred" and rec.value is not None and hidden_value is not None:
            if _same_number(rec.value, hidden_value):
                # The identities' value of a cell the source left empty: not what the source
                # wrote, but the number its identities give, named as inferred: not wrong.
                unknown += 1
                continue
        line = ""
        if text is not None:
            line = (
                _line_at(text, rec.span.start) if rec.span is not None else _row_line(text, r, key)
            )
        hidden = r.cells[key] if truth_status != "reported" else None
        wrong.append(WrongCell(key, truth_status, truth, got, rec.value, line, hidden))
    return Score(right, unknown, tuple(wrong))


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


def _row_line(text: str, r: GenReport, key: CellKey) -> str:
    """The line of ``text`` holding the row label of ``key`` (its wording or a variant), for
    a wrong cell without a span; ``""`` when no wording is found (a typo, say)."""
    table, row, _ = key
    labels = r.shape.t2_row_labels if table == "active_disclosure" else r.shape.app_row_labels
    if row not in labels:
        return ""
    prefix, body, variants = labels[row]
    half = prefix.replace("（", "(").replace("）", ")")
    wordings = [prefix + body, half + body, *(w for w in (body, *variants) if len(w) >= 4)]
    for wording in wordings:
        at = text.find(wording)
        if at >= 0:
            return _line_at(text, at)
    return ""


def report_to_gen(report: gxnianbao.Report) -> GenReport:
    """A :class:`GenReport` holding what ``report`` read: for re-laying-out a real report.

    Reported and inferred cells keep their value; blank and ``/`` cells stay gaps; a cell the
    parse could not read (``missing``, ``ambiguous``) becomes a ``/`` cell (value 0 kept
    underneath), so that the re-laid-out report states only what is known.  Issuer, year and
    publication date come from the metadata (placeholders where the parse found none)."""
    template = report.meta.template or "2021"
    if template not in SHAPES:
        raise ValueError(f"unknown template {template!r}")
    shape = SHAPES[template]
    cells: dict[CellKey, Number] = {}
    gaps: dict[CellKey, Gap] = {}
    unit: str | None = None
    for key in shape.all_keys:
        rec = report.cell(*key)
        status = str(rec.status)
        if status in NUMBER_STATUSES and rec.value is not None:
            value: Number = rec.value
            if key == shape.money_key:
                value = Decimal(value)
            elif isinstance(value, Decimal):
                value = int(value)
            cells[key] = value
        else:
            cells[key] = Decimal(0) if key == shape.money_key else 0
            gaps[key] = "blank" if status == "blank" else "na"
        if key == shape.money_key:
            unit = rec.unit
    year = report.meta.year or 2022
    return GenReport(
        issuer=report.meta.issuer or "示例市东湖区司法局",
        year=year,
        fee=report.processing_fee,
        cells=cells,
        gaps=gaps,
        published=report.meta.published or _default_date(year),
        template=template,  # type: ignore[arg-type]
        amount_unit=unit if template == "2019" else None,
    )


def _default_date(year: int) -> datetime.date:
    return datetime.date(year + 1, 3, 28)


_WRITTEN = re.compile(r"(?<![\w.．])\d+(?:[,，]\d{3})*(?:[.．]\d+)?(?![\d.．、])")
"""A number as written in a table cell: digits (full-width too), thousands separators, a
decimal part; not a list number (``1.``, ``2、``) and not digits inside a word (``保留4位``)."""


def written_numbers(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the numbers written in ``text[start:end]`` (a table region)."""
    stop = len(text) if end is None else end
    return [m.span() for m in _WRITTEN.finditer(text, start, stop)]


def lost_numbers(
    report: gxnianbao.Report, text: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Numbers written in ``text[start:end]`` that are in no reported cell (template or extra
    row) and in no diagnostic's ``numbers``: what "nothing lost" forbids."""
    spans = [c.span for c in report.cells() if c.span is not None]
    spans += [c.span for row in report.extra_rows for c in row.cells if c.span is not None]
    spans += [t.span for d in report.diagnostics for t in d.numbers]
    return [
        (s, e)
        for s, e in written_numbers(text, start, end)
        if not any(span.start <= s and e <= span.end for span in spans)
    ]
