"""The shape of a template, as plain frozen data.

A template says which tables a report has, which rows and columns each table has, and every
wording under which a label may appear.  The parser never hard-codes a label: it asks the
template, so a local variant is one more alias here, not new code (like dateutil's parserinfo).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

ValueKind = Literal["count", "amount", "signed"]
"""``count``: a non-negative integer; ``amount``: a decimal sum of money; ``signed``: an integer
change that may be negative (2019's 本年增/减)."""
Over = Literal["columns", "rows"]
"""What an identity is expanded over (see :class:`Identity`)."""


@attrs.frozen(slots=True, cache_hash=True)
class ColumnSpec:
    """One value column: its stable key, the template's wording, and accepted variants."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: ValueKind | None = None
    """Overrides the row's kind for this column (2019's 采购总金额 beside 采购项目数量)."""
    yuan_per_unit: tuple[tuple[str, Decimal], ...] = ()
    """For a sum of money written with its unit in the cell (2019's 采购总金额): each unit the
    template accepts and its worth in yuan, so the amount can be given in yuan."""


@attrs.frozen(slots=True, cache_hash=True)
class RowSpec:
    """One data row: stable key (dotted for grouped rows), official label and variants.

    ``group`` names the merged label cell the row sits under in table 3 (``withheld`` for
    （三）不予公开), so that a bare item label can be resolved in its group's context.
    """

    key: str
    label: str
    columns: tuple[ColumnSpec, ...]
    aliases: tuple[str, ...] = ()
    group: str | None = None
    kind: ValueKind = "count"
    name: str | None = None
    """The row in messages when its label alone does not say which row it is (table 4's
    行政诉讼（复议后起诉））; by default the label without a trailing note."""


@attrs.frozen(slots=True, cache_hash=True)
class GroupSpec:
    """A merged label cell that heads several rows (table 3's （三）…（六）, 三、本年度办理结果)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    prefix: bool = False
    """Messages name its rows with its label first (（三）不予公开 1.属于国家秘密): the rows'
    own labels (1., 2., …) repeat in every group."""


NUMERALS = "〇一二三四五六七八九"
"""Part and table numbers as the template writes them (第二部分, 表二)."""


@attrs.frozen(slots=True, cache_hash=True)
class TableSpec:
    """One table: its rows in template order and the header words that are not rows."""

    key: str
    title: str
    rows: tuple[RowSpec, ...]
    groups: tuple[GroupSpec, ...] = ()
    header_labels: tuple[str, ...] = ()
    # Table 4 has no row labels: its single data row follows the header directly.
    unlabelled_row: str | None = None
    number: int = 0
    """Its number in the template (表二 is 2); the part it stands in has the same number."""

    @property
    def words(self) -> str:
        """The table as messages name it: ``表二``."""
        return f"表{NUMERALS[self.number]}"

    def row(self, key: str) -> RowSpec:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"table {self.key!r} has no row {key!r}")


@attrs.frozen(slots=True, cache_hash=True)
class SubsectionSpec:
    """A sub-head of a part (part 一's （一）主动公开情况 …): its key and the words that name it."""

    key: str
    words: tuple[str, ...]
    """The sub-head is this one when its title contains any of these words (first spec wins)."""


@attrs.frozen(slots=True, cache_hash=True)
class SectionSpec:
    """One of the six parts: its number (1–6), official heading, and heading keywords."""

    number: int
    heading: str
    keywords: tuple[tuple[str, ...], ...]
    """Alternatives; each alternative is a tuple of words that must all occur in the heading."""
    anchors: tuple[str, ...] = ()
    """Words that open the part's table (第二十条, 申请人情况): the part's heading is the last
    candidate before them, since reports repeat look-alike headings earlier on."""
    heading_words: tuple[str, ...] = ()
    """A heading written without its numeral must contain one of these words (情况, 问题) before
    it is compared with the official heading whole."""
    subsections: tuple[SubsectionSpec, ...] = ()
    """The part's own sub-heads, tried in order."""

    @property
    def numeral(self) -> str:
        """The heading's numeral (一 for 一、总体情况)."""
        return self.heading.split("、", 1)[0]


@attrs.frozen(slots=True, cache_hash=True)
class MarkerSpec:
    """Words that occur only in this template, in the table of part ``part``."""

    part: int
    words: tuple[str, ...]


@attrs.frozen(slots=True, cache_hash=True)
class Wording:
    """How a clerk is told about one identity: where it holds and its two sides, in words.

    ``scope`` is formatted with ``{scope}``, the column's or row's name in the template.
    """

    scope: str
    left: str
    right: str


@attrs.frozen(slots=True, cache_hash=True)
class Identity:
    """One 勾稽关系, declared once and expanded over every column (or row) it holds in.

    With ``over="columns"`` the terms are row keys and the identity holds in every column of the
    table; with ``over="rows"`` the terms are column keys and it holds in every listed row.
    """

    id: str
    table: str
    words: str
    """The identity as the template (or its readers) state it."""
    left: tuple[str, ...]
    right: tuple[str, ...]
    over: Over
    rows: tuple[str, ...] = ()
    """For ``over="rows"``: the rows it holds in (all rows of the table when empty)."""
    printed: bool = False
    """Printed in the template itself (as opposed to implied by its layout)."""
    wording: Wording | None = None
    """The sentence its findings use; without one they get a generic sentence."""


@attrs.frozen(slots=True, cache_hash=True)
class TitleWords:
    """How a report names itself and its fee: the words its title and fee sentence are found by.

    Titles are read before the template is known, so the stock templates share these."""

    subject: str = "政府信息公开"
    """What every title is about (2023年某某局政府信息公开工作年度报告)."""
    ends: tuple[str, ...] = ("年度报告", "年报", "工作报告")
    """A title ends in one of these; a line with the first wins over one with another."""
    fee: str = "信息处理费"
    """The fee part 六 states (国办函〔2020〕109号)."""


# The hash is cached: a spec keys the caches of everything derived from it (equations, names).
@attrs.frozen(slots=True, cache_hash=True)
class TemplateSpec:
    """A whole template version (``"2021"`` or ``"2019"``)."""

    name: str
    tables: tuple[TableSpec, ...]
    sections: tuple[SectionSpec, ...]
    markers: tuple[MarkerSpec, ...] = ()
    """Labels that occur only in this template; used to tell templates apart."""
    last_year: int | None = None
    """The last report year the template is for (None: still in force)."""
    first_year: int | None = None
    """The first report year the template is for."""
    document: str = ""
    """The letter that issued it (国办公开办函〔2021〕30号)."""
    identities: tuple[Identity, ...] = ()
    """Its 勾稽关系; :func:`gxnianbao.templates.identities.equations` expands them."""
    fee_statement: bool = True
    """Part 六 must state the 信息处理费 (the 2019 template asks for no such sentence)."""
    title_words: TitleWords = TitleWords()
    """The words of the report's title and of its fee sentence."""

    def table(self, key: str) -> TableSpec:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(f"template {self.name} has no table {key!r}")

    def with_aliases(self, table: str, row: str, *aliases: str) -> TemplateSpec:
        """This template with more wordings under which row ``row`` of table ``table`` may
        appear: a local variant is one declaration, no fork (like dateutil's ``parserinfo``)."""
        old = self.table(table)
        spec = old.row(row)
        new = attrs.evolve(
            old,
            rows=tuple(
                attrs.evolve(r, aliases=(*r.aliases, *aliases)) if r is spec else r
                for r in old.rows
            ),
        )
        return attrs.evolve(self, tables=tuple(new if t is old else t for t in self.tables))
