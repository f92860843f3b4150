"""Counts stated in part 一、总体情况 checked against tables 2–4.

:mod:`.patterns` declares how a count is stated, :mod:`.statements` reads the counts of a text,
:mod:`.compare` checks them against the cells of the quantity stated
(:mod:`gxnianbao.templates.quantities`).
"""

from ...templates.quantities import QUANTITIES, Quantity
from .compare import NARRATIVE, check_narrative, narrative_rules
from .patterns import CORES, PATTERNS, Pattern
from .statements import Statement, statements

__all__ = [
    "CORES",
    "NARRATIVE",
    "PATTERNS",
    "QUANTITIES",
    "Pattern",
    "Quantity",
    "Statement",
    "check_narrative",
    "narrative_rules",
    "statements",
]
