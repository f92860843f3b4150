"""The counts part 一、总体情况 states (``全年共收到政府信息公开申请35件``), read from its text.

Why in ``locate``: reading what the narrative states is reading, not checking.  Recovery uses a
stated count as evidence for cells the identities leave undecided, and the narrative rules
(:mod:`gxnianbao.check.narrative`) compare the same statements with the tables.
:mod:`.patterns` declares how a count is stated, :mod:`.statements` reads them, :mod:`.text`
holds the text helpers they share.
"""

from .patterns import CORES, PATTERNS, Pattern
from .statements import Statement, statements

__all__ = ["CORES", "PATTERNS", "Pattern", "Statement", "statements"]
