"""Generated reports in the layouts of issue 11: flattened pages, bars without outer bars, space
separated columns, traditional characters, typos, torn conversions and glued digits.

Why: the reader must read a report whatever its separators, and a generated report knows every
cell, so each layout is an oracle.  Every renderer takes a :class:`~reportgen.GenReport` and a
``random.Random`` and returns a whole report text (title, parts 一–六, narrative, the three
tables) with exactly the report's numbers; only the layout differs.

The tables are first laid out as a *skeleton* (:func:`skeleton`): pieces of narrative and tables
of typed cells (label, header, value).  Each layout then writes that skeleton its own way, so
the renderers share one source of truth for which number belongs to which cell.  Layouts that
cannot show an empty cell (:data:`NO_BLANKS`) refuse reports with ``blank`` gaps, as
:func:`reportgen.render_scrape` does; ``/`` cells are fine everywhere.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Literal

import attrs
from hypothesis import strategies as st
from reportgen import (
    _GROUP_OF_FIRST,
    APP_GROUP_LABELS,
    APPLICANTS,
    CITIES,
    DEPARTMENTS,
    DISTRICTS,
    LAYOUTS,
    OUTCOME_COLUMNS,
    OUTCOME_GROUPS,
    OUTCOME_HEADERS,
    SECTION_TITLES,
    SHAPES,
    Gap,
    GenReport,
    Style,
    Template,
    _app_values,
    _applicant_header,
    _block_title,
    _Ctx,
    _extra_rows,
    _fee_header,
    _intro,
    _note,
    _other_matters,
    _outcome_values,
    _overview,
    _problems,
    _t2_values,
    _title_lines,
    build_report,
    derived_keys,
    render,
    reports_of,
    reports_with_gaps,
)

CellKind = Literal["label", "head", "value"]


@attrs.frozen
class Cell:
    """One cell of a skeleton table: its text, what it is, and for a value its template key."""

    text: str
    kind: CellKind
    key: tuple[str, str, str] | None = None


@attrs.frozen
class Row:
    """A table row: ``row`` is the template row key of a data row (None for header rows)."""

    cells: tuple[Cell, ...]
    row: str | None = None

    @property
    def labels(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.kind != "value")

    @property
    def values(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.kind == "value")

    @property
    def is_data(self) -> bool:
        return any(c.kind == "value" for c in self.cells)


@attrs.frozen
class Table:
    """One of the report's tables (``part`` 2, 3 or 4) as rows of cells."""

    part: int
    rows: tuple[Row, ...]


Piece = str | Table
"""A narrative line (title, heading, paragraph) or a table."""


def _style(rng: random.Random) -> Style:
    """An unperturbed style (labels as the template writes them, plain digits) with some
    variant labels, seeded from ``rng``."""
    return Style(seed=rng.randrange(2**32), variant_labels=rng.random() < 0.3)


