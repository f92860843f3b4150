"""The 信息处理费 (information processing fee) a report states in part 六.

Reports state it in a sentence, in 元 or 万元, or say that none was charged: with the fee's
name (未收取信息处理费, 信息处理费为零) or without it (本年度未发生收费, 未收取任何费用,
没有收取费用, 均未收费, 不存在收费情况).  The sentence is found by its words and the amount read
from it, in yuan.  Without the fee's name only a statement of fact counts (未/没有/不存在 …):
``依申请提供政府信息，不收取费用`` quotes the 条例's rule and says nothing of the year.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import attrs
import regex

from ..common.text import DIGIT_CLASS, TO_ASCII_NUMBER
from ..templates import LATEST

_SENTENCE = regex.compile(r"[^。；;\n]+")
"""A sentence, or a line without a full stop (a sub-head such as （一）信息处理费收取情况)."""
_HEAD = regex.compile(r"情况\s*[:：]?\s*$")
_BARE_NONE = regex.compile(r"\s*(无|零|0|0元)\s*")
_WRAPS = 16
"""How many line breaks inside the fee's name are looked for (a budget: PDF text has one)."""
_FEE_NONE = regex.compile(
    r"(?:未|没有|无|不|免|均未|并未)[^。；;\n]{0,12}?(?:收取|收费|产生|发生)|未产生|为零|为0(?!\d)"
    r"|(?:[:：]|情况)\s*(?:无|零|0)\s*$"
)
"""A sentence naming the fee says none was charged."""
_CHARGE_WORDS = regex.compile(r"收费|费用|处理费")
_COLLECT = regex.compile(r"收取|收费")
_CHARGE_NONE = regex.compile(
    r"(?:未曾|从未|并未|均未|未|没有|不存在|无)[^。；;，,\n]{0,8}?(?:收取|收费|产生|发生|征收|缴纳)"
    r"[^。；;，,\n]{0,8}?(?:费用|收费|费)"
    r"|(?:未|没有|不存在|无)[^。；;，,\n]{0,4}?(?:收费|费用)"
    r"|(?:收费|费用)[^。；;，,\n]{0,4}?(?:为零|为0(?!\d)|0元|零元)"
)
"""A sentence that does not name the fee states as a fact that nothing was charged."""
_RULE = regex.compile(r"依申请提供政府信息|可以收取|应当|不得|违规|违法|乱收费|擅自|行政事业性")
"""Words of the 条例's and the 办法's rules on fees, and of other charges (违规收费, the
行政事业性收费 of table 二): not of the fee charged in the year."""
_MAY_BE_RULE = regex.compile(r"不(?!存在)|免")
"""不收取, 免收 state the rule as well as the year's fact; 未, 没有, 为零 … only the fact."""
_BOOK = regex.compile(r"《[^《》\n]{0,80}》")
"""A quoted title: 《政府信息公开信息处理费管理办法》 names the fee but states no amount."""
_TRIES = 16
"""How many zero statements of one sentence are tried (a budget: a real sentence has one)."""
_CLAUSE_REACH = 40
"""How far around a zero statement its clause is looked at for a rule's words."""
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
    span: tuple[int, int] | None = None
    """Where in the text given the amount (or the words saying none was charged) is."""


@functools.lru_cache(maxsize=8)
def _fee_word(name: str) -> regex.Pattern[str]:
    """The fee's name, also where a PDF line wraps inside it (信息处 / 理费)."""
    return regex.compile(r"\s{0,2}".join(regex.escape(c) for c in name))


def processing_fee(text: str, name: str = LATEST.title_words.fee) -> Fee:
    """The fee (the template's ``title_words.fee``, 信息处理费) stated in part 六, in yuan."""
    fee_word = _fee_word(name)
    stated = False
    head = False
    """The sentence before is the fee's sub-head (（一）信息处理费收取情况), which a bare
    ``无`` answers."""
    for at, sentence in _sentences(text, fee_word):
        if head and (bare := _BARE_NONE.fullmatch(sentence)) is not None:
            return Fee(Decimal(0), True, (at + bare.start(1), at + bare.end(1)))
        words = _BOOK.sub(_blank, sentence) if "《" in sentence else sentence
        head = _HEAD.search(words) is not None and fee_word.search(words) is not None
        if fee_word.search(words):
            stated = True
        elif words is sentence or not _COLLECT.search(words) or not fee_word.search(sentence):
            continue
        # Also 按照《…信息处理费管理办法》，本年度收取费用300元: the fee named by the 办法 only.
        amount = _FEE_AMOUNT.search(words)
        if amount is not None:
            raw = amount["num"].translate(TO_ASCII_NUMBER)
            try:
                value = Decimal(raw.replace(",", ""))
            except InvalidOperation:
                continue
            if amount["unit"] == "万元":
                value *= 10000
            return Fee(value, True, (at + amount.start(), at + amount.end()))
        rule_words = _RULE.search(words) is not None
        for none in itertools.islice(_FEE_NONE.finditer(words), _TRIES):
            # 不收取, 免收 also state the rule: only a sentence with no rule's words says more.
            if not rule_words if _MAY_BE_RULE.match(none[0]) else not _rule(words, none):
                return Fee(Decimal(0), True, (at + none.start(), at + none.end()))
    # A sentence naming the fee says more than any other; only then the ones that do not.
    for at, sentence in _sentences(text, fee_word):
        words = _BOOK.sub(_blank, sentence) if "《" in sentence else sentence
        if not _CHARGE_WORDS.search(words):
            continue
        for none in itertools.islice(_CHARGE_NONE.finditer(words), _TRIES):
            if not _rule(words, none):
                return Fee(Decimal(0), True, (at + none.start(), at + none.end()))
    return Fee(None, stated)


def _rule(words: str, match: regex.Match[str]) -> bool:
    """The clause of ``match`` states a rule (or another charge), not what the year saw."""
    reach = max(0, match.start() - _CLAUSE_REACH)
    start = max(reach - 1, *(words.rfind(c, reach, match.start()) for c in "，,\n")) + 1
    reach = match.end() + _CLAUSE_REACH
    ends = [i for i in (words.find(c, match.end(), reach) for c in "，,\n") if i >= 0]
    return _RULE.search(words, start, min(ends, default=min(reach, len(words)))) is not None


def _blank(book: regex.Match[str]) -> str:
    """A quoted title as wide as it is, without its words (offsets stay those of the text)."""
    return "《" + "＿" * (len(book[0]) - 2) + "》"


def _sentences(text: str, fee_word: regex.Pattern[str]) -> Iterator[tuple[int, str]]:
    """Each sentence with its offset; a line break inside the fee's name (信息处 / 理费, where a
    PDF line wraps) does not end one."""
    wrapped = {
        m.start() + i
        for m in itertools.islice(fee_word.finditer(text), _WRAPS)
        for i, c in enumerate(m[0])
        if c == "\n"
    }
    start = None
    for m in _SENTENCE.finditer(text):
        if start is None:
            start = m.start()
        if m.end() in wrapped:
            continue
        yield start, text[start : m.end()]
        start = None
    if start is not None:
        yield start, text[start:]
