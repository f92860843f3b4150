"""Re-exported from :mod:`gxnianbao.locate.stated.patterns` (reading moved before recovery)."""

from ...locate.stated.patterns import CORES, PATTERNS, Pattern, rx

__all__ = ["CORES", "PATTERNS", "Pattern", "rx"]