def skeleton(r: GenReport, rng: random.Random) -> list[Piece]:
    """The whole report as narrative lines and typed tables, in reading order."""
    ctx = _Ctx(r, _style(rng), "markdown")
    out: list[Piece] = [*_title_lines(ctx), _intro(ctx)]
    opening, subs = _overview(ctx)
    out += [ctx.heading(1), opening]
    for head, sentence in subs:
        out += [head, sentence]

    out.append(ctx.heading(2))
    rows: list[Row] = []
    for numeral, headers, row_keys in ctx.shape.t2_blocks:
        rows.append(Row((Cell(_block_title(ctx, numeral), "head"),)))
        heads = [Cell(_fee_header(ctx, h), "head") for h in headers]
        rows.append(Row((Cell("信息内容", "head"), *heads)))
        for row in row_keys:
            cols = dict(ctx.shape.table2_rows)[row]
            label = Cell(ctx.label(ctx.shape.t2_row_labels[row]), "label")
            keys = [("active_disclosure", row, col) for col in cols]
            values = _t2_values(ctx, row, cols)
            rows.append(Row((label, *_values(keys, values)), row))
        for text, values in _extra_rows(ctx, numeral):
            cells = (Cell(text, "label"), *(Cell(v, "value") for v in values))
            rows.append(Row(cells, None))
    out.append(Table(2, tuple(rows)))

    out.append(ctx.heading(3))
    rows = [
        Row((Cell(_note(ctx), "head"), Cell("申请人情况", "head"))),
        Row(
            tuple(
                Cell(h, "head")
                for h in (_applicant_header(ctx, "natural_person"), "法人或其他组织", "总计")
            )
        ),
        Row(tuple(Cell(_applicant_header(ctx, c), "head") for c in APPLICANTS[1:])),
    ]
    for row in ctx.shape.app_rows:
        group = _GROUP_OF_FIRST.get(row)
        labels = [Cell(ctx.label(APP_GROUP_LABELS[group]), "label")] if group else []
        labels.append(Cell(ctx.label(ctx.shape.app_row_labels[row]), "label"))
        keys = [("applications", row, col) for col in (*APPLICANTS, "total")]
        rows.append(Row((*labels, *_values(keys, _app_values(ctx, row))), row))
    out.append(Table(3, tuple(rows)))

    out.append(ctx.heading(4))
    keys = [("review_litigation", g, c) for g, c in _outcome_keys()]
    rows = [
        Row((Cell("行政复议", "head"), Cell("行政诉讼", "head"))),
        Row(tuple(Cell(h, "head") for h in (*OUTCOME_HEADERS, "未经复议直接起诉", "复议后起诉"))),
        Row(tuple(Cell(h, "head") for h in (*OUTCOME_HEADERS, *OUTCOME_HEADERS))),
        Row(tuple(_values(keys, _outcome_values(ctx))), "outcomes"),
    ]
    out.append(Table(4, tuple(rows)))

    out.append(ctx.heading(5))
    out += _problems(ctx)
    out.append(ctx.heading(6))
    out += _other_matters(ctx)
    return out


def _outcome_keys() -> list[tuple[str, str]]:
    return [(g, c) for g in OUTCOME_GROUPS for c in OUTCOME_COLUMNS]


def _values(keys: Sequence[tuple[str, str, str]], texts: Sequence[str]) -> list[Cell]:
    return [Cell(t, "value", k) for k, t in zip(keys, texts, strict=True)]


def _no_blanks(r: GenReport, layout: str) -> None:
    if any(g == "blank" for g in r.gaps.values()):
        raise ValueError(f"{layout} cannot show an empty cell: it takes reports without blanks")


def _tables(pieces: Iterable[Piece]) -> Iterable[Table]:
    return (p for p in pieces if isinstance(p, Table))


# --- crawler headers ------------------------------------------------------------------------


def title_count(pieces: Sequence[Piece]) -> int:
    """How many of the skeleton's first pieces are title lines (they come before the intro)."""
    for i, piece in enumerate(pieces):
        if not isinstance(piece, str) or piece.startswith(("本报告", "依据")):
            return i
    return 0


def crawler_header(r: GenReport, pieces: Sequence[Piece], rng: random.Random) -> list[str]:
    """What a crawler writes before the body: title, date, issuer, link, a rule; sometimes the
    crawl date too, later than the publication date (it is not the report's date)."""
    title = "".join(str(p) for p in pieces[: title_count(pieces)])
    lines = [f"标题: {title}"]
    if r.published is not None and rng.random() < 0.8:
        lines.append(f"发布时间: {r.published.isoformat()}")
    if rng.random() < 0.7:
        lines.append(f"发布机构: {r.issuer}")
    lines.append(f"原文链接: http://www.example.gov.cn/zwgk/{rng.randrange(10**6, 10**7)}.html")
    if r.published is not None and rng.random() < 0.5:
        crawled = r.published + datetime.timedelta(days=rng.randint(30, 400))
        lines.append(f"{rng.choice(['采集时间', '抓取时间'])}: {crawled.isoformat()} 08:15:02")
    lines.append("==== 正文 ====")
    return lines


# --- 1. flattened pages ----------------------------------------------------------------------


def _flatten(r: GenReport, rng: random.Random, sep: str, layout: str) -> str:
    _no_blanks(r, layout)
    pieces = skeleton(r, rng)
    lines: list[str] = crawler_header(r, pieces, rng) if rng.random() < 0.5 else []
    # A few very long lines (a break before some headings) or one line for the whole body.
    breaks = rng.random() < 0.4
    chunks: list[list[str]] = [[]]
    for piece in pieces:
        if isinstance(piece, Table):
            chunks[-1] += [c.text for row in piece.rows for c in row.cells if c.text]
        else:
            if breaks and piece[:2] in {f"{n}、" for n in "一二三四五六"} and chunks[-1]:
                chunks.append([])
            chunks[-1].append(piece)
    lines += [sep.join(chunk) for chunk in chunks]
    return "\n".join(lines)


