"""Re-exported from :mod:`gxnianbao.locate.stated.statements` (reading moved before recovery)."""

from ...locate.stated.statements import Statement, statements

__all__ = ["Statement", "statements"]
