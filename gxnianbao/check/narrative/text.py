"""Re-exported from :mod:`gxnianbao.locate.stated.text` (reading moved before recovery)."""

from ...locate.stated.text import REACH, Text, number

__all__ = ["REACH", "Text", "number"]
