"""How one table cell's text is read: a table of cells as written and what they say.

Why a table: the cell vocabulary (units, not-applicable marks, page footers, converter
artefacts) grows one case at a time from real reports; a new case is one new row here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from gxnianbao.common.values import Kind, classify, parse_number
from gxnianbao.model import Number

D = Decimal

# cell text as written -> kind, value, unit, approximate, the number's digits as written
CELLS: list[tuple[str, Kind, Number | None, str | None, bool, str]] = [
    # plain and full-width numbers
    ("0", "number", 0, None, False, "0"),
    ("12", "number", 12, None, False, "12"),
    ("0012", "number", 12, None, False, "0012"),
    ("１２", "number", 12, None, False, "１２"),
    ("１２３", "number", 123, None, False, "１２３"),
    (" 12 ", "number", 12, None, False, "12"),
    ("12\n", "number", 12, None, False, "12"),
    ("1" * 40, "number", int("1" * 40), None, False, "1" * 40),
    # thousands separators, half- and full-width; a misplaced one is no number
    ("1,234", "number", 1234, None, False, "1,234"),
    ("1,234,567", "number", 1234567, None, False, "1,234,567"),
    ("１，２３４", "number", 1234, None, False, "１，２３４"),
    ("12,34", "label", None, None, False, ""),
    ("1,2345", "label", None, None, False, ""),
    # decimals (amounts of money) are exact
    ("3.5", "number", D("3.5"), None, False, "3.5"),
    ("0.25", "number", D("0.25"), None, False, "0.25"),
    ("３．５", "number", D("3.5"), None, False, "３．５"),
    # signs: 2019's 本年增/减; U+2212 is the minus PDF text gives
    ("-3", "number", -3, None, False, "-3"),
    ("－3", "number", -3, None, False, "－3"),
    ("+2", "number", 2, None, False, "+2"),
    ("\u22122", "number", -2, None, False, "\u22122"),
    # units after the number
    ("12件", "number", 12, "件", False, "12"),
    ("12 件", "number", 12, "件", False, "12"),
    ("10个", "number", 10, "个", False, "10"),
    ("10人", "number", 10, "人", False, "10"),
    ("10次", "number", 10, "次", False, "10"),
    ("10项", "number", 10, "项", False, "10"),
    ("5元", "number", 5, "元", False, "5"),
    ("3万元", "number", 3, "万元", False, "3"),
    ("1.2亿元", "number", D("1.2"), "亿元", False, "1.2"),
    # approximate counts
    ("10余", "number", 10, None, True, "10"),
    ("10多", "number", 10, None, True, "10"),
    # not applicable
    ("/", "na", None, None, False, ""),
    ("／", "na", None, None, False, ""),
    ("\\", "na", None, None, False, ""),
    ("-", "na", None, None, False, ""),
    ("—", "na", None, None, False, ""),
    ("——", "na", None, None, False, ""),
    ("–", "na", None, None, False, ""),
    ("―", "na", None, None, False, ""),
    ("--", "na", None, None, False, ""),
    ("－－", "na", None, None, False, ""),
    ("×", "na", None, None, False, ""),
    ("无", "na", None, None, False, ""),
    ("不适用", "na", None, None, False, ""),
    ("N/A", "na", None, None, False, ""),
    ("n/a", "na", None, None, False, ""),
    ("NA", "na", None, None, False, ""),
    # blanks: empty, spaces, a tab, an ideographic space
    ("", "blank", None, None, False, ""),
    ("   ", "blank", None, None, False, ""),
    ("\t", "blank", None, None, False, ""),
    ("\u3000", "blank", None, None, False, ""),
    # noise: page footers and markers, converter artefacts, a unit on its own
    ("-3-", "noise", None, None, False, ""),
    ("— 3 —", "noise", None, None, False, ""),
    ("－１２－", "noise", None, None, False, ""),
    ("第3页", "noise", None, None, False, ""),
    ("第 3 页", "noise", None, None, False, ""),
    ("第3页，共10页", "noise", None, None, False, ""),
    ("第３页共１０页", "noise", None, None, False, ""),
    ("[bookmark: _GoBack]", "noise", None, None, False, ""),
    ("万元", "noise", None, None, False, ""),
    ("元", "noise", None, None, False, ""),
    ("件", "noise", None, None, False, ""),
    ("个", "noise", None, None, False, ""),
    ("条", "noise", None, None, False, ""),
    ("项", "noise", None, None, False, ""),
    # labels: words, and what only looks like a number
    ("予以公开", "label", None, None, False, ""),
    ("合计", "label", None, None, False, ""),
    ("零", "label", None, None, False, ""),
    ("十二", "label", None, None, False, ""),
    ("约10", "label", None, None, False, ""),
    ("12a", "label", None, None, False, ""),
    ("1 2", "label", None, None, False, ""),
    ("1.2.3", "label", None, None, False, ""),
    ("12%", "label", None, None, False, ""),
    ("(12)", "label", None, None, False, ""),
    ("12）", "label", None, None, False, ""),
    ("1" * 41, "label", None, None, False, ""),  # longer than any number cell
]


@pytest.mark.parametrize(("text", "kind", "value", "unit", "approximate", "digits"), CELLS)
def test_cell_is_read_as(
    text: str,
    kind: Kind,
    value: Number | None,
    unit: str | None,
    approximate: bool,
    digits: str,
) -> None:
    got = classify(text)
    assert (got.kind, got.value, got.unit, got.approximate) == (kind, value, unit, approximate)
    assert type(got.value) is type(value)  # a count stays int, an amount Decimal
    assert text[got.start : got.end] == digits
    if value is not None:
        assert parse_number(digits) == value


def test_the_table_has_each_cell_once() -> None:
    texts = [row[0] for row in CELLS]
    assert len(texts) == len(set(texts))
