"""gxnianbao: Chinese government information-disclosure annual reports as typed, sourced data.

>>> import gxnianbao
>>> report = gxnianbao.parse_report(text)            # doctest: +SKIP
>>> report.applications.received.total               # doctest: +SKIP
38
"""

from .errors import (
    AmbiguousCellError,
    GxnianbaoError,
    MissingCellError,
    NotAReportError,
    ParseError,
)
from .findings import Finding
from .model import CellRecord, Diagnostic, NumberToken, Report, Span, Status
from .parse import parse_report
from .rules import validate, validate_series

__version__ = "0.1.0"

__all__ = [
    "AmbiguousCellError",
    "CellRecord",
    "Diagnostic",
    "Finding",
    "GxnianbaoError",
    "MissingCellError",
    "NotAReportError",
    "NumberToken",
    "ParseError",
    "Report",
    "Span",
    "Status",
    "__version__",
    "parse_report",
    "validate",
    "validate_series",
]