def render_flattened_spaced(r: GenReport, rng: random.Random) -> str:
    """The body on one line (or a few), every piece and cell separated by one space."""
    return _flatten(r, rng, " ", "flattened_spaced")


def render_flattened_glued(r: GenReport, rng: random.Random) -> str:
    """The body on one line (or a few), nothing between cells: ``规章000行政规范性文件…``."""
    return _flatten(r, rng, "", "flattened_glued")


# --- 2. pipes -------------------------------------------------------------------------------


def _heading_prefix(rng: random.Random) -> str:
    return rng.choice(["", "", "## ", "### "])


def _plain_lines(piece: str, prefix: str) -> str:
    heads = {f"{n}、" for n in "一二三四五六"}
    return prefix + piece if piece[:2] in heads else piece


def render_pipes_no_outer(r: GenReport, rng: random.Random) -> str:
    """Markdown rows without outer bars (``规章 | 0 | 0 | 0``), sometimes with empty trailing
    cells, with or without ``---|---`` lines.  Blank cells are empty cells between bars."""
    pieces = skeleton(r, rng)
    prefix = _heading_prefix(rng)
    out: list[str] = []
    for piece in pieces:
        if not isinstance(piece, Table):
            out += [_plain_lines(piece, prefix), ""]
            continue
        separator = rng.random() < 0.5
        trailing = rng.random() < 0.4
        for i, row in enumerate(piece.rows):
            cells = [c.text for c in row.cells]
            # Empty trailing cells only after a row without blank values: after a blank value
            # they would make the row ambiguous (which empty cell is the padding?).
            no_blank = all(c.text for c in row.values)
            if len(cells) == 1 or (trailing and no_blank and rng.random() < 0.6):
                cells += [""] * rng.randint(1, 2)
            out.append(" | ".join(cells).rstrip(" "))
            if i == 0 and separator:
                out.append("|".join(["---"] * max(2, len(cells))))
        out.append("")
    return "\n".join(out)


def render_pipe_cell_lines(r: GenReport, rng: random.Random) -> str:
    """One cell per line, each closed by `` |`` (``规章 |`` / ``0 |`` …); a blank cell is a
    line `` |``; rows maybe separated by an empty line."""
    pieces = skeleton(r, rng)
    out: list[str] = []
    for piece in pieces:
        if not isinstance(piece, Table):
            out += [piece, ""]
            continue
        gap = rng.random() < 0.5
        for row in piece.rows:
            out += [f"{c.text} |" for c in row.cells]
            if gap:
                out.append("")
        out.append("")
    return "\n".join(out)


# --- 3. space-separated columns (a PDF text layer) --------------------------------------------


def _spaces(rng: random.Random) -> str:
    return " " * rng.choice([2, 2, 3, 4, 5, 6, 8, 12])


def render_spaced_columns(r: GenReport, rng: random.Random) -> str:
    """One row per line, cells separated by runs of 2+ spaces; long label cells wrap onto a
    second line; table 4's numbers are one line of fifteen under its header lines."""
    _no_blanks(r, "spaced_columns")
    pieces = skeleton(r, rng)
    out: list[str] = []
    for piece in pieces:
        if not isinstance(piece, Table):
            out.append(piece)
            continue
        for row in piece.rows:
            lead = " " * rng.choice([0, 0, 1, 2, 4])
            cells = [c.text for c in row.cells]
            tail = ""
            last_label = max((i for i, c in enumerate(row.cells) if c.kind != "value"), default=-1)
            if last_label >= 0 and row.is_data and len(cells[last_label]) >= 10:
                if rng.random() < 0.4:  # the label wraps: its end on the next line
                    at = rng.randrange(5, len(cells[last_label]) - 3)
                    cells[last_label], tail = cells[last_label][:at], cells[last_label][at:]
            line = lead
            for i, text in enumerate(cells):
                line += text if i == 0 else _spaces(rng) + text
            out.append(line)
            if tail:
                out.append(lead + " " * rng.choice([0, 2, 4, 8]) + tail)
    return "\n".join(out)


# --- 4. traditional characters --------------------------------------------------------------


