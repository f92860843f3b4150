"""The 信息处理费 (information processing fee) a report states in part 六.

Reports state it in a sentence, in 元 or 万元, or say that none was charged (未收取, 为零);
the sentence is found by its word and the amount read from it, in yuan.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import attrs
import regex

from ..common.text import DIGIT_CLASS, TO_ASCII_NUMBER

_SENTENCE_END = regex.compile(r"[。；;\n]")
_FEE_NONE = regex.compile(
    r"(?:未|没有|无|不|免|均未|并未)[^。；;]{0,12}?(?:收取|收费|产生|发生)|未产生|为零|为0(?!\d)"
)
_D = DIGIT_CLASS
_FEE_AMOUNT = regex.compile(
    rf"(?<![{_D}.．])(?P<num>[{_D}]{{1,12}}(?:[,，][{_D}]{{3}}){{0,4}}(?:[.．][{_D}]{{1,4}})?)"
    r"\s{0,3}(?P<unit>万元|元)"
)


@attrs.frozen(slots=True)
class Fee:
    amount: Decimal | None
    stated: bool
    """Part 六 mentions the fee at all (also when the amount could not be read)."""


def processing_fee(text: str) -> Fee:
    """The 信息处理费 stated in part 六, in yuan."""
    stated = False
    for sentence in _SENTENCE_END.split(text):
        if "信息处理费" not in sentence:
            continue
        stated = True
        amount = _FEE_AMOUNT.search(sentence)
        if amount is not None:
            raw = amount["num"].translate(TO_ASCII_NUMBER)
            try:
                value = Decimal(raw.replace(",", ""))
            except InvalidOperation:
                continue
            if amount["unit"] == "万元":
                value *= 10000
            return Fee(value, True)
        if _FEE_NONE.search(sentence):
            return Fee(Decimal(0), True)
    return Fee(None, stated)