@functools.cache
def _s2t() -> Callable[[str], str]:
    """OpenCC's simplified → traditional converter (built once: it loads dictionaries)."""
    import opencc  # tests only: the library has its own folding

    converter = opencc.OpenCC("s2t")
    return converter.convert  # type: ignore[no-any-return]


def to_traditional(text: str) -> str:
    """``text`` in traditional characters (OpenCC ``s2t``)."""
    return _s2t()(text)


def render_traditional(r: GenReport, rng: random.Random) -> str:
    """Any layout (the four of reportgen, bars without outer bars, spaced columns), then the
    whole text converted to traditional characters by OpenCC ``s2t``."""
    blanks = any(g == "blank" for g in r.gaps.values())
    bases: list[str] = [*LAYOUTS, "pipes_no_outer", "spaced_columns"]
    if r.gaps:
        bases.remove("scrape")
    if blanks:
        bases.remove("spaced_columns")
    base = rng.choice(bases)
    if base in LAYOUTS:
        text = render(base, r, _style(rng))  # type: ignore[arg-type]
    else:
        text = NEW_LAYOUTS[base](r, rng)
    return _s2t()(text)


# --- 5. typos -------------------------------------------------------------------------------

_TYPO_CHARS = "的法政行公开信息申请不其处理年务规定予以部门本区情况"


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (the strings are short labels)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def vocabulary(template: Template) -> list[str]:
    """Every label body, variant, header and section title of ``template``: a typo must stay
    at distance 2 or more from all of them but its own."""
    from reportgen import APP_HEADERS, SHAPES, T2_BLOCKS, T2_BLOCKS_2019

    shape = SHAPES[template]
    words: set[str] = set()
    for labels in (shape.t2_row_labels, shape.app_row_labels, APP_GROUP_LABELS):
        for _, body, variants in labels.values():
            words |= {body, *variants}
    for titles in SECTION_TITLES.values():
        words |= set(titles)
    for names in APP_HEADERS.values():
        words |= set(names)
    for _, headers, _ in T2_BLOCKS_2019 if template == "2019" else T2_BLOCKS:
        words |= set(headers)
    words |= {*OUTCOME_HEADERS, "信息内容", "申请人情况", "法人或其他组织", "行政复议", "行政诉讼"}
    return sorted(words)


def typo(word: str, rng: random.Random, others: Sequence[str]) -> str | None:
    """``word`` with one Han character inserted, dropped or replaced, at distance 2 or more
    from every word of ``others`` (so it cannot read as another label); None if no try works."""
    han = [i for i, ch in enumerate(word) if "\u4e00" <= ch <= "\u9fff"]
    if len(han) < 4:
        return None
    for _ in range(20):
        at = rng.choice(han)
        op = rng.choice(["insert", "drop", "replace"])
        new = rng.choice(_TYPO_CHARS)
        if op == "insert":
            out = word[:at] + new + word[at:]
        elif op == "drop":
            out = word[:at] + word[at + 1 :]
        else:
            out = word[:at] + new + word[at + 1 :]
        if out != word and all(edit_distance(out, o) >= 2 for o in others if o != word):
            return out
    return None


def render_typos(r: GenReport, rng: random.Random) -> str:
    """A reportgen layout with one-character typos in one to four headings and row labels
    (``四、政府信息公开行政法复议、行政诉讼情况``, ``2.其他法律行政止公开``)."""
    bases = [layout for layout in LAYOUTS if not (r.gaps and layout == "scrape")]
    base = rng.choice(bases)
    text = render(base, r, Style(seed=rng.randrange(2**32)))  # type: ignore[arg-type]
    words = vocabulary(r.template)
    # Words that occur in the text and are no part of another word that occurs (a typo in
    # 部分公开 would also change 部分公开（区分处理的…）).
    present = [w for w in words if len(w) >= 4 and w in text]
    present = [w for w in present if not any(w != o and w in o and o in text for o in words)]
    rng.shuffle(present)
    wanted = rng.randint(1, 4)
    done = 0
    for word in present:
        if done >= wanted:
            break
        bad = typo(word, rng, words)
        if bad is not None:
            text = text.replace(word, bad)
            done += 1
    return text


# --- 6. torn conversions (PDF→markdown) -------------------------------------------------------


def _bar(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _generic_header(width: int) -> list[str]:
    return ["类别", *(f"数据{i}" for i in range(1, width)), "总计"]


def render_torn(r: GenReport, rng: random.Random) -> str:
    """Markdown as a PDF→markdown converter tears it: labels detached from their number rows,
    a label split over two cells or lines, two labels followed by their two number rows, a
    group label torn across rows, table 3's later rows split out as a sub-table under generic
    headers (``类别 | 数据1 | … | 总计``).  The order of labels and number rows is kept."""
    _no_blanks(r, "torn")
    pieces = skeleton(r, rng)
    out: list[str] = []
    for piece in pieces:
        if not isinstance(piece, Table):
            out += [piece, ""]
            continue
        rows = list(piece.rows)
        if piece.part == 3 and rng.random() < 0.5:
            rows = _tear_group_label(rows, rng)
        cut = None
        if piece.part == 3 and rng.random() < 0.5:
            data = [i for i, row in enumerate(rows) if row.is_data]
            cut = rng.choice(data[3:])
        out.append(_bar([c.text for c in rows[0].cells]))
        out.append("|" + "|".join(["---"] * len(rows[0].cells)) + "|")
        i = 1
        while i < len(rows):
            if i == cut:
                out += ["", _bar(_generic_header(7)), "|" + "|".join(["---"] * 8) + "|"]
            row = rows[i]
            how = rng.choice(["plain", "plain", "detached", "split", "pair"]) if row.is_data else ""
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            if how == "pair" and nxt is not None and nxt.is_data and i + 1 != cut:
                labels = [c.text for c in row.labels], [c.text for c in nxt.labels]
                if labels[0] and labels[1]:
                    out += [_bar(labels[0]), _bar(labels[1])]
                    out += [_bar([c.text for c in row.values]), _bar([c.text for c in nxt.values])]
                    i += 2
                    continue
            out += _torn_row(row, how, rng)
            i += 1
        out.append("")
    return "\n".join(out)


def _tear_group_label(rows: list[Row], rng: random.Random) -> list[Row]:
    """A vertically merged group label (``（三）不予公开``) torn over its first two rows, as
    converters do: ``| （三）不 | 1.属于国家秘密 | …`` then ``| 予公开 | 2.其他… | …``."""
    firsts = [i for i, row in enumerate(rows)
              if row.is_data and len(row.labels) == 2 and i + 1 < len(rows)
              and rows[i + 1].is_data and len(rows[i + 1].labels) == 1]  # fmt: skip
    if not firsts:
        return rows
    i = rng.choice(firsts)
    group = rows[i].labels[0].text
    at = rng.randrange(max(1, group.find("）") + 1), len(group))
    head, rest = group[:at], group[at:]
    rows = list(rows)
    rows[i] = Row((Cell(head, "label"), *rows[i].cells[1:]), rows[i].row)
    rows[i + 1] = Row((Cell(rest, "label"), *rows[i + 1].cells), rows[i + 1].row)
    return rows


def _torn_row(row: Row, how: str, rng: random.Random) -> list[str]:
    labels = [c.text for c in row.labels]
    values = [c.text for c in row.values]
    if not labels or how in ("", "plain"):
        return [_bar([c.text for c in row.cells])]
    if how == "detached":
        label_line = _bar(labels) if rng.random() < 0.7 else "".join(labels)
        return [label_line, _bar(values)]
    # split: the last label over two cells of the row, or its head on a line of its own
    last = labels[-1]
    if len(last) < 6:
        return [_bar([c.text for c in row.cells])]
    at = rng.randrange(3, len(last) - 2)
    if rng.random() < 0.5:
        return [_bar([*labels[:-1], last[:at], last[at:], *values])]
    return [_bar([*labels[:-1], last[:at]]), _bar([last[at:], *values])]


# --- 7. glued digits ------------------------------------------------------------------------


def _gluable(row: Row) -> bool:
    """A row whose values are all plain written non-negative integers (no gap, sign or
    decimal point), so that running them together loses only the boundaries."""
    vals = row.values
    return len(vals) > 1 and all(c.text.isdigit() and c.text.isascii() for c in vals)


def glue_rows(pieces: list[Piece], rng: random.Random, p: float = 0.3) -> list[Piece]:
    """The skeleton with the values of some rows (at least one) run together in one cell."""
    candidates = [(t, i) for t in _tables(pieces) for i, row in enumerate(t.rows)
                  if row.is_data and _gluable(row)]  # fmt: skip
    if not candidates:
        return pieces
    chosen = {(id(t), i) for t, i in candidates if rng.random() < p}
    if not chosen:
        t, i = rng.choice(candidates)
        chosen = {(id(t), i)}
    out: list[Piece] = []
    for piece in pieces:
        if not isinstance(piece, Table):
            out.append(piece)
            continue
        rows = []
        for i, row in enumerate(piece.rows):
            if (id(piece), i) in chosen:
                glued = Cell("".join(c.text for c in row.values), "value")
                rows.append(Row((*row.labels, glued), row.row))
            else:
                rows.append(row)
        out.append(Table(piece.part, tuple(rows)))
    return out


def glue_one_table3_row(pieces: list[Piece], rng: random.Random) -> list[Piece]:
    """The skeleton with the values of one table 3 row run together: with every other cell of
    table 3 written, the column identities prove its split."""
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, Table) and piece.part == 3:
            rows = list(piece.rows)
            gluable = [i for i, row in enumerate(rows) if row.is_data and _gluable(row)]
            if gluable:
                i = rng.choice(gluable)
                glued = Cell("".join(c.text for c in rows[i].values), "value")
                rows[i] = Row((*rows[i].labels, glued), rows[i].row)
            piece = Table(3, tuple(rows))
        out.append(piece)
    return out


def render_glued_digits(r: GenReport, rng: random.Random) -> str:
    """Tab rows, markdown rows or spaced columns in which some rows' numbers are run together
    (``51000253`` for a row of seven cells)."""
    _no_blanks(r, "glued_digits")
    return _write_glued(glue_rows(skeleton(r, rng), rng), rng)


def render_glued_provable(r: GenReport, rng: random.Random) -> str:
    """:func:`render_glued_digits` with only one table 3 row glued, so that a report whose
    table 3 has no gap can always be read in full (the column identities prove the split)."""
    _no_blanks(r, "glued_digits")
    return _write_glued(glue_one_table3_row(skeleton(r, rng), rng), rng)


def _write_glued(pieces: list[Piece], rng: random.Random) -> str:
    form = rng.choice(["tab", "markdown", "spaced"])
    out: list[str] = []
    for piece in pieces:
        if not isinstance(piece, Table):
            out += [piece, ""] if form != "spaced" else [piece]
            continue
        for i, row in enumerate(piece.rows):
            cells = [c.text for c in row.cells]
            if form == "tab":
                out.append("\t".join(cells))
            elif form == "markdown":
                out.append(_bar(cells))
                if i == 0:
                    out.append("|" + "|".join(["---"] * len(cells)) + "|")
            else:
                out.append("  ".join(cells))
        out.append("")
    return "\n".join(out)


# --- 8. odd titles and fee sentences ----------------------------------------------------------

ZERO_FEE_SENTENCES = ("本年度未发生收费情况。", "本年度未收取任何费用。", "本年度未发生收费。")
"""Part 六 sentences that state a 信息处理费 of 0 without the word 信息处理费."""


def odd_title(r: GenReport, rng: random.Random) -> list[str]:
    """A title as real pages write it: split after 工作, starting with the year, under a
    ``正文`` line, or with the year spaced."""
    year = rng.choice([f"{r.year}年", f"{r.year} 年", f"{r.year}年度"])
    form = rng.choice(["split", "year_first", "body_mark", "year_first_split"])
    if form == "split":
        return [f"{r.issuer}{year}政府信息公开工作", "年度报告"]
    if form == "year_first":
        return [f"{year}{r.issuer}政府信息公开工作年度报告"]
    if form == "body_mark":
        return ["正文", f"{r.issuer}{year}政府信息公开工作年度报告"]
    return [f"{year}{r.issuer}政府信息公开工作", "年度报告"]


def render_odd_titles(r: GenReport, rng: random.Random) -> str:
    """Tidy markdown tables under an odd title (:func:`odd_title`); a zero 信息处理费 stated
    as ``未发生收费`` or ``未收取任何费用`` (:data:`ZERO_FEE_SENTENCES`)."""
    pieces = skeleton(r, rng)
    pieces[: title_count(pieces)] = odd_title(r, rng)
    if r.fee == 0:
        pieces = [rng.choice(ZERO_FEE_SENTENCES) if isinstance(p, str) and "信息处理费" in p
                  and not p.startswith("（") else p for p in pieces]  # fmt: skip
    out: list[str] = []
    for piece in pieces:
        if not isinstance(piece, Table):
            out += [piece, ""]
            continue
        width = max(len(row.cells) for row in piece.rows)
        for i, row in enumerate(piece.rows):
            cells = [c.text for c in row.cells]
            pad = [""] * (width - len(cells))
            # Merge padding before a data row's labels: its values run to the row's end, so a
            # blank first or last value cannot be taken for padding.
            out.append(_bar(pad + cells if row.is_data else cells + pad))
            if i == 0:
                out.append("|" + "|".join(["---"] * width) + "|")
        out.append("")
    return "\n".join(out)


NEW_LAYOUTS: dict[str, Callable[[GenReport, random.Random], str]] = {
    "flattened_spaced": render_flattened_spaced,
    "flattened_glued": render_flattened_glued,
    "pipes_no_outer": render_pipes_no_outer,
    "pipe_cell_lines": render_pipe_cell_lines,
    "spaced_columns": render_spaced_columns,
    "traditional": render_traditional,
    "typos": render_typos,
    "torn": render_torn,
    "glued_digits": render_glued_digits,
    "odd_titles": render_odd_titles,
}
"""Every new layout's renderer: ``render(report, rng) -> text``."""

NO_BLANKS = frozenset(
    {"flattened_spaced", "flattened_glued", "spaced_columns", "torn", "glued_digits"}
)
"""Layouts that cannot show an empty cell (a ``/`` they can)."""


def reports_for(layout: str, template: Template = "2021") -> st.SearchStrategy[GenReport]:
    """Reports ``layout`` can render: with gaps where it shows them, ``/`` only where it
    cannot show an empty cell."""
    plain = reports_of(template)
    gaps = reports_with_gaps(template=template)
    if layout in NO_BLANKS:
        gaps = gaps.map(_blanks_to_na)
    return st.one_of(plain, gaps)


def _blanks_to_na(r: GenReport) -> GenReport:
    return attrs.evolve(r, gaps=dict.fromkeys(r.gaps, "na"))


def render_new(layout: str, r: GenReport, seed: int) -> str:
    """Render ``r`` in new ``layout`` with ``random.Random(seed)``."""
    return NEW_LAYOUTS[layout](r, random.Random(seed))


# --- reports without Hypothesis (benchmarks) -------------------------------------------------


def random_report(
    rng: random.Random, template: Template = "2021", *, gaps: bool = True, blanks: bool = True
) -> GenReport:
    """A valid report drawn with ``rng`` (for benchmarks, where Hypothesis does not draw):
    mostly zeros and small counts, sometimes large ones; with ``gaps`` some ``/`` cells (and
    empty ones with ``blanks``)."""
    shape = SHAPES[template]
    derived = derived_keys(template)
    big = rng.random() < 0.3

    def count() -> int:
        roll = rng.random()
        if roll < 0.5:
            return 0
        if roll < 0.9:
            return rng.randint(1, 60)
        return rng.randint(10_000, 999_999) if big else rng.randint(61, 500)

    values: dict[tuple[str, str, str], int | Decimal] = {}
    for key in shape.all_keys:
        if key in derived:
            continue
        if key == shape.money_key:
            places = rng.choice([0, 1, 2, 2, 4])
            values[key] = Decimal(rng.choice([0, rng.randint(0, 99_999)])).scaleb(-places)
        elif key in shape.signed_keys:
            values[key] = count() * rng.choice([1, 1, -1])
        elif key[1] == "carried_over":
            values[key] = 0
        else:
            values[key] = count()
    issuer = rng.choice(CITIES) + rng.choice(DISTRICTS) + rng.choice(DEPARTMENTS)
    year = rng.randint(2019, 2020) if template == "2019" else rng.randint(2021, 2025)
    fee = rng.choice([None, Decimal(0), Decimal(rng.randint(1, 5000))])
    gap_map: dict[tuple[str, str, str], Gap] = {}
    if gaps and rng.random() < 0.4:
        for key in rng.sample(shape.all_keys, rng.randint(1, 12)):
            gap_map[key] = "blank" if blanks and rng.random() < 0.5 else "na"
        if ("review_litigation", "review", "upheld") in gap_map:
            gap_map[("review_litigation", "review", "upheld")] = "na"
    unit = rng.choice(["元", "万元"]) if template == "2019" else None
    return build_report(issuer, year, fee, values, gaps=gap_map, template=template,
                        amount_unit=unit)  # fmt: skip
